package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/tokenkit/tokenkit/discovery"
	"github.com/tokenkit/tokenkit/token/tokentest"
)

// startServer runs the example in-process on a random loopback port with
// the given flags and returns its base URL ("http://127.0.0.1:PORT").
func startServer(t *testing.T, args ...string) (string, *tokentest.LogBuffer) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	out := &tokentest.LogBuffer{}
	done := make(chan error, 1)
	args = append([]string{"-addr", "127.0.0.1:0"}, args...)
	go func() { done <- run(ctx, args, out, ready) }()
	select {
	case addr := <-ready:
		t.Cleanup(func() {
			cancel()
			require.NoError(t, <-done)
		})
		return "http://" + addr, out
	case err := <-done:
		cancel()
		t.Fatalf("server did not start: %v\n%s", err, out.String())
	}
	return "", nil
}

// noRedirects is an HTTP client that hands redirects back to the test.
var noRedirects = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// A whole IndieAuth flow against the running example, driven by
// golang.org/x/oauth2 and the discovery package.
func TestEndToEnd(t *testing.T) {
	base, out := startServer(t, "-db", filepath.Join(t.TempDir(), "e2e.db"), "-auto-approve", "-client", "rs:rs-secret")
	ctx := context.Background()

	// Discover from the profile page.
	dc, err := discovery.NewClient(discovery.Config{InsecureAllowPrivateNetworks: true})
	require.NoError(t, err)
	res, err := dc.Discover(ctx, base+"/")
	require.NoError(t, err)
	assert.Equal(t, base+"/", res.Endpoints.Issuer)
	assert.Equal(t, base+"/token", res.Endpoints.Token)
	assert.Equal(t, base+"/micropub", res.Endpoints.Micropub)
	assert.False(t, res.Endpoints.Legacy)

	// Authorize (auto-approved) with PKCE and state.
	clientID, redirect := "http://127.0.0.1:9/", "http://127.0.0.1:9/cb"
	conf := res.Endpoints.OAuth2Config(clientID, redirect, "create", "profile")
	verifier := oauth2.GenerateVerifier()
	state, err := discovery.NewState(nil)
	require.NoError(t, err)
	resp, err := noRedirects.Get(conf.AuthCodeURL(state, oauth2.S256ChallengeOption(verifier), oauth2.SetAuthURLParam("me", res.ProfileURL)))
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusSeeOther, resp.StatusCode)
	loc, err := url.Parse(resp.Header.Get("Location"))
	require.NoError(t, err)
	assert.Equal(t, redirect, loc.Scheme+"://"+loc.Host+loc.Path)
	q := loc.Query()
	require.NoError(t, discovery.VerifyState(state, q.Get("state")))
	require.NoError(t, discovery.VerifyIssuer(res.Endpoints.Issuer, q.Get("iss"), true))

	// Redeem the code.
	tok, err := conf.Exchange(ctx, q.Get("code"), oauth2.VerifierOption(verifier))
	require.NoError(t, err)
	me, _ := tok.Extra("me").(string)
	confirmed, err := dc.ConfirmMe(ctx, res, me)
	require.NoError(t, err)
	assert.Equal(t, base+"/", confirmed)
	assert.Equal(t, "create profile", tok.Extra("scope"))
	assert.Equal(t, map[string]any{"name": "Site owner", "url": base + "/"}, tok.Extra("profile"))

	// Post to micropub.
	post := func(at string) *http.Response {
		req, _ := http.NewRequest(http.MethodPost, res.Endpoints.Micropub, strings.NewReader("h=entry&content=hello+world"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Authorization", "Bearer "+at)
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		return resp
	}
	resp = post(tok.AccessToken)
	require.Equal(t, http.StatusCreated, resp.StatusCode)
	postURL := resp.Header.Get("Location")
	require.True(t, strings.HasPrefix(postURL, base+"/posts/"), postURL)
	got, err := http.Get(postURL)
	require.NoError(t, err)
	var content bytes.Buffer
	_, _ = content.ReadFrom(got.Body)
	got.Body.Close()
	assert.Equal(t, "hello world\n", content.String())

	// Userinfo answers the profile.
	req, _ := http.NewRequest(http.MethodGet, base+"/userinfo", nil)
	req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	resp, err = http.DefaultClient.Do(req)
	require.NoError(t, err)
	var profile map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&profile))
	resp.Body.Close()
	assert.Equal(t, map[string]any{"name": "Site owner", "url": base + "/"}, profile)

	// Refresh once the access token is (made) stale.
	stale := *tok
	stale.Expiry = time.Now().Add(-time.Minute)
	fresh, err := conf.TokenSource(ctx, &stale).Token()
	require.NoError(t, err)
	require.NotEqual(t, tok.AccessToken, fresh.AccessToken)
	require.NotEqual(t, tok.RefreshToken, fresh.RefreshToken)

	// Introspect as the registered resource server.
	introspect := func(at string) map[string]any {
		req, _ := http.NewRequest(http.MethodPost, res.Endpoints.Introspection, strings.NewReader(url.Values{"token": {at}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.SetBasicAuth("rs", "rs-secret")
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		require.Equal(t, 200, resp.StatusCode)
		var m map[string]any
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&m))
		return m
	}
	active := introspect(fresh.AccessToken)
	assert.Equal(t, true, active["active"])
	assert.Equal(t, base+"/", active["me"])
	assert.Equal(t, clientID, active["client_id"])

	// Revoke the refresh token (RFC 7009, public client): its family goes.
	resp, err = http.PostForm(res.Endpoints.Revocation, url.Values{"token": {fresh.RefreshToken}, "client_id": {clientID}})
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, map[string]any{"active": false}, introspect(fresh.AccessToken))
	resp = post(fresh.AccessToken)
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	assert.Contains(t, resp.Header.Get("WWW-Authenticate"), `error="invalid_token"`)

	// A client-only token names no user: it may not post as the owner.
	ccReq, _ := http.NewRequest(http.MethodPost, base+"/token", strings.NewReader("grant_type=client_credentials"))
	ccReq.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	ccReq.SetBasicAuth("rs", "rs-secret")
	resp, err = http.DefaultClient.Do(ccReq)
	require.NoError(t, err)
	var cc map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&cc))
	resp.Body.Close()
	require.Equal(t, 200, resp.StatusCode, cc)
	assert.Equal(t, http.StatusForbidden, post(cc["access_token"].(string)).StatusCode)

	assert.Contains(t, out.String(), "token: issued")
	assert.NotContains(t, out.String(), tok.AccessToken)
}
