package introspect_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/tokenkit/tokenkit/introspect"
	"github.com/tokenkit/tokenkit/token"
	"github.com/tokenkit/tokenkit/token/tokentest"
)

// Fixture names from conformance.md §0.
const (
	iss       = "https://as.test/"
	c1        = "https://app.test/"
	cb        = "https://app.test/cb"
	me        = "https://user.test/"
	rsAud     = "https://rs.test/"
	rsBAud    = "https://rs-b.test/"
	verifierV = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
)

// failing wraps a store so a test can make it fail.
type failing struct {
	token.Store
	mu   sync.Mutex
	fail bool
}

var errDown = errors.New("store down")

func (f *failing) set(fail bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.fail = fail
}

func (f *failing) Get(ctx context.Context, k token.Hash) (*token.Record, error) {
	f.mu.Lock()
	fail := f.fail
	f.mu.Unlock()
	if fail {
		return nil, errDown
	}
	return f.Store.Get(ctx, k)
}

// server is an authorization server built from the library: the token
// endpoint (with the legacy GET verification on its path) and an
// introspection endpoint, on one store.
type server struct {
	t       testing.TB
	clock   *tokentest.Clock
	store   *failing
	clients *token.MemoryClients
	codes   *token.LocalCodes
	opaque  *token.Opaque
	tokens  *token.Handler
	intro   *introspect.Handler
	legacy  *introspect.Legacy
	cfg     introspect.Config
}

type serverOption func(*server, *token.Config, *introspect.Config)

func withRefresh(s *server, _ *token.Config, c *introspect.Config) { c.Refresh = s.store }

func newServer(t testing.TB, opts ...serverOption) *server {
	s := &server{t: t, clock: tokentest.NewClock(time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)), store: &failing{Store: token.NewMemoryStore()}}
	s.clients = token.NewMemoryClients(
		&token.Client{ID: "rs", Secret: token.HashSecret("rs-secret"), Permissions: []string{"introspect"}},
		&token.Client{ID: "rs-b", Secret: token.HashSecret("rs-b-secret"), Permissions: []string{"introspect"}},
		&token.Client{ID: "svc", Secret: token.HashSecret("s3cr3t"), Grants: []string{token.GrantClientCredentials},
			Scope: token.Scope{"read", "introspect"}, Permissions: []string{"introspect"}},
		&token.Client{ID: "noperm", Secret: token.HashSecret("np"), Grants: []string{token.GrantClientCredentials},
			Scope: token.Scope{"introspect"}},
	)
	s.codes = &token.LocalCodes{Store: s.store, Now: s.clock.Now}
	s.opaque = &token.Opaque{Store: s.store, Now: s.clock.Now}
	legacy, err := introspect.NewLegacy(introspect.LegacyConfig{Verifier: s.opaque})
	require.NoError(t, err)
	s.legacy = legacy
	tcfg := token.Config{
		Issuer:   iss,
		Store:    s.store,
		Clients:  s.clients,
		Audience: []string{rsAud},
		Now:      s.clock.Now,
		Grants:   []token.Grant{&token.AuthorizationCode{Codes: s.codes}, &token.RefreshToken{}, token.ClientCredentials{}},
		Verify:   legacy,
	}
	s.cfg = introspect.Config{
		Verifier: s.opaque,
		Now:      s.clock.Now,
		Audience: func(c *introspect.Caller) string {
			switch c.ID {
			case "rs":
				return rsAud
			case "rs-b":
				return rsBAud
			}
			return ""
		},
	}
	for _, o := range opts {
		o(s, &tcfg, &s.cfg)
	}
	s.tokens, err = token.NewHandler(tcfg)
	require.NoError(t, err)
	if s.cfg.Callers == nil {
		s.cfg.Callers = &introspect.Callers{Auth: s.tokens.Authenticator(), Bearer: s.opaque}
	}
	s.intro, err = introspect.NewHandler(s.cfg)
	require.NoError(t, err)
	return s
}

