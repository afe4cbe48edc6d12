// Package discovery is the client side of IndieAuth: it turns what a user
// types into a canonical profile URL, fetches it safely, finds the
// authorization server (IndieAuth §4.1) and hands back its endpoints and an
// *oauth2.Config for golang.org/x/oauth2. After the flow it checks the
// response's iss (RFC 9207) and confirms the returned me (IndieAuth §5.4).
//
//	c, err := discovery.NewClient(discovery.Config{})
//	if err != nil {
//		return err
//	}
//	res, err := c.Discover(ctx, "example.com")
//	if err != nil {
//		return err // refused URL, unreachable site, no endpoints …
//	}
//	conf := res.Endpoints.OAuth2Config("https://app.example/", "https://app.example/callback", "create")
//	verifier := oauth2.GenerateVerifier()
//	state, _ := discovery.NewState(nil)
//	authURL := conf.AuthCodeURL(state, oauth2.S256ChallengeOption(verifier),
//		oauth2.SetAuthURLParam("me", res.ProfileURL))
//
//	// … on the callback:
//	q := r.URL.Query()
//	err = discovery.VerifyState(state, q.Get("state"))
//	err = discovery.VerifyIssuer(res.Endpoints.Issuer, q.Get("iss"), !res.Endpoints.Legacy)
//	tok, err := conf.Exchange(ctx, q.Get("code"), oauth2.VerifierOption(verifier))
//	returned, _ := tok.Extra("me").(string)
//	me, err := c.ConfirmMe(ctx, res, returned) // the identity to use
//
// ProfileURL, ClientID and Equal implement the URL rules of IndieAuth
// §3.2–3.4 without any network I/O.
//
// # Discovery
//
// Discover fetches the profile URL with GET, following at most
// MaxRedirects redirects and recording every URL; a permanent redirect
// (301, 308) before any temporary one changes the profile URL. It reads
// the RFC 8288 Link headers first and then, only for an HTML page, the
// <link> elements found by an HTML5 tokenizer (nothing inside comments,
// scripts or templates); a Link header wins over HTML and the first link
// of each relation wins. Relative URLs resolve against the final URL. It
// prefers rel="indieauth-metadata", whose document is fetched and
// validated (issuer https and a prefix of the metadata URL, authorization
// and token endpoints, S256), and falls back to the legacy
// authorization_endpoint and token_endpoint rels, marking the result
// Legacy. The micropub and microsub rels are collected too.
//
// # Security
//
// Discovery fetches URLs typed by strangers, so by default it reaches only
// public addresses. Its dialer resolves each host itself, refuses
// loopback, private, link-local (cloud metadata at 169.254.169.254),
// multicast, unspecified, IPv4-mapped and other special-purpose addresses,
// and connects only to an address it checked — on every redirect hop and
// for the metadata fetch — so DNS rebinding fails too. Redirects go to
// http or https only, never from https down to http. The number of
// redirects, the header and body sizes and the total time of a Discover
// call are capped (DefaultMaxRedirects, DefaultMaxHeaderBytes,
// DefaultMaxBodyBytes, DefaultTimeout), so a huge page or a server that
// drips a byte a second is cut off. Environment proxies are not used.
//
// Config.InsecureAllowPrivateNetworks turns the address guard off and
// accepts IP addresses and ports in profile URLs and http URLs on loopback
// hosts, for tests and local development only. A Config.InsecureHTTPClient
// replaces the guarded transport entirely.
//
// Endpoints found by discovery may be on any host (IndieAuth allows it);
// they must be https, and later requests to them should go through a
// guarded client too.
//
// # Errors
//
// Failures wrap one of ErrInvalidURL, ErrBlocked, ErrRedirect,
// ErrResponse, ErrNoEndpoints, ErrIssuer, ErrState or ErrMe, or an error
// of the metadata package (metadata.ErrInvalid, metadata.ErrIssuerMismatch,
// …); test them with errors.Is. A timeout wraps context.DeadlineExceeded.
package discovery
