package introspect_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tokenkit/tokenkit/introspect"
	"github.com/tokenkit/tokenkit/token"
	"github.com/tokenkit/tokenkit/token/tokentest"
)

func profileOf(_ context.Context, who string) (*token.Profile, error) {
	return &token.Profile{Name: "User", URL: who, Photo: who + "photo.jpg", Email: "user@user.test"}, nil
}

// resource is a resource server in front of s: /userinfo and a
// micropub-like /micropub that needs "create" and echoes what it saw.
type resource struct {
	*server
	mw   func(http.Handler) http.Handler
	mux  *http.ServeMux
	seen string // the form the wrapped handler parsed
}

func newResource(t *testing.T, mods ...func(*introspect.MiddlewareConfig)) *resource {
	r := &resource{server: newServer(t)}
	cfg := introspect.MiddlewareConfig{Verifier: r.opaque, Realm: "micropub", Audience: rsAud}
	for _, m := range mods {
		m(&cfg)
	}
	r.mw = introspect.Middleware(cfg)
	r.mux = http.NewServeMux()
	r.mux.Handle("/userinfo", r.mw(introspect.Userinfo(token.ProfileFunc(profileOf))))
	r.mux.Handle("/micropub", r.mw(introspect.RequireScope("create")(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		info, ok := introspect.InfoFromContext(req.Context())
		if !ok {
			http.Error(w, "no info", http.StatusInternalServerError)
			return
		}
		if err := req.ParseForm(); err != nil {
			http.Error(w, "bad form", http.StatusBadRequest)
			return
		}
		r.seen = req.PostForm.Encode()
		w.Header().Set("Location", "https://user.test/post/1")
		w.WriteHeader(http.StatusCreated)
		fmt.Fprintf(w, "%s %s", info.Me, info.Scope)
	}))))
	return r
}

func (r *resource) do(method, target, body string, hdr ...string) *httptest.ResponseRecorder {
	return tokentest.Serve(r.mux, method, target, body, hdr...)
}

const (
	bare          = `Bearer realm="micropub"`
	invalidToken  = `Bearer realm="micropub", error="invalid_token", error_description="the access token is invalid"`
	twoPlaces     = `Bearer realm="micropub", error="invalid_request", error_description="the access token was sent in more than one way"`
	malformedCred = `Bearer realm="micropub", error="invalid_request", error_description="the Bearer credentials are malformed"`
)

// requireBare checks the answer to a request without credentials (BEA-05,
// BEA-03): 401, a challenge with the realm only, no body.
func requireBare(t *testing.T, w *httptest.ResponseRecorder) {
	t.Helper()
	require.Equal(t, http.StatusUnauthorized, w.Code, w.Body.String())
	require.Equal(t, bare, w.Header().Get("WWW-Authenticate"))
	require.Equal(t, "no-store", w.Header().Get("Cache-Control"))
	require.Empty(t, w.Body.String())
}

