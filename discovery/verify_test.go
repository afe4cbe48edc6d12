package discovery_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/tokenkit/tokenkit/discovery"
)

// DIS-13: iss is compared as a plain string (RFC 9207 §2.4).
func TestVerifyIssuer(t *testing.T) {
	tests := []struct {
		name     string
		issuer   string
		iss      string
		required bool
		ok       bool
	}{
		{"exact", "https://as.test/", "https://as.test/", true, true},
		{"no trailing slash", "https://as.test/", "https://as.test", true, false},
		{"case differs", "https://as.test/", "https://AS.test/", true, false},
		{"other issuer", "https://as.test/", "https://evil.test/", true, false},
		{"missing when required", "https://as.test/", "", true, false},
		{"missing when not advertised", "https://as.test/", "", false, true},
		{"wrong when not advertised", "https://as.test/", "https://evil.test/", false, false},
		{"legacy without iss", "", "", false, true},
		{"legacy with iss", "", "https://as.test/", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := discovery.VerifyIssuer(tt.issuer, tt.iss, tt.required)
			if tt.ok {
				assert.NoError(t, err)
			} else {
				assert.ErrorIs(t, err, discovery.ErrIssuer)
			}
		})
	}
}

// DIS-13: the value is form-decoded first, as url.Values does.
func TestVerifyIssuerFormDecoded(t *testing.T) {
	q, err := url.ParseQuery("code=x&state=y&iss=https%3A%2F%2Fas.test%2F")
	require.NoError(t, err)
	require.NoError(t, discovery.VerifyIssuer("https://as.test/", q.Get("iss"), true))
}

// DIS-14: PKCE comes from golang.org/x/oauth2 and OAuth2Config uses S256.
func TestPKCE(t *testing.T) {
	charset := regexp.MustCompile(`^[A-Za-z0-9._~-]{43,128}$`)
	seen := make(map[string]bool, 1000)
	for range 1000 {
		v := oauth2.GenerateVerifier()
		require.Regexp(t, charset, v)
		require.False(t, seen[v])
		seen[v] = true
	}
	const V, CH = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
	assert.Equal(t, CH, oauth2.S256ChallengeFromVerifier(V))

	conf := discovery.Endpoints{Authorization: "https://as.test/auth", Token: "https://as.test/token"}.
		OAuth2Config("https://app.test/", "https://app.test/cb", "create", "update")
	u, err := url.Parse(conf.AuthCodeURL("st", oauth2.S256ChallengeOption(V), oauth2.SetAuthURLParam("me", "https://user.test/")))
	require.NoError(t, err)
	assert.Equal(t, url.Values{
		"response_type":         {"code"},
		"client_id":             {"https://app.test/"},
		"redirect_uri":          {"https://app.test/cb"},
		"scope":                 {"create update"},
		"state":                 {"st"},
		"code_challenge":        {CH},
		"code_challenge_method": {"S256"},
		"me":                    {"https://user.test/"},
	}, u.Query())
	assert.Equal(t, "as.test", u.Host)
	assert.Equal(t, oauth2.AuthStyleInParams, conf.Endpoint.AuthStyle)
}

// DIS-15: state values are unique and checked.
func TestState(t *testing.T) {
	seen := make(map[string]bool)
	for range 1000 {
		s, err := discovery.NewState(nil)
		require.NoError(t, err)
		require.Len(t, s, 43)
		require.False(t, seen[s])
		seen[s] = true
	}
	s, err := discovery.NewState(bytes.NewReader(make([]byte, 32)))
	require.NoError(t, err)
	assert.Equal(t, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", s)
	_, err = discovery.NewState(bytes.NewReader(nil))
	require.Error(t, err)

	require.NoError(t, discovery.VerifyState(s, s))
	assert.ErrorIs(t, discovery.VerifyState(s, "foreign"), discovery.ErrState)
	assert.ErrorIs(t, discovery.VerifyState(s, ""), discovery.ErrState)
	assert.ErrorIs(t, discovery.VerifyState("", ""), discovery.ErrState)
}

// DIS-12, EDGE-37: confirming the returned me.
func TestConfirmMe(t *testing.T) {
	as := newSite(t)
	as.metadata("/meta", "/")
	other := newSite(t)
	other.metadata("/meta", "/")

	user := newSite(t)
	user.redirect("/", http.StatusMovedPermanently, "/~me/")
	user.redirect("/~me/", http.StatusFound, "/~me/home.html")
	user.page("/~me/home.html", `<link rel="indieauth-metadata" href="`+as.URL+`/meta">`)

	var sameHits, otherHits atomic.Int32
	same := newSite(t) // another profile of the same user, same server
	same.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		sameHits.Add(1)
		w.Header().Set("Link", "<"+as.URL+"/meta>; rel=indieauth-metadata")
	})
	foreign := newSite(t) // declares a different authorization server
	foreign.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		otherHits.Add(1)
		w.Header().Set("Link", "<"+other.URL+"/meta>; rel=indieauth-metadata")
	})

	c := devClient(t, discovery.Config{})
	res, err := c.Discover(ctx, user.URL)
	require.NoError(t, err)
	assert.Equal(t, user.URL+"/~me/", res.ProfileURL)
	assert.Equal(t, []string{user.URL + "/", user.URL + "/~me/", user.URL + "/~me/home.html"}, res.Chain)

	tests := []struct {
		name string
		me   string
		want string // "" means refused
	}{
		{"entered URL", user.URL, user.URL + "/"},
		{"profile URL", user.URL + "/~me/", user.URL + "/~me/"},
		{"chain URL", user.URL + "/~me/home.html", user.URL + "/~me/home.html"},
		{"EDGE-37 different host, same server", "http://LOCALHOST" + user.URL[len("http://127.0.0.1"):], "http://localhost" + user.URL[len("http://127.0.0.1"):] + "/"},
		{"EDGE-37 uppercase scheme and host", "HTTP://127.0.0.1" + user.URL[len("http://127.0.0.1"):] + "/~me/", user.URL + "/~me/"},
		{"EDGE-37 fragment", user.URL + "/#me", ""},
		{"EDGE-37 userinfo", "http://u@" + user.URL[len("http://"):] + "/", ""},
		{"EDGE-37 dot segments", user.URL + "/a/../~me/", ""},
		{"same server elsewhere", same.URL + "/", same.URL + "/"},
		{"different server", foreign.URL + "/", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			me, err := c.ConfirmMe(ctx, res, tt.me)
			if tt.want == "" {
				assert.ErrorIs(t, err, discovery.ErrMe)
				assert.Empty(t, me)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, me)
		})
	}
	assert.Equal(t, int32(1), sameHits.Load(), "only a me outside the chain is fetched")
	assert.Equal(t, int32(1), otherHits.Load())
}

