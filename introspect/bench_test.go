package introspect_test

import (
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/tokenkit/tokenkit/introspect"
	"github.com/tokenkit/tokenkit/token"
)

// discard is a ResponseWriter that keeps nothing, so the middleware
// benchmarks measure the middleware.
type discard struct{ h http.Header }

func (d *discard) Header() http.Header         { return d.h }
func (d *discard) Write(p []byte) (int, error) { return len(p), nil }
func (d *discard) WriteHeader(int)             {}

func jwtFixture(b *testing.B) (*token.JWT, ed25519.PublicKey, string) {
	pub, priv, err := ed25519.GenerateKey(nil)
	if err != nil {
		b.Fatal(err)
	}
	key, err := token.NewEd25519Key("k1", priv)
	if err != nil {
		b.Fatal(err)
	}
	keys, err := token.NewKeySet(key)
	if err != nil {
		b.Fatal(err)
	}
	j := &token.JWT{Keys: keys, Issuer: iss, Audience: rsAud}
	now := time.Now()
	tok, err := j.Issue(context.Background(), &token.Info{Me: me, Subject: me, ClientID: c1, Scope: token.Scope{"create", "update"},
		Audience: []string{rsAud}, IssuedAt: now, ExpiresAt: now.Add(time.Hour)})
	if err != nil {
		b.Fatal(err)
	}
	return j, pub, tok
}

// BenchmarkBareSignature is the floor for local verification: one Ed25519
// signature check over a JWT's signing input.
func BenchmarkBareSignature(b *testing.B) {
	_, pub, tok := jwtFixture(b)
	i := strings.LastIndexByte(tok, '.')
	msg := []byte(tok[:i])
	sig, err := base64.RawURLEncoding.DecodeString(tok[i+1:])
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if !ed25519.Verify(pub, msg, sig) {
			b.Fatal("bad signature")
		}
	}
}

// BenchmarkMiddlewareJWT is a protected request verified locally with
// token.JWT: header parsing, verification, the audience and scope checks
// and the context hand-off.
func BenchmarkMiddlewareJWT(b *testing.B) {
	j, _, tok := jwtFixture(b)
	h := introspect.Middleware(introspect.MiddlewareConfig{Verifier: j, Audience: rsAud})(
		introspect.RequireScope("create")(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.WriteHeader(http.StatusNoContent)
		})))
	r := httptest.NewRequest(http.MethodGet, "/micropub", nil)
	r.Header.Set("Authorization", "Bearer "+tok)
	w := &discard{h: http.Header{}}
	b.ReportAllocs()
	for b.Loop() {
		h.ServeHTTP(w, r)
	}
}

// BenchmarkClientCached is a remote verification answered from the
// Client's cache.
func BenchmarkClientCached(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"active":true,"me":"https://user.test/","client_id":"https://app.test/","scope":"create"}`))
	}))
	defer srv.Close()
	c, err := introspect.NewClient(introspect.ClientConfig{Endpoint: srv.URL, ClientID: "rs", ClientSecret: "rs-secret"})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	const tok = "Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2FycGx5d2FsZG8"
	if _, err := c.Verify(ctx, tok); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Verify(ctx, tok); err != nil {
			b.Fatal(err)
		}
	}
}

// introspectRequest is the request the introspection benchmarks send.
func introspectRequest(body string) *http.Request {
	r := httptest.NewRequest(http.MethodPost, "/introspect", strings.NewReader(body))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.Header.Set("Authorization", "Basic cnM6cnMtc2VjcmV0") // rs:rs-secret
	return r
}

// BenchmarkIntrospectOpaque introspects an opaque token through the
// Handler end to end: request and recorder, form parsing, client
// authentication, the store lookup and the JSON answer.
func BenchmarkIntrospectOpaque(b *testing.B) {
	s := newServer(b)
	at, _ := s.redeem()
	// The fixture's failure-injecting wrapper off: the MemoryStore itself.
	cfg := s.cfg
	cfg.Verifier = &token.Opaque{Store: s.store.Store}
	h, err := introspect.NewHandler(cfg)
	if err != nil {
		b.Fatal(err)
	}
	body := "token=" + at
	b.ReportAllocs()
	for b.Loop() {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, introspectRequest(body))
		if w.Code != http.StatusOK {
			b.Fatal(w.Code)
		}
	}
}

// BenchmarkRequestRecorder is the part of BenchmarkIntrospectOpaque that
// is the benchmark's own: building the request and the recorder, and a
// handler writing a small JSON body.
func BenchmarkRequestRecorder(b *testing.B) {
	h := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		token.WriteJSON(w, http.StatusOK, struct {
			Active bool `json:"active"`
		}{})
	})
	body := "token=" + strings.Repeat("a", 43)
	b.ReportAllocs()
	for b.Loop() {
		h.ServeHTTP(httptest.NewRecorder(), introspectRequest(body))
	}
}
