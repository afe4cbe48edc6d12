package token_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

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
	challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
)

func newClock() *tokentest.Clock {
	return tokentest.NewClock(time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC))
}

type fixture struct {
	t       testing.TB
	clock   *tokentest.Clock
	store   *token.MemoryStore
	clients *token.MemoryClients
	codes   *token.LocalCodes
	h       *token.Handler
	logs    *tokentest.LogBuffer
}

type fixtureOption func(*token.Config, *token.LocalCodes)

func newFixture(t testing.TB, opts ...fixtureOption) *fixture {
	f := &fixture{t: t, clock: newClock(), store: token.NewMemoryStore(), logs: &tokentest.LogBuffer{}}
	f.clients = token.NewMemoryClients(
		&token.Client{ID: "svc", Secret: token.HashSecret("s3cr3t"),
			Grants: []string{token.GrantClientCredentials, token.GrantAuthorizationCode, token.GrantRefreshToken},
			Scope:  token.Scope{"read", "write"}},
		&token.Client{ID: "svc2", Secret: token.HashSecret("other"),
			Grants: []string{token.GrantClientCredentials, token.GrantAuthorizationCode, token.GrantRefreshToken},
			Scope:  token.Scope{"read"}},
		&token.Client{ID: "app:one", Secret: token.HashSecret("p@ss"), Grants: []string{token.GrantClientCredentials}},
		&token.Client{ID: "codeonly", Secret: token.HashSecret("x"), Grants: []string{token.GrantAuthorizationCode}},
	)
	f.codes = &token.LocalCodes{Store: f.store, Now: f.clock.Now}
	cfg := token.Config{
		Issuer:  iss,
		Store:   f.store,
		Clients: f.clients,
		Logger:  slog.New(slog.NewJSONHandler(f.logs, nil)),
		Now:     f.clock.Now,
	}
	for _, o := range opts {
		o(&cfg, f.codes)
	}
	if cfg.Grants == nil {
		cfg.Grants = []token.Grant{
			&token.AuthorizationCode{Codes: f.codes, Profiles: token.ProfileFunc(profileOf)},
			&token.RefreshToken{},
			token.ClientCredentials{},
		}
	}
	h, err := token.NewHandler(cfg)
	require.NoError(t, err)
	f.h = h
	return f
}

func profileOf(_ context.Context, who string) (*token.Profile, error) {
	return &token.Profile{Name: "User", URL: who, Photo: who + "photo.jpg", Email: "user@user.test"}, nil
}

// mint stands in for the authorization endpoint (conformance mintCode).
func (f *fixture) mint(mods ...func(*token.CodeParams)) string {
	f.t.Helper()
	p := token.CodeParams{Me: me, ClientID: c1, RedirectURI: cb, Scope: token.Scope{"create", "update"}, Challenge: challenge}
	for _, m := range mods {
		m(&p)
	}
	code, err := f.codes.Mint(context.Background(), p)
	require.NoError(f.t, err)
	return code
}

// redeemForm is the TOK-03 request for code.
func redeemForm(code string) url.Values {
	return url.Values{
		"grant_type":    {"authorization_code"},
		"code":          {code},
		"client_id":     {c1},
		"redirect_uri":  {cb},
		"code_verifier": {verifierV},
	}
}

// do sends body (already encoded) to the handler with optional header
// pairs and returns the recorder.
func (f *fixture) do(method, body string, hdr ...string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, "/token", strings.NewReader(body))
	if method == http.MethodPost {
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		if hdr[i+1] == "" {
			r.Header.Del(hdr[i])
			continue
		}
		r.Header.Add(hdr[i], hdr[i+1])
	}
	w := httptest.NewRecorder()
	f.h.ServeHTTP(w, r)
	return w
}

func (f *fixture) post(form url.Values, hdr ...string) *httptest.ResponseRecorder {
	return f.do(http.MethodPost, form.Encode(), hdr...)
}

// redeem runs a default redemption and returns the token response.
func (f *fixture) redeem() map[string]any {
	f.t.Helper()
	w := f.post(redeemForm(f.mint()))
	require.Equal(f.t, http.StatusOK, w.Code, w.Body.String())
	return tokentest.DecodeJSON(f.t, w)
}

// verify checks an opaque access token against the fixture's store.
func (f *fixture) verify(tok string) (*token.Info, error) {
	return (&token.Opaque{Store: f.store, Now: f.clock.Now}).Verify(context.Background(), tok)
}
