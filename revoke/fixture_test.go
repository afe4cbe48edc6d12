package revoke_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/tokenkit/tokenkit/revoke"
	"github.com/tokenkit/tokenkit/token"
	"github.com/tokenkit/tokenkit/token/tokentest"
)

// Fixture names from conformance.md §0.
const (
	iss       = "https://as.test/"
	c1        = "https://app.test/"
	cb        = "https://app.test/cb"
	me        = "https://user.test/"
	verifierV = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
)

// store wraps a MemoryStore to count lookups and fail on demand.
type store struct {
	*token.MemoryStore
	mu         sync.Mutex
	gets       int
	failGet    bool
	failRevoke bool
}

var errDown = errors.New("store down")

func (s *store) Get(ctx context.Context, k token.Hash) (*token.Record, error) {
	s.mu.Lock()
	s.gets++
	fail := s.failGet
	s.mu.Unlock()
	if fail {
		return nil, errDown
	}
	return s.MemoryStore.Get(ctx, k)
}

func (s *store) revokeFails() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.failRevoke
}

func (s *store) Revoke(ctx context.Context, k token.Hash, until time.Time) error {
	if s.revokeFails() {
		return errDown
	}
	return s.MemoryStore.Revoke(ctx, k, until)
}

func (s *store) RevokeFamily(ctx context.Context, f string) error {
	if s.revokeFails() {
		return errDown
	}
	return s.MemoryStore.RevokeFamily(ctx, f)
}

func (s *store) RevokeBefore(ctx context.Context, me, clientID string, t time.Time) error {
	if s.revokeFails() {
		return errDown
	}
	return s.MemoryStore.RevokeBefore(ctx, me, clientID, t)
}

func (s *store) set(f func(*store)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f(s)
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// server is a token endpoint with revocation at /revoke and as its
// action=revoke, all on one store.
type server struct {
	t       testing.TB
	clock   *tokentest.Clock
	store   *store
	clients *token.MemoryClients
	codes   *token.LocalCodes
	opaque  *token.Opaque
	tokens  *token.Handler
	revoker *revoke.Handler
	logs    *syncBuffer
}

func newServer(t testing.TB, mods ...func(*server, *token.Config, *revoke.Config)) *server {
	s := &server{t: t, clock: tokentest.NewClock(time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)),
		store: &store{MemoryStore: token.NewMemoryStore()}, logs: &syncBuffer{}}
	cc := []string{token.GrantClientCredentials, token.GrantAuthorizationCode, token.GrantRefreshToken}
	s.clients = token.NewMemoryClients(
		&token.Client{ID: "svc", Secret: token.HashSecret("s3cr3t"), Grants: cc, Scope: token.Scope{"read"}},
		&token.Client{ID: "svc2", Secret: token.HashSecret("other"), Grants: cc, Scope: token.Scope{"read"}},
	)
	s.codes = &token.LocalCodes{Store: s.store, Now: s.clock.Now}
	s.opaque = &token.Opaque{Store: s.store, Now: s.clock.Now}
	tcfg := token.Config{
		Issuer:  iss,
		Store:   s.store,
		Clients: s.clients,
		Now:     s.clock.Now,
		Grants:  []token.Grant{&token.AuthorizationCode{Codes: s.codes}, &token.RefreshToken{}, token.ClientCredentials{}},
	}
	log := slog.New(slog.NewJSONHandler(s.logs, nil))
	rcfg := revoke.Config{Store: s.store, AllowPublic: true, Logger: log}
	for _, m := range mods {
		m(s, &tcfg, &rcfg)
	}
	tcfg.Logger = log
	// The revocation endpoint authenticates as the token endpoint does.
	rcfg.Auth = &token.Authenticator{Clients: s.clients}
	var err error
	s.revoker, err = revoke.NewHandler(rcfg)
	require.NoError(t, err)
	tcfg.Revoke = s.revoker
	s.tokens, err = token.NewHandler(tcfg)
	require.NoError(t, err)
	return s
}

func (s *server) mint() string {
	s.t.Helper()
	code, err := s.codes.Mint(context.Background(), token.CodeParams{Me: me, ClientID: c1, RedirectURI: cb,
		Scope: token.Scope{"create", "update"}, Challenge: token.S256Challenge(verifierV)})
	require.NoError(s.t, err)
	return code
}

func redeemForm(code string) url.Values {
	return url.Values{"grant_type": {"authorization_code"}, "code": {code},
		"client_id": {c1}, "redirect_uri": {cb}, "code_verifier": {verifierV}}
}

// redeem returns a fresh AT and RT of C1.
func (s *server) redeem() (at, rt string) {
	s.t.Helper()
	w := s.post(s.tokens, redeemForm(s.mint()))
	require.Equal(s.t, http.StatusOK, w.Code, w.Body.String())
	m := tokentest.DecodeJSON(s.t, w)
	return m["access_token"].(string), m["refresh_token"].(string)
}

// clientToken issues a client_credentials token to id.
func (s *server) clientToken(id, secret string) string {
	s.t.Helper()
	w := s.post(s.tokens, url.Values{"grant_type": {"client_credentials"}}, "Authorization", tokentest.Basic(id, secret))
	require.Equal(s.t, http.StatusOK, w.Code, w.Body.String())
	return tokentest.DecodeJSON(s.t, w)["access_token"].(string)
}

// refresh uses rt and returns the response.
func (s *server) refresh(rt string) *httptest.ResponseRecorder {
	return s.post(s.tokens, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt}, "client_id": {c1}})
}

// active reports whether tok still verifies as an access token.
func (s *server) active(tok string) bool {
	_, err := s.opaque.Verify(context.Background(), tok)
	if err != nil && !token.IsInvalid(err) {
		s.t.Fatalf("verify: %v", err)
	}
	return err == nil
}

func (s *server) post(h http.Handler, form url.Values, hdr ...string) *httptest.ResponseRecorder {
	return tokentest.Serve(h, http.MethodPost, "/", form.Encode(), hdr...)
}

// requireOK checks the RFC 7009 §2.2 success: 200, no body, not cached.
func requireOK(t testing.TB, w *httptest.ResponseRecorder) {
	t.Helper()
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	require.Empty(t, w.Body.String())
	require.Equal(t, "no-store", w.Header().Get("Cache-Control"))
}

// requireError checks an RFC 6749 §5.2 error response exactly, and its
// WWW-Authenticate challenge ("" for none).
func requireError(t testing.TB, w *httptest.ResponseRecorder, status int, code, challenge string) {
	t.Helper()
	tokentest.RequireError(t, w, status, code)
	require.Equal(t, challenge, w.Header().Get("WWW-Authenticate"))
}
