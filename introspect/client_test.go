package introspect_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tokenkit/tokenkit/introspect"
	"github.com/tokenkit/tokenkit/token"
	"github.com/tokenkit/tokenkit/token/tokentest"
)

// remote is a real authorization server from this library on a loopback
// listener, counting the verification requests it gets.
type remote struct {
	*server
	srv  *httptest.Server
	hits atomic.Int64
}

func newRemote(t *testing.T) *remote {
	r := &remote{server: newServer(t)}
	mux := http.NewServeMux()
	mux.Handle("/token", r.tokens)
	mux.Handle("/introspect", r.intro)
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if req.Method == http.MethodGet || req.URL.Path == "/introspect" {
			r.hits.Add(1)
		}
		mux.ServeHTTP(w, req)
	}))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *remote) client(t *testing.T, mods ...func(*introspect.ClientConfig)) *introspect.Client {
	cfg := introspect.ClientConfig{Endpoint: r.srv.URL + "/introspect", ClientID: "rs", ClientSecret: "rs-secret", Now: r.clock.Now}
	for _, m := range mods {
		m(&cfg)
	}
	c, err := introspect.NewClient(cfg)
	require.NoError(t, err)
	return c
}

func legacyMode(r *remote) func(*introspect.ClientConfig) {
	return func(c *introspect.ClientConfig) {
		c.Endpoint, c.Legacy, c.ClientID, c.ClientSecret = r.srv.URL+"/token", true, "", ""
	}
}

// The client against the library's own server, in both dialects and with
// both kinds of credentials.
func TestClientAgainstServer(t *testing.T) {
	r := newRemote(t)
	at, rt := r.redeem()
	svcTok := r.clientToken("introspect")
	for name, mod := range map[string]func(*introspect.ClientConfig){
		"RFC 7662, client_secret_basic": func(*introspect.ClientConfig) {},
		"RFC 7662, bearer":              func(c *introspect.ClientConfig) { c.ClientID, c.ClientSecret, c.BearerToken = "", "", svcTok },
		"legacy GET":                    legacyMode(r),
	} {
		t.Run(name, func(t *testing.T) {
			c := r.client(t, mod)
			info, err := c.Verify(context.Background(), at)
			require.NoError(t, err)
			assert.Equal(t, me, info.Me)
			assert.Equal(t, c1, info.ClientID)
			assert.Equal(t, token.Scope{"create", "update"}, info.Scope)
			assert.Equal(t, []string{rsAud}, info.Audience)
			assert.Equal(t, r.clock.Now().Add(time.Hour), info.ExpiresAt.UTC())
			for _, bad := range []string{"unknown-token", rt, r.mint()} {
				_, err = c.Verify(context.Background(), bad)
				assert.ErrorIs(t, err, token.ErrUnknown)
			}
		})
	}
}

// A refresh token introspected active is still no access token.
func TestClientRefusesRefreshTokens(t *testing.T) {
	r := &remote{server: newServer(t, withRefresh)}
	r.srv = httptest.NewServer(r.intro)
	defer r.srv.Close()
	_, rt := r.redeem()
	c := r.client(t, func(c *introspect.ClientConfig) { c.Endpoint = r.srv.URL })
	_, err := c.Verify(context.Background(), rt)
	assert.ErrorIs(t, err, token.ErrUnknown)
}

