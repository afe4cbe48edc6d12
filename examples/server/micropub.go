package main

import (
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"mime"
	"net/http"
	"strings"
	"time"

	"github.com/tokenkit/tokenkit/introspect"
	"github.com/tokenkit/tokenkit/token"
)

// micropub is a small micropub endpoint (W3C Micropub): POST creates an h-entry from
// form or JSON content and stores it; GET answers q=config and q=source.
// The bearer middleware verifies the token before it runs; creating needs
// the "create" scope.
type micropub struct {
	db      *database
	baseURL string // posts live at baseURL + "posts/" + id
	owner   string // only tokens of the owner may post
}

func (m *micropub) routes(mux *http.ServeMux, guard func(http.Handler) http.Handler) {
	mux.Handle("GET /micropub", guard(http.HandlerFunc(m.query)))
	mux.Handle("POST /micropub", guard(introspect.RequireScope("create")(http.HandlerFunc(m.create))))
	mux.HandleFunc("GET /posts/{id}", m.show)
}

func (m *micropub) query(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Query().Get("q") {
	case "config":
		writeJSON(w, http.StatusOK, map[string]any{})
	case "source":
		id := strings.TrimPrefix(r.URL.Query().Get("url"), m.baseURL+"posts/")
		p, err := m.db.getPost(r.Context(), id)
		if err != nil {
			microError(w, http.StatusBadRequest, "invalid_request", "no such post")
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"type": []string{"h-entry"},
			"properties": map[string]any{"content": []string{p.Content}}})
	default:
		microError(w, http.StatusBadRequest, "invalid_request", "unsupported query")
	}
}

func (m *micropub) create(w http.ResponseWriter, r *http.Request) {
	info, _ := introspect.InfoFromContext(r.Context())
	if info.Me != m.owner {
		// A client-only token (client_credentials) names no user: it may
		// not post as the owner (RFC 9700 §4.15).
		microError(w, http.StatusForbidden, "forbidden", "only the site owner's tokens may post")
		return
	}
	content, err := readContent(w, r)
	if err != nil {
		microError(w, http.StatusBadRequest, "invalid_request", err.Error())
		return
	}
	id := make([]byte, 9)
	rand.Read(id)
	p := post{ID: base64.RawURLEncoding.EncodeToString(id), Me: info.Me, ClientID: info.ClientID, Content: content, Created: time.Now()}
	if err := m.db.addPost(r.Context(), p); err != nil {
		microError(w, http.StatusInternalServerError, "server_error", "could not store the post")
		return
	}
	w.Header().Set("Location", m.baseURL+"posts/"+p.ID)
	w.WriteHeader(http.StatusCreated)
}

// readContent takes the content of an h-entry from a form or JSON body.
func readContent(w http.ResponseWriter, r *http.Request) (string, error) {
	r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch mt {
	case "application/json":
		var in struct {
			Type       []string `json:"type"`
			Properties struct {
				Content []any `json:"content"`
			} `json:"properties"`
		}
		if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
			return "", errors.New("malformed JSON")
		}
		if len(in.Properties.Content) == 0 {
			return "", errors.New("content is required")
		}
		if s, ok := in.Properties.Content[0].(string); ok && s != "" {
			return s, nil
		}
		return "", errors.New("content must be a string")
	case "application/x-www-form-urlencoded", "multipart/form-data":
		if err := r.ParseMultipartForm(1 << 20); err != nil && !errors.Is(err, http.ErrNotMultipart) {
			return "", errors.New("malformed form")
		}
		if h := r.PostForm.Get("h"); h != "" && h != "entry" {
			return "", errors.New("only h=entry is supported")
		}
		if c := r.PostForm.Get("content"); c != "" {
			return c, nil
		}
		return "", errors.New("content is required")
	}
	return "", errors.New("unsupported content type")
}

func (m *micropub) show(w http.ResponseWriter, r *http.Request) {
	p, err := m.db.getPost(r.Context(), r.PathValue("id"))
	if errors.Is(err, sql.ErrNoRows) {
		http.NotFound(w, r)
		return
	}
	if err != nil {
		http.Error(w, "could not load the post", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write([]byte(p.Content + "\n"))
}

func microError(w http.ResponseWriter, status int, code, desc string) {
	token.WriteJSON(w, status, map[string]string{"error": code, "error_description": desc})
}

func writeJSON(w http.ResponseWriter, status int, v any) { token.WriteJSON(w, status, v) }
