package main

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"
)

func authQuery(base string) url.Values {
	return url.Values{
		"response_type": {"code"}, "client_id": {"http://127.0.0.1:9/"}, "redirect_uri": {"http://127.0.0.1:9/cb"},
		"state": {"st"}, "code_challenge": {oauth2.S256ChallengeFromVerifier(strings.Repeat("v", 43))},
		"code_challenge_method": {"S256"}, "scope": {"create"}, "me": {base + "/"},
	}
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// The consent page: sign in with the owner's password, CSRF-protected,
// approve or deny; nothing is issued without both.
func TestConsentPage(t *testing.T) {
	base, _ := startServer(t, "-db", filepath.Join(t.TempDir(), "c.db"), "-password", "hunter22")
	jar, _ := cookiejar.New(nil)
	browser := &http.Client{Jar: jar, CheckRedirect: noRedirects.CheckRedirect}

	page := func() string {
		resp, err := browser.Get(base + "/auth?" + authQuery(base).Encode())
		require.NoError(t, err)
		defer resp.Body.Close()
		require.Equal(t, 200, resp.StatusCode)
		assert.Equal(t, "DENY", resp.Header.Get("X-Frame-Options"))
		b, _ := io.ReadAll(resp.Body)
		require.Contains(t, string(b), "http://127.0.0.1:9/")
		m := csrfField.FindStringSubmatch(string(b))
		require.Len(t, m, 2)
		return m[1]
	}
	submit := func(client *http.Client, csrf, password, decision string) *http.Response {
		v := authQuery(base)
		v.Set("csrf", csrf)
		v.Set("password", password)
		v.Set("decision", decision)
		resp, err := client.PostForm(base+"/auth", v)
		require.NoError(t, err)
		resp.Body.Close()
		return resp
	}

	csrf := page()
	assert.Equal(t, http.StatusUnauthorized, submit(browser, csrf, "wrong", "approve").StatusCode)
	// A forged post without the cookie, or with a made-up token, is refused.
	assert.Equal(t, http.StatusForbidden, submit(noRedirects, csrf, "hunter22", "approve").StatusCode)
	assert.Equal(t, http.StatusForbidden, submit(browser, "forged", "hunter22", "approve").StatusCode)

	resp := submit(browser, page(), "", "deny")
	require.Equal(t, http.StatusSeeOther, resp.StatusCode)
	loc, _ := url.Parse(resp.Header.Get("Location"))
	assert.Equal(t, "access_denied", loc.Query().Get("error"))
	assert.Equal(t, "st", loc.Query().Get("state"))
	assert.Equal(t, base+"/", loc.Query().Get("iss"))

	resp = submit(browser, page(), "hunter22", "approve")
	require.Equal(t, http.StatusSeeOther, resp.StatusCode)
	loc, _ = url.Parse(resp.Header.Get("Location"))
	assert.Len(t, loc.Query().Get("code"), 43)
	assert.Equal(t, "st", loc.Query().Get("state"))
	assert.Equal(t, base+"/", loc.Query().Get("iss"))

	// Guessing is throttled: after five wrong passwords even the right
	// one waits.
	for range 5 {
		assert.Equal(t, http.StatusUnauthorized, submit(browser, page(), "guess", "approve").StatusCode)
	}
	assert.Equal(t, http.StatusTooManyRequests, submit(browser, page(), "hunter22", "approve").StatusCode)
}

// Bad authorization requests are answered on the page, never by
// redirecting to the unverified client (RFC 9700 §4.11.2).
func TestAuthorizationRequestErrors(t *testing.T) {
	base, _ := startServer(t, "-db", filepath.Join(t.TempDir(), "e.db"), "-auto-approve")
	for _, tc := range []struct {
		name string
		edit func(url.Values)
		err  string
	}{
		{"foreign redirect", func(v url.Values) { v.Set("redirect_uri", "https://evil.test/cb") }, "invalid client_id or redirect_uri"},
		{"bad client_id", func(v url.Values) { v.Set("client_id", "https://u@app.test/") }, "invalid client_id or redirect_uri"},
		{"no PKCE", func(v url.Values) { v.Del("code_challenge") }, "invalid_request"},
		{"malformed challenge", func(v url.Values) { v.Set("code_challenge", "short") }, "invalid_request"},
		{"plain PKCE", func(v url.Values) { v.Set("code_challenge_method", "plain") }, "invalid_request"},
		{"no state", func(v url.Values) { v.Del("state") }, "invalid_request"},
		{"token response type", func(v url.Values) { v.Set("response_type", "token") }, "unsupported_response_type"},
		{"bad scope", func(v url.Values) { v.Set("scope", "a  b") }, "invalid_scope"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := authQuery(base)
			tc.edit(v)
			resp, err := noRedirects.Get(base + "/auth?" + v.Encode())
			require.NoError(t, err)
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			require.Equal(t, http.StatusBadRequest, resp.StatusCode)
			assert.Empty(t, resp.Header.Get("Location"))
			assert.Contains(t, string(b), tc.err)
		})
	}
}

// The redirect URI's own query survives; auto-approve answers only its own
// host (no DNS rebinding).
func TestAuthorizationRedirect(t *testing.T) {
	base, _ := startServer(t, "-db", filepath.Join(t.TempDir(), "r.db"), "-auto-approve")
	v := authQuery(base)
	v.Set("redirect_uri", "http://127.0.0.1:9/cb?b=2&a=1")
	resp, err := noRedirects.Get(base + "/auth?" + v.Encode())
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusSeeOther, resp.StatusCode)
	assert.Regexp(t, `^http://127\.0\.0\.1:9/cb\?b=2&a=1&code=[A-Za-z0-9_-]{43}&iss=`, resp.Header.Get("Location"))

	req, _ := http.NewRequest(http.MethodGet, base+"/auth?"+authQuery(base).Encode(), nil)
	req.Host = "rebound.attacker.test"
	resp, err = noRedirects.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusForbidden, resp.StatusCode)
}

// -auto-approve is refused off loopback.
func TestAutoApproveLoopbackOnly(t *testing.T) {
	err := run(t.Context(), []string{"-addr", "0.0.0.0:0", "-auto-approve", "-db", filepath.Join(t.TempDir(), "x.db")}, io.Discard, nil)
	require.ErrorContains(t, err, "loopback")
	err = run(t.Context(), []string{"-addr", "127.0.0.1:0", "-client", "nosecret", "-db", filepath.Join(t.TempDir(), "y.db")}, io.Discard, nil)
	require.ErrorContains(t, err, "want ID:SECRET")
}
