package exchange_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/tokenkit/tokenkit/exchange"
	"github.com/tokenkit/tokenkit/token"
	"github.com/tokenkit/tokenkit/token/tokentest"
)

// Fixture names: conformance.md §0, plus the services of the seed's
// scenario.
const (
	iss   = "https://as.test/"
	me    = "https://user.test/"
	app   = "https://app.test/"
	userF = "user-family"
)

// Grant and token type shorthands for forms.
const (
	gtExchange = token.GrantTokenExchange
	ttAT       = exchange.TokenTypeAccessToken
	ttRT       = exchange.TokenTypeRefreshToken
	ttJWT      = exchange.TokenTypeJWT
)

type fixture struct {
	t       testing.TB
	clock   *tokentest.Clock
	store   *token.MemoryStore
	clients *token.MemoryClients
	keys    *token.KeySet
	jwt     *token.JWT // the issuer's own: signs, and verifies any audience
	h       *token.Handler
	logs    *tokentest.LogBuffer
}

// option adjusts the configuration before the handler is built.
type option func(*token.Config, *exchange.Config)

func withPolicy(p exchange.Policy) option {
	return func(_ *token.Config, x *exchange.Config) { x.Policy = p }
}

// quiet drops the security log, for fuzzing and benchmarks.
func quiet() option {
	return func(tc *token.Config, _ *exchange.Config) { tc.Logger = nil }
}

func withRefreshTokens() option {
	return func(tc *token.Config, x *exchange.Config) {
		x.RefreshTokens = true
		tc.Grants = append(tc.Grants, &token.RefreshToken{})
	}
}

func newFixture(t testing.TB, opts ...option) *fixture {
	f := &fixture{t: t, clock: tokentest.NewClock(time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)),
		store: token.NewMemoryStore(), logs: &tokentest.LogBuffer{}}
	both := []string{token.GrantTokenExchange, token.GrantClientCredentials}
	f.clients = token.NewMemoryClients(
		&token.Client{ID: "api1", Secret: token.HashSecret("api1-secret"), Grants: both},
		&token.Client{ID: "api2", Secret: token.HashSecret("api2-secret"), Grants: both},
		&token.Client{ID: "agent-a", Secret: token.HashSecret("a-secret"), Grants: both},
		&token.Client{ID: "agent-b", Secret: token.HashSecret("b-secret"), Grants: both},
		&token.Client{ID: "scoped", Secret: token.HashSecret("scoped-secret"), Grants: both, Scope: token.Scope{"create"}},
		&token.Client{ID: "svc", Secret: token.HashSecret("s3cr3t"), Grants: []string{token.GrantClientCredentials}},
		&token.Client{ID: "pub", Grants: both},
	)
	k, err := token.GenerateEd25519Key("k1", nil)
	require.NoError(t, err)
	f.keys, err = token.NewKeySet(k)
	require.NoError(t, err)
	f.jwt = &token.JWT{Keys: f.keys, Issuer: iss, Store: f.store, Now: f.clock.Now}
	tc := token.Config{
		Issuer: iss, Store: f.store, Clients: f.clients, Tokens: f.jwt,
		Logger: slog.New(slog.NewJSONHandler(f.logs, nil)), Now: f.clock.Now,
		Grants: []token.Grant{token.ClientCredentials{}},
	}
	xc := exchange.Config{
		Verifiers: map[string]token.Verifier{ttAT: f.jwt, ttJWT: f.jwt},
		Policy:    exchange.DefaultPolicy{Targets: map[string][]string{"api1": {"api2", "https://api2.test/", "a", "b"}}},
		IssuesJWT: true,
	}
	for _, o := range opts {
		o(&tc, &xc)
	}
	g, err := exchange.New(xc)
	require.NoError(t, err)
	tc.Grants = append(tc.Grants, g)
	f.h, err = token.NewHandler(tc)
	require.NoError(t, err)
	return f
}

