package token_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/tokenkit/tokenkit/token"
)

// The endpoint as golang.org/x/oauth2 sees it: code exchange with PKCE,
// a refresh through TokenSource once the token has expired, and
// client_credentials.
func TestInteropOAuth2(t *testing.T) {
	f := newFixture(t)
	mux := http.NewServeMux()
	mux.Handle("/oauth/token", f.h)
	srv := httptest.NewServer(mux)
	defer srv.Close()
	ctx := context.WithValue(context.Background(), oauth2.HTTPClient, srv.Client())

	conf := &oauth2.Config{
		ClientID:    c1,
		RedirectURL: cb,
		Endpoint:    oauth2.Endpoint{AuthURL: "https://as.test/auth", TokenURL: srv.URL + "/oauth/token", AuthStyle: oauth2.AuthStyleInParams},
		Scopes:      []string{"create", "update"},
	}
	verifier := oauth2.GenerateVerifier()
	// The authorization endpoint would mint this code on approval.
	code := f.mint(func(p *token.CodeParams) { p.Challenge = oauth2.S256ChallengeFromVerifier(verifier) })
	tok, err := conf.Exchange(ctx, code, oauth2.VerifierOption(verifier))
	require.NoError(t, err)
	assert.Equal(t, "Bearer", tok.TokenType)
	assert.Equal(t, me, tok.Extra("me"))
	assert.Equal(t, "create update", tok.Extra("scope"))
	require.NotEmpty(t, tok.RefreshToken)
	assert.WithinDuration(t, time.Now().Add(time.Hour), tok.Expiry, time.Minute)

	// The wrong verifier is refused as x/oauth2 reports it.
	code2 := f.mint(func(p *token.CodeParams) { p.Challenge = oauth2.S256ChallengeFromVerifier(verifier) })
	_, err = conf.Exchange(ctx, code2, oauth2.VerifierOption(oauth2.GenerateVerifier()))
	var re *oauth2.RetrieveError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, "invalid_grant", re.ErrorCode)

	// An hour later the access token has expired on both sides; the
	// token source refreshes it.
	f.clock.Advance(time.Hour + time.Second)
	_, err = f.verify(tok.AccessToken)
	require.ErrorIs(t, err, token.ErrExpired)
	stale := *tok
	stale.Expiry = time.Now().Add(-time.Second)
	fresh, err := conf.TokenSource(ctx, &stale).Token()
	require.NoError(t, err)
	assert.NotEqual(t, tok.AccessToken, fresh.AccessToken)
	assert.NotEqual(t, tok.RefreshToken, fresh.RefreshToken)
	info, err := f.verify(fresh.AccessToken)
	require.NoError(t, err)
	assert.Equal(t, me, info.Me)

	cc := &clientcredentials.Config{ClientID: "svc", ClientSecret: "s3cr3t", TokenURL: srv.URL + "/oauth/token", Scopes: []string{"read"}}
	ctok, err := cc.Token(ctx)
	require.NoError(t, err)
	assert.Equal(t, "read", ctok.Extra("scope"))
	assert.Empty(t, ctok.RefreshToken)
	cc.ClientSecret = "wrong"
	_, err = cc.Token(ctx)
	require.ErrorAs(t, err, &re)
	assert.Equal(t, "invalid_client", re.ErrorCode)
}