// Caching: hits are served locally, never past exp nor CacheTTL; negative
// answers for NegativeTTL; failures not at all.
func TestClientCache(t *testing.T) {
	r := newRemote(t)
	at, _ := r.redeem()
	c := r.client(t, func(c *introspect.ClientConfig) { c.CacheTTL = 10 * time.Minute })
	ctx := context.Background()
	for range 5 {
		_, err := c.Verify(ctx, at)
		require.NoError(t, err)
	}
	assert.EqualValues(t, 1, r.hits.Load())

	// A revocation is seen once the cached answer lapses (CacheTTL).
	require.NoError(t, r.store.Revoke(ctx, token.HashToken(at), time.Time{}))
	_, err := c.Verify(ctx, at)
	require.NoError(t, err, "still cached")
	r.clock.Advance(10 * time.Minute)
	_, err = c.Verify(ctx, at)
	assert.ErrorIs(t, err, token.ErrUnknown)
	assert.EqualValues(t, 2, r.hits.Load())

	// Never past the token's exp, whatever CacheTTL says.
	at2, _ := r.redeem()
	c = r.client(t, func(c *introspect.ClientConfig) { c.CacheTTL = 24 * time.Hour })
	_, err = c.Verify(ctx, at2)
	require.NoError(t, err)
	r.clock.Advance(time.Hour)
	_, err = c.Verify(ctx, at2)
	assert.ErrorIs(t, err, token.ErrUnknown)
	assert.EqualValues(t, 4, r.hits.Load())

	// Negative answers are kept for NegativeTTL.
	for range 3 {
		_, err = c.Verify(ctx, "guess")
		assert.ErrorIs(t, err, token.ErrUnknown)
	}
	assert.EqualValues(t, 5, r.hits.Load())
	r.clock.Advance(introspect.DefaultNegativeTTL)
	_, err = c.Verify(ctx, "guess")
	assert.ErrorIs(t, err, token.ErrUnknown)
	assert.EqualValues(t, 6, r.hits.Load())

	// Failures are not cached.
	r.store.set(true)
	_, err = c.Verify(ctx, "another")
	assert.ErrorIs(t, err, introspect.ErrRemote)
	r.store.set(false)
	_, err = c.Verify(ctx, "another")
	assert.ErrorIs(t, err, token.ErrUnknown)
	assert.EqualValues(t, 8, r.hits.Load())

	// Tokens too long, or unfit for a header in legacy mode, are never sent.
	_, err = c.Verify(ctx, strings.Repeat("a", introspect.MaxTokenBytes+1))
	assert.ErrorIs(t, err, token.ErrMalformed)
	_, err = r.client(t, legacyMode(r)).Verify(ctx, "a b\r\nX: y")
	assert.ErrorIs(t, err, token.ErrMalformed)
	_, err = c.Verify(ctx, "")
	assert.ErrorIs(t, err, token.ErrMalformed)
	assert.EqualValues(t, 8, r.hits.Load())

	// No cache at all.
	c = r.client(t, func(c *introspect.ClientConfig) { c.CacheSize = -1 })
	at3, _ := r.redeem()
	for range 2 {
		_, err = c.Verify(ctx, at3)
		require.NoError(t, err)
	}
	assert.EqualValues(t, 10, r.hits.Load())
}

