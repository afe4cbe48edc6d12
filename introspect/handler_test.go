package introspect_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tokenkit/tokenkit/introspect"
	"github.com/tokenkit/tokenkit/token"
	"github.com/tokenkit/tokenkit/token/tokentest"
)

// INT-01, INT-03, INT-09: an active token's members, each of its JSON type.
func TestHandlerActive(t *testing.T) {
	s := newServer(t)
	at, _ := s.redeem()
	rec, err := s.store.Get(context.Background(), token.HashToken(at))
	require.NoError(t, err)
	now := s.clock.Now().Unix()

	w := s.asRS(at)
	require.Equal(t, http.StatusOK, w.Code)
	assert.Equal(t, "application/json", w.Header().Get("Content-Type"))
	assert.Equal(t, "no-store", w.Header().Get("Cache-Control"))
	assert.Equal(t, "no-cache", w.Header().Get("Pragma"))
	assert.JSONEq(t, fmt.Sprintf(`{"active":true,"me":%q,"client_id":%q,"scope":"create update","token_type":"Bearer",
		"exp":%d,"iat":%d,"sub":%q,"aud":%q,"iss":%q,"jti":%q}`,
		me, c1, now+3600, now, me, rsAud, iss, rec.Info.ID), w.Body.String())

	m := tokentest.DecodeJSON(t, w)
	assert.Equal(t, true, m["active"]) // a JSON boolean, not "true" (conformance §14.1)
	assert.IsType(t, float64(0), m["exp"])
	assert.IsType(t, float64(0), m["iat"])
	assert.Greater(t, m["exp"], m["iat"])
}

// CC-06, conformance §14.7: a client-only token names no user.
func TestHandlerClientCredentialsTokenHasNoMe(t *testing.T) {
	s := newServer(t)
	w := s.asRS(s.clientToken("read"))
	require.Equal(t, http.StatusOK, w.Code)
	m := tokentest.DecodeJSON(t, w)
	assert.Equal(t, true, m["active"])
	assert.Equal(t, "svc", m["client_id"])
	assert.Equal(t, "svc", m["sub"])
	assert.NotContains(t, m, "me")
}

// INT-01: the token is never taken from the URL, and only POST is served.
func TestHandlerMethods(t *testing.T) {
	s := newServer(t)
	at, _ := s.redeem()
	for _, m := range []string{http.MethodGet, http.MethodHead, http.MethodPut, http.MethodOptions} {
		w := tokentest.Serve(s.intro, m, "/introspect?token="+at, "", "Authorization", tokentest.Basic("rs", "rs-secret"))
		require.Equal(t, http.StatusMethodNotAllowed, w.Code, m)
		assert.Equal(t, "POST", w.Header().Get("Allow"))
		assert.NotContains(t, w.Body.String(), "active")
	}
	// A POST with the token in the query only: the query is never read.
	w := tokentest.Serve(s.intro, http.MethodPost, "/introspect?token="+at, "", "Authorization", tokentest.Basic("rs", "rs-secret"))
	requireError(t, w, http.StatusBadRequest, "invalid_request", "")
}

