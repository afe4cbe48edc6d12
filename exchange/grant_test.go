package exchange_test

import (
	"context"
	"encoding/base64"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tokenkit/tokenkit/exchange"
	"github.com/tokenkit/tokenkit/token"
	"github.com/tokenkit/tokenkit/token/tokentest"
)

// TX-01, TX-08, TX-10, TX-13: the seed's scenario on the wire. API1
// exchanges the user's token for one for api2; API2's verifier accepts it
// and sees API1 acting for the user.
func TestExchangeScenario(t *testing.T) {
	f := newFixture(t)
	assert.Contains(t, f.h.GrantTypes(), token.GrantTokenExchange) // TX-01: grant_types_supported

	m := f.exchange(exchangeForm(f.userToken(), "audience", "api2"), api1)
	assert.Equal(t, map[string]any{
		"access_token":      m["access_token"],
		"issued_token_type": ttAT,
		"token_type":        "Bearer",
		"expires_in":        float64(3600),
		"scope":             "create update",
		"me":                me,
	}, m) // TX-08, and TX-13: no refresh_token

	at := m["access_token"].(string)
	info, err := f.at("api2").Verify(context.Background(), at)
	require.NoError(t, err)
	assert.Equal(t, me, info.Me)
	assert.Equal(t, me, info.Subject)
	assert.Equal(t, "api1", info.ClientID)
	assert.Equal(t, []string{"api2"}, info.Audience)
	assert.Equal(t, token.Scope{"create", "update"}, info.Scope)
	assert.Equal(t, &token.Actor{Subject: "api1", ClientID: "api1"}, info.Actor)

	// api1 itself no longer accepts it: the audience moved.
	_, err = f.at("api1").Verify(context.Background(), at)
	assert.ErrorIs(t, err, token.ErrMalformed)

	// The stored record says the same, for introspection.
	rec, err := f.store.Get(context.Background(), token.HashToken(at))
	require.NoError(t, err)
	assert.Equal(t, token.KindAccess, rec.Kind)
	assert.Equal(t, userF, rec.Family)
	assert.Equal(t, info.Actor, rec.Info.Actor)
	assert.Equal(t, []string{"api2"}, rec.Info.Audience)

	// TX-06: a target the policy refuses.
	tokentest.RequireError(t, f.post(exchangeForm(f.userToken(), "audience", "api3"), api1), http.StatusBadRequest, "invalid_target")

	logs := f.logs.String()
	assert.Contains(t, logs, `"msg":"token: exchanged"`)
	assert.Contains(t, logs, `"msg":"exchange: refused"`)
	assert.NotContains(t, logs, at)
}

// TX-02, TX-03, TX-05, TX-07 and EDGE-21: malformed requests, as a table.
func TestExchangeRequestErrors(t *testing.T) {
	f := newFixture(t, withRefreshTokens())
	ut := f.userToken()
	actor := f.clientToken("api1", "api1-secret")
	many := func(name string, n int) url.Values {
		v := exchangeForm(ut)
		for i := range n {
			v.Add(name, "https://a.test/"+strconv.Itoa(i))
		}
		return v
	}
	tests := []struct {
		name   string
		form   url.Values
		status int
		code   string
	}{
		{"TX-02 no subject_token", exchangeForm(ut, "subject_token", ""), 400, "invalid_request"},
		{"TX-02 no subject_token_type", exchangeForm(ut, "subject_token_type", ""), 400, "invalid_request"},
		{"TX-03 actor_token without type", exchangeForm(ut, "actor_token", actor), 400, "invalid_request"},
		{"TX-03 actor_token_type without token", exchangeForm(ut, "actor_token_type", ttAT), 400, "invalid_request"},
		{"TX-05 subject type saml2", exchangeForm(ut, "subject_token_type", exchange.TokenTypeSAML2), 400, "invalid_request"},
		{"TX-05 requested saml2", exchangeForm(ut, "requested_token_type", exchange.TokenTypeSAML2), 400, "invalid_request"},
		{"TX-05 requested refresh_token", exchangeForm(ut, "requested_token_type", ttRT), 400, "invalid_request"},
		{"TX-05 requested id_token", exchangeForm(ut, "requested_token_type", exchange.TokenTypeIDToken), 400, "invalid_request"},
		{"TX-05 unknown requested type", exchangeForm(ut, "requested_token_type", "bogus"), 400, "invalid_request"},
		{"TX-05 actor type unsupported", exchangeForm(ut, "actor_token", actor, "actor_token_type", exchange.TokenTypeIDToken), 400, "invalid_request"},
		{"TX-05 refresh token as actor", exchangeForm(ut, "actor_token", actor, "actor_token_type", ttRT), 400, "invalid_request"},
		{"TX-07 relative resource", exchangeForm(ut, "resource", "/relative"), 400, "invalid_target"},
		{"TX-07 resource with fragment", exchangeForm(ut, "resource", "https://api2.test/#f"), 400, "invalid_target"},
		{"TX-07 resource with empty fragment", exchangeForm(ut, "resource", "https://api2.test/#"), 400, "invalid_target"},
		{"TX-09 malformed scope", exchangeForm(ut, "scope", "create  update"), 400, "invalid_scope"},
		{"TOK-22 repeated subject_token", exchangeForm(ut, "subject_token", ut, "subject_token", ut), 400, "invalid_request"},
		{"TOK-22 repeated scope", exchangeForm(ut, "scope", "create", "scope", "update"), 400, "invalid_request"},
		{"EDGE-21 audience over MaxRepeats", many("audience", token.MaxRepeats+1), 400, "invalid_request"},
		{"EDGE-21 resource over MaxRepeats", many("resource", token.MaxRepeats+1), 400, "invalid_request"},
		{"EDGE-21 1000 audiences", many("audience", 1000), 400, "invalid_request"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tokentest.RequireError(t, f.post(tt.form, api1), tt.status, tt.code)
		})
	}
}

