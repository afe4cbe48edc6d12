package introspect_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tokenkit/tokenkit/introspect"
	"github.com/tokenkit/tokenkit/token"
	"github.com/tokenkit/tokenkit/token/tokentest"
)

// LEG-01..LEG-04 through the token endpoint's own path: the token.Handler
// hands every GET to Legacy.
func TestLegacyWire(t *testing.T) {
	s := newServer(t)
	at, _ := s.redeem()
	rec, err := s.store.Get(context.Background(), token.HashToken(at))
	require.NoError(t, err)
	now := s.clock.Now().Unix()
	form := fmt.Sprintf("me=%s&client_id=%s&scope=create+update&exp=%d&iat=%d&sub=%s&aud=%s&iss=%s&jti=%s",
		url.QueryEscape(me), url.QueryEscape(c1), now+3600, now, url.QueryEscape(me), url.QueryEscape(rsAud), url.QueryEscape(iss), rec.Info.ID)
	jsonBody := fmt.Sprintf(`{"me":%q,"client_id":%q,"scope":"create update","exp":%d,"iat":%d,"sub":%q,"aud":%q,"iss":%q,"jti":%q}`,
		me, c1, now+3600, now, me, rsAud, iss, rec.Info.ID)
	const (
		bareChallenge = `Bearer realm="token"`
		invalid       = `Bearer realm="token", error="invalid_token", error_description="the access token is invalid"`
	)
	for _, tc := range []struct {
		name, accept string
		json         bool
	}{
		{"LEG-01 application/json", "application/json", true},
		{"LEG-04 no Accept", "", false},
		{"LEG-04 */*", "*/*", false},
		{"LEG-04 form", "application/x-www-form-urlencoded", false},
		{"LEG-04 q prefers form", "application/json;q=0.1, application/x-www-form-urlencoded;q=0.9", false},
		{"LEG-04 q prefers json", "application/x-www-form-urlencoded;q=0.5, application/json", true},
		{"LEG-04 json with */*", "application/json, text/plain, */*", true},
		{"LEG-04 json refused", "application/json;q=0, */*", false},
		{"LEG-04 application/*", "application/*;q=0.2, application/json;q=0.3", true},
		{"LEG-04 text/html", "text/html", false},
		{"LEG-04 case", "Application/JSON", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := tokentest.Serve(s.tokens, http.MethodGet, "/token", "", "Authorization", "Bearer "+at, "Accept", tc.accept)
			require.Equal(t, http.StatusOK, w.Code, w.Body.String())
			assert.Equal(t, "no-store", w.Header().Get("Cache-Control"))
			assert.Equal(t, "Accept", w.Header().Get("Vary"))
			if tc.json {
				assert.Equal(t, "application/json", w.Header().Get("Content-Type"))
				assert.JSONEq(t, jsonBody, w.Body.String())
				return
			}
			assert.Equal(t, "application/x-www-form-urlencoded", w.Header().Get("Content-Type"))
			assert.Equal(t, form, w.Body.String())
		})
	}
	t.Run("LEG-02 bogus token", func(t *testing.T) {
		w := tokentest.Serve(s.tokens, http.MethodGet, "/token", "", "Authorization", "Bearer bogus", "Accept", "application/json")
		requireError(t, w, http.StatusUnauthorized, "invalid_token", invalid)
	})
	t.Run("LEG-03 no credentials", func(t *testing.T) {
		w := tokentest.Serve(s.tokens, http.MethodGet, "/token", "")
		require.Equal(t, http.StatusUnauthorized, w.Code)
		assert.Equal(t, bareChallenge, w.Header().Get("WWW-Authenticate"))
		assert.Empty(t, w.Body.String())
	})
	t.Run("LEG-03 token in the query only", func(t *testing.T) {
		w := tokentest.Serve(s.tokens, http.MethodGet, "/token?access_token="+at, "")
		require.Equal(t, http.StatusUnauthorized, w.Code)
		assert.Equal(t, bareChallenge, w.Header().Get("WWW-Authenticate"))
		assert.Empty(t, w.Body.String())
	})
	t.Run("malformed credentials", func(t *testing.T) {
		w := tokentest.Serve(s.tokens, http.MethodGet, "/token", "", "Authorization", "Bearer a b")
		requireError(t, w, http.StatusBadRequest, "invalid_request",
			`Bearer realm="token", error="invalid_request", error_description="the Bearer credentials are malformed"`)
	})
	t.Run("store down", func(t *testing.T) {
		s.store.set(true)
		defer s.store.set(false)
		w := tokentest.Serve(s.tokens, http.MethodGet, "/token", "", "Authorization", "Bearer "+at)
		requireError(t, w, http.StatusServiceUnavailable, "temporarily_unavailable", "")
	})
	t.Run("expired", func(t *testing.T) {
		s.clock.Advance(2 * time.Hour)
		w := tokentest.Serve(s.tokens, http.MethodGet, "/token", "", "Authorization", "Bearer "+at)
		requireError(t, w, http.StatusUnauthorized, "invalid_token", invalid)
	})
	t.Run("the token endpoint advertises GET", func(t *testing.T) {
		w := tokentest.Serve(s.tokens, http.MethodPut, "/token", "")
		require.Equal(t, http.StatusMethodNotAllowed, w.Code)
		assert.Equal(t, "GET, POST", w.Header().Get("Allow"))
	})
}

// A client_credentials token has no me; the legacy answer says none, and
// PreferJSON changes the default.
func TestLegacyClientTokenPreferJSON(t *testing.T) {
	s := newServer(t)
	cc := s.clientToken("read")
	l, err := introspect.NewLegacy(introspect.LegacyConfig{Verifier: s.opaque, PreferJSON: true, Realm: "x"})
	require.NoError(t, err)
	w := tokentest.Serve(l, http.MethodGet, "/token", "", "Authorization", "Bearer "+cc)
	require.Equal(t, http.StatusOK, w.Code)
	m := tokentest.DecodeJSON(t, w)
	assert.Equal(t, "svc", m["client_id"])
	assert.NotContains(t, m, "me")
	w = tokentest.Serve(l, http.MethodPost, "/token", "", "Authorization", "Bearer "+cc)
	require.Equal(t, http.StatusMethodNotAllowed, w.Code)
	assert.Equal(t, "GET", w.Header().Get("Allow"))
	_, err = introspect.NewLegacy(introspect.LegacyConfig{})
	require.Error(t, err)
}
