package token_test

import (
	"context"
	"encoding/base64"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tokenkit/tokenkit/token"
	"github.com/tokenkit/tokenkit/token/tokentest"
)

func ccForm(kv ...string) url.Values {
	v := url.Values{"grant_type": {"client_credentials"}}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return v
}

// CC-01, CC-04, CC-06.
func TestClientCredentials(t *testing.T) {
	f := newFixture(t)
	w := f.post(ccForm(), "Authorization", tokentest.Basic("svc", "s3cr3t"))
	require.Equal(t, 200, w.Code, w.Body.String())
	assert.Equal(t, "no-store", w.Header().Get("Cache-Control"))
	assert.Equal(t, "no-cache", w.Header().Get("Pragma"))
	m := tokentest.DecodeJSON(t, w)
	assert.Equal(t, "Bearer", m["token_type"])
	assert.Equal(t, float64(3600), m["expires_in"])
	assert.Equal(t, "read write", m["scope"])
	assert.NotContains(t, m, "refresh_token")
	assert.NotContains(t, m, "me")
	info, err := f.verify(m["access_token"].(string))
	require.NoError(t, err)
	assert.Equal(t, "svc", info.ClientID)
	assert.Equal(t, "svc", info.Subject)
	assert.Empty(t, info.Me)
}

// CC-02, CC-03, CC-05, ERR-06.
func TestClientCredentialsErrors(t *testing.T) {
	f := newFixture(t)
	tokentest.RequireError(t, f.post(ccForm("client_id", "svc")), 401, "invalid_client")
	tokentest.RequireError(t, f.post(ccForm()), 401, "invalid_client")
	tokentest.RequireError(t, f.post(ccForm("client_id", c1)), 400, "unauthorized_client")
	tokentest.RequireError(t, f.post(ccForm("scope", "admin"), "Authorization", tokentest.Basic("svc", "s3cr3t")), 400, "invalid_scope")
	tokentest.RequireError(t, f.post(ccForm("scope", "read\tadmin"), "Authorization", tokentest.Basic("svc", "s3cr3t")), 400, "invalid_request") // EDGE-10: a tab is a control character
	tokentest.RequireError(t, f.post(ccForm(), "Authorization", tokentest.Basic("codeonly", "x")), 400, "unauthorized_client")

	w := f.post(ccForm("scope", "read admin"), "Authorization", tokentest.Basic("svc", "s3cr3t"))
	require.Equal(t, 200, w.Code)
	assert.Equal(t, "read", tokentest.DecodeJSON(t, w)["scope"])
	// EDGE-11: scopes are case-sensitive.
	tokentest.RequireError(t, f.post(ccForm("scope", "READ"), "Authorization", tokentest.Basic("svc", "s3cr3t")), 400, "invalid_scope")
}

// ERR-03, ERR-04, ERR-05, EDGE-15.
func TestClientAuthentication(t *testing.T) {
	long := "Basic " + strings.Repeat("A", 10<<10)
	for _, tc := range []struct {
		name   string
		form   url.Values
		query  string
		hdr    []string
		status int
		code   string
	}{
		{"basic ok", ccForm(), "", []string{"Authorization", tokentest.Basic("svc", "s3cr3t")}, 200, ""},
		{"basic scheme case", ccForm(), "", []string{"Authorization", "bAsIc " + base64.StdEncoding.EncodeToString([]byte("svc:s3cr3t"))}, 200, ""},
		{"post ok", ccForm("client_id", "svc", "client_secret", "s3cr3t"), "", nil, 200, ""},
		{"ERR-05 form-encoded basic", ccForm(), "", []string{"Authorization", "Basic YXBwJTNBb25lOnAlNDBzcw=="}, 200, ""},
		{"ERR-03 wrong secret", ccForm(), "", []string{"Authorization", tokentest.Basic("svc", "wrong")}, 401, "invalid_client"},
		{"ERR-03 wrong post secret", ccForm("client_id", "svc", "client_secret", "wrong"), "", nil, 401, "invalid_client"},
		{"ERR-03 unknown client", ccForm("client_id", "nobody", "client_secret", "x"), "", nil, 401, "invalid_client"},
		{"ERR-03 secret without id", ccForm("client_secret", "s3cr3t"), "", nil, 401, "invalid_client"},
		{"ERR-04 two methods", ccForm("client_secret", "s3cr3t"), "", []string{"Authorization", tokentest.Basic("svc", "s3cr3t")}, 400, "invalid_request"},
		{"ERR-04 basic and other client_id", ccForm("client_id", "svc2"), "", []string{"Authorization", tokentest.Basic("svc", "s3cr3t")}, 400, "invalid_request"},
		{"ERR-04 query credentials", ccForm(), "client_id=svc&client_secret=s3cr3t", nil, 400, "invalid_request"},
		{"EDGE-15 two Authorization headers", ccForm(), "", []string{"Authorization", tokentest.Basic("svc", "s3cr3t"), "Authorization", tokentest.Basic("svc", "s3cr3t")}, 400, "invalid_request"},
		{"EDGE-15 bad base64", ccForm(), "", []string{"Authorization", "Basic !!!"}, 401, "invalid_client"},
		{"EDGE-15 no colon", ccForm(), "", []string{"Authorization", "Basic " + base64.StdEncoding.EncodeToString([]byte("svc"))}, 401, "invalid_client"},
		{"EDGE-15 non-UTF-8", ccForm(), "", []string{"Authorization", "Basic " + base64.StdEncoding.EncodeToString([]byte("svc%FF:s3cr3t"))}, 401, "invalid_client"},
		{"EDGE-15 bad escape", ccForm(), "", []string{"Authorization", "Basic " + base64.StdEncoding.EncodeToString([]byte("svc%zz:s3cr3t"))}, 401, "invalid_client"},
		{"EDGE-15 10 KB", ccForm(), "", []string{"Authorization", long}, 401, "invalid_client"},
		{"EDGE-15 empty basic", ccForm(), "", []string{"Authorization", "Basic"}, 401, "invalid_client"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			r := newPost("/token?"+tc.query, tc.form.Encode())
			for i := 0; i+1 < len(tc.hdr); i += 2 {
				r.Header.Add(tc.hdr[i], tc.hdr[i+1])
			}
			w := serve(f.h, r)
			if tc.status == 200 {
				require.Equal(t, 200, w.Code, w.Body.String())
				return
			}
			tokentest.RequireError(t, w, tc.status, tc.code)
			if tc.status == 401 {
				assert.Equal(t, `Basic realm="token"`, w.Header().Get("WWW-Authenticate"))
			}
			assert.NotContains(t, w.Body.String(), "s3cr3t") // ERR-07
		})
	}
}

