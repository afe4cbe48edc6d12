package metadata_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tokenkit/tokenkit/metadata"
)

// MET-05: RFC 8414 §3.1 well-known URL construction.
func TestWellKnownURL(t *testing.T) {
	tests := []struct {
		issuer, want string
	}{
		{"https://as.test", "https://as.test/.well-known/oauth-authorization-server"},
		{"https://as.test/", "https://as.test/.well-known/oauth-authorization-server"},
		{"https://as.test/t1", "https://as.test/.well-known/oauth-authorization-server/t1"},
		{"https://as.test/t1/", "https://as.test/.well-known/oauth-authorization-server/t1"},
		{"https://as.test/a/b", "https://as.test/.well-known/oauth-authorization-server/a/b"},
		{"https://as.test:8443/t1", "https://as.test:8443/.well-known/oauth-authorization-server/t1"},
		{"https://as.test/t%201", "https://as.test/.well-known/oauth-authorization-server/t%201"},
		{"http://127.0.0.1:8080/", "http://127.0.0.1:8080/.well-known/oauth-authorization-server"},
	}
	for _, tt := range tests {
		got, err := metadata.WellKnownURL(tt.issuer)
		require.NoError(t, err, tt.issuer)
		assert.Equal(t, tt.want, got, tt.issuer)
	}
	for _, bad := range []string{"", "as.test", "/t1", "ftp://as.test/", "https://as.test/?q", "https://as.test/#f", "https://u@as.test/", "mailto:a@as.test"} {
		_, err := metadata.WellKnownURL(bad)
		assert.ErrorIs(t, err, metadata.ErrInvalid, bad)
	}
}

// MET-04, MET-05: the builder and the served route agree, and the served
// issuer is byte-identical to the one the URL was built from.
func TestWellKnownRouteAgrees(t *testing.T) {
	for _, issuer := range []string{"https://as.test/t1", "https://as.test/", "https://as.test"} {
		t.Run(issuer, func(t *testing.T) {
			h := newHandler(t, metadata.Config{Metadata: metadata.Metadata{
				Issuer:                        issuer,
				TokenEndpoint:                 "https://as.test/t1/token",
				CodeChallengeMethodsSupported: []string{"S256"},
			}})
			wk, err := metadata.WellKnownURL(issuer)
			require.NoError(t, err)
			u, err := url.Parse(wk)
			require.NoError(t, err)
			mux := http.NewServeMux()
			mux.Handle("GET "+u.Path, h)

			rec := httptest.NewRecorder()
			mux.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, wk, nil))
			require.Equal(t, http.StatusOK, rec.Code)
			m, err := metadata.Parse(rec.Body.Bytes())
			require.NoError(t, err)
			assert.Equal(t, issuer, m.Issuer)
		})
	}
}
