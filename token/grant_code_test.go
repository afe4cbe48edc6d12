package token_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tokenkit/tokenkit/token"
	"github.com/tokenkit/tokenkit/token/tokentest"
)

// TOK-03, TOK-04, TOK-05, TOK-06, TOK-07, REF-09.
func TestCodeRedemptionHappyPath(t *testing.T) {
	f := newFixture(t)
	w := f.post(redeemForm(f.mint()))
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	assert.Equal(t, "application/json", w.Header().Get("Content-Type"))
	assert.Equal(t, "no-store", w.Header().Get("Cache-Control"))
	assert.Equal(t, "no-cache", w.Header().Get("Pragma"))
	m := tokentest.DecodeJSON(t, w)
	assert.Len(t, m["access_token"], 43)
	assert.Equal(t, "Bearer", m["token_type"])
	assert.Equal(t, me, m["me"])
	assert.Equal(t, float64(3600), m["expires_in"])
	assert.Equal(t, "create update", m["scope"])
	assert.Len(t, m["refresh_token"], 43)
	assert.NotEqual(t, m["access_token"], m["refresh_token"])
	assert.NotContains(t, m, "profile")
	assert.Len(t, m, 6)

	info, err := f.verify(m["access_token"].(string))
	require.NoError(t, err)
	assert.Equal(t, me, info.Me)
	assert.Equal(t, c1, info.ClientID)
	assert.Equal(t, me, info.Subject)
	assert.Equal(t, []string{iss}, info.Audience)
	assert.Equal(t, iss, info.Issuer)
	assert.Equal(t, token.Scope{"create", "update"}, info.Scope)
	assert.Equal(t, f.clock.Now().Add(time.Hour), info.ExpiresAt)
	assert.NotEmpty(t, info.ID)
}

// TOK-08: a code issued with no scope yields no access token.
func TestCodeWithoutScope(t *testing.T) {
	f := newFixture(t)
	code := f.mint(func(p *token.CodeParams) { p.Scope = nil })
	tokentest.RequireError(t, f.post(redeemForm(code)), 400, "invalid_grant")
}

// TOK-09: profile only with the profile scope, email only with email.
func TestCodeProfile(t *testing.T) {
	for _, tc := range []struct {
		scope   token.Scope
		profile map[string]any
	}{
		{token.Scope{"create"}, nil},
		{token.Scope{"profile", "create"}, map[string]any{"name": "User", "url": me, "photo": me + "photo.jpg"}},
		{token.Scope{"profile", "email"}, map[string]any{"name": "User", "url": me, "photo": me + "photo.jpg", "email": "user@user.test"}},
		{token.Scope{"profile"}, map[string]any{"name": "User", "url": me, "photo": me + "photo.jpg"}}, // a profile-only code still gets a token
	} {
		t.Run(tc.scope.String(), func(t *testing.T) {
			f := newFixture(t)
			w := f.post(redeemForm(f.mint(func(p *token.CodeParams) { p.Scope = tc.scope })))
			require.Equal(t, 200, w.Code, w.Body.String())
			m := tokentest.DecodeJSON(t, w)
			assert.NotEmpty(t, m["access_token"])
			if tc.profile == nil {
				assert.NotContains(t, m, "profile")
			} else {
				assert.Equal(t, tc.profile, m["profile"])
			}
		})
	}
}

