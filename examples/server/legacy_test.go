package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"
)

// authorize gets a code for scope with PKCE verifier v from the
// auto-approving server.
func authorize(t *testing.T, base, scope, v string) string {
	q := authQuery(base)
	q.Set("scope", scope)
	q.Set("code_challenge", oauth2.S256ChallengeFromVerifier(v))
	resp, err := noRedirects.Get(base + "/auth?" + q.Encode())
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusSeeOther, resp.StatusCode)
	loc, _ := url.Parse(resp.Header.Get("Location"))
	return loc.Query().Get("code")
}

// Both IndieAuth dialects on the token endpoint's one path, and the
// profile-only redemption at the authorization endpoint.
func TestLegacyDialect(t *testing.T) {
	base, _ := startServer(t, "-db", filepath.Join(t.TempDir(), "l.db"), "-auto-approve")
	v := strings.Repeat("v", 43)
	redeem := url.Values{"grant_type": {"authorization_code"}, "client_id": {"http://127.0.0.1:9/"},
		"redirect_uri": {"http://127.0.0.1:9/cb"}, "code_verifier": {v}}
	redeem.Set("code", authorize(t, base, "create", v))
	resp, err := http.PostForm(base+"/token", redeem)
	require.NoError(t, err)
	var tok map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&tok))
	resp.Body.Close()
	require.Equal(t, 200, resp.StatusCode, tok)
	at := tok["access_token"].(string)

	verify := func(accept string) (*http.Response, string) {
		req, _ := http.NewRequest(http.MethodGet, base+"/token", nil)
		req.Header.Set("Authorization", "Bearer "+at)
		if accept != "" {
			req.Header.Set("Accept", accept)
		}
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}
	resp, b := verify("application/json")
	require.Equal(t, 200, resp.StatusCode, b)
	var m map[string]any
	require.NoError(t, json.Unmarshal([]byte(b), &m))
	assert.Equal(t, base+"/", m["me"])
	assert.Equal(t, "create", m["scope"])
	resp, b = verify("")
	require.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "application/x-www-form-urlencoded", resp.Header.Get("Content-Type"))
	form, err := url.ParseQuery(b)
	require.NoError(t, err)
	assert.Equal(t, base+"/", form.Get("me"))
	assert.Equal(t, "http://127.0.0.1:9/", form.Get("client_id"))

	resp, err = http.PostForm(base+"/token", url.Values{"action": {"revoke"}, "token": {at}})
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, 200, resp.StatusCode)
	resp, _ = verify("application/json")
	assert.Equal(t, 401, resp.StatusCode)

	// Profile-only redemption (IndieAuth §5.3.2).
	redeem.Set("code", authorize(t, base, "profile", v))
	resp, err = http.PostForm(base+"/auth", redeem)
	require.NoError(t, err)
	m = nil
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&m))
	resp.Body.Close()
	require.Equal(t, 200, resp.StatusCode, m)
	assert.Equal(t, map[string]any{"me": base + "/", "profile": map[string]any{"name": "Site owner", "url": base + "/"}}, m)
	resp, err = http.PostForm(base+"/token", redeem) // single use across both endpoints
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 400, resp.StatusCode)
}
