package discovery_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/tokenkit/tokenkit/discovery"
)

// site is a loopback HTTP server standing in for a user's website and its
// authorization server.
type site struct {
	*httptest.Server
	mux *http.ServeMux
}

func newSite(t *testing.T) *site {
	t.Helper()
	mux := http.NewServeMux()
	s := &site{Server: httptest.NewServer(mux), mux: mux}
	t.Cleanup(s.Close)
	return s
}

// page serves an HTML page with optional Link header values.
func (s *site) page(path, html string, links ...string) {
	s.mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
		for _, l := range links {
			w.Header().Add("Link", l)
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = fmt.Fprint(w, html)
	})
}

// redirect answers path with status and Location.
func (s *site) redirect(path string, status int, location string) {
	s.mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Location", location)
		w.WriteHeader(status)
	})
}

// metadata serves a valid IndieAuth metadata document at path, with issuer
// s.URL+issuerPath and endpoints under it.
func (s *site) metadata(path, issuerPath string) {
	s.mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
		iss := s.URL + issuerPath
		w.Header().Set("Content-Type", "application/json")
		_, _ = fmt.Fprintf(w, `{"issuer":%q,"authorization_endpoint":%q,"token_endpoint":%q,`+
			`"introspection_endpoint":%q,"revocation_endpoint":%q,"userinfo_endpoint":%q,`+
			`"code_challenge_methods_supported":["S256"],"authorization_response_iss_parameter_supported":true}`,
			iss, s.URL+"/auth", s.URL+"/token", s.URL+"/introspect", s.URL+"/revoke", s.URL+"/userinfo")
	})
}

// devClient is a client for loopback test servers.
func devClient(t *testing.T, cfg discovery.Config) *discovery.Client {
	t.Helper()
	cfg.InsecureAllowPrivateNetworks = true
	c, err := discovery.NewClient(cfg)
	require.NoError(t, err)
	return c
}

func newTLSSite(t *testing.T) *site {
	t.Helper()
	mux := http.NewServeMux()
	s := &site{Server: httptest.NewTLSServer(mux), mux: mux}
	t.Cleanup(s.Close)
	return s
}