// userToken stands in for the authorization server's other grants: a
// JWT access token of me, issued to the user's app for audience api1,
// recorded in the store in the user's family.
func (f *fixture) userToken(mods ...func(*token.Info)) string {
	f.t.Helper()
	now := f.clock.Now()
	info := &token.Info{Me: me, ClientID: app, Subject: me, Scope: token.Scope{"create", "update"},
		Audience: []string{"api1"}, Issuer: iss, IssuedAt: now, ExpiresAt: now.Add(time.Hour)}
	for _, m := range mods {
		m(info)
	}
	tok, err := f.jwt.Issue(context.Background(), info)
	require.NoError(f.t, err)
	require.NoError(f.t, f.store.Put(context.Background(), &token.Record{Key: token.HashToken(tok), Kind: token.KindAccess, Family: userF, Info: *info}))
	return tok
}

// clientToken gets a client_credentials token for id through the handler:
// an actor token naming the client.
func (f *fixture) clientToken(id, secret string) string {
	f.t.Helper()
	w := f.post(url.Values{"grant_type": {"client_credentials"}}, tokentest.Basic(id, secret))
	require.Equal(f.t, http.StatusOK, w.Code, w.Body.String())
	return tokentest.DecodeJSON(f.t, w)["access_token"].(string)
}

// exchangeForm is a token exchange of subject, declared as an access
// token, with the given name/value pairs: they replace the defaults and
// add to each other, and an empty value drops the parameter.
func exchangeForm(subject string, kv ...string) url.Values {
	v := url.Values{"grant_type": {gtExchange}, "subject_token": {subject}, "subject_token_type": {ttAT}}
	set := map[string]bool{}
	for i := 0; i+1 < len(kv); i += 2 {
		name, value := kv[i], kv[i+1]
		if !set[name] {
			v.Del(name)
			set[name] = true
		}
		if value != "" {
			v.Add(name, value)
		}
	}
	return v
}

func (f *fixture) do(body string, hdr ...string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(http.MethodPost, "/token", strings.NewReader(body))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for i := 0; i+1 < len(hdr); i += 2 {
		r.Header.Add(hdr[i], hdr[i+1])
	}
	w := httptest.NewRecorder()
	f.h.ServeHTTP(w, r)
	return w
}

// post sends form, with Authorization set to auth unless it is empty.
func (f *fixture) post(form url.Values, auth string) *httptest.ResponseRecorder {
	if auth == "" {
		return f.do(form.Encode())
	}
	return f.do(form.Encode(), "Authorization", auth)
}

// exchange posts form as api1 and requires success.
func (f *fixture) exchange(form url.Values, auth string) map[string]any {
	f.t.Helper()
	w := f.post(form, auth)
	requireSuccess(f.t, w)
	return tokentest.DecodeJSON(f.t, w)
}

var api1 = tokentest.Basic("api1", "api1-secret")

// requireSuccess checks the RFC 8693 §2.2.1 response shape (TX-08).
func requireSuccess(t testing.TB, w *httptest.ResponseRecorder) {
	t.Helper()
	require.Equal(t, http.StatusOK, w.Code, "body: %s", w.Body.String())
	require.Equal(t, "application/json", w.Header().Get("Content-Type"))
	require.Equal(t, "no-store", w.Header().Get("Cache-Control"))
	require.Equal(t, "no-cache", w.Header().Get("Pragma"))
	m := tokentest.DecodeJSON(t, w)
	require.IsType(t, "", m["access_token"])
	require.NotEmpty(t, m["access_token"])
	require.Contains(t, []any{ttAT, ttJWT}, m["issued_token_type"])
	require.Equal(t, "Bearer", m["token_type"])
	require.IsType(t, float64(0), m["expires_in"])
	for k := range m {
		require.Contains(t, []string{"access_token", "issued_token_type", "token_type", "expires_in", "scope", "refresh_token", "me"}, k)
	}
}

// claims decodes a JWT's payload without checking it, to look at the wire
// form of its claims.
func claims(t testing.TB, jwt string) map[string]any {
	t.Helper()
	parts := strings.Split(jwt, ".")
	require.Len(t, parts, 3)
	raw, err := base64.RawURLEncoding.DecodeString(parts[1])
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(raw, &m))
	return m
}

// at is the JWT verifier of a resource server with the given audience.
func (f *fixture) at(aud string) *token.JWT {
	return &token.JWT{Keys: f.keys, Issuer: iss, Audience: aud, Store: f.store, Now: f.clock.Now}
}
