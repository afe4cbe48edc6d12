package metadata_test

import (
	"encoding/json"
	"flag"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tokenkit/tokenkit/metadata"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata")

// fullMetadata is the document of the conformance fixtures (ISS = https://as.test/).
func fullMetadata() metadata.Metadata {
	return metadata.Metadata{
		Issuer:                "https://as.test/",
		AuthorizationEndpoint: "https://as.test/auth",
		TokenEndpoint:         "https://as.test/token",
		IntrospectionEndpoint: "https://as.test/introspect",
		IntrospectionEndpointAuthMethodsSupported:  []string{"client_secret_basic"},
		RevocationEndpoint:                         "https://as.test/revoke",
		RevocationEndpointAuthMethodsSupported:     []string{"none"},
		UserinfoEndpoint:                           "https://as.test/userinfo",
		JWKSURI:                                    "https://as.test/jwks",
		ScopesSupported:                            []string{"profile", "email", "create", "update"},
		GrantTypesSupported:                        []string{"authorization_code", "refresh_token", metadata.GrantTypeTokenExchange},
		TokenEndpointAuthMethodsSupported:          []string{"none", "client_secret_basic"},
		CodeChallengeMethodsSupported:              []string{"S256"},
		AuthorizationResponseIssParameterSupported: true,
		ServiceDocumentation:                       "https://as.test/docs",
	}
}

func newHandler(t *testing.T, cfg metadata.Config) *metadata.Handler {
	t.Helper()
	h, err := metadata.NewHandler(cfg)
	require.NoError(t, err)
	return h
}

// MET-01, MET-12, MET-13: the served document, byte for byte.
func TestHandlerServesGolden(t *testing.T) {
	h := newHandler(t, metadata.Config{Metadata: fullMetadata()})
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "https://as.test/.well-known/oauth-authorization-server", nil))

	require.Equal(t, http.StatusOK, rec.Code)
	assert.Equal(t, "application/json", rec.Header().Get("Content-Type"))
	assert.Equal(t, "public, max-age=3600", rec.Header().Get("Cache-Control"))
	assert.Equal(t, "nosniff", rec.Header().Get("X-Content-Type-Options"))
	assert.Equal(t, rec.Header().Get("Content-Length"), itoa(rec.Body.Len()))

	golden := "testdata/served.golden.json"
	if *update {
		require.NoError(t, os.WriteFile(golden, rec.Body.Bytes(), 0o644))
	}
	want, err := os.ReadFile(golden)
	require.NoError(t, err)
	assert.Equal(t, string(want), rec.Body.String())

	var doc map[string]any
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &doc))
	assert.Equal(t, true, doc["authorization_response_iss_parameter_supported"], "MET-12: a JSON boolean")
	assert.Equal(t, []any{"code"}, doc["response_types_supported"], "MET-08: defaulted")
	for k, v := range doc {
		assert.NotNil(t, v, "MET-13: %s is null", k)
		if list, ok := v.([]any); ok {
			assert.NotEmpty(t, list, "MET-13: %s is empty", k)
		}
	}
}

// MET-13: empty lists and false booleans are omitted, never null or [].
func TestHandlerOmitsEmpty(t *testing.T) {
	h := newHandler(t, metadata.Config{Metadata: metadata.Metadata{
		Issuer:                        "https://as.test/",
		TokenEndpoint:                 "https://as.test/token",
		CodeChallengeMethodsSupported: []string{"S256"},
		ScopesSupported:               []string{},
	}})
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	assert.JSONEq(t, `{"issuer":"https://as.test/","token_endpoint":"https://as.test/token","code_challenge_methods_supported":["S256"]}`, rec.Body.String())
}

