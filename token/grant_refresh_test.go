package token_test

import (
	"context"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tokenkit/tokenkit/token"
	"github.com/tokenkit/tokenkit/token/tokentest"
)

func refreshForm(rt string, kv ...string) url.Values {
	v := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt}, "client_id": {c1}}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return v
}

// REF-01, REF-05, REF-09: a refresh returns a full response with a new,
// rotated refresh token and the original scope.
func TestRefresh(t *testing.T) {
	f := newFixture(t)
	first := f.redeem()
	f.clock.Advance(time.Minute)
	w := f.post(refreshForm(first["refresh_token"].(string)))
	require.Equal(t, 200, w.Code, w.Body.String())
	assert.Equal(t, "no-store", w.Header().Get("Cache-Control"))
	m := tokentest.DecodeJSON(t, w)
	assert.Equal(t, "Bearer", m["token_type"])
	assert.Equal(t, me, m["me"])
	assert.Equal(t, "create update", m["scope"])
	assert.NotEqual(t, first["refresh_token"], m["refresh_token"])
	assert.NotEqual(t, first["access_token"], m["access_token"])
	info, err := f.verify(m["access_token"].(string))
	require.NoError(t, err)
	assert.Equal(t, token.Scope{"create", "update"}, info.Scope)
	assert.Contains(t, f.logs.String(), `"msg":"token: refreshed"`)
}

// REF-06, REF-07, REF-08: narrower scope allowed, broader refused, and the
// successor keeps the whole original scope.
func TestRefreshScope(t *testing.T) {
	f := newFixture(t)
	rt := f.redeem()["refresh_token"].(string)
	tokentest.RequireError(t, f.post(refreshForm(rt, "scope", "create delete")), 400, "invalid_scope")
	tokentest.RequireError(t, f.post(refreshForm(rt, "scope", "create  update")), 400, "invalid_scope")
	w := f.post(refreshForm(rt, "scope", "create"))
	require.Equal(t, 200, w.Code, w.Body.String())
	m := tokentest.DecodeJSON(t, w)
	assert.Equal(t, "create", m["scope"])
	info, err := f.verify(m["access_token"].(string))
	require.NoError(t, err)
	assert.Equal(t, token.Scope{"create"}, info.Scope)

	w = f.post(refreshForm(m["refresh_token"].(string)))
	require.Equal(t, 200, w.Code, w.Body.String())
	assert.Equal(t, "create update", tokentest.DecodeJSON(t, w)["scope"])
}

// REF-02, REF-03, REF-04, REF-12.
func TestRefreshErrors(t *testing.T) {
	f := newFixture(t)
	first := f.redeem()
	rt, at := first["refresh_token"].(string), first["access_token"].(string)
	tokentest.RequireError(t, f.post(url.Values{"grant_type": {"refresh_token"}, "client_id": {c1}}), 400, "invalid_request")
	tokentest.RequireError(t, f.post(refreshForm(strings.Repeat("x", 43))), 400, "invalid_grant")
	tokentest.RequireError(t, f.post(refreshForm(strings.Repeat("x", 2000))), 400, "invalid_grant")
	tokentest.RequireError(t, f.post(refreshForm(rt, "client_id", "https://evil.test/")), 400, "invalid_grant")
	tokentest.RequireError(t, f.post(refreshForm(at)), 400, "invalid_grant") // REF-12
	v := refreshForm(rt)
	v.Del("client_id")
	tokentest.RequireError(t, f.post(v), 400, "invalid_request")

	// REF-04: a confidential client's refresh token needs its secret.
	code := f.mint(func(p *token.CodeParams) { p.ClientID = "svc" })
	cv := redeemForm(code)
	cv.Del("client_id")
	w := f.post(cv, "Authorization", tokentest.Basic("svc", "s3cr3t"))
	require.Equal(t, 200, w.Code, w.Body.String())
	svcRT := tokentest.DecodeJSON(t, w)["refresh_token"].(string)
	tokentest.RequireError(t, f.post(url.Values{"grant_type": {"refresh_token"}, "refresh_token": {svcRT}}), 401, "invalid_client")
	tokentest.RequireError(t, f.post(url.Values{"grant_type": {"refresh_token"}, "refresh_token": {svcRT}, "client_id": {"svc"}}), 401, "invalid_client")
	tokentest.RequireError(t, f.post(url.Values{"grant_type": {"refresh_token"}, "refresh_token": {svcRT}}, "Authorization", tokentest.Basic("svc2", "other")), 400, "invalid_grant")
	require.Equal(t, 200, f.post(url.Values{"grant_type": {"refresh_token"}, "refresh_token": {svcRT}}, "Authorization", tokentest.Basic("svc", "s3cr3t")).Code)
}

// REF-10: reusing a rotated-out token revokes the whole family.
func TestRefreshReuseRevokesFamily(t *testing.T) {
	f := newFixture(t)
	rt1 := f.redeem()["refresh_token"].(string)
	w := f.post(refreshForm(rt1))
	require.Equal(t, 200, w.Code)
	second := tokentest.DecodeJSON(t, w)
	tokentest.RequireError(t, f.post(refreshForm(rt1)), 400, "invalid_grant")
	tokentest.RequireError(t, f.post(refreshForm(second["refresh_token"].(string))), 400, "invalid_grant")
	_, err := f.verify(second["access_token"].(string))
	require.ErrorIs(t, err, token.ErrRevoked)
}

