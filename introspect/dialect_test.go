package introspect_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tokenkit/tokenkit/introspect"
	"github.com/tokenkit/tokenkit/revoke"
	"github.com/tokenkit/tokenkit/token"
	"github.com/tokenkit/tokenkit/token/tokentest"
)

// stack is a whole IndieAuth server over real HTTP, composed as doc.go
// shows: one token endpoint path serving the grants, the legacy GET
// verification and action=revoke; RFC 7662 introspection and RFC 7009
// revocation beside it; and a resource server (micropub, userinfo) behind
// the bearer middleware. This test imports package revoke; the two
// packages themselves do not import each other.
type stack struct {
	srv   *httptest.Server
	codes *token.LocalCodes
}

func newStack(t *testing.T, jwt bool) *stack {
	store := token.NewMemoryStore()
	clients := token.NewMemoryClients(
		&token.Client{ID: "rs", Secret: token.HashSecret("rs-secret"), Permissions: []string{"introspect"}})
	var verifier token.Verifier = &token.Opaque{Store: store}
	var issuer token.Issuer
	if jwt {
		key, err := token.GenerateEd25519Key("k1", nil)
		require.NoError(t, err)
		keys, err := token.NewKeySet(key)
		require.NoError(t, err)
		j := &token.JWT{Keys: keys, Issuer: iss, Store: store}
		verifier, issuer = j, j
	}
	auth := &token.Authenticator{Clients: clients}
	legacy, err := introspect.NewLegacy(introspect.LegacyConfig{Verifier: verifier})
	require.NoError(t, err)
	revoker, err := revoke.NewHandler(revoke.Config{Store: store, Auth: auth, Verifier: verifier, AllowPublic: true})
	require.NoError(t, err)
	codes := &token.LocalCodes{Store: store}
	tokens, err := token.NewHandler(token.Config{
		Issuer:  iss,
		Store:   store,
		Clients: clients,
		Tokens:  issuer,
		Grants:  []token.Grant{&token.AuthorizationCode{Codes: codes}, &token.RefreshToken{}, token.ClientCredentials{}},
		Verify:  legacy,
		Revoke:  revoker,
	})
	require.NoError(t, err)
	intro, err := introspect.NewHandler(introspect.Config{Verifier: verifier, Callers: &introspect.Callers{Auth: tokens.Authenticator()}})
	require.NoError(t, err)
	mw := introspect.Middleware(introspect.MiddlewareConfig{Verifier: verifier, Audience: iss})

	mux := http.NewServeMux()
	mux.Handle("/token", tokens)
	mux.Handle("/introspect", intro)
	mux.Handle("/revoke", revoker)
	mux.Handle("/userinfo", mw(introspect.Userinfo(token.ProfileFunc(profileOf))))
	mux.Handle("/micropub", mw(introspect.RequireScope("create")(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusCreated)
	}))))
	s := &stack{srv: httptest.NewServer(mux), codes: codes}
	t.Cleanup(s.srv.Close)
	return s
}

type reply struct {
	status int
	header http.Header
	body   string
}

