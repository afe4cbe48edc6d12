package revoke_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tokenkit/tokenkit/revoke"
	"github.com/tokenkit/tokenkit/token"
	"github.com/tokenkit/tokenkit/token/tokentest"
)

const basicChallenge = `Basic realm="token"`

// REV-01, REV-03: a form POST revokes at once; nothing else is accepted.
func TestRevokeAccessToken(t *testing.T) {
	s := newServer(t)
	at, _ := s.redeem()
	for _, m := range []string{http.MethodGet, http.MethodHead, http.MethodPut} {
		w := tokentest.Serve(s.revoker, m, "/revoke?token="+at, "")
		require.Equal(t, http.StatusMethodNotAllowed, w.Code)
		assert.Equal(t, "POST", w.Header().Get("Allow"))
	}
	require.True(t, s.active(at), "GET revoked nothing")
	requireOK(t, s.post(s.revoker, url.Values{"token": {at}}))
	assert.False(t, s.active(at))
}

// REV-02, REV-05, REV-06: every answer is 200, hints never matter, and
// unsupported_token_type is never sent.
func TestRevokeAlways200(t *testing.T) {
	s := newServer(t)
	at, rt := s.redeem()
	requireOK(t, s.post(s.revoker, url.Values{"token": {"garbage"}}))
	requireOK(t, s.post(s.revoker, url.Values{"token": {"garbage"}, "token_type_hint": {"bogus"}}))
	requireOK(t, s.post(s.revoker, url.Values{"token": {"eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0."}, "token_type_hint": {"access_token"}}))
	requireOK(t, s.post(s.revoker, url.Values{"token": {rt}, "token_type_hint": {"access_token"}}))
	assert.Equal(t, http.StatusBadRequest, s.refresh(rt).Code, "RT revoked despite the wrong hint")
	assert.False(t, s.active(at))
	requireOK(t, s.post(s.revoker, url.Values{"token": {at}}))
	requireOK(t, s.post(s.revoker, url.Values{"token": {at}, "token_type_hint": {"refresh_token"}}))
	s.clock.Advance(2 * time.Hour)
	requireOK(t, s.post(s.revoker, url.Values{"token": {at}}))
}

// REV-04: revoking the refresh token kills its access tokens; revoking an
// access token takes its refresh token along.
func TestRevokeFamily(t *testing.T) {
	s := newServer(t)
	at, rt := s.redeem()
	requireOK(t, s.post(s.revoker, url.Values{"token": {rt}, "token_type_hint": {"refresh_token"}}))
	w := s.refresh(rt)
	require.Equal(t, http.StatusBadRequest, w.Code)
	assert.Equal(t, "invalid_grant", tokentest.DecodeJSON(t, w)["error"])
	assert.False(t, s.active(at))

	at, rt = s.redeem()
	w = s.refresh(rt)
	require.Equal(t, http.StatusOK, w.Code)
	at2, rt2 := tokentest.DecodeJSON(t, w)["access_token"].(string), tokentest.DecodeJSON(t, w)["refresh_token"].(string)
	requireOK(t, s.post(s.revoker, url.Values{"token": {at2}}))
	assert.False(t, s.active(at))
	assert.False(t, s.active(at2))
	assert.Equal(t, http.StatusBadRequest, s.refresh(rt2).Code)

	// A code is no token: presenting one neither revokes nor consumes it.
	code := s.mint()
	requireOK(t, s.post(s.revoker, url.Values{"token": {code}}))
	assert.Equal(t, http.StatusOK, s.post(s.tokens, redeemForm(code)).Code)
}

// REV-07: no token is invalid_request, after client authentication.
func TestRevokeMissingToken(t *testing.T) {
	s := newServer(t)
	requireError(t, s.post(s.revoker, url.Values{}, "Authorization", tokentest.Basic("svc", "s3cr3t")), 400, "invalid_request", "")
	requireError(t, s.post(s.revoker, url.Values{"token_type_hint": {"access_token"}}), 400, "invalid_request", "")
	requireError(t, s.post(s.revoker, url.Values{}, "Authorization", tokentest.Basic("svc", "wrong")), 401, "invalid_client", basicChallenge)
}

