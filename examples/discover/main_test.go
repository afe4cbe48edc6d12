package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testSite serves a profile page that redirects once and advertises
// metadata, a micropub endpoint and a valid metadata document.
func testSite(t *testing.T) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	ts := httptest.NewServer(mux)
	t.Cleanup(ts.Close)
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/me", http.StatusMovedPermanently)
	})
	mux.HandleFunc("GET /me", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, `<link rel="indieauth-metadata" href="/meta"><link rel="micropub" href="/micropub">`)
	})
	mux.HandleFunc("GET /meta", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"issuer":"%[1]s/","authorization_endpoint":"%[1]s/auth","token_endpoint":"%[1]s/token",`+
			`"scopes_supported":["create","profile"],"code_challenge_methods_supported":["S256"],`+
			`"authorization_response_iss_parameter_supported":true}`, ts.URL)
	})
	return ts
}

func runCmd(args ...string) (code int, stdout, stderr string) {
	var out, errOut bytes.Buffer
	code = run(context.Background(), args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestHumanOutput(t *testing.T) {
	ts := testSite(t)
	code, out, errOut := runCmd("-allow-private", ts.URL)
	require.Equal(t, 0, code, errOut)
	want := strings.ReplaceAll(`entered                  BASE
profile URL              BASE/me
fetched                  BASE/
                         BASE/me
final URL                BASE/me
metadata URL             BASE/meta
issuer                   BASE/
authorization endpoint   BASE/auth
token endpoint           BASE/token
micropub                 BASE/micropub
scopes                   [create profile]
iss in responses         true
`, "BASE", ts.URL)
	assert.Equal(t, want, out)
	assert.Empty(t, errOut)
}

func TestJSONOutput(t *testing.T) {
	ts := testSite(t)
	code, out, _ := runCmd("-json", "-allow-private", ts.URL)
	require.Equal(t, 0, code)
	var got map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &got))
	assert.Equal(t, ts.URL+"/me", got["profile_url"])
	assert.Equal(t, []any{ts.URL + "/", ts.URL + "/me"}, got["chain"])
	assert.Equal(t, ts.URL+"/meta", got["metadata_url"])
	assert.Equal(t, ts.URL+"/", got["metadata"].(map[string]any)["issuer"])
	assert.Equal(t, map[string]any{
		"issuer":                 ts.URL + "/",
		"authorization_endpoint": ts.URL + "/auth",
		"token_endpoint":         ts.URL + "/token",
		"micropub":               ts.URL + "/micropub",
	}, got["endpoints"])
}

// Without -allow-private, a local target is refused with a reason and a hint.
func TestRefusal(t *testing.T) {
	ts := testSite(t)
	code, out, errOut := runCmd(ts.URL)
	assert.Equal(t, 1, code)
	assert.Empty(t, out)
	assert.Contains(t, errOut, "discover: refused: discovery: invalid URL")
	assert.Contains(t, errOut, "hint: ")

	code, out, _ = runCmd("-json", "http://localhost/")
	assert.Equal(t, 1, code)
	var got map[string]string
	require.NoError(t, json.Unmarshal([]byte(out), &got))
	assert.Equal(t, "http://localhost/", got["entered"])
	assert.Contains(t, got["error"], "discovery: address not allowed")
	assert.Contains(t, got["hint"], "-allow-private")
}

func TestUsage(t *testing.T) {
	code, _, errOut := runCmd()
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "usage: discover")
	code, _, _ = runCmd("-nope", "x")
	assert.Equal(t, 2, code)
}

func TestFailure(t *testing.T) {
	ts := testSite(t)
	code, _, errOut := runCmd("-allow-private", ts.URL+"/missing")
	assert.Equal(t, 1, code)
	assert.Equal(t, "discover: failed: discovery: unexpected response: "+ts.URL+"/missing answered 404\n", errOut)
}