// Concurrent lookups of one token make one request.
func TestClientSingleflight(t *testing.T) {
	var hits atomic.Int64
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		<-release
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"active":true,"me":"https://user.test/","client_id":"c","scope":"create"}`))
	}))
	defer srv.Close()
	c, err := introspect.NewClient(introspect.ClientConfig{Endpoint: srv.URL, ClientID: "rs", ClientSecret: "x"})
	require.NoError(t, err)
	var wg sync.WaitGroup
	errs := make(chan error, 50)
	for range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := c.Verify(context.Background(), "same-token")
			errs <- err
		}()
	}
	time.Sleep(50 * time.Millisecond)
	close(release)
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	assert.EqualValues(t, 1, hits.Load())
}

// Misbehaving endpoints: nothing they say counts as active.
func TestClientMisbehavingServers(t *testing.T) {
	slow := make(chan struct{})
	defer close(slow)
	for _, tc := range []struct {
		name    string
		handler http.HandlerFunc
		mod     func(*introspect.ClientConfig)
		want    error
	}{
		{"500", func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(500)
			_, _ = w.Write([]byte(`{"active":true}`))
		}, nil, introspect.ErrRemote},
		{"401 to our credentials", func(w http.ResponseWriter, _ *http.Request) {
			w.WriteHeader(401)
		}, nil, introspect.ErrRemote},
		{"active as a string", jsonReply(`{"active":"true","me":"https://user.test/"}`), nil, introspect.ErrRemote},
		{"exp as a string", jsonReply(`{"active":true,"exp":"9999999999"}`), nil, introspect.ErrRemote},
		{"scope as an array", jsonReply(`{"active":true,"scope":["create"]}`), nil, introspect.ErrRemote},
		{"no active member", jsonReply(`{"me":"https://user.test/"}`), nil, introspect.ErrRemote},
		{"active but expired", jsonReply(`{"active":true,"exp":1000}`), nil, token.ErrExpired},
		{"active but not yet valid", jsonReply(`{"active":true,"nbf":99999999999}`), nil, token.ErrExpired},
		{"html", func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			_, _ = w.Write([]byte(`{"active":true}`))
		}, nil, introspect.ErrRemote},
		{"huge body", func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"active":true,"me":"` + strings.Repeat("a", 1<<20) + `"}`))
		}, nil, introspect.ErrRemote},
		{"endless body", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"active":true,"me":"`))
			for r.Context().Err() == nil {
				if _, err := w.Write([]byte(strings.Repeat("a", 4096))); err != nil {
					return
				}
			}
		}, nil, introspect.ErrRemote},
		{"slow", func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.Copy(io.Discard, r.Body) // so the server notices the client leave
			select {
			case <-slow:
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
			}
		}, func(c *introspect.ClientConfig) { c.Timeout = 100 * time.Millisecond }, introspect.ErrRemote},
		{"drip", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			for i := 0; r.Context().Err() == nil && i < 100; i++ {
				_, _ = w.Write([]byte(" "))
				w.(http.Flusher).Flush()
				time.Sleep(20 * time.Millisecond)
			}
		}, func(c *introspect.ClientConfig) { c.Timeout = 200 * time.Millisecond }, introspect.ErrRemote},
		{"legacy 500", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(500) },
			func(c *introspect.ClientConfig) { c.Legacy = true }, introspect.ErrRemote},
		{"legacy 401", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(401) },
			func(c *introspect.ClientConfig) { c.Legacy = true }, token.ErrUnknown},
		{"legacy 200 naming nobody", jsonReply(`{"scope":"create"}`),
			func(c *introspect.ClientConfig) { c.Legacy = true }, introspect.ErrRemote},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(tc.handler)
			defer srv.Close()
			cfg := introspect.ClientConfig{Endpoint: srv.URL, ClientID: "rs", ClientSecret: "x"}
			if tc.mod != nil {
				tc.mod(&cfg)
			}
			c, err := introspect.NewClient(cfg)
			require.NoError(t, err)
			start := time.Now()
			info, err := c.Verify(context.Background(), "tok")
			assert.Nil(t, info)
			assert.ErrorIs(t, err, tc.want)
			assert.False(t, token.IsInvalid(err) && errors.Is(tc.want, introspect.ErrRemote))
			assert.Less(t, time.Since(start), 3*time.Second)
		})
	}
}

// SEC-06 on the client side: a redirect is never followed, so neither the
// token nor the credentials reach another server, whether the Client built
// its HTTP client or was given one.
func TestClientNoRedirects(t *testing.T) {
	var hits atomic.Int32
	elsewhere := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		jsonReply(`{"active":true,"me":"https://victim.test/"}`)(w, r)
	}))
	defer elsewhere.Close()
	as := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, elsewhere.URL+"/introspect", http.StatusTemporaryRedirect)
	}))
	defer as.Close()
	for _, hc := range []*http.Client{nil, {}} {
		c, err := introspect.NewClient(introspect.ClientConfig{Endpoint: as.URL, ClientID: "rs", ClientSecret: "x", HTTPClient: hc})
		require.NoError(t, err)
		_, err = c.Verify(context.Background(), "tok")
		require.ErrorIs(t, err, introspect.ErrRemote)
	}
	assert.Equal(t, int32(0), hits.Load())
}

func jsonReply(body string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(body))
	}
}