// Stored secrets: SHA-256 and PBKDF2 round-trip through their encoding
// and match in constant time.
func TestSecrets(t *testing.T) {
	s := token.HashSecret("s3cr3t")
	assert.True(t, s.Match("s3cr3t"))
	assert.False(t, s.Match("s3cr3"))
	assert.NotContains(t, s.String(), "s3cr3t")
	p, err := token.ParseSecret(s.String())
	require.NoError(t, err)
	assert.True(t, p.Match("s3cr3t"))

	pw, err := token.HashPassword("correct horse", 1000, nil)
	require.NoError(t, err)
	assert.True(t, pw.Match("correct horse"))
	assert.False(t, pw.Match("correct horsE"))
	pp, err := token.ParseSecret(pw.String())
	require.NoError(t, err)
	assert.True(t, pp.Match("correct horse"))
	assert.True(t, strings.HasPrefix(pw.String(), "pbkdf2-sha256$1000$"))

	for _, bad := range []string{"", "sha256$", "md5$abc", "pbkdf2-sha256$x$a$b", "sha256$" + strings.Repeat("A", 10)} {
		_, err := token.ParseSecret(bad)
		assert.ErrorIs(t, err, token.ErrSecretFormat, bad)
	}
	var nilSecret *token.Secret
	assert.False(t, nilSecret.Match(""))

	gen, err := token.GenerateSecret(nil)
	require.NoError(t, err)
	assert.Len(t, gen, 43)
}