// INT-02, INT-10, EDGE-15: who may call.
func TestHandlerCallers(t *testing.T) {
	s := newServer(t)
	at, _ := s.redeem()
	callerTok := s.clientToken("introspect")
	plainTok := s.clientToken("read")
	const basicChallenge = `Basic realm="token", Bearer realm="token"`
	for _, tc := range []struct {
		name      string
		form      url.Values
		hdr       []string
		status    int
		code      string
		challenge string
	}{
		{"no authorization", nil, nil, 401, "invalid_client", basicChallenge},
		{"wrong secret", nil, []string{"Authorization", tokentest.Basic("rs", "wrong")}, 401, "invalid_client", `Basic realm="token"`},
		{"unknown client", nil, []string{"Authorization", tokentest.Basic("nobody", "x")}, 401, "invalid_client", `Basic realm="token"`},
		{"INT-10 client without the permission", nil, []string{"Authorization", tokentest.Basic("noperm", "np")}, 401, "invalid_client", `Basic realm="token"`},
		{"public client", url.Values{"client_id": {c1}}, nil, 401, "invalid_client", basicChallenge},
		{"basic with bad base64", nil, []string{"Authorization", "Basic %%%"}, 401, "invalid_client", `Basic realm="token"`},
		{"two Authorization headers", nil, []string{"Authorization", tokentest.Basic("rs", "rs-secret"), "Authorization", tokentest.Basic("rs", "rs-secret")}, 400, "invalid_request", ""},
		{"invalid caller bearer", nil, []string{"Authorization", "Bearer nope"}, 401, "invalid_token",
			`Bearer realm="token", error="invalid_token", error_description="the access token is invalid"`},
		{"malformed caller bearer", nil, []string{"Authorization", "Bearer a b"}, 400, "invalid_request",
			`Bearer realm="token", error="invalid_request", error_description="the Bearer credentials are malformed"`},
		{"caller bearer without the scope", nil, []string{"Authorization", "Bearer " + plainTok}, 401, "insufficient_scope",
			`Bearer realm="token", error="insufficient_scope", error_description="the access token lacks the scope needed", scope="introspect"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := url.Values{"token": {at}}
			for k, v := range tc.form {
				f[k] = v
			}
			w := s.introspect(f, tc.hdr...)
			requireError(t, w, tc.status, tc.code, tc.challenge)
		})
	}
	for _, tc := range []struct {
		name string
		form url.Values
		hdr  []string
	}{
		{"client_secret_basic", nil, []string{"Authorization", tokentest.Basic("rs", "rs-secret")}},
		{"client_secret_post", url.Values{"client_id": {"rs"}, "client_secret": {"rs-secret"}}, nil},
		{"bearer with the introspect scope", nil, []string{"Authorization", "Bearer " + callerTok}},
		{"lowercase bearer scheme", nil, []string{"Authorization", "bearer " + callerTok}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := url.Values{"token": {at}}
			for k, v := range tc.form {
				f[k] = v
			}
			w := s.introspect(f, tc.hdr...)
			require.Equal(t, http.StatusOK, w.Code, w.Body.String())
			assert.Equal(t, true, tokentest.DecodeJSON(t, w)["active"])
		})
	}
	assert.Equal(t, []string{"client_secret_basic", "client_secret_post", "Bearer"}, s.intro.AuthMethods())
}

// INT-04, INT-08, EDGE-02, EDGE-22: every token that is not active gets the
// same answer.
func TestHandlerInactive(t *testing.T) {
	s := newServer(t)
	at, rt := s.redeem()
	revoked, _ := s.redeem()
	require.NoError(t, s.store.Revoke(context.Background(), token.HashToken(revoked), time.Time{}))
	code := s.mint()
	for _, tc := range []struct {
		name string
		body string
	}{
		{"unknown", "token=" + strings.Repeat("x", 43)},
		{"malformed", "token=%E2%98%83+not+a+token"},
		{"empty", "token="},
		{"empty, bare name", "token"},
		{"empty among others", "token_type_hint=access_token&token="},
		{"revoked", "token=" + revoked},
		{"refresh token, refresh introspection off", "token=" + rt},
		{"authorization code", "token=" + code},
		{"EDGE-02 one MiB token", "token=" + strings.Repeat("a", 60<<10)},
		{"EDGE-22 alg none JWT", "token=eyJhbGciOiJub25lIiwidHlwIjoiYXQrand0In0.eyJzdWIiOiJ4In0."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			requireInactive(t, tokentest.Serve(s.intro, http.MethodPost, "/introspect", tc.body, "Authorization", tokentest.Basic("rs", "rs-secret")))
		})
	}
	t.Run("INT-08 expired at request time", func(t *testing.T) {
		w := s.asRS(at)
		require.Equal(t, true, tokentest.DecodeJSON(t, w)["active"])
		s.clock.Advance(time.Hour + time.Second)
		requireInactive(t, s.asRS(at))
	})
}

// INT-05: a token for another audience is not active to this caller.
func TestHandlerAudience(t *testing.T) {
	s := newServer(t)
	at, _ := s.redeem()
	assert.Equal(t, true, tokentest.DecodeJSON(t, s.asRS(at))["active"])
	requireInactive(t, s.introspect(url.Values{"token": {at}}, "Authorization", tokentest.Basic("rs-b", "rs-b-secret")))
}

// INT-06: no token parameter is a malformed request, not an inactive token.
func TestHandlerMissingToken(t *testing.T) {
	s := newServer(t)
	for _, body := range []string{"", "token_type_hint=access_token", "tokens=x"} {
		w := tokentest.Serve(s.intro, http.MethodPost, "/introspect", body, "Authorization", tokentest.Basic("rs", "rs-secret"))
		requireError(t, w, http.StatusBadRequest, "invalid_request", "")
	}
}

// INT-07: the hint never stops the lookup; refresh tokens may be
// introspected when enabled.
func TestHandlerHints(t *testing.T) {
	s := newServer(t, withRefresh)
	at, rt := s.redeemAs() // rs's own tokens: it may see its refresh token
	for _, tc := range []struct {
		tok, hint, typ string
	}{
		{at, "", "Bearer"},
		{at, "access_token", "Bearer"},
		{at, "refresh_token", "Bearer"},
		{at, "bogus", "Bearer"},
		{rt, "", "refresh_token"},
		{rt, "access_token", "refresh_token"},
		{rt, "refresh_token", "refresh_token"},
		{rt, "bogus", "refresh_token"},
	} {
		t.Run(tc.typ+"/"+tc.hint, func(t *testing.T) {
			w := s.asRS(tc.tok, "token_type_hint", tc.hint)
			require.Equal(t, http.StatusOK, w.Code)
			m := tokentest.DecodeJSON(t, w)
			require.Equal(t, true, m["active"], w.Body.String())
			assert.Equal(t, tc.typ, m["token_type"])
			assert.Equal(t, "create update", m["scope"])
		})
	}
	// A rotated refresh token is spent.
	w := s.postToken(url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt}}, "Authorization", tokentest.Basic("rs", "rs-secret"))
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	requireInactive(t, s.asRS(rt))
}

// No resource server can use a refresh token: another client's is
// inactive to it (RFC 7662 §4).
func TestHandlerForeignRefreshToken(t *testing.T) {
	s := newServer(t, withRefresh)
	_, rt := s.redeem() // issued to the public client C1
	requireInactive(t, s.asRS(rt))
	_, rt = s.redeemAs() // issued to rs
	requireInactive(t, s.introspect(url.Values{"token": {rt}}, "Authorization", tokentest.Basic("rs-b", "rs-b-secret")))
}

// A user's consent never makes an app an introspection caller: a token
// naming a user, or one of a client without the introspect permission, is
// refused even with the introspect scope (RFC 7662 §4).
func TestHandlerBearerCallerMustBeAClient(t *testing.T) {
	s := newServer(t)
	victim, _ := s.redeem()
	userTok, _ := s.redeem("introspect") // an app the user approved with scope introspect
	w := s.introspect(url.Values{"token": {victim}}, "Authorization", "Bearer "+userTok)
	require.Equal(t, http.StatusUnauthorized, w.Code, w.Body.String())
	assert.NotContains(t, w.Body.String(), "active")

	w = s.postToken(url.Values{"grant_type": {"client_credentials"}, "scope": {"introspect"}}, "Authorization", tokentest.Basic("noperm", "np"))
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	noPerm := tokentest.DecodeJSON(t, w)["access_token"].(string)
	w = s.introspect(url.Values{"token": {victim}}, "Authorization", "Bearer "+noPerm)
	require.Equal(t, http.StatusUnauthorized, w.Code, w.Body.String())

	w = s.introspect(url.Values{"token": {victim}}, "Authorization", "Bearer "+s.clientToken("introspect"))
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	assert.Equal(t, true, tokentest.DecodeJSON(t, w)["active"])
}

// A store that fails is not an inactive token: 503, retry later.
func TestHandlerStoreFailure(t *testing.T) {
	s := newServer(t)
	at, _ := s.redeem()
	s.store.set(true)
	w := s.asRS(at)
	requireError(t, w, http.StatusServiceUnavailable, "temporarily_unavailable", "")
	assert.Equal(t, "5", w.Header().Get("Retry-After"))
}

// INT-11: a per-caller limit stops token scanning.
func TestHandlerRateLimit(t *testing.T) {
	n := 0
	s := newServer(t, func(_ *server, _ *token.Config, c *introspect.Config) {
		c.Limit = func(c *introspect.Caller) bool { n++; return n <= 3 }
	})
	for i := range 3 {
		requireInactive(t, s.asRS(fmt.Sprintf("guess-%d", i)))
	}
	w := s.asRS("guess-4")
	requireError(t, w, http.StatusTooManyRequests, "temporarily_unavailable", "")
	assert.Equal(t, "60", w.Header().Get("Retry-After"))
}

// EDGE-01, EDGE-03, EDGE-05: bounded, strict forms.
func TestHandlerBadForms(t *testing.T) {
	s := newServer(t)
	auth := []string{"Authorization", tokentest.Basic("rs", "rs-secret")}
	w := tokentest.Serve(s.intro, http.MethodPost, "/introspect", "token="+strings.Repeat("a", 10<<20), auth...)
	requireError(t, w, http.StatusRequestEntityTooLarge, "invalid_request", "")
	w = tokentest.Serve(s.intro, http.MethodPost, "/introspect", "token=a&token=b", auth...)
	requireError(t, w, http.StatusBadRequest, "invalid_request", "")
	w = tokentest.Serve(s.intro, http.MethodPost, "/introspect", "token=%zz", auth...)
	requireError(t, w, http.StatusBadRequest, "invalid_request", "")
	w = tokentest.Serve(s.intro, http.MethodPost, "/introspect", "token=%00", auth...)
	requireError(t, w, http.StatusBadRequest, "invalid_request", "")
	w = tokentest.Serve(s.intro, http.MethodPost, "/introspect", `{"token":"x"}`, append(auth, "Content-Type", "", "Content-Type", "application/json")...)
	requireError(t, w, http.StatusBadRequest, "invalid_request", "")
}

func TestNewHandlerChecksConfig(t *testing.T) {
	_, err := introspect.NewHandler(introspect.Config{Callers: &introspect.Callers{}})
	require.Error(t, err)
	_, err = introspect.NewHandler(introspect.Config{Verifier: &token.Opaque{}})
	require.Error(t, err)
	_, err = introspect.NewHandler(introspect.Config{Verifier: &token.Opaque{}, Callers: &introspect.Callers{}})
	require.Error(t, err)
}