// LEG-08: the client asks for JSON and reads a form-encoded legacy answer
// by its Content-Type.
func TestClientLegacyFormReply(t *testing.T) {
	var accept, auth string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		accept, auth = r.Header.Get("Accept"), r.Header.Get("Authorization")
		w.Header().Set("Content-Type", "application/x-www-form-urlencoded")
		_, _ = w.Write([]byte("me=https%3A%2F%2Fuser.test%2F&scope=create"))
	}))
	defer srv.Close()
	c, err := introspect.NewClient(introspect.ClientConfig{Endpoint: srv.URL, Legacy: true})
	require.NoError(t, err)
	info, err := c.Verify(context.Background(), "tok")
	require.NoError(t, err)
	assert.Equal(t, me, info.Me)
	assert.Equal(t, token.Scope{"create"}, info.Scope)
	assert.Equal(t, "application/json", accept)
	assert.Equal(t, "Bearer tok", auth)
}

// A caller that gives up gets its answer at once; the lookup goes on for
// the others.
func TestClientCallerCancels(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-release
		jsonReply(`{"active":true,"client_id":"c"}`)(w, r)
	}))
	defer srv.Close()
	defer close(release)
	c, err := introspect.NewClient(introspect.ClientConfig{Endpoint: srv.URL})
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err = c.Verify(ctx, "tok")
	assert.ErrorIs(t, err, introspect.ErrRemote)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.False(t, token.IsInvalid(err))
}

// The middleware in front of a Client whose endpoint is down answers 503.
func TestClientDownMiddleware503(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(502) }))
	defer srv.Close()
	c, err := introspect.NewClient(introspect.ClientConfig{Endpoint: srv.URL})
	require.NoError(t, err)
	h := introspect.Middleware(introspect.MiddlewareConfig{Verifier: c})(http.NotFoundHandler())
	w := tokentest.Serve(h, "GET", "/", "", "Authorization", "Bearer abc")
	requireError(t, w, http.StatusServiceUnavailable, "temporarily_unavailable", "")
}

func TestNewClientChecksConfig(t *testing.T) {
	for _, cfg := range []introspect.ClientConfig{
		{},
		{Endpoint: "/introspect"},
		{Endpoint: "http://as.test/introspect"},
		{Endpoint: "ftp://as.test/introspect"},
		{Endpoint: "https://user:pw@as.test/introspect"},
		{Endpoint: "https://as.test/introspect", ClientID: "rs", BearerToken: "t"},
	} {
		_, err := introspect.NewClient(cfg)
		assert.Error(t, err, cfg.Endpoint)
	}
	for _, cfg := range []introspect.ClientConfig{
		{Endpoint: "https://as.test/introspect"},
		{Endpoint: "http://127.0.0.1:8080/introspect"},
		{Endpoint: "http://[::1]/introspect"},
		{Endpoint: "http://localhost/introspect"},
		{Endpoint: "http://as.internal/introspect", InsecureAllowHTTP: true},
	} {
		_, err := introspect.NewClient(cfg)
		assert.NoError(t, err, cfg.Endpoint)
	}
}

// A flood of distinct tokens against a slow endpoint holds at most
// MaxInFlight requests; the rest fail at once as not verified.
func TestClientMaxInFlight(t *testing.T) {
	var inFlight, peak atomic.Int32
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
		}
		select {
		case <-release:
		case <-r.Context().Done():
		}
		jsonReply(`{"active":false}`)(w, r)
	}))
	defer srv.Close()
	c, err := introspect.NewClient(introspect.ClientConfig{Endpoint: srv.URL, ClientID: "rs", ClientSecret: "x", MaxInFlight: 2})
	require.NoError(t, err)
	var wg sync.WaitGroup
	var done atomic.Int32
	errs := make([]error, 6)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = c.Verify(context.Background(), "tok"+strconv.Itoa(i))
			done.Add(1)
		}()
	}
	// Two wait on the endpoint; the four others are turned away at once.
	require.Eventually(t, func() bool { return inFlight.Load() == 2 && done.Load() == 4 }, 5*time.Second, 5*time.Millisecond)
	close(release)
	wg.Wait()
	refused := 0
	for _, err := range errs {
		if errors.Is(err, introspect.ErrRemote) {
			refused++
		} else {
			require.ErrorIs(t, err, token.ErrUnknown)
		}
	}
	assert.Equal(t, int32(2), peak.Load())
	assert.Equal(t, 4, refused)
}