// mint stands in for the authorization endpoint (conformance mintCode).
func (s *server) mint(scope ...string) string {
	s.t.Helper()
	if scope == nil {
		scope = []string{"create", "update"}
	}
	code, err := s.codes.Mint(context.Background(), token.CodeParams{Me: me, ClientID: c1, RedirectURI: cb,
		Scope: scope, Challenge: token.S256Challenge(verifierV)})
	require.NoError(s.t, err)
	return code
}

// redeemAs redeems a fresh code for the confidential client rs, which
// authenticates with its secret, and returns its access and refresh tokens.
func (s *server) redeemAs() (at, rt string) {
	s.t.Helper()
	code, err := s.codes.Mint(context.Background(), token.CodeParams{Me: me, ClientID: "rs", RedirectURI: cb,
		Scope: token.Scope{"create", "update"}, Challenge: token.S256Challenge(verifierV)})
	require.NoError(s.t, err)
	w := s.postToken(url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {cb},
		"code_verifier": {verifierV}}, "Authorization", tokentest.Basic("rs", "rs-secret"))
	require.Equal(s.t, http.StatusOK, w.Code, w.Body.String())
	m := tokentest.DecodeJSON(s.t, w)
	return m["access_token"].(string), m["refresh_token"].(string)
}

// redeem redeems a fresh code over the token endpoint and returns the
// access and refresh tokens (conformance AT, RT).
func (s *server) redeem(scope ...string) (at, rt string) {
	s.t.Helper()
	w := s.postToken(url.Values{"grant_type": {"authorization_code"}, "code": {s.mint(scope...)},
		"client_id": {c1}, "redirect_uri": {cb}, "code_verifier": {verifierV}})
	require.Equal(s.t, http.StatusOK, w.Code, w.Body.String())
	m := tokentest.DecodeJSON(s.t, w)
	return m["access_token"].(string), m["refresh_token"].(string)
}

// clientToken issues a client_credentials token to svc.
func (s *server) clientToken(scope string) string {
	s.t.Helper()
	w := s.postToken(url.Values{"grant_type": {"client_credentials"}, "scope": {scope}}, "Authorization", tokentest.Basic("svc", "s3cr3t"))
	require.Equal(s.t, http.StatusOK, w.Code, w.Body.String())
	return tokentest.DecodeJSON(s.t, w)["access_token"].(string)
}

func (s *server) postToken(form url.Values, hdr ...string) *httptest.ResponseRecorder {
	return tokentest.Serve(s.tokens, http.MethodPost, "/token", form.Encode(), hdr...)
}

func (s *server) introspect(form url.Values, hdr ...string) *httptest.ResponseRecorder {
	return tokentest.Serve(s.intro, http.MethodPost, "/introspect", form.Encode(), hdr...)
}

// asRS introspects tok as the resource server rs.
func (s *server) asRS(tok string, extra ...string) *httptest.ResponseRecorder {
	f := url.Values{"token": {tok}}
	for i := 0; i+1 < len(extra); i += 2 {
		f.Set(extra[i], extra[i+1])
	}
	return s.introspect(f, "Authorization", tokentest.Basic("rs", "rs-secret"))
}

// requireInactive checks the one answer for every token that is not
// active (INT-04, INT-09).
func requireInactive(t testing.TB, w *httptest.ResponseRecorder) {
	t.Helper()
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	require.Equal(t, "application/json", w.Header().Get("Content-Type"))
	require.Equal(t, "no-store", w.Header().Get("Cache-Control"))
	require.JSONEq(t, `{"active":false}`, w.Body.String())
	require.Equal(t, `{"active":false}`, w.Body.String())
}

// requireError checks an RFC 6749 §5.2 error response exactly, and its
// WWW-Authenticate challenge ("" for none).
func requireError(t testing.TB, w *httptest.ResponseRecorder, status int, code, challenge string) {
	t.Helper()
	tokentest.RequireError(t, w, status, code)
	require.Equal(t, challenge, w.Header().Get("WWW-Authenticate"))
}