// REF-11: a refresh token expires after RefreshTTL of disuse.
func TestRefreshIdleExpiry(t *testing.T) {
	f := newFixture(t, func(c *token.Config, _ *token.LocalCodes) { c.RefreshTTL = 24 * time.Hour })
	rt := f.redeem()["refresh_token"].(string)
	f.clock.Advance(23 * time.Hour)
	w := f.post(refreshForm(rt))
	require.Equal(t, 200, w.Code)
	f.clock.Advance(24*time.Hour + time.Second)
	tokentest.RequireError(t, f.post(refreshForm(tokentest.DecodeJSON(t, w)["refresh_token"].(string))), 400, "invalid_grant")
}

// The grace window hands a racing duplicate the same successor, and only
// while that successor is unused.
func TestRefreshGraceWindow(t *testing.T) {
	key := []byte(strings.Repeat("k", 32))
	f := newFixture(t, func(c *token.Config, lc *token.LocalCodes) {
		c.Grants = []token.Grant{&token.AuthorizationCode{Codes: lc}, &token.RefreshToken{GraceWindow: 10 * time.Second, GraceKey: key}}
	})
	rt1 := f.redeem()["refresh_token"].(string)
	w := f.post(refreshForm(rt1))
	require.Equal(t, 200, w.Code)
	rt2 := tokentest.DecodeJSON(t, w)["refresh_token"].(string)

	f.clock.Advance(5 * time.Second)
	w = f.post(refreshForm(rt1))
	require.Equal(t, 200, w.Code, w.Body.String())
	again := tokentest.DecodeJSON(t, w)
	assert.Equal(t, rt2, again["refresh_token"])
	_, err := f.verify(again["access_token"].(string))
	require.NoError(t, err)

	// Once rt2 is used, rt1 is a replay even inside the window.
	w = f.post(refreshForm(rt2))
	require.Equal(t, 200, w.Code)
	rt3 := tokentest.DecodeJSON(t, w)["refresh_token"].(string)
	tokentest.RequireError(t, f.post(refreshForm(rt1)), 400, "invalid_grant")
	tokentest.RequireError(t, f.post(refreshForm(rt3)), 400, "invalid_grant")
}

func TestRefreshGraceWindowExpires(t *testing.T) {
	key := []byte(strings.Repeat("k", 32))
	f := newFixture(t, func(c *token.Config, lc *token.LocalCodes) {
		c.Grants = []token.Grant{&token.AuthorizationCode{Codes: lc}, &token.RefreshToken{GraceWindow: 10 * time.Second, GraceKey: key}}
	})
	rt1 := f.redeem()["refresh_token"].(string)
	require.Equal(t, 200, f.post(refreshForm(rt1)).Code)
	f.clock.Advance(11 * time.Second)
	tokentest.RequireError(t, f.post(refreshForm(rt1)), 400, "invalid_grant")
}

// A refresh continues the grant as it was: an exchanged token's act and
// may_act survive rotation, so a delegated token never turns into one
// that looks like the user's own.
func TestRefreshKeepsActor(t *testing.T) {
	f := newFixture(t)
	act := &token.Actor{Subject: "https://api1.test/", ClientID: "api1"}
	rt := strings.Repeat("r", 43)
	require.NoError(t, f.store.Put(t.Context(), &token.Record{Key: token.HashToken(rt), Kind: token.KindRefresh, Family: "fam",
		Info: token.Info{Me: me, ClientID: c1, Subject: me, Scope: token.Scope{"create"}, Actor: act, MayAct: act,
			IssuedAt: f.clock.Now(), ExpiresAt: f.clock.Now().Add(time.Hour)}}))
	w := f.post(refreshForm(rt))
	require.Equal(t, 200, w.Code, w.Body.String())
	info, err := f.verify(tokentest.DecodeJSON(t, w)["access_token"].(string))
	require.NoError(t, err)
	assert.Equal(t, act, info.Actor)
	assert.Equal(t, act, info.MayAct)
}

// The "two tabs" race itself: with the grace window on, concurrent
// refreshes never revoke the family, whichever way the race runs; every
// success hands out the one successor, and it works.
func TestRefreshGraceWindowRace(t *testing.T) {
	key := []byte(strings.Repeat("k", 32))
	f := newFixture(t, func(c *token.Config, lc *token.LocalCodes) {
		c.Store = slowPut{c.Store.(*token.MemoryStore)}
		lc.Store = c.Store
		c.Grants = []token.Grant{&token.AuthorizationCode{Codes: lc}, &token.RefreshToken{GraceWindow: 10 * time.Second, GraceKey: key}}
	})
	rt := f.redeem()["refresh_token"].(string)
	var wg sync.WaitGroup
	results := make([]*httptest.ResponseRecorder, 2)
	for i := range results {
		wg.Add(1)
		go func() { defer wg.Done(); results[i] = f.post(refreshForm(rt)) }()
	}
	wg.Wait()
	var successor string
	for _, w := range results {
		if w.Code == 200 {
			successor = tokentest.DecodeJSON(t, w)["refresh_token"].(string)
		} else {
			tokentest.RequireError(t, w, 400, "invalid_grant")
		}
	}
	require.NotEmpty(t, successor)
	require.Equal(t, 200, f.post(refreshForm(successor)).Code, "the family survived the race")
}

func TestRefreshGraceKeyRequired(t *testing.T) {
	_, err := token.NewHandler(token.Config{Issuer: iss, Store: token.NewMemoryStore(),
		Grants: []token.Grant{&token.RefreshToken{GraceWindow: time.Second}}})
	require.ErrorContains(t, err, "GraceKey")
}

// slowPut widens the window between a winner's Take and its Put.
type slowPut struct{ *token.MemoryStore }

func (s slowPut) Put(ctx context.Context, r *token.Record) error {
	time.Sleep(5 * time.Millisecond)
	return s.MemoryStore.Put(ctx, r)
}