// DIS-12, EDGE-37: in strict mode a me with a port is refused outright.
func TestConfirmMeStrict(t *testing.T) {
	c, err := discovery.NewClient(discovery.Config{})
	require.NoError(t, err)
	res := &discovery.Result{Entered: "user.test", ProfileURL: "https://user.test/", Chain: []string{"https://user.test/"}, FinalURL: "https://user.test/"}
	for _, me := range []string{"https://user.test:8443/", "https://user.test/#x", "https://u@user.test/", "https://127.0.0.1/"} {
		_, err := c.ConfirmMe(ctx, res, me)
		assert.ErrorIs(t, err, discovery.ErrInvalidURL, me)
		assert.ErrorIs(t, err, discovery.ErrMe, me)
	}
	for _, me := range []string{"https://USER.test", "https://user.test/", "user.test"} {
		got, err := c.ConfirmMe(ctx, res, me)
		require.NoError(t, err, me)
		assert.Equal(t, "https://user.test/", got)
	}
}

// DIS-12: the server me declares must be the one that took part, token
// endpoint included: a page naming a shared authorization endpoint but its
// own token endpoint cannot vouch for another user.
func TestConfirmMeBindsTokenEndpoint(t *testing.T) {
	shared := "http://127.0.0.1:9/auth"
	attacker := newSite(t)
	attacker.page("/", `<link rel="authorization_endpoint" href="`+shared+`"><link rel="token_endpoint" href="`+attacker.URL+`/token">`)
	victim := newSite(t)
	victim.page("/", `<link rel="authorization_endpoint" href="`+shared+`"><link rel="token_endpoint" href="http://127.0.0.1:9/token">`)
	alias := newSite(t)
	alias.page("/", `<link rel="authorization_endpoint" href="`+shared+`"><link rel="token_endpoint" href="`+attacker.URL+`/token">`)

	c := devClient(t, discovery.Config{})
	res, err := c.Discover(ctx, attacker.URL+"/")
	require.NoError(t, err)
	require.True(t, res.Endpoints.Legacy)
	_, err = c.ConfirmMe(ctx, res, victim.URL+"/")
	require.ErrorIs(t, err, discovery.ErrMe)
	got, err := c.ConfirmMe(ctx, res, alias.URL+"/")
	require.NoError(t, err)
	assert.Equal(t, alias.URL+"/", got)
}

// A micropub endpoint receives bearer tokens: plain http is refused
// (except on loopback under the insecure switch).
func TestMicropubMustBeHTTPS(t *testing.T) {
	s := newTLSSite(t)
	s.page("/", `<link rel="authorization_endpoint" href="`+s.URL+`/auth"><link rel="micropub" href="http://micropub.example/">`)
	c := devClient(t, discovery.Config{InsecureHTTPClient: s.Client()})
	_, err := c.Discover(ctx, s.URL+"/")
	require.ErrorContains(t, err, "micropub.example")
}

// The client handed out for the calls after discovery (the token request)
// carries the same guard: a discovered endpoint on a private address is
// refused there too (EDGE-36, SEC-13).
func TestHTTPClientGuarded(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { hits.Add(1) }))
	defer srv.Close()
	c, err := discovery.NewClient(discovery.Config{})
	require.NoError(t, err)
	_, err = c.HTTPClient().Post(srv.URL+"/token", "application/x-www-form-urlencoded", nil)
	require.ErrorIs(t, err, discovery.ErrBlocked)
	assert.Equal(t, int32(0), hits.Load())
}
