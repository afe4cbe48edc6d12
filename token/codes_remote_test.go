package token_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tokenkit/tokenkit/token"
	"github.com/tokenkit/tokenkit/token/tokentest"
)

// A stub authorization endpoint for RemoteCodes: it knows a few codes and
// answers as each test case says.
func remoteFixture(t *testing.T, answer func(w http.ResponseWriter, r *http.Request)) (*fixture, *httptest.Server) {
	srv := httptest.NewServer(http.HandlerFunc(answer))
	t.Cleanup(srv.Close)
	f := newFixture(t, func(c *token.Config, _ *token.LocalCodes) {
		c.Grants = []token.Grant{&token.AuthorizationCode{Codes: &token.RemoteCodes{
			Store:      c.Store,
			HTTPClient: srv.Client(),
			AuthorizationEndpoint: func(_ context.Context, who string) (string, error) {
				switch who {
				case me, "https://alias.user.test/":
					return srv.URL + "/auth", nil
				case "https://other.test/":
					return "https://other.test/auth", nil
				}
				return "", errors.New("unknown")
			},
		}}}
	})
	return f, srv
}

func remoteForm(code string) url.Values {
	v := redeemForm(code)
	v.Set("me", me)
	return v
}

func TestRemoteCodes(t *testing.T) {
	var seen url.Values
	f, _ := remoteFixture(t, func(w http.ResponseWriter, r *http.Request) {
		require.NoError(t, r.ParseForm())
		seen = r.PostForm
		assert.Equal(t, "application/json", r.Header.Get("Accept"))
		if r.PostForm.Get("code") != "good" {
			w.WriteHeader(400)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"me":"https://user.test/","scope":"create","profile":{"name":"U"}}`))
	})
	w := f.post(remoteForm("good"))
	require.Equal(t, 200, w.Code, w.Body.String())
	m := tokentest.DecodeJSON(t, w)
	assert.Equal(t, me, m["me"])
	assert.Equal(t, "create", m["scope"])
	assert.Equal(t, "good", seen.Get("code"))
	assert.Equal(t, c1, seen.Get("client_id"))
	assert.Equal(t, cb, seen.Get("redirect_uri"))
	assert.Equal(t, verifierV, seen.Get("code_verifier"))

	// A replay revokes what the code issued, without asking again.
	seen = nil
	tokentest.RequireError(t, f.post(remoteForm("good")), 400, "invalid_grant")
	assert.Nil(t, seen)
	_, err := f.verify(m["access_token"].(string))
	require.ErrorIs(t, err, token.ErrRevoked)

	tokentest.RequireError(t, f.post(remoteForm("bad")), 400, "invalid_grant")
	tokentest.RequireError(t, f.post(redeemForm("good2")), 400, "invalid_request") // no me: no endpoint to ask
	v := remoteForm("good3")
	v.Set("me", "https://unknown.test/")
	tokentest.RequireError(t, f.post(v), 400, "invalid_grant")
}

func TestRemoteCodesAnswers(t *testing.T) {
	for _, tc := range []struct {
		name   string
		ctype  string
		body   string
		status int
		want   int
		code   string
	}{
		{"form-encoded", "application/x-www-form-urlencoded", "me=https%3A%2F%2Fuser.test%2F&scope=create", 200, 200, ""},
		{"alias of the same endpoint", "application/json", `{"me":"https://alias.user.test/","scope":"create"}`, 200, 200, ""},
		{"someone else's user", "application/json", `{"me":"https://other.test/","scope":"create"}`, 200, 400, "invalid_grant"},
		{"no scope", "application/json", `{"me":"https://user.test/"}`, 200, 400, "invalid_grant"},
		{"no me", "application/json", `{"scope":"create"}`, 200, 400, "invalid_grant"},
		{"wrong types", "application/json", `{"me":5,"scope":["create"]}`, 200, 400, "invalid_grant"},
		{"server error", "application/json", `{"me":"https://user.test/","scope":"create"}`, 500, 400, "invalid_grant"},
		{"huge body", "application/json", `{"me":"https://user.test/","scope":"create","x":"` + strings.Repeat("x", 100<<10) + `"}`, 200, 400, "invalid_grant"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, _ := remoteFixture(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", tc.ctype)
				w.WriteHeader(tc.status)
				_, _ = w.Write([]byte(tc.body))
			})
			w := f.post(remoteForm("c"))
			if tc.want == 200 {
				require.Equal(t, 200, w.Code, w.Body.String())
				return
			}
			tokentest.RequireError(t, w, tc.want, tc.code)
		})
	}
}

// SEC-03 for remote codes: with an authorization endpoint that does not
// enforce single use itself, 20 concurrent redemptions still give exactly
// one token, and the endpoint is asked once.
func TestRemoteCodesRace(t *testing.T) {
	var hits atomic.Int32
	f, _ := remoteFixture(t, func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"me":"https://user.test/","scope":"create"}`))
	})
	ok, errs := race(f, 20, remoteForm("stateless"))
	require.Equal(t, 1, ok)
	assert.Equal(t, map[string]int{"invalid_grant": 19}, errs)
	assert.Equal(t, int32(1), hits.Load())
}

// TOK-15 for remote codes: a replay by another client, or another kind of
// token sent as a code, revokes nothing; the same client's replay does.
func TestRemoteCodesInvalidReplay(t *testing.T) {
	f, _ := remoteFixture(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"me":"https://user.test/","scope":"create"}`))
	})
	w := f.post(remoteForm("once"))
	require.Equal(t, 200, w.Code)
	m := tokentest.DecodeJSON(t, w)
	at := m["access_token"].(string)

	evil := remoteForm("once")
	evil.Set("client_id", "https://evil.test/")
	tokentest.RequireError(t, f.post(evil), 400, "invalid_grant")
	tokentest.RequireError(t, f.post(remoteForm(at)), 400, "invalid_grant") // a token as the code
	_, err := f.verify(at)
	require.NoError(t, err, "an invalid replay must not revoke")

	tokentest.RequireError(t, f.post(remoteForm("once")), 400, "invalid_grant")
	_, err = f.verify(at)
	require.ErrorIs(t, err, token.ErrRevoked)
}
