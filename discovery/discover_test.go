package discovery_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tokenkit/tokenkit/discovery"
	"github.com/tokenkit/tokenkit/metadata"
)

var ctx = context.Background()

// DIS-06, DIS-10: metadata discovered from a Link header and validated.
func TestDiscoverMetadata(t *testing.T) {
	s := newSite(t)
	s.page("/", `<link rel="micropub" href="/micropub"><link rel="microsub" href="https://reader.test/sub">`,
		`</.well-known/oauth-authorization-server>; rel="indieauth-metadata"`)
	s.metadata("/.well-known/oauth-authorization-server", "/")

	res, err := devClient(t, discovery.Config{}).Discover(ctx, s.URL)
	require.NoError(t, err)
	assert.Equal(t, &discovery.Result{
		Entered:     s.URL,
		ProfileURL:  s.URL + "/",
		Chain:       []string{s.URL + "/"},
		FinalURL:    s.URL + "/",
		MetadataURL: s.URL + "/.well-known/oauth-authorization-server",
		Metadata:    res.Metadata,
		Endpoints: discovery.Endpoints{
			Issuer:        s.URL + "/",
			Authorization: s.URL + "/auth",
			Token:         s.URL + "/token",
			Introspection: s.URL + "/introspect",
			Revocation:    s.URL + "/revoke",
			Userinfo:      s.URL + "/userinfo",
			Micropub:      s.URL + "/micropub",
			Microsub:      "https://reader.test/sub",
		},
	}, res)
	require.NotNil(t, res.Metadata)
	assert.True(t, res.Metadata.AuthorizationResponseIssParameterSupported)
}

// MET-03 with a path issuer: https://as.test/t1 advertised at /t1/metadata.
func TestDiscoverPathIssuer(t *testing.T) {
	s := newSite(t)
	s.page("/", `<link rel="indieauth-metadata" href="/t1/metadata">`)
	s.metadata("/t1/metadata", "/t1")
	res, err := devClient(t, discovery.Config{}).Discover(ctx, s.URL+"/")
	require.NoError(t, err)
	assert.Equal(t, s.URL+"/t1", res.Endpoints.Issuer)
}

// DIS-05: 301 → 302 → 200 is followed and every URL recorded; a permanent
// redirect changes the profile URL, a temporary one does not.
func TestDiscoverRedirectChain(t *testing.T) {
	s := newSite(t)
	s.redirect("/", http.StatusMovedPermanently, "/moved")
	s.redirect("/moved", http.StatusFound, "/~me/page.html")
	s.redirect("/~me/page.html", http.StatusPermanentRedirect, "/final")
	s.page("/final", `<link rel="authorization_endpoint" href="/auth">`)

	res, err := devClient(t, discovery.Config{}).Discover(ctx, s.URL)
	require.NoError(t, err)
	assert.Equal(t, s.URL+"/moved", res.ProfileURL, "the 308 after the 302 does not count")
	assert.Equal(t, []string{s.URL + "/", s.URL + "/moved", s.URL + "/~me/page.html", s.URL + "/final"}, res.Chain)
	assert.Equal(t, s.URL+"/final", res.FinalURL)
}

// DIS-05, EDGE-27: the redirect limit, loops, and bad Location headers.
func TestDiscoverRedirectLimits(t *testing.T) {
	s := newSite(t)
	for i := range 12 {
		s.redirect(fmt.Sprintf("/hop%d", i), http.StatusFound, fmt.Sprintf("/hop%d", i+1))
	}
	s.page("/hop12", `<link rel="authorization_endpoint" href="/auth">`)
	s.redirect("/a", http.StatusFound, "/b")
	s.redirect("/b", http.StatusFound, "/a")
	s.redirect("/empty", http.StatusFound, "")
	s.redirect("/bad", http.StatusFound, "http://[::1")
	s.redirect("/ctl", http.StatusFound, "/x\x7fy")

	c := devClient(t, discovery.Config{})
	_, err := c.Discover(ctx, s.URL+"/hop2") // 10 redirects: allowed
	require.NoError(t, err)
	_, err = c.Discover(ctx, s.URL+"/hop1") // 11 redirects
	require.ErrorIs(t, err, discovery.ErrRedirect)
	_, err = c.Discover(ctx, s.URL+"/a")
	require.ErrorIs(t, err, discovery.ErrRedirect)

	_, err = devClient(t, discovery.Config{MaxRedirects: 3}).Discover(ctx, s.URL+"/hop8")
	require.ErrorIs(t, err, discovery.ErrRedirect)

	_, err = c.Discover(ctx, s.URL+"/empty")
	require.ErrorIs(t, err, discovery.ErrResponse)
	_, err = c.Discover(ctx, s.URL+"/bad")
	require.Error(t, err)
	_, err = c.Discover(ctx, s.URL+"/ctl")
	require.Error(t, err)
}

// EDGE-28: redirects to other schemes are refused.
func TestDiscoverRedirectSchemes(t *testing.T) {
	for _, loc := range []string{"file:///etc/passwd", "ftp://example.com/", "gopher://example.com/", "data:text/html,<link>", "javascript:alert(1)"} {
		s := newSite(t)
		s.redirect("/", http.StatusFound, loc)
		_, err := devClient(t, discovery.Config{}).Discover(ctx, s.URL)
		require.ErrorIs(t, err, discovery.ErrRedirect, loc)
	}
}