// TOK-10, TOK-11, TOK-12, TOK-16, TOK-17, TOK-20, TOK-21, TOK-22, TOK-23.
func TestCodeRequestErrors(t *testing.T) {
	for _, tc := range []struct {
		name   string
		edit   func(url.Values)
		status int
		code   string
	}{
		{"TOK-10 no client_id", func(v url.Values) { v.Del("client_id") }, 400, "invalid_request"},
		{"TOK-10 empty client_id", func(v url.Values) { v.Set("client_id", "") }, 400, "invalid_request"},
		{"TOK-10 foreign client_id", func(v url.Values) { v.Set("client_id", "https://evil.test/") }, 400, "invalid_grant"},
		{"TOK-10 canonical client_id", func(v url.Values) { v.Set("client_id", "https://APP.test") }, 200, ""},
		{"TOK-11 missing redirect_uri", func(v url.Values) { v.Del("redirect_uri") }, 400, "invalid_request"},
		{"TOK-11 trailing slash", func(v url.Values) { v.Set("redirect_uri", cb+"/") }, 400, "invalid_grant"},
		{"TOK-11 extra query", func(v url.Values) { v.Set("redirect_uri", cb+"?x=1") }, 400, "invalid_grant"},
		{"TOK-11 case", func(v url.Values) { v.Set("redirect_uri", "https://app.test/CB") }, 400, "invalid_grant"},
		{"TOK-11 explicit port", func(v url.Values) { v.Set("redirect_uri", "https://app.test:443/cb") }, 400, "invalid_grant"},
		{"EDGE-12 uppercase host", func(v url.Values) { v.Set("redirect_uri", "https://APP.test/cb") }, 400, "invalid_grant"},
		{"EDGE-12 fragment", func(v url.Values) { v.Set("redirect_uri", cb+"#f") }, 400, "invalid_grant"},
		{"EDGE-12 dot segment", func(v url.Values) { v.Set("redirect_uri", "https://app.test/cb/../cb") }, 400, "invalid_grant"},
		{"EDGE-12 encoded path", func(v url.Values) { v.Set("redirect_uri", "https://app.test/c%62") }, 400, "invalid_grant"},
		{"TOK-12 unknown code", func(v url.Values) { v.Set("code", strings.Repeat("A", 43)) }, 400, "invalid_grant"},
		{"missing code", func(v url.Values) { v.Del("code") }, 400, "invalid_request"},
		{"TOK-16 wrong verifier", func(v url.Values) { v.Set("code_verifier", verifierV[:42]+"j") }, 400, "invalid_grant"},
		{"TOK-17 no verifier", func(v url.Values) { v.Del("code_verifier") }, 400, "invalid_request"},
		{"TOK-17 empty verifier", func(v url.Values) { v.Set("code_verifier", "") }, 400, "invalid_request"},
		{"TOK-20 short verifier", func(v url.Values) { v.Set("code_verifier", strings.Repeat("a", 42)) }, 400, "invalid_grant"},
		{"TOK-20 long verifier", func(v url.Values) { v.Set("code_verifier", strings.Repeat("a", 129)) }, 400, "invalid_grant"},
		{"TOK-20 verifier charset", func(v url.Values) { v.Set("code_verifier", verifierV[:42]+"+") }, 400, "invalid_grant"},
		{"TOK-21 ignored extras", func(v url.Values) {
			v.Set("foo", "bar")
			v.Set("me", "https://attacker.test/")
			v.Set("scope", "admin")
		}, 200, ""},
		{"TOK-22 code twice", func(v url.Values) { v.Add("code", v.Get("code")) }, 400, "invalid_request"},
		{"TOK-22 grant_type twice", func(v url.Values) { v.Add("grant_type", "authorization_code") }, 400, "invalid_request"},
		{"TOK-23 no grant_type", func(v url.Values) { v.Del("grant_type") }, 400, "invalid_request"},
		{"TOK-23 unknown grant", func(v url.Values) { v.Set("grant_type", "foo") }, 400, "unsupported_grant_type"},
		{"TOK-23 password grant", func(v url.Values) {
			v.Set("grant_type", "password")
			v.Set("username", "u")
			v.Set("password", "p")
		}, 400, "unsupported_grant_type"},
		{"EDGE-13 client_id fragment", func(v url.Values) { v.Set("client_id", "https://app.test/#x") }, 400, "invalid_request"},
		{"EDGE-13 client_id userinfo", func(v url.Values) { v.Set("client_id", "https://u@app.test/") }, 400, "invalid_request"},
		{"EDGE-13 client_id IP", func(v url.Values) { v.Set("client_id", "https://10.0.0.1/") }, 400, "invalid_request"},
		{"EDGE-13 client_id dots", func(v url.Values) { v.Set("client_id", "https://app.test/a/../") }, 400, "invalid_request"},
		{"EDGE-13 client_id javascript", func(v url.Values) { v.Set("client_id", "javascript:alert(1)") }, 401, "invalid_client"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			v := redeemForm(f.mint())
			tc.edit(v)
			w := f.post(v)
			if tc.status == 200 {
				require.Equal(t, 200, w.Code, w.Body.String())
				m := tokentest.DecodeJSON(t, w)
				assert.Equal(t, me, m["me"])
				assert.Equal(t, "create update", m["scope"])
				return
			}
			tokentest.RequireError(t, w, tc.status, tc.code)
		})
	}
}