func (s *stack) do(t *testing.T, method, path, body string, hdr ...string) reply {
	t.Helper()
	req, err := http.NewRequest(method, s.srv.URL+path, strings.NewReader(body))
	require.NoError(t, err)
	if method == http.MethodPost {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := s.srv.Client().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return reply{resp.StatusCode, resp.Header, string(b)}
}

func (s *stack) redeem(t *testing.T) (at, rt string) {
	code, err := s.codes.Mint(context.Background(), token.CodeParams{Me: me, ClientID: c1, RedirectURI: cb,
		Scope: token.Scope{"create", "profile"}, Challenge: token.S256Challenge(verifierV)})
	require.NoError(t, err)
	r := s.do(t, "POST", "/token", url.Values{"grant_type": {"authorization_code"}, "code": {code},
		"client_id": {c1}, "redirect_uri": {cb}, "code_verifier": {verifierV}}.Encode())
	require.Equal(t, http.StatusOK, r.status, r.body)
	var m map[string]any
	require.NoError(t, json.Unmarshal([]byte(r.body), &m))
	return m["access_token"].(string), m["refresh_token"].(string)
}

// The dialect table: a token the token endpoint issued is active at the
// introspection endpoint, verifies by the legacy GET in JSON and in form
// encoding, passes the middleware and the remote client, and after either
// kind of revocation is refused by all of them.
func TestDialects(t *testing.T) {
	for _, format := range []string{"opaque", "jwt"} {
		for _, how := range []string{"action=revoke", "RFC 7009"} {
			t.Run(format+"/"+how, func(t *testing.T) {
				s := newStack(t, format == "jwt")
				at, rt := s.redeem(t)
				rs := []string{"Authorization", tokentest.Basic("rs", "rs-secret")}
				remote, err := introspect.NewClient(introspect.ClientConfig{Endpoint: s.srv.URL + "/introspect",
					ClientID: "rs", ClientSecret: "rs-secret", CacheSize: -1})
				require.NoError(t, err)
				legacyClient, err := introspect.NewClient(introspect.ClientConfig{Endpoint: s.srv.URL + "/token", Legacy: true, CacheSize: -1})
				require.NoError(t, err)

				r := s.do(t, "POST", "/introspect", "token="+at, rs...)
				require.Equal(t, 200, r.status)
				assert.Contains(t, r.body, `"active":true`)
				assert.Contains(t, r.body, `"me":"https://user.test/"`)

				r = s.do(t, "GET", "/token", "", "Authorization", "Bearer "+at, "Accept", "application/json")
				require.Equal(t, 200, r.status)
				assert.Equal(t, "application/json", r.header.Get("Content-Type"))
				assert.Contains(t, r.body, `"me":"https://user.test/","client_id":"https://app.test/","scope":"create profile"`)

				r = s.do(t, "GET", "/token", "", "Authorization", "Bearer "+at)
				require.Equal(t, 200, r.status)
				assert.Equal(t, "application/x-www-form-urlencoded", r.header.Get("Content-Type"))
				assert.True(t, strings.HasPrefix(r.body, "me=https%3A%2F%2Fuser.test%2F&client_id=https%3A%2F%2Fapp.test%2F&scope=create+profile&"), r.body)

				assert.Equal(t, 201, s.do(t, "POST", "/micropub", "h=entry&access_token="+at).status)
				assert.Equal(t, 200, s.do(t, "GET", "/userinfo", "", "Authorization", "Bearer "+at).status)
				for _, c := range []*introspect.Client{remote, legacyClient} {
					info, err := c.Verify(context.Background(), at)
					require.NoError(t, err)
					assert.Equal(t, me, info.Me)
				}

				if how == "action=revoke" {
					r = s.do(t, "POST", "/token", "action=revoke&token="+url.QueryEscape(at))
				} else {
					r = s.do(t, "POST", "/revoke", "token="+url.QueryEscape(at)+"&token_type_hint=access_token")
				}
				require.Equal(t, 200, r.status, r.body)
				assert.Empty(t, r.body)

				r = s.do(t, "POST", "/introspect", "token="+at, rs...)
				assert.Equal(t, reply{200, r.header, `{"active":false}`}, r)
				r = s.do(t, "GET", "/token", "", "Authorization", "Bearer "+at, "Accept", "application/json")
				assert.Equal(t, 401, r.status)
				assert.Equal(t, `Bearer realm="token", error="invalid_token", error_description="the access token is invalid"`, r.header.Get("WWW-Authenticate"))
				r = s.do(t, "POST", "/micropub", "h=entry", "Authorization", "Bearer "+at)
				assert.Equal(t, 401, r.status)
				assert.Equal(t, `Bearer realm="resource", error="invalid_token", error_description="the access token is invalid"`, r.header.Get("WWW-Authenticate"))
				assert.Equal(t, 401, s.do(t, "GET", "/userinfo", "", "Authorization", "Bearer "+at).status)
				for _, c := range []*introspect.Client{remote, legacyClient} {
					_, err := c.Verify(context.Background(), at)
					assert.ErrorIs(t, err, token.ErrUnknown)
				}
				// The grant went with it (REV-04).
				r = s.do(t, "POST", "/token", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt}, "client_id": {c1}}.Encode())
				assert.Equal(t, 400, r.status)
				assert.Contains(t, r.body, `"invalid_grant"`)
			})
		}
	}
}