// TX-04, TX-05, EDGE-21, EDGE-22: subject tokens that do not verify, or
// are not what their declared type says, are invalid_request, never
// invalid_grant.
func TestExchangeBadSubject(t *testing.T) {
	f := newFixture(t, withRefreshTokens())
	ctx := context.Background()

	revoked := f.userToken()
	require.NoError(t, f.store.Revoke(ctx, token.HashToken(revoked), f.clock.Now().Add(time.Hour)))
	shortLived := f.userToken(func(i *token.Info) { i.ExpiresAt = f.clock.Now().Add(time.Minute) })

	// A refresh token of api1.
	rt := "rt-" + strings.Repeat("r", 40)
	require.NoError(t, f.store.Put(ctx, &token.Record{Key: token.HashToken(rt), Kind: token.KindRefresh, Family: userF,
		Info: token.Info{Me: me, ClientID: "api1", Subject: me, Scope: token.Scope{"create"}, Audience: []string{"api1"},
			ExpiresAt: f.clock.Now().Add(24 * time.Hour)}}))
	at := f.userToken()

	f.clock.Advance(2 * time.Minute)
	tests := []struct {
		name string
		form url.Values
	}{
		{"TX-04 revoked", exchangeForm(revoked)},
		{"TX-04 expired", exchangeForm(shortLived)},
		{"TX-04 unknown", exchangeForm("garbage")},
		{"TX-04 too long", exchangeForm(strings.Repeat("a", 20000))},
		{"TX-04 tampered", exchangeForm(at[:len(at)-4] + "AAAA")},
		{"EDGE-22 alg none", exchangeForm(algNone(t, at))},
		{"EDGE-22 alg none without signature", exchangeForm(strings.TrimRight(algNone(t, at), "A"))},
		{"TX-05 RT as access_token", exchangeForm(rt)},
		{"EDGE-21 RT as access_token", exchangeForm(rt, "audience", "api2")},
		{"TX-05 AT as refresh_token", exchangeForm(at, "subject_token_type", ttRT)},
		{"TX-05 AT as id_token", exchangeForm(at, "subject_token_type", exchange.TokenTypeIDToken)},
		{"TX-04 bad actor", exchangeForm(at, "actor_token", "garbage", "actor_token_type", ttAT)},
		{"TX-04 revoked actor", exchangeForm(at, "actor_token", revoked, "actor_token_type", ttAT)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tokentest.RequireError(t, f.post(tt.form, api1), http.StatusBadRequest, "invalid_request")
		})
	}

	// The refresh token itself is a fine subject when declared as one.
	m := f.exchange(exchangeForm(rt, "subject_token_type", ttRT), api1)
	assert.Equal(t, "create", m["scope"])
	m = f.exchange(exchangeForm(at, "subject_token_type", ttJWT), api1)
	assert.Equal(t, "create update", m["scope"])
}