// MET-01, EDGE-18: methods other than GET and HEAD get 405 with Allow.
func TestHandlerMethods(t *testing.T) {
	h := newHandler(t, metadata.Config{Metadata: fullMetadata()})
	get := httptest.NewRecorder()
	h.ServeHTTP(get, httptest.NewRequest(http.MethodGet, "/", nil))

	tests := []struct {
		method   string
		override string
		status   int
		body     string
	}{
		{http.MethodGet, "", http.StatusOK, get.Body.String()},
		{http.MethodHead, "", http.StatusOK, ""},
		{http.MethodPost, "", http.StatusMethodNotAllowed, ""},
		{http.MethodPost, "GET", http.StatusMethodNotAllowed, ""},
		{http.MethodPut, "", http.StatusMethodNotAllowed, ""},
		{http.MethodDelete, "", http.StatusMethodNotAllowed, ""},
		{http.MethodOptions, "", http.StatusMethodNotAllowed, ""},
	}
	for _, tt := range tests {
		t.Run(tt.method+tt.override, func(t *testing.T) {
			req := httptest.NewRequest(tt.method, "/", strings.NewReader("a=b"))
			if tt.override != "" {
				req.Header.Set("X-HTTP-Method-Override", tt.override)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			assert.Equal(t, tt.status, rec.Code)
			assert.Equal(t, tt.body, rec.Body.String())
			if tt.status == http.StatusMethodNotAllowed {
				assert.Equal(t, "GET, HEAD", rec.Header().Get("Allow"))
				assert.Empty(t, rec.Header().Get("Content-Type"))
			} else {
				assert.Equal(t, "application/json", rec.Header().Get("Content-Type"))
				assert.Equal(t, itoa(get.Body.Len()), rec.Header().Get("Content-Length"))
			}
		})
	}
}

// EDGE-19: spoofed Host and forwarding headers never change the document.
func TestHandlerIgnoresRequestHeaders(t *testing.T) {
	h := newHandler(t, metadata.Config{Metadata: fullMetadata()})
	plain := httptest.NewRecorder()
	h.ServeHTTP(plain, httptest.NewRequest(http.MethodGet, "/", nil))

	req := httptest.NewRequest(http.MethodGet, "http://evil.test/", nil)
	req.Host = "evil.test"
	req.Header.Set("X-Forwarded-Host", "evil.test")
	req.Header.Set("X-Forwarded-Proto", "http")
	req.Header.Set("Forwarded", "host=evil.test;proto=http")
	spoofed := httptest.NewRecorder()
	h.ServeHTTP(spoofed, req)

	assert.Equal(t, plain.Body.String(), spoofed.Body.String())
	assert.NotContains(t, spoofed.Body.String(), "evil")
}

func TestHandlerCacheControl(t *testing.T) {
	for _, tt := range []struct {
		maxAge time.Duration
		want   string
	}{
		{0, "public, max-age=3600"},
		{24 * time.Hour, "public, max-age=86400"},
		{-1, "no-cache"},
	} {
		h := newHandler(t, metadata.Config{Metadata: fullMetadata(), MaxAge: tt.maxAge})
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
		assert.Equal(t, tt.want, rec.Header().Get("Cache-Control"))
	}
}

// MET-02, MET-06, MET-07, MET-13, SEC-05: bad configuration fails at construction.
func TestNewHandlerRejects(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*metadata.Metadata)
	}{
		{"MET-02 no issuer", func(m *metadata.Metadata) { m.Issuer = "" }},
		{"MET-02 http issuer", func(m *metadata.Metadata) { m.Issuer = "http://as.test/" }},
		{"MET-02 issuer with query", func(m *metadata.Metadata) { m.Issuer = "https://as.test/?a=b" }},
		{"MET-02 issuer with empty query", func(m *metadata.Metadata) { m.Issuer = "https://as.test/?" }},
		{"MET-02 issuer with fragment", func(m *metadata.Metadata) { m.Issuer = "https://as.test/#x" }},
		{"MET-02 issuer with empty fragment", func(m *metadata.Metadata) { m.Issuer = "https://as.test/#" }},
		{"MET-02 issuer with userinfo", func(m *metadata.Metadata) { m.Issuer = "https://u:p@as.test/" }},
		{"MET-02 relative issuer", func(m *metadata.Metadata) { m.Issuer = "/as" }},
		{"MET-06 no token endpoint", func(m *metadata.Metadata) { m.TokenEndpoint = "" }},
		{"MET-06 relative token endpoint", func(m *metadata.Metadata) { m.TokenEndpoint = "/token" }},
		{"MET-06 http token endpoint", func(m *metadata.Metadata) { m.TokenEndpoint = "http://as.test/token" }},
		{"MET-06 fragment in endpoint", func(m *metadata.Metadata) { m.AuthorizationEndpoint = "https://as.test/auth#x" }},
		{"MET-06 http introspection", func(m *metadata.Metadata) { m.IntrospectionEndpoint = "http://as.test/i" }},
		{"MET-06 javascript revocation", func(m *metadata.Metadata) { m.RevocationEndpoint = "javascript:alert(1)" }},
		{"MET-06 http userinfo", func(m *metadata.Metadata) { m.UserinfoEndpoint = "http://as.test/u" }},
		{"MET-13 http jwks_uri", func(m *metadata.Metadata) { m.JWKSURI = "http://as.test/jwks" }},
		{"MET-07 no S256", func(m *metadata.Metadata) { m.CodeChallengeMethodsSupported = []string{"plain"} }},
		{"MET-07 plain listed", func(m *metadata.Metadata) { m.CodeChallengeMethodsSupported = []string{"S256", "plain"} }},
		{"MET-07 s256 lowercase", func(m *metadata.Metadata) { m.CodeChallengeMethodsSupported = []string{"s256"} }},
		{"MET-13 none signing alg", func(m *metadata.Metadata) {
			m.TokenEndpointAuthSigningAlgValuesSupported = []string{"RS256", "none"}
		}},
		{"service documentation not a URL", func(m *metadata.Metadata) { m.ServiceDocumentation = "docs" }},
		{"SEC-05 loopback http without switch", func(m *metadata.Metadata) {
			m.Issuer, m.TokenEndpoint = "http://127.0.0.1:8080/", "http://127.0.0.1:8080/token"
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := fullMetadata()
			tt.mutate(&m)
			h, err := metadata.NewHandler(metadata.Config{Metadata: m})
			require.ErrorIs(t, err, metadata.ErrInvalid)
			assert.Nil(t, h)
			assert.True(t, strings.HasPrefix(err.Error(), "metadata: "), err.Error())
		})
	}
}

// SEC-05: http only for loopback hosts, only with the loud switch.
func TestNewHandlerInsecureLoopback(t *testing.T) {
	for _, tt := range []struct {
		issuer string
		ok     bool
	}{
		{"http://127.0.0.1:8080/", true},
		{"http://localhost:8080/", true},
		{"http://[::1]:8080/", true},
		{"http://dev.localhost/", true},
		{"http://as.test/", false},
		{"http://10.0.0.1/", false},
		{"https://as.test/", true},
	} {
		t.Run(tt.issuer, func(t *testing.T) {
			_, err := metadata.NewHandler(metadata.Config{
				AllowInsecureLoopback: true,
				Metadata: metadata.Metadata{
					Issuer:                        tt.issuer,
					TokenEndpoint:                 tt.issuer + "token",
					CodeChallengeMethodsSupported: []string{"S256"},
				},
			})
			if tt.ok {
				assert.NoError(t, err)
			} else {
				assert.ErrorIs(t, err, metadata.ErrInvalid)
			}
		})
	}
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}