// BEA-01..BEA-09 at /userinfo and /micropub.
func TestMiddlewareWire(t *testing.T) {
	r := newResource(t)
	at, _ := r.redeem("create", "profile")
	narrow, _ := r.redeem("update")
	profileOnly, _ := r.redeem("profile")
	withEmail, _ := r.redeem("profile", "email")
	cc := r.clientToken("read")
	expired, _ := r.redeem("profile")
	rec, err := r.store.Get(context.Background(), token.HashToken(expired))
	require.NoError(t, err)
	rec.Info.ExpiresAt = r.clock.Now().Add(-time.Second)
	require.NoError(t, r.store.Put(context.Background(), rec))

	ok := func(body string) func(*testing.T, *httptest.ResponseRecorder) {
		return func(t *testing.T, w *httptest.ResponseRecorder) {
			require.Equal(t, http.StatusOK, w.Code, w.Body.String())
			assert.Equal(t, "application/json", w.Header().Get("Content-Type"))
			assert.Equal(t, "no-store", w.Header().Get("Cache-Control"))
			assert.JSONEq(t, body, w.Body.String())
		}
	}
	created := func(t *testing.T, w *httptest.ResponseRecorder) {
		require.Equal(t, http.StatusCreated, w.Code, w.Body.String())
		assert.Equal(t, me+" create profile", w.Body.String())
	}
	bad := func(status int, code, challenge string) func(*testing.T, *httptest.ResponseRecorder) {
		return func(t *testing.T, w *httptest.ResponseRecorder) { requireError(t, w, status, code, challenge) }
	}
	profile := `{"name":"User","url":"https://user.test/","photo":"https://user.test/photo.jpg"}`
	for _, tc := range []struct {
		name, method, target, body string
		hdr                        []string
		check                      func(*testing.T, *httptest.ResponseRecorder)
	}{
		{"BEA-01 Bearer", "GET", "/userinfo", "", []string{"Authorization", "Bearer " + at}, ok(profile)},
		{"BEA-01 bearer", "GET", "/userinfo", "", []string{"Authorization", "bearer " + at}, ok(profile)},
		{"BEA-01 BEARER", "GET", "/userinfo", "", []string{"Authorization", "BEARER " + at}, ok(profile)},
		{"BEA-01 POST userinfo", "POST", "/userinfo", "", []string{"Authorization", "Bearer " + at}, ok(profile)},
		{"BEA-02 form body", "POST", "/userinfo", "access_token=" + at, nil, ok(profile)},
		{"BEA-02 form body on GET is not read", "GET", "/userinfo", "access_token=" + at,
			[]string{"Content-Type", "application/x-www-form-urlencoded"}, requireBare},
		{"BEA-02 multipart body is not read", "POST", "/userinfo", "access_token=" + at,
			[]string{"Content-Type", "", "Content-Type", "multipart/form-data; boundary=x"}, requireBare},
		{"BEA-03 query token off", "GET", "/userinfo?access_token=" + at, "", nil, requireBare},
		{"BEA-04 header and body", "POST", "/userinfo", "access_token=" + at, []string{"Authorization", "Bearer " + at}, bad(400, "invalid_request", twoPlaces)},
		{"BEA-04 two body tokens", "POST", "/userinfo", "access_token=" + at + "&access_token=" + at, nil,
			bad(400, "invalid_request", `Bearer realm="micropub", error="invalid_request", error_description="more than one access_token parameter"`)},
		{"BEA-05 no credentials", "GET", "/userinfo", "", nil, requireBare},
		{"BEA-05 Basic scheme", "GET", "/userinfo", "", []string{"Authorization", tokentest.Basic("rs", "rs-secret")}, requireBare},
		{"BEA-05 Bearerx scheme", "GET", "/userinfo", "", []string{"Authorization", "Bearerx " + at}, requireBare},
		{"BEA-06 expired", "GET", "/userinfo", "", []string{"Authorization", "Bearer " + expired}, bad(401, "invalid_token", invalidToken)},
		{"BEA-06 unknown", "GET", "/userinfo", "", []string{"Authorization", "Bearer abc"}, bad(401, "invalid_token", invalidToken)},
		{"BEA-06 code as token", "GET", "/userinfo", "", []string{"Authorization", "Bearer " + r.mint()}, bad(401, "invalid_token", invalidToken)},
		{"EDGE-22 alg none", "GET", "/userinfo", "", []string{"Authorization", "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0."}, bad(401, "invalid_token", invalidToken)},
		{"BEA-07 userinfo without profile", "GET", "/userinfo", "", []string{"Authorization", "Bearer " + narrow},
			bad(403, "insufficient_scope", `Bearer realm="micropub", error="insufficient_scope", error_description="the access token lacks the scope needed", scope="profile"`)},
		{"BEA-07 micropub without create", "POST", "/micropub", "h=entry", []string{"Authorization", "Bearer " + profileOnly},
			bad(403, "insufficient_scope", `Bearer realm="micropub", error="insufficient_scope", error_description="the access token lacks the scope needed", scope="create"`)},
		{"BEA-07 client token at userinfo", "GET", "/userinfo", "", []string{"Authorization", "Bearer " + cc},
			bad(403, "insufficient_scope", `Bearer realm="micropub", error="insufficient_scope", error_description="the access token lacks the scope needed", scope="profile"`)},
		{"BEA-08 Bearer alone", "GET", "/userinfo", "", []string{"Authorization", "Bearer"}, bad(400, "invalid_request", malformedCred)},
		{"BEA-08 Bearer and space", "GET", "/userinfo", "", []string{"Authorization", "Bearer "}, bad(400, "invalid_request", malformedCred)},
		{"BEA-08 two words", "GET", "/userinfo", "", []string{"Authorization", "Bearer a b"}, bad(400, "invalid_request", malformedCred)},
		{"BEA-08 comma", "GET", "/userinfo", "", []string{"Authorization", "Bearer a,b"}, bad(400, "invalid_request", malformedCred)},
		{"EDGE-16 two spaces", "GET", "/userinfo", "", []string{"Authorization", "Bearer  " + at}, bad(400, "invalid_request", malformedCred)},
		{"EDGE-16 100 KB token", "GET", "/userinfo", "", []string{"Authorization", "Bearer " + strings.Repeat("a", 100<<10)}, bad(401, "invalid_token", invalidToken)},
		{"EDGE-16 100 KB body token", "POST", "/userinfo", "access_token=" + strings.Repeat("a", 100<<10), nil, bad(401, "invalid_token", invalidToken)},
		{"EDGE-15 two headers", "GET", "/userinfo", "", []string{"Authorization", "Bearer " + at, "Authorization", "Bearer " + at},
			bad(400, "invalid_request", `Bearer realm="micropub", error="invalid_request", error_description="more than one Authorization header"`)},
		{"BEA-09 profile", "GET", "/userinfo", "", []string{"Authorization", "Bearer " + profileOnly}, ok(profile)},
		{"BEA-09 profile email", "GET", "/userinfo", "", []string{"Authorization", "Bearer " + withEmail},
			ok(`{"name":"User","url":"https://user.test/","photo":"https://user.test/photo.jpg","email":"user@user.test"}`)},
		{"userinfo PUT", "PUT", "/userinfo", "", []string{"Authorization", "Bearer " + at}, bad(405, "invalid_request", "")},
		{"micropub header", "POST", "/micropub", "h=entry&content=hi", []string{"Authorization", "Bearer " + at}, created},
		{"micropub body token", "POST", "/micropub", "h=entry&access_token=" + at + "&category[]=a&category[]=b", nil, created},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.check(t, r.do(tc.method, tc.target, tc.body, tc.hdr...))
		})
	}
}