// IndieAuth §3.3 client identifiers and their canonical form (§3.4).
func TestCanonicalClientID(t *testing.T) {
	for in, want := range map[string]string{
		"https://app.test":          "https://app.test/",
		"https://APP.test/":         "https://app.test/",
		"https://app.test:8443/":    "https://app.test:8443/",
		"http://127.0.0.1:3000/":    "http://127.0.0.1:3000/",
		"http://[::1]/cb":           "http://[::1]/cb",
		"https://app.test/Path?q=1": "https://app.test/Path?q=1",
	} {
		got, err := token.CanonicalClientID(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
	for _, bad := range []string{"app.test", "ftp://app.test/", "https://10.0.0.1/", "https://app.test/#x",
		"https://u@app.test/", "https://app.test/./", "https://app.test/a/../b", "https://app.test/%2e%2e/",
		"https:///", "javascript:alert(1)", "https://-bad.test/", "https://[::ffff:127.0.0.1]/"} {
		_, err := token.CanonicalClientID(bad)
		assert.ErrorIs(t, err, token.ErrClientIDSyntax, bad)
	}
}

func newPost(target, body string) *http.Request {
	r, _ := http.NewRequest(http.MethodPost, "http://as.test"+target, strings.NewReader(body))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return r
}

// ERR-09: repeated failures lock the client id out for the window, good
// credentials included, and it recovers afterwards.
func TestFailureLimit(t *testing.T) {
	f := newFixture(t)
	for range 10 {
		tokentest.RequireError(t, f.post(ccForm(), "Authorization", tokentest.Basic("svc", "guess")), 401, "invalid_client")
	}
	w := f.post(ccForm(), "Authorization", tokentest.Basic("svc", "s3cr3t"))
	tokentest.RequireError(t, w, 429, "invalid_client")
	assert.Equal(t, "60", w.Header().Get("Retry-After"))
	// Other clients are unaffected.
	require.Equal(t, 200, f.post(ccForm("client_id", "svc2", "client_secret", "other")).Code)
	f.clock.Advance(time.Minute)
	require.Equal(t, 200, f.post(ccForm(), "Authorization", tokentest.Basic("svc", "s3cr3t")).Code)
	// A success clears the count.
	for range 9 {
		f.post(ccForm(), "Authorization", tokentest.Basic("svc", "guess"))
	}
	require.Equal(t, 200, f.post(ccForm(), "Authorization", tokentest.Basic("svc", "s3cr3t")).Code)
	for range 9 {
		f.post(ccForm(), "Authorization", tokentest.Basic("svc", "guess"))
	}
	require.Equal(t, 200, f.post(ccForm(), "Authorization", tokentest.Basic("svc", "s3cr3t")).Code)
}

// The limit tracks registered ids only, keeps its memory bounded, and an
// active lockout survives a flood of other ids.
func TestFailureLimitBounded(t *testing.T) {
	c := newClock()
	l := &token.FailureLimit{MaxIDs: 100, Now: c.Now}
	clients := token.NewMemoryClients(&token.Client{ID: "svc", Secret: token.HashSecret("s3cr3t")})
	a := &token.Authenticator{Clients: clients, Limit: l}
	try := func(id, secret string) error {
		r := newPost("/token", "")
		r.SetBasicAuth(id, secret)
		f, _ := token.ParseForm(httptest.NewRecorder(), r)
		_, err := a.Authenticate(context.Background(), r, f)
		return err
	}
	for i := range 1000 {
		require.Error(t, try("id"+strconv.Itoa(i), "x"))
	}
	assert.Equal(t, 0, l.Tracked(), "unknown ids are not tracked")
	for range 10 {
		require.ErrorIs(t, try("svc", "guess"), &token.Error{Code: "invalid_client"})
	}
	for i := range 200 {
		clients.Add(&token.Client{ID: "c" + strconv.Itoa(i), Secret: token.HashSecret("s")})
		_ = try("c"+strconv.Itoa(i), "wrong")
	}
	assert.LessOrEqual(t, l.Tracked(), 100)
	var e *token.Error
	require.ErrorAs(t, try("svc", "s3cr3t"), &e)
	assert.Equal(t, 429, e.Status, "the lockout of svc survived the flood")
}

// ERR-09 under concurrency: attempts are counted before the secret is
// checked, so 200 parallel guesses get at most Max evaluations.
func TestFailureLimitConcurrent(t *testing.T) {
	f := newFixture(t)
	var wg sync.WaitGroup
	codes := make([]int, 200)
	for i := range codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i] = f.post(ccForm(), "Authorization", tokentest.Basic("svc", "guess")).Code
		}()
	}
	wg.Wait()
	evaluated := 0
	for _, c := range codes {
		switch c {
		case 401:
			evaluated++
		case 429:
		default:
			t.Fatalf("status %d", c)
		}
	}
	assert.Equal(t, 10, evaluated)
}

// A confidential client registered under a URL id is the same client
// however the id is spelled: it must authenticate, and can redeem its own
// code.
func TestURLClientIDConfidential(t *testing.T) {
	f := newFixture(t)
	f.clients.Add(&token.Client{ID: "https://SVC.test", Secret: token.HashSecret("pw"), Grants: []string{token.GrantAuthorizationCode}})
	code := f.mint(func(p *token.CodeParams) { p.ClientID = "https://svc.test" })
	v := redeemForm(code)
	v.Set("client_id", "https://svc.test/")
	tokentest.RequireError(t, f.post(v), 401, "invalid_client")
	v.Set("client_id", "https://SVC.test")
	tokentest.RequireError(t, f.post(v), 401, "invalid_client")
	v.Del("client_id")
	w := f.post(v, "Authorization", tokentest.Basic("https://svc.test", "pw"))
	require.Equal(t, 200, w.Code, w.Body.String())

	// EDGE-02: an oversized client_id is refused before any lookup.
	tokentest.RequireError(t, f.post(ccForm("client_id", strings.Repeat("x", 3000))), 400, "invalid_request")
}

type downClients struct{}

func (downClients) Client(context.Context, string) (*token.Client, error) {
	return nil, io.ErrUnexpectedEOF
}

// A client store that is down is 503 (try again), never a verdict on the
// client; an Authenticator without Clients knows no registered client.
func TestClientStoreDown(t *testing.T) {
	h, err := token.NewHandler(token.Config{Issuer: iss, Store: token.NewMemoryStore(), Clients: downClients{},
		Grants: []token.Grant{token.ClientCredentials{}}})
	require.NoError(t, err)
	w := tokentest.Serve(h, http.MethodPost, "/token", "grant_type=client_credentials", "Authorization", tokentest.Basic("svc", "s3cr3t"))
	tokentest.RequireError(t, w, http.StatusServiceUnavailable, "temporarily_unavailable")
	assert.NotEmpty(t, w.Header().Get("Retry-After"))

	a := &token.Authenticator{}
	r := newPost("/token", "client_id=svc&client_secret=x")
	f, err := token.ParseForm(httptest.NewRecorder(), r)
	require.NoError(t, err)
	_, err = a.Authenticate(context.Background(), r, f)
	require.ErrorIs(t, err, &token.Error{Code: "invalid_client"})
}