// TOK-12, SEC-02: an expired code is invalid_grant, the default lifetime
// being under ten minutes.
func TestCodeExpiry(t *testing.T) {
	f := newFixture(t)
	code := f.mint()
	f.clock.Advance(601 * time.Second)
	tokentest.RequireError(t, f.post(redeemForm(code)), 400, "invalid_grant")
}

// TOK-13, TOK-14: a valid replay fails and revokes what the code issued.
func TestCodeReplayRevokesFamily(t *testing.T) {
	f := newFixture(t)
	form := redeemForm(f.mint())
	w := f.post(form)
	require.Equal(t, 200, w.Code)
	first := tokentest.DecodeJSON(t, w)
	tokentest.RequireError(t, f.post(form), 400, "invalid_grant")

	_, err := f.verify(first["access_token"].(string))
	require.ErrorIs(t, err, token.ErrRevoked)
	tokentest.RequireError(t, f.post(url.Values{"grant_type": {"refresh_token"}, "refresh_token": {first["refresh_token"].(string)}, "client_id": {c1}}), 400, "invalid_grant")
	assert.Contains(t, f.logs.String(), `"msg":"token: replay detected"`)
	assert.Contains(t, f.logs.String(), `"msg":"token: family revoked"`)
}

// TOK-15: a replay with invalid parameters revokes nothing.
func TestCodeInvalidReplayKeepsTokens(t *testing.T) {
	f := newFixture(t)
	form := redeemForm(f.mint())
	w := f.post(form)
	require.Equal(t, 200, w.Code)
	first := tokentest.DecodeJSON(t, w)
	form.Set("code_verifier", verifierV[:42]+"x")
	tokentest.RequireError(t, f.post(form), 400, "invalid_grant")
	_, err := f.verify(first["access_token"].(string))
	require.NoError(t, err)
}

// A failed redemption (wrong verifier) does not burn the code.
func TestCodeWrongVerifierKeepsCode(t *testing.T) {
	f := newFixture(t)
	form := redeemForm(f.mint())
	good := form.Get("code_verifier")
	form.Set("code_verifier", verifierV[:42]+"x")
	tokentest.RequireError(t, f.post(form), 400, "invalid_grant")
	form.Set("code_verifier", good)
	require.Equal(t, 200, f.post(form).Code)
}

// TOK-18, TOK-19: PKCE downgrade and codes without PKCE.
func TestCodeWithoutPKCE(t *testing.T) {
	f := newFixture(t)
	legacy := &token.LocalCodes{Store: f.store, Now: f.clock.Now, InsecureAllowNoPKCE: true}
	mint := func() string {
		code, err := legacy.Mint(context.Background(), token.CodeParams{Me: me, ClientID: c1, RedirectURI: cb, Scope: token.Scope{"create"}})
		require.NoError(t, err)
		return code
	}
	// The default LocalCodes refuses to mint without a challenge...
	_, err := f.codes.Mint(context.Background(), token.CodeParams{Me: me, ClientID: c1, RedirectURI: cb, Scope: token.Scope{"create"}})
	require.Error(t, err)
	// ...and to redeem such a code (TOK-19).
	v := redeemForm(mint())
	v.Del("code_verifier")
	tokentest.RequireError(t, f.post(v), 400, "invalid_grant")
	// A verifier for a code without challenge is a downgrade (TOK-18).
	lf := newFixture(t, func(c *token.Config, lc *token.LocalCodes) { lc.InsecureAllowNoPKCE = true })
	legacy.Store = lf.store
	tokentest.RequireError(t, lf.post(redeemForm(mint())), 400, "invalid_grant")
	// With the legacy option, no verifier and no challenge works.
	v = redeemForm(mint())
	v.Del("code_verifier")
	require.Equal(t, 200, lf.post(v).Code)
}