// The wrapped handler still reads the whole form body.
func TestMiddlewareKeepsBody(t *testing.T) {
	r := newResource(t)
	at, _ := r.redeem("create")
	w := r.do("POST", "/micropub", "h=entry&content=hello+world&access_token="+at+"&category[]=a&category[]=b")
	require.Equal(t, http.StatusCreated, w.Code, w.Body.String())
	assert.Equal(t, "access_token="+at+"&category%5B%5D=a&category%5B%5D=b&content=hello+world&h=entry", r.seen)

	// Past MaxFormBytes the token is not seen, but the body is whole.
	r = newResource(t, func(c *introspect.MiddlewareConfig) { c.MaxFormBytes = 16 })
	at, _ = r.redeem("create")
	content := strings.Repeat("x", 64)
	w = r.do("POST", "/micropub", "content="+content+"&access_token="+at)
	requireBare(t, w)
	w = r.do("POST", "/micropub", "content="+content, "Authorization", "Bearer "+at)
	require.Equal(t, http.StatusCreated, w.Code)
	assert.Equal(t, "content="+content, r.seen)
}

// BEA-03: with the query token enabled, successes are Cache-Control: private.
func TestMiddlewareQueryToken(t *testing.T) {
	r := newResource(t, func(c *introspect.MiddlewareConfig) { c.InsecureAllowQuery = true })
	at, _ := r.redeem("create", "profile")
	w := r.do("GET", "/userinfo?access_token="+at, "")
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	assert.Equal(t, "no-store", w.Header().Get("Cache-Control"), "the JSON writer's no-store is stricter than private")
	w = r.do("POST", "/micropub?access_token="+at, "h=entry")
	require.Equal(t, http.StatusCreated, w.Code, w.Body.String())
	assert.Equal(t, "private", w.Header().Get("Cache-Control"))
	w = r.do("GET", "/userinfo?access_token="+at, "", "Authorization", "Bearer "+at)
	requireError(t, w, 400, "invalid_request", twoPlaces)
	w = r.do("GET", "/userinfo?access_token="+at+"&access_token="+at, "")
	require.Equal(t, http.StatusBadRequest, w.Code)
}