// algNone rewrites a JWT into an unsigned one with the same claims
// (RFC 8725 §2.1).
func algNone(t testing.TB, jwt string) string {
	t.Helper()
	parts := strings.Split(jwt, ".")
	require.Len(t, parts, 3)
	h := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none","typ":"at+jwt","kid":"k1"}`))
	return h + "." + parts[1] + ".AAAA"
}

// Refresh tokens as subject tokens must be live, unused and the
// client's own (RFC 6749 §10.4).
func TestExchangeRefreshSubject(t *testing.T) {
	f := newFixture(t, withRefreshTokens())
	ctx := context.Background()
	put := func(name, client string, mod func(*token.Record)) string {
		rt := name + strings.Repeat("x", 40)
		r := &token.Record{Key: token.HashToken(rt), Kind: token.KindRefresh, Family: "f-" + name,
			Info: token.Info{Me: me, ClientID: client, Subject: me, Scope: token.Scope{"create"}, Audience: []string{"api1"},
				ExpiresAt: f.clock.Now().Add(time.Hour)}}
		if mod != nil {
			mod(r)
		}
		require.NoError(t, f.store.Put(ctx, r))
		return rt
	}
	good := put("good", "api1", nil)
	foreign := put("foreign", "api2", nil)
	taken := put("taken", "api1", func(r *token.Record) { r.TakenAt = f.clock.Now() })
	old := put("old", "api1", func(r *token.Record) { r.Info.ExpiresAt = f.clock.Now() })
	gone := put("gone", "api1", nil)
	require.NoError(t, f.store.RevokeFamily(ctx, "f-gone"))

	for _, rt := range []string{foreign, taken, old, gone, "unknown"} {
		tokentest.RequireError(t, f.post(exchangeForm(rt, "subject_token_type", ttRT), api1), 400, "invalid_request")
	}
	m := f.exchange(exchangeForm(good, "subject_token_type", ttRT, "audience", "api2"), api1)
	info, err := f.at("api2").Verify(ctx, m["access_token"].(string))
	require.NoError(t, err)
	assert.Equal(t, "api1", info.ClientID)
	assert.Equal(t, f.clock.Now().Add(time.Hour), info.ExpiresAt)
	// Not consumed: the client's own rotation still works.
	rec, err := f.store.Get(ctx, token.HashToken(good))
	require.NoError(t, err)
	assert.True(t, rec.TakenAt.IsZero())

	// Off by default: the type is then unsupported.
	g := newFixture(t)
	tokentest.RequireError(t, g.post(exchangeForm(good, "subject_token_type", ttRT), api1), 400, "invalid_request")
}

// TX-12: exchange needs client authentication.
func TestExchangeClientAuthentication(t *testing.T) {
	f := newFixture(t)
	ut := f.userToken()
	tests := []struct {
		name   string
		form   url.Values
		auth   string
		status int
		code   string
	}{
		{"TX-12 no client", exchangeForm(ut), "", 401, "invalid_client"},
		{"TX-12 public client", exchangeForm(ut, "client_id", "pub"), "", 401, "invalid_client"},
		{"wrong secret", exchangeForm(ut), tokentest.Basic("api1", "nope"), 401, "invalid_client"},
		{"IndieAuth client URL", exchangeForm(ut, "client_id", app), "", 400, "unauthorized_client"},
		{"client without the grant", exchangeForm(ut), tokentest.Basic("svc", "s3cr3t"), 400, "unauthorized_client"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := f.post(tt.form, tt.auth)
			tokentest.RequireError(t, w, tt.status, tt.code)
			if tt.status == 401 {
				assert.Equal(t, `Basic realm="token"`, w.Header().Get("WWW-Authenticate"))
			}
		})
	}

	// The loud opt-out lets a registered public client in.
	g := newFixture(t, func(_ *token.Config, x *exchange.Config) { x.AllowPublicClients = true })
	sub := g.userToken(func(i *token.Info) { i.Audience = []string{"pub"} })
	m := g.exchange(exchangeForm(sub, "client_id", "pub"), "")
	info, err := g.jwt.Verify(context.Background(), m["access_token"].(string))
	require.NoError(t, err)
	assert.Equal(t, "pub", info.ClientID)
	tokentest.RequireError(t, g.post(exchangeForm(sub), ""), 401, "invalid_client")
}