// REV-08, REV-09, EDGE-15: confidential clients authenticate first and
// revoke only their own tokens.
func TestRevokeClientAuthentication(t *testing.T) {
	s := newServer(t)
	svc := s.clientToken("svc", "s3cr3t")
	for _, tc := range []struct {
		name   string
		form   url.Values
		hdr    []string
		status int
		code   string
		chall  string
	}{
		{"REV-08 wrong secret", nil, []string{"Authorization", tokentest.Basic("svc", "wrong")}, 401, "invalid_client", basicChallenge},
		{"unknown client", nil, []string{"Authorization", tokentest.Basic("nobody", "x")}, 401, "invalid_client", basicChallenge},
		{"bad base64", nil, []string{"Authorization", "Basic !!!"}, 401, "invalid_client", basicChallenge},
		{"no colon", nil, []string{"Authorization", "Basic " + "c3Zj"}, 401, "invalid_client", basicChallenge},
		{"10 KB Basic", nil, []string{"Authorization", "Basic " + strings.Repeat("QUFB", 2600)}, 401, "invalid_client", basicChallenge},
		{"two methods", url.Values{"client_secret": {"s3cr3t"}}, []string{"Authorization", tokentest.Basic("svc", "s3cr3t")}, 400, "invalid_request", ""},
		{"two headers", nil, []string{"Authorization", tokentest.Basic("svc", "s3cr3t"), "Authorization", tokentest.Basic("svc", "s3cr3t")}, 400, "invalid_request", ""},
		{"confidential client without its secret", url.Values{"client_id": {"svc"}}, nil, 401, "invalid_client", basicChallenge},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := url.Values{"token": {svc}}
			for k, v := range tc.form {
				f[k] = v
			}
			requireError(t, s.post(s.revoker, f, tc.hdr...), tc.status, tc.code, tc.chall)
			require.True(t, s.active(svc))
		})
	}
	t.Run("REV-09 another client's token", func(t *testing.T) {
		requireOK(t, s.post(s.revoker, url.Values{"token": {svc}}, "Authorization", tokentest.Basic("svc2", "other")))
		assert.True(t, s.active(svc))
		assert.Contains(t, s.logs.String(), "token of another client left alone")
	})
	t.Run("REV-10 public request for a confidential client's token", func(t *testing.T) {
		requireOK(t, s.post(s.revoker, url.Values{"token": {svc}}))
		assert.True(t, s.active(svc))
	})
	t.Run("own token, client_secret_basic", func(t *testing.T) {
		requireOK(t, s.post(s.revoker, url.Values{"token": {svc}}, "Authorization", tokentest.Basic("svc", "s3cr3t")))
		assert.False(t, s.active(svc))
	})
	t.Run("own token, client_secret_post", func(t *testing.T) {
		tok := s.clientToken("svc", "s3cr3t")
		requireOK(t, s.post(s.revoker, url.Values{"token": {tok}, "client_id": {"svc"}, "client_secret": {"s3cr3t"}}))
		assert.False(t, s.active(tok))
	})
}

// REV-10: public revocation, as IndieAuth clients send it.
func TestRevokePublic(t *testing.T) {
	s := newServer(t)
	at, _ := s.redeem()
	requireOK(t, s.post(s.revoker, url.Values{"token": {at}, "client_id": {"https://other.test/"}}))
	assert.True(t, s.active(at), "another client_id revokes nothing")
	requireOK(t, s.post(s.revoker, url.Values{"token": {at}, "client_id": {c1}}))
	assert.False(t, s.active(at))
	at, _ = s.redeem()
	requireOK(t, s.post(s.revoker, url.Values{"token": {at}}))
	assert.False(t, s.active(at))
	assert.Equal(t, []string{"client_secret_basic", "client_secret_post", "none"}, s.revoker.AuthMethods())

	// Without AllowPublic every request must authenticate.
	s = newServer(t, func(_ *server, _ *token.Config, c *revoke.Config) { c.AllowPublic = false })
	at, _ = s.redeem()
	requireError(t, s.post(s.revoker, url.Values{"token": {at}}), 401, "invalid_client", basicChallenge)
	requireError(t, s.post(s.revoker, url.Values{"token": {at}, "client_id": {c1}}), 401, "invalid_client", basicChallenge)
	assert.True(t, s.active(at))
	assert.Equal(t, []string{"client_secret_basic", "client_secret_post"}, s.revoker.AuthMethods())
}

// REV-11: a store failure is never reported as success, and the token
// still works.
func TestRevokeStoreFailure(t *testing.T) {
	s := newServer(t)
	at, rt := s.redeem()
	s.store.set(func(s *store) { s.failRevoke = true })
	for _, tok := range []string{at, rt} {
		w := s.post(s.revoker, url.Values{"token": {tok}})
		requireError(t, w, http.StatusServiceUnavailable, "temporarily_unavailable", "")
		assert.Equal(t, "5", w.Header().Get("Retry-After"))
	}
	s.store.set(func(s *store) { s.failRevoke = false; s.failGet = true })
	requireError(t, s.post(s.revoker, url.Values{"token": {at}}), http.StatusServiceUnavailable, "temporarily_unavailable", "")
	s.store.set(func(s *store) { s.failGet = false })
	assert.True(t, s.active(at))
	assert.NotContains(t, s.logs.String(), at)
}