// TOK-20: plain PKCE only when enabled.
func TestCodePlainPKCE(t *testing.T) {
	plainVerifier := strings.Repeat("p", 43)
	f := newFixture(t)
	plain := &token.LocalCodes{Store: f.store, Now: f.clock.Now, InsecureAllowPlainPKCE: true}
	_, err := f.codes.Mint(context.Background(), token.CodeParams{Me: me, ClientID: c1, RedirectURI: cb, Scope: token.Scope{"create"}, Challenge: plainVerifier, ChallengeMethod: "plain"})
	require.Error(t, err)
	code, err := plain.Mint(context.Background(), token.CodeParams{Me: me, ClientID: c1, RedirectURI: cb, Scope: token.Scope{"create"}, Challenge: plainVerifier, ChallengeMethod: "plain"})
	require.NoError(t, err)
	v := redeemForm(code)
	v.Set("code_verifier", plainVerifier)
	tokentest.RequireError(t, f.post(v), 400, "invalid_grant")

	pf := newFixture(t, func(c *token.Config, lc *token.LocalCodes) { lc.InsecureAllowPlainPKCE = true })
	plain.Store = pf.store
	code, err = plain.Mint(context.Background(), token.CodeParams{Me: me, ClientID: c1, RedirectURI: cb, Scope: token.Scope{"create"}, Challenge: plainVerifier, ChallengeMethod: "plain"})
	require.NoError(t, err)
	v = redeemForm(code)
	v.Set("code_verifier", plainVerifier)
	require.Equal(t, 200, pf.post(v).Code)
}

// TOK-24: a confidential client's code needs its authentication, and no
// other client can redeem it.
func TestCodeConfidentialClient(t *testing.T) {
	f := newFixture(t)
	code := f.mint(func(p *token.CodeParams) { p.ClientID = "svc" })
	v := redeemForm(code)
	v.Set("client_id", "svc")
	w := f.post(v)
	tokentest.RequireError(t, w, 401, "invalid_client")
	assert.Equal(t, `Basic realm="token"`, w.Header().Get("WWW-Authenticate"))

	v.Del("client_id")
	tokentest.RequireError(t, f.post(v, "Authorization", tokentest.Basic("svc2", "other")), 400, "invalid_grant")
	w = f.post(v, "Authorization", tokentest.Basic("svc", "s3cr3t"))
	require.Equal(t, 200, w.Code, w.Body.String())
	assert.Equal(t, me, tokentest.DecodeJSON(t, w)["me"])
}

// ERR-08: unknown, expired, used and foreign codes look alike.
func TestCodeNoOracle(t *testing.T) {
	f := newFixture(t)
	bodies := map[string]string{}
	// unknown
	bodies["unknown"] = f.post(redeemForm(strings.Repeat("B", 43))).Body.String()
	// used
	used := redeemForm(f.mint())
	require.Equal(t, 200, f.post(used).Code)
	bodies["used"] = f.post(used).Body.String()
	// foreign
	foreign := redeemForm(f.mint())
	foreign.Set("client_id", "https://evil.test/")
	bodies["foreign"] = f.post(foreign).Body.String()
	// expired
	expired := redeemForm(f.mint())
	f.clock.Advance(time.Hour)
	bodies["expired"] = f.post(expired).Body.String()
	for k, b := range bodies {
		assert.Equal(t, bodies["unknown"], b, k)
	}
	assert.JSONEq(t, `{"error":"invalid_grant","error_description":"invalid authorization code"}`, bodies["unknown"])
}

// TOK-25: profile-only redemption at the authorization endpoint shares the
// single use with the token endpoint.
func TestRedeemProfile(t *testing.T) {
	f := newFixture(t)
	code := f.mint(func(p *token.CodeParams) { p.Scope = nil })
	req := &token.CodeRequest{Code: code, ClientID: c1, RedirectURI: cb, CodeVerifier: verifierV, Now: f.clock.Now()}
	red, err := f.codes.RedeemProfile(context.Background(), req)
	require.NoError(t, err)
	assert.Equal(t, me, red.Me)
	_, err = f.codes.RedeemProfile(context.Background(), req)
	require.ErrorIs(t, err, &token.Error{Code: "invalid_grant"})
	tokentest.RequireError(t, f.post(redeemForm(code)), 400, "invalid_grant")

	// A wrong verifier is refused there too.
	code = f.mint()
	req = &token.CodeRequest{Code: code, ClientID: c1, RedirectURI: cb, CodeVerifier: verifierV[:42] + "x", Now: f.clock.Now()}
	_, err = f.codes.RedeemProfile(context.Background(), req)
	require.Error(t, err)
}