// The audience check: a token for another resource is invalid_token here.
func TestMiddlewareAudience(t *testing.T) {
	r := newResource(t, func(c *introspect.MiddlewareConfig) { c.Audience = rsBAud })
	at, _ := r.redeem("profile")
	requireError(t, r.do("GET", "/userinfo", "", "Authorization", "Bearer "+at), 401, "invalid_token", invalidToken)
}

// A verifier that cannot answer is 503, not invalid_token.
func TestMiddlewareUnavailable(t *testing.T) {
	v := token.VerifierFunc(func(context.Context, string) (*token.Info, error) {
		return nil, fmt.Errorf("wrapped: %w", introspect.ErrRemote)
	})
	h := introspect.Middleware(introspect.MiddlewareConfig{Verifier: v})(http.NotFoundHandler())
	w := tokentest.Serve(h, "GET", "/", "", "Authorization", "Bearer abc")
	requireError(t, w, http.StatusServiceUnavailable, "temporarily_unavailable", "")
	assert.Equal(t, "5", w.Header().Get("Retry-After"))
}

// Handlers used without Middleware fail closed.
func TestWithoutMiddleware(t *testing.T) {
	called := false
	h := introspect.RequireScope("create")(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { called = true }))
	w := tokentest.Serve(h, "GET", "/", "")
	assert.Equal(t, http.StatusUnauthorized, w.Code)
	assert.False(t, called)
	w = tokentest.Serve(introspect.Userinfo(token.ProfileFunc(profileOf)), "GET", "/", "")
	assert.Equal(t, http.StatusUnauthorized, w.Code)
	_, ok := introspect.InfoFromContext(context.Background())
	assert.False(t, ok)
	assert.Panics(t, func() { introspect.Middleware(introspect.MiddlewareConfig{}) })
	assert.Panics(t, func() { introspect.Userinfo(nil) })
}

// A profiles failure is 503.
func TestUserinfoProfilesFailure(t *testing.T) {
	s := newServer(t)
	at, _ := s.redeem("profile")
	down := token.ProfileFunc(func(context.Context, string) (*token.Profile, error) { return nil, errors.New("down") })
	h := introspect.Middleware(introspect.MiddlewareConfig{Verifier: s.opaque})(introspect.Userinfo(down))
	w := tokentest.Serve(h, "GET", "/userinfo", "", "Authorization", "Bearer "+at)
	requireError(t, w, http.StatusServiceUnavailable, "temporarily_unavailable", "")
	// And a nil profile is an empty object.
	none := token.ProfileFunc(func(context.Context, string) (*token.Profile, error) { return nil, nil })
	h = introspect.Middleware(introspect.MiddlewareConfig{Verifier: s.opaque})(introspect.Userinfo(none))
	w = tokentest.Serve(h, "GET", "/userinfo", "", "Authorization", "Bearer "+at)
	require.Equal(t, http.StatusOK, w.Code)
	assert.Equal(t, "{}", w.Body.String())
}

// A body that fails to read is refused as malformed.
func TestMiddlewareBodyReadError(t *testing.T) {
	h := introspect.Middleware(introspect.MiddlewareConfig{Verifier: &token.Opaque{Store: token.NewMemoryStore()}})(http.NotFoundHandler())
	req := httptest.NewRequest("POST", "/", io.MultiReader(strings.NewReader("a=b"), errReader{}))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	assert.Equal(t, http.StatusBadRequest, w.Code)
}

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, errors.New("broken") }

// BEA-08: a body access_token outside the b64token syntax is malformed,
// never handed to the verifier.
func TestMiddlewareBodyTokenSyntax(t *testing.T) {
	v := token.VerifierFunc(func(context.Context, string) (*token.Info, error) {
		t.Fatal("the verifier must not be asked")
		return nil, nil
	})
	h := introspect.Middleware(introspect.MiddlewareConfig{Verifier: v})(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		t.Fatal("the handler must not run")
	}))
	w := tokentest.Serve(h, http.MethodPost, "/micropub", "access_token=a%0D%0Ab%00c&h=entry")
	require.Equal(t, http.StatusBadRequest, w.Code, w.Body.String())
	assert.Contains(t, w.Header().Get("WWW-Authenticate"), `error="invalid_request"`)
}
