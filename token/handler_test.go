package token_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tokenkit/tokenkit/token"
	"github.com/tokenkit/tokenkit/token/tokentest"
)

func serve(h http.Handler, r *http.Request) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// TOK-01, EDGE-18: POST only; overrides ignored.
func TestMethods(t *testing.T) {
	f := newFixture(t)
	for _, m := range []string{http.MethodGet, http.MethodPut, http.MethodHead, http.MethodOptions, http.MethodDelete, http.MethodPatch} {
		w := f.do(m, "")
		assert.Equal(t, 405, w.Code, m)
		assert.Equal(t, "POST", w.Header().Get("Allow"), m)
		assert.NotContains(t, w.Body.String(), "access_token")
	}
	// X-HTTP-Method-Override does not turn a POST into a GET.
	w := f.post(ccForm(), "Authorization", tokentest.Basic("svc", "s3cr3t"), "X-HTTP-Method-Override", "GET")
	assert.Equal(t, 200, w.Code)
}

// The hooks: GET goes to Verify, action=revoke to Revoke (with the form
// already parsed), any other action is invalid_request and never issues.
func TestHooks(t *testing.T) {
	var got *token.Form
	verify := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(299) })
	revoke := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f, err := token.ParseForm(w, r)
		require.NoError(t, err)
		got = f
		w.WriteHeader(http.StatusOK)
	})
	f := newFixture(t, func(c *token.Config, _ *token.LocalCodes) { c.Verify, c.Revoke = verify, revoke })
	assert.Equal(t, 299, f.do(http.MethodGet, "").Code)
	w := f.do(http.MethodPut, "")
	assert.Equal(t, 405, w.Code)
	assert.Equal(t, "GET, POST", w.Header().Get("Allow"))

	// EDGE-20, LEG-06: action=revoke never consumes the code.
	code := f.mint()
	v := redeemForm(code)
	v.Set("action", "revoke")
	v.Set("token", "abc")
	w = f.post(v)
	require.Equal(t, 200, w.Code)
	assert.Empty(t, w.Body.String())
	require.NotNil(t, got)
	assert.Equal(t, "abc", got.Get("token"))
	require.Equal(t, 200, f.post(redeemForm(code)).Code)

	v.Set("action", "foo")
	tokentest.RequireError(t, f.post(v), 400, "invalid_request")
	// Without a Revoke hook, action=revoke is not understood either.
	tokentest.RequireError(t, newFixture(t).post(url.Values{"action": {"revoke"}, "token": {"x"}}), 400, "invalid_request")
}

// TOK-02, ERR-01, ERR-02, EDGE-01..10: malformed requests.
func TestMalformedRequests(t *testing.T) {
	cc := ccForm().Encode()
	for _, tc := range []struct {
		name   string
		ctype  string
		body   string
		status int
		code   string
	}{
		{"TOK-02 json", "application/json", `{"grant_type":"client_credentials"}`, 400, "invalid_request"},
		{"TOK-02 multipart", "multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=\"grant_type\"\r\n\r\nclient_credentials\r\n--x--", 400, "invalid_request"},
		{"EDGE-05 text/plain", "text/plain", cc, 400, "invalid_request"},
		{"EDGE-05 none", "", cc, 400, "invalid_request"},
		{"EDGE-06 latin-1", "application/x-www-form-urlencoded; charset=ISO-8859-1", "grant_type=client_credentials&scope=r%E9ad", 400, "invalid_request"},
		{"EDGE-07 %FF", "", "grant_type=%FF", 400, "invalid_request"},
		{"EDGE-07 overlong", "", "grant_type=%C0%AF", 400, "invalid_request"},
		{"EDGE-07 surrogate", "", "grant_type=%ED%A0%80", 400, "invalid_request"},
		{"EDGE-08 %zz", "", "grant_type=%zz", 400, "invalid_request"},
		{"EDGE-08 trailing %", "", "grant_type=client_credentials%", 400, "invalid_request"},
		{"EDGE-08 short escape", "", "grant_type=%4", 400, "invalid_request"},
		{"EDGE-09 NUL", "", "grant_type=client_credentials&code=a%00b", 400, "invalid_request"},
		{"EDGE-09 CRLF", "", "grant_type=client_credentials&client_id=a%0D%0Ab", 400, "invalid_request"},
		{"EDGE-09 raw control", "", "grant_type=client_credentials&code=a\x01b", 400, "invalid_request"},
		{"EDGE-03 same value twice", "", "grant_type=a&grant_type=a", 400, "invalid_request"},
		{"too many parameters", "", strings.Repeat("x=1&", 100) + cc, 400, "invalid_request"},
		{"ERR-02 hostile grant_type", "", "grant_type=%22%5C%0D%0A%C3%A9", 400, "invalid_request"},
		{"ERR-02 hostile unknown grant", "", "grant_type=%22%5C%C3%A9", 400, "unsupported_grant_type"},
		{"repeated name reflected safely", "", "a%22b=1&a%22b=2", 400, "invalid_request"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			r := newPost("/token", tc.body)
			r.Header.Del("Content-Type")
			ct := tc.ctype
			if ct == "" && !strings.HasPrefix(tc.name, "EDGE-05") {
				ct = "application/x-www-form-urlencoded"
			}
			if ct != "" {
				r.Header.Set("Content-Type", ct)
			}
			w := serve(f.h, r)
			tokentest.RequireError(t, w, tc.status, tc.code)
			m := tokentest.DecodeJSON(t, w)
			desc, _ := m["error_description"].(string)
			for _, c := range desc { // ERR-02 character set
				assert.True(t, c == 0x20 || c == 0x21 || c >= 0x23 && c <= 0x5B || c >= 0x5D && c <= 0x7E, "char %q in %q", c, desc)
			}
		})
	}
}

