package metadata

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// DefaultMaxAge is the Cache-Control max-age a Handler sends when
// Config.MaxAge is zero.
const DefaultMaxAge = time.Hour

// Config configures a Handler.
type Config struct {
	// Metadata is the document to serve. NewHandler validates it (see
	// Metadata.Validate), rejects "plain" as a code challenge method (RFC
	// 9700 §2.1.1) and, when an authorization endpoint is listed without
	// response types, publishes response_types_supported ["code"], which
	// RFC 8414 §2 requires and IndieAuth §4.1.1 defaults to.
	Metadata Metadata

	// MaxAge is how long clients and caches may keep the document
	// (Cache-Control: public, max-age). Zero means DefaultMaxAge; negative
	// means "no-cache".
	MaxAge time.Duration

	// AllowInsecureLoopback permits http issuer and endpoint URLs whose host
	// is loopback (localhost, 127.0.0.0/8, ::1), for local development
	// without TLS. Never set it in production: RFC 8414 §2 requires https.
	AllowInsecureLoopback bool
}

// Handler serves a metadata document as JSON (RFC 8414 §3, §3.2). Mount it
// at the RFC 8414 well-known path built by WellKnownURL and, for IndieAuth,
// at the URL the profile page advertises with rel="indieauth-metadata"
// (IndieAuth §4.1.1). It answers GET and HEAD; other methods get 405.
//
// The body is computed once by NewHandler from configuration: no request
// header (Host, X-Forwarded-Host, …) can change it.
type Handler struct {
	body         []byte
	length       string
	cacheControl string
}

var _ http.Handler = (*Handler)(nil)

// NewHandler validates cfg and returns a Handler serving its document.
func NewHandler(cfg Config) (*Handler, error) {
	m := cfg.Metadata
	if err := m.validate(cfg.AllowInsecureLoopback); err != nil {
		return nil, err
	}
	if hasString(m.CodeChallengeMethodsSupported, "plain") {
		return nil, fmt.Errorf("%w: code_challenge_methods_supported lists plain", ErrInvalid)
	}
	if m.AuthorizationEndpoint != "" && len(m.ResponseTypesSupported) == 0 {
		m.ResponseTypesSupported = []string{"code"}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(&m); err != nil {
		return nil, fmt.Errorf("metadata: encode: %w", err)
	}
	cc := "no-cache"
	switch age := cfg.MaxAge; {
	case age == 0:
		cc = "public, max-age=" + strconv.Itoa(int(DefaultMaxAge/time.Second))
	case age > 0:
		cc = "public, max-age=" + strconv.FormatInt(int64(age/time.Second), 10)
	}
	return &Handler{
		body:         buf.Bytes(),
		length:       strconv.Itoa(buf.Len()),
		cacheControl: cc,
	}, nil
}

// ServeHTTP writes the document for GET and HEAD, and 405 with
// Allow: GET, HEAD for any other method (MET-01).
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	hdr := w.Header()
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		hdr.Set("Allow", "GET, HEAD")
		w.WriteHeader(http.StatusMethodNotAllowed)
		return
	}
	hdr.Set("Content-Type", "application/json")
	hdr.Set("Content-Length", h.length)
	hdr.Set("Cache-Control", h.cacheControl)
	hdr.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodGet {
		_, _ = w.Write(h.body)
	}
}