// DIS-07: relative URLs resolve against the final URL after redirects.
func TestDiscoverRelativeAfterRedirect(t *testing.T) {
	a, b := newSite(t), newSite(t)
	a.redirect("/", http.StatusFound, b.URL+"/u/")
	b.page("/u/", `<link rel="indieauth-metadata" href="../meta"><link rel="micropub" href="mp">`)
	b.metadata("/meta", "/")
	res, err := devClient(t, discovery.Config{}).Discover(ctx, a.URL)
	require.NoError(t, err)
	assert.Equal(t, b.URL+"/meta", res.MetadataURL)
	assert.Equal(t, b.URL+"/u/mp", res.Endpoints.Micropub)
	assert.Equal(t, a.URL+"/", res.ProfileURL, "temporary redirect keeps the entered URL")
}

// DIS-09: legacy rels only.
func TestDiscoverLegacy(t *testing.T) {
	s := newSite(t)
	s.page("/", `<link rel="authorization_endpoint" href="/auth"><link rel="token_endpoint" href="/token">`)
	res, err := devClient(t, discovery.Config{}).Discover(ctx, s.URL)
	require.NoError(t, err)
	assert.Equal(t, discovery.Endpoints{Authorization: s.URL + "/auth", Token: s.URL + "/token", Legacy: true}, res.Endpoints)
	assert.Empty(t, res.MetadataURL)
	assert.Nil(t, res.Metadata)

	none := newSite(t)
	none.page("/", `<link rel="token_endpoint" href="/token">`)
	_, err = devClient(t, discovery.Config{}).Discover(ctx, none.URL)
	require.ErrorIs(t, err, discovery.ErrNoEndpoints)
}

// EDGE-36: legacy endpoints must be https (http only on loopback in dev mode).
func TestDiscoverLegacyHTTPEndpoint(t *testing.T) {
	s := newSite(t)
	s.page("/", `<link rel="authorization_endpoint" href="http://auth.test/auth">`)
	_, err := devClient(t, discovery.Config{}).Discover(ctx, s.URL)
	require.ErrorIs(t, err, discovery.ErrInvalidURL)
}

// DIS-10, DIS-11, EDGE-35, EDGE-36: bad metadata is refused.
func TestDiscoverBadMetadata(t *testing.T) {
	const good = `"authorization_endpoint":"AS/auth","token_endpoint":"AS/token","code_challenge_methods_supported":["S256"]`
	tests := []struct {
		name string
		body string
		want error
	}{
		{"no token endpoint", `{"issuer":"AS/","authorization_endpoint":"AS/auth","code_challenge_methods_supported":["S256"]}`, metadata.ErrInvalid},
		{"no authorization endpoint", `{"issuer":"AS/","token_endpoint":"AS/token","code_challenge_methods_supported":["S256"]}`, discovery.ErrNoEndpoints},
		{"no S256", `{"issuer":"AS/","authorization_endpoint":"AS/auth","token_endpoint":"AS/token","code_challenge_methods_supported":["plain"]}`, metadata.ErrInvalid},
		{"not JSON", `<html>`, metadata.ErrMalformed},
		{"not an object", `["AS/"]`, metadata.ErrMalformed},
		{"other issuer", `{"issuer":"https://evil.test/",` + good + `}`, metadata.ErrIssuerMismatch},
		{"http issuer on a non-loopback host", `{"issuer":"http://as.test/",` + good + `}`, metadata.ErrInvalid},
		{"issuer with query", `{"issuer":"AS/?x",` + good + `}`, metadata.ErrInvalid},
		{"duplicate issuer", `{"issuer":"AS/","issuer":"AS/",` + good + `}`, metadata.ErrMalformed},
		{"issuer number", `{"issuer":5,` + good + `}`, metadata.ErrMalformed},
		{"http endpoint", `{"issuer":"AS/","authorization_endpoint":"http://as.test/auth","token_endpoint":"AS/token","code_challenge_methods_supported":["S256"]}`, metadata.ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSite(t)
			s.page("/", `<link rel="indieauth-metadata" href="/.well-known/oauth-authorization-server">`)
			s.mux.HandleFunc("/.well-known/oauth-authorization-server", func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				_, _ = w.Write([]byte(strings.ReplaceAll(tt.body, "AS", s.URL)))
			})
			res, err := devClient(t, discovery.Config{}).Discover(ctx, s.URL)
			require.ErrorIs(t, err, tt.want)
			assert.Nil(t, res)
		})
	}
}

// EDGE-35: metadata served as text/html is refused.
func TestDiscoverMetadataContentType(t *testing.T) {
	s := newSite(t)
	s.page("/", `<link rel="indieauth-metadata" href="/meta">`)
	s.page("/meta", `{}`)
	_, err := devClient(t, discovery.Config{}).Discover(ctx, s.URL)
	require.ErrorIs(t, err, metadata.ErrResponse)
}

func TestDiscoverStatus(t *testing.T) {
	s := newSite(t)
	_, err := devClient(t, discovery.Config{}).Discover(ctx, s.URL+"/missing")
	require.ErrorIs(t, err, discovery.ErrResponse)
}

// No network I/O happens for an invalid profile URL (DIS-01, DIS-03).
func TestDiscoverInvalidURL(t *testing.T) {
	c, err := discovery.NewClient(discovery.Config{})
	require.NoError(t, err)
	for _, in := range []string{"https://example.com/#me", "mailto:me@example.com", "https://127.0.0.1/"} {
		_, err := c.Discover(ctx, in)
		require.ErrorIs(t, err, discovery.ErrInvalidURL, in)
	}
}

func TestNewClientRejectsNegativeLimits(t *testing.T) {
	for _, cfg := range []discovery.Config{{MaxRedirects: -1}, {MaxBodyBytes: -1}, {MaxHeaderBytes: -1}, {Timeout: -1}} {
		_, err := discovery.NewClient(cfg)
		require.Error(t, err)
	}
}