// EDGE-01: an oversized body is refused without being buffered whole.
func TestOversizedBody(t *testing.T) {
	f := newFixture(t)
	big := &countingReader{r: io.LimitReader(zeros{}, 10<<20)}
	r := httptest.NewRequest(http.MethodPost, "/token", big)
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.ContentLength = -1
	w := serve(f.h, r)
	tokentest.RequireError(t, w, 413, "invalid_request")
	assert.Less(t, big.n, int64(1<<20))

	// A declared length over the cap is refused before reading.
	r = httptest.NewRequest(http.MethodPost, "/token", bytes.NewReader(make([]byte, 100<<10)))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	tokentest.RequireError(t, serve(f.h, r), 413, "invalid_request")
}

// EDGE-02: a 1 MiB parameter inside the cap is not looked up.
func TestHugeParameter(t *testing.T) {
	f := newFixture(t)
	v := redeemForm(strings.Repeat("c", 60<<10))
	tokentest.RequireError(t, f.post(v), 400, "invalid_grant")
}

// EDGE-04: the query string is never merged into the form.
func TestQueryIgnored(t *testing.T) {
	f := newFixture(t)
	code := f.mint()
	v := redeemForm(code)
	v.Set("code", "B")
	tokentest.RequireError(t, serve(f.h, newPost("/token?code="+url.QueryEscape(code), v.Encode())), 400, "invalid_grant")
	require.Equal(t, 200, f.post(redeemForm(code)).Code)
}

// The endpoint works under any path (PACT ADR case).
func TestAnyMountPath(t *testing.T) {
	f := newFixture(t)
	for _, p := range []string{"/token", "/auth/token", "/oauth/token"} {
		mux := http.NewServeMux()
		mux.Handle(p, f.h)
		srv := httptest.NewServer(mux)
		resp, err := http.Post(srv.URL+p, "application/x-www-form-urlencoded", strings.NewReader(redeemForm(f.mint()).Encode()))
		require.NoError(t, err)
		assert.Equal(t, 200, resp.StatusCode, p)
		resp.Body.Close()
		srv.Close()
	}
}

// SEC-04: no token, code or secret reaches the log.
func TestLogsHoldNoSecrets(t *testing.T) {
	f := newFixture(t)
	code := f.mint()
	w := f.post(redeemForm(code))
	require.Equal(t, 200, w.Code)
	m := tokentest.DecodeJSON(t, w)
	require.Equal(t, 200, f.post(refreshForm(m["refresh_token"].(string))).Code)
	require.Equal(t, 400, f.post(redeemForm(code)).Code)
	require.Equal(t, 200, f.post(ccForm(), "Authorization", tokentest.Basic("svc", "s3cr3t")).Code)
	logs := f.logs.String()
	require.Contains(t, logs, "token: issued")
	for _, secret := range []string{code, m["access_token"].(string), m["refresh_token"].(string), "s3cr3t", verifierV} {
		assert.NotContains(t, logs, secret)
	}
}

func TestNewHandlerConfig(t *testing.T) {
	_, err := token.NewHandler(token.Config{Store: token.NewMemoryStore()})
	require.Error(t, err)
	_, err = token.NewHandler(token.Config{Issuer: iss})
	require.Error(t, err)
	_, err = token.NewHandler(token.Config{Issuer: iss, Store: token.NewMemoryStore(), Grants: []token.Grant{token.ClientCredentials{}, token.ClientCredentials{}}})
	require.Error(t, err)
	h, err := token.NewHandler(token.Config{Issuer: iss, Store: token.NewMemoryStore()})
	require.NoError(t, err)
	assert.Equal(t, []string{"authorization_code", "refresh_token"}, h.GrantTypes())
}

// A store that fails answers server_error, never a token or internals.
func TestStoreFailure(t *testing.T) {
	f := newFixture(t)
	h, err := token.NewHandler(token.Config{Issuer: iss, Store: failingStore{f.store}, Clients: f.clients,
		Grants: []token.Grant{token.ClientCredentials{}}})
	require.NoError(t, err)
	w := serve(h, newPost("/token", ccForm().Encode()+"&client_id=svc&client_secret=s3cr3t"))
	tokentest.RequireError(t, w, 500, "server_error")
	assert.NotContains(t, w.Body.String(), "disk")
}

type failingStore struct{ *token.MemoryStore }

func (failingStore) Put(context.Context, *token.Record) error { return io.ErrShortWrite }

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'a'
	}
	return len(p), nil
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// SEC-01: tokens, refresh tokens and codes are unique and carry 256 random
// bits (43 base64url characters).
func TestTokensUnique(t *testing.T) {
	f := newFixture(t, noLogs)
	seen := map[string]bool{}
	add := func(s string) {
		require.Len(t, s, 43)
		require.False(t, seen[s], "duplicate %q", s)
		seen[s] = true
	}
	for range 2000 {
		add(f.mint())
	}
	for range 1000 {
		w := f.post(ccForm(), "Authorization", tokentest.Basic("svc", "s3cr3t"))
		add(tokentest.DecodeJSON(t, w)["access_token"].(string))
	}
	for range 500 {
		m := f.redeem()
		add(m["access_token"].(string))
		add(m["refresh_token"].(string))
	}
}