// EDGE-01, EDGE-02: bounded work on hostile input.
func TestRevokeBounds(t *testing.T) {
	s := newServer(t)
	w := tokentest.Serve(s.revoker, http.MethodPost, "/revoke", "token="+strings.Repeat("a", 10<<20))
	requireError(t, w, http.StatusRequestEntityTooLarge, "invalid_request", "")
	s.store.set(func(s *store) { s.gets = 0 })
	requireOK(t, tokentest.Serve(s.revoker, http.MethodPost, "/revoke", "token="+strings.Repeat("a", 60<<10)))
	s.store.set(func(s *store) { assert.Zero(t, s.gets, "no lookup on an oversized key") })
	requireError(t, tokentest.Serve(s.revoker, http.MethodPost, "/revoke", "token=a&token=b"), 400, "invalid_request", "")
	requireError(t, tokentest.Serve(s.revoker, http.MethodPost, "/revoke", "token=%00"), 400, "invalid_request", "")
}

// LEG-05, LEG-06, EDGE-20: action=revoke on the token endpoint.
func TestLegacyActionRevoke(t *testing.T) {
	s := newServer(t)
	at, rt := s.redeem()
	requireOK(t, s.post(s.tokens, url.Values{"action": {"revoke"}, "token": {at}}))
	assert.False(t, s.active(at))
	assert.Equal(t, http.StatusBadRequest, s.refresh(rt).Code)
	requireOK(t, s.post(s.tokens, url.Values{"action": {"revoke"}, "token": {"garbage"}}))
	requireOK(t, s.post(s.tokens, url.Values{"action": {"revoke"}, "token": {at}}))

	// EDGE-20: grant parameters alongside are never used.
	at, _ = s.redeem()
	code := s.mint()
	f := redeemForm(code)
	f.Set("action", "revoke")
	f.Set("token", at)
	w := s.post(s.tokens, f)
	requireOK(t, w)
	assert.NotContains(t, w.Body.String(), "access_token")
	assert.False(t, s.active(at))
	w = s.post(s.tokens, redeemForm(code))
	require.Equal(t, http.StatusOK, w.Code, "the code is still redeemable: %s", w.Body.String())

	requireError(t, s.post(s.tokens, url.Values{"action": {"foo"}, "token": {at}}), 400, "invalid_request", "")
	requireError(t, s.post(s.tokens, url.Values{"action": {"revoke"}}), 400, "invalid_request", "")
}

// Self-encoded tokens: the record the token endpoint keeps is revoked
// (SEC-12); a JWT without a record gets a tombstone until its exp.
func TestRevokeJWT(t *testing.T) {
	key, err := token.GenerateEd25519Key("k1", nil)
	require.NoError(t, err)
	keys, err := token.NewKeySet(key)
	require.NoError(t, err)
	var jwt *token.JWT
	s := newServer(t, func(s *server, tc *token.Config, rc *revoke.Config) {
		jwt = &token.JWT{Keys: keys, Issuer: iss, Store: s.store, Now: s.clock.Now}
		tc.Tokens = jwt
		rc.Verifier = jwt
	})
	ctx := context.Background()
	at, _ := s.redeem()
	_, err = jwt.Verify(ctx, at)
	require.NoError(t, err)
	requireOK(t, s.post(s.revoker, url.Values{"token": {at}}))
	_, err = jwt.Verify(ctx, at)
	assert.ErrorIs(t, err, token.ErrRevoked)

	exp := s.clock.Now().Add(time.Hour)
	bare, err := jwt.Issue(ctx, &token.Info{Me: me, Subject: me, ClientID: c1, Audience: []string{iss}, ExpiresAt: exp, IssuedAt: s.clock.Now()})
	require.NoError(t, err)
	_, err = jwt.Verify(ctx, bare)
	require.NoError(t, err)
	requireOK(t, s.post(s.revoker, url.Values{"token": {bare}, "client_id": {"https://other.test/"}}))
	_, err = jwt.Verify(ctx, bare)
	require.NoError(t, err, "another client's token is left alone")
	requireOK(t, s.post(s.revoker, url.Values{"token": {bare}, "client_id": {c1}}))
	_, err = jwt.Verify(ctx, bare)
	assert.ErrorIs(t, err, token.ErrRevoked)
	rec, err := s.store.Get(ctx, token.HashToken(bare))
	require.NoError(t, err)
	assert.True(t, rec.Revoked())
	assert.True(t, rec.Info.ExpiresAt.Equal(exp), "the tombstone lives as long as the token")
	n, err := s.store.Purge(ctx, exp.Add(time.Second))
	require.NoError(t, err)
	assert.Positive(t, n)
	_, err = s.store.Get(ctx, token.HashToken(bare))
	assert.ErrorIs(t, err, token.ErrNotFound, "and is purged with it")
}

func TestNewHandlerChecksConfig(t *testing.T) {
	_, err := revoke.NewHandler(revoke.Config{})
	require.Error(t, err)
	h, err := revoke.NewHandler(revoke.Config{Store: token.NewMemoryStore()})
	require.NoError(t, err)
	requireError(t, tokentest.Serve(h, http.MethodPost, "/revoke", "token=x"), 401, "invalid_client", basicChallenge)
}