// TX-08: issued_token_type follows requested_token_type.
func TestExchangeRequestedTokenType(t *testing.T) {
	f := newFixture(t)
	for _, req := range []string{"", ttAT, ttJWT} {
		t.Run(req, func(t *testing.T) {
			m := f.exchange(exchangeForm(f.userToken(), "requested_token_type", req), api1)
			want := req
			if want == "" {
				want = ttAT
			}
			assert.Equal(t, want, m["issued_token_type"])
			assert.Equal(t, "Bearer", m["token_type"])
		})
	}
	// Without IssuesJWT the endpoint cannot promise a JWT.
	g := newFixture(t, func(_ *token.Config, x *exchange.Config) { x.IssuesJWT = false })
	tokentest.RequireError(t, g.post(exchangeForm(g.userToken(), "requested_token_type", ttJWT), api1), 400, "invalid_request")
}

// Exchanged tokens join their subject's family: revoking the user's grant
// revokes what was derived from it.
func TestExchangeFamilyRevocation(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	at := f.exchange(exchangeForm(f.userToken(), "audience", "api2"), api1)["access_token"].(string)
	_, err := f.at("api2").Verify(ctx, at)
	require.NoError(t, err)
	require.NoError(t, f.store.RevokeFamily(ctx, userF))
	_, err = f.at("api2").Verify(ctx, at)
	assert.ErrorIs(t, err, token.ErrRevoked)
}

func TestNew(t *testing.T) {
	v := map[string]token.Verifier{ttAT: token.VerifierFunc(func(context.Context, string) (*token.Info, error) { return nil, token.ErrUnknown })}
	tests := []struct {
		name string
		cfg  exchange.Config
		ok   bool
	}{
		{"minimal", exchange.Config{Verifiers: v}, true},
		{"refresh tokens only", exchange.Config{RefreshTokens: true}, true},
		{"nothing", exchange.Config{}, false},
		{"refresh verifier", exchange.Config{Verifiers: map[string]token.Verifier{ttRT: v[ttAT]}}, false},
		{"relative type", exchange.Config{Verifiers: map[string]token.Verifier{"jwt": v[ttAT]}}, false},
		{"nil verifier", exchange.Config{Verifiers: map[string]token.Verifier{ttJWT: nil}}, false},
		{"negative depth", exchange.Config{Verifiers: v, MaxActDepth: -1}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, err := exchange.New(tt.cfg)
			if !tt.ok {
				require.Error(t, err)
				assert.True(t, strings.HasPrefix(err.Error(), "exchange: "), err.Error())
				return
			}
			require.NoError(t, err)
			assert.Equal(t, token.GrantTokenExchange, g.Type())
		})
	}
}

// The same exchange with opaque tokens: the issued token's record carries
// the actor and audience, for introspection (TX-10).
func TestExchangeOpaque(t *testing.T) {
	f := newFixture(t, opaqueTokens())
	ctx := context.Background()
	sub := f.clientToken("api1", "api1-secret")
	m := f.exchange(exchangeForm(sub, "audience", "api2"), api1)
	assert.Equal(t, ttAT, m["issued_token_type"])
	info, err := (&token.Opaque{Store: f.store, Now: f.clock.Now}).Verify(ctx, m["access_token"].(string))
	require.NoError(t, err)
	assert.Equal(t, []string{"api2"}, info.Audience)
	assert.Equal(t, "api1", info.Subject)
	assert.Equal(t, &token.Actor{Subject: "api1", ClientID: "api1"}, info.Actor)
	// A JWT cannot be asked for from an opaque issuer.
	tokentest.RequireError(t, f.post(exchangeForm(sub, "requested_token_type", ttJWT), api1), 400, "invalid_request")
}

// Refusals are logged with their reason, never with a token.
func TestExchangeRefusalLog(t *testing.T) {
	f := newFixture(t)
	sub := f.userToken()
	require.NoError(t, f.store.Revoke(context.Background(), token.HashToken(sub), f.clock.Now().Add(time.Hour)))
	tokentest.RequireError(t, f.post(exchangeForm(sub, "audience", "api2"), api1), 400, "invalid_request")
	logs := f.logs.String()
	assert.Contains(t, logs, `"level":"WARN","msg":"exchange: refused","client_id":"api1",`+
		`"subject_token_type":"`+ttAT+`","actor_token_type":"","error":"invalid_request",`+
		`"reason":"subject_token is invalid, expired or revoked"}`)
	assert.NotContains(t, logs, sub)
	assert.NotContains(t, logs, strings.Split(sub, ".")[2])
}
