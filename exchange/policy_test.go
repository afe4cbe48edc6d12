package exchange_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tokenkit/tokenkit/exchange"
	"github.com/tokenkit/tokenkit/token"
	"github.com/tokenkit/tokenkit/token/tokentest"
)

// TX-06, TX-07: targets. resource and audience may repeat; what the policy
// does not allow is invalid_target.
func TestExchangeTargets(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	tests := []struct {
		name string
		kv   []string
		aud  []string
		code string
	}{
		{"no target keeps the subject's audience", nil, []string{"api1"}, ""},
		{"narrowing to its own audience", []string{"audience", "api1"}, []string{"api1"}, ""},
		{"TX-07 audience repeats", []string{"audience", "a", "audience", "b"}, []string{"a", "b"}, ""},
		{"TX-07 same audience twice", []string{"audience", "a", "audience", "a"}, []string{"a"}, ""},
		{"resource", []string{"resource", "https://api2.test/"}, []string{"https://api2.test/"}, ""},
		{"audience and resource", []string{"audience", "api2", "resource", "https://api2.test/"}, []string{"api2", "https://api2.test/"}, ""},
		{"TX-06 unknown audience", []string{"audience", "unknown-service"}, nil, "invalid_target"},
		{"TX-06 one of two refused", []string{"audience", "api2", "audience", "unknown-service"}, nil, "invalid_target"},
		{"TX-06 unknown resource", []string{"resource", "https://evil.test/"}, nil, "invalid_target"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := f.post(exchangeForm(f.userToken(), tt.kv...), api1)
			if tt.code != "" {
				tokentest.RequireError(t, w, 400, tt.code)
				return
			}
			requireSuccess(t, w)
			info, err := f.jwt.Verify(ctx, tokentest.DecodeJSON(t, w)["access_token"].(string))
			require.NoError(t, err)
			assert.Equal(t, tt.aud, info.Audience)
		})
	}
	// The targets are api1's, not everyone's.
	tokentest.RequireError(t, f.post(exchangeForm(f.userToken(func(i *token.Info) { i.Audience = []string{"api2"} }), "audience", "a"),
		tokentest.Basic("api2", "api2-secret")), 400, "invalid_target")
}

// TX-09: the scope never widens.
func TestExchangeScope(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		name, client, secret, scope string
		want                        string // response scope, or the error code
		ok                          bool
	}{
		{"TX-09 wider than the subject", "api1", "api1-secret", "create delete", "invalid_scope", false},
		{"TX-09 disjoint", "api1", "api1-secret", "delete", "invalid_scope", false},
		{"narrower", "api1", "api1-secret", "create", "create", true},
		{"the same", "api1", "api1-secret", "update create", "update create", true},
		{"none asked", "api1", "api1-secret", "", "create update", true},
		{"client Scope cuts", "scoped", "scoped-secret", "", "create", true},
		{"client Scope refuses", "scoped", "scoped-secret", "update", "invalid_scope", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sub := f.userToken(func(i *token.Info) { i.Audience = []string{tt.client} })
			w := f.post(exchangeForm(sub, "scope", tt.scope), tokentest.Basic(tt.client, tt.secret))
			if !tt.ok {
				tokentest.RequireError(t, w, 400, tt.want)
				return
			}
			requireSuccess(t, w)
			assert.Equal(t, tt.want, tokentest.DecodeJSON(t, w)["scope"])
		})
	}

	// A policy handing out more than the subject has is cut back.
	g := newFixture(t, withPolicy(exchange.PolicyFunc(func(_ context.Context, r *exchange.Request) (*exchange.Decision, error) {
		d := r.Allow()
		d.Scope = token.Scope{"create", "delete", "admin"}
		return d, nil
	})))
	m := g.exchange(exchangeForm(g.userToken()), api1)
	assert.Equal(t, "create", m["scope"])
	m = g.exchange(exchangeForm(g.userToken(func(i *token.Info) { i.Scope = token.Scope{"read"} })), api1)
	assert.NotContains(t, m, "scope")
}

// The new token never outlives its subject token, and a policy may
// shorten it further.
func TestExchangeLifetime(t *testing.T) {
	f := newFixture(t)
	sub := f.userToken(func(i *token.Info) { i.ExpiresAt = f.clock.Now().Add(10 * time.Minute) })
	assert.Equal(t, float64(600), f.exchange(exchangeForm(sub), api1)["expires_in"])
	f.clock.Advance(4 * time.Minute)
	assert.Equal(t, float64(360), f.exchange(exchangeForm(sub), api1)["expires_in"])

	policy := func(d time.Duration, outlive bool) option {
		return withPolicy(exchange.PolicyFunc(func(_ context.Context, r *exchange.Request) (*exchange.Decision, error) {
			dec := r.Allow()
			dec.Lifetime, dec.OutliveSubject = d, outlive
			return dec, nil
		}))
	}
	tests := []struct {
		name    string
		opt     option
		expires float64
	}{
		{"DefaultPolicy.Lifetime", withPolicy(exchange.DefaultPolicy{Lifetime: 5 * time.Minute}), 300},
		{"shorter", policy(time.Minute, false), 60},
		{"longer is capped", policy(time.Hour, false), 600},
		{"OutliveSubject", policy(30*time.Minute, true), 1800},
		{"OutliveSubject still capped by AccessTTL", policy(48*time.Hour, true), 3600},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := newFixture(t, tt.opt)
			sub := g.userToken(func(i *token.Info) { i.ExpiresAt = g.clock.Now().Add(10 * time.Minute) })
			assert.Equal(t, tt.expires, g.exchange(exchangeForm(sub), api1)["expires_in"])
		})
	}
}

// TX-13: a refresh token only when the policy grants one.
func TestExchangeRefreshToken(t *testing.T) {
	f := newFixture(t, withPolicy(exchange.PolicyFunc(func(_ context.Context, r *exchange.Request) (*exchange.Decision, error) {
		d := r.Allow()
		d.Refresh = true
		return d, nil
	})))
	m := f.exchange(exchangeForm(f.userToken()), api1)
	rt, ok := m["refresh_token"].(string)
	require.True(t, ok, "body: %v", m)
	rec, err := f.store.Get(context.Background(), token.HashToken(rt))
	require.NoError(t, err)
	assert.Equal(t, token.KindRefresh, rec.Kind)
	assert.Equal(t, "api1", rec.Info.ClientID)
	assert.Equal(t, &token.Actor{Subject: "api1", ClientID: "api1"}, rec.Info.Actor)
	// The refresh token ends with the subject token (an hour), not after
	// the endpoint's 30-day RefreshTTL: refreshing cannot outlive it.
	assert.Equal(t, f.clock.Now().Add(time.Hour), rec.Info.ExpiresAt)
}

// Policy failures: a *token.Error passes through, anything else is a
// logged server_error, and no decision at all is a refusal.
func TestExchangePolicyErrors(t *testing.T) {
	tests := []struct {
		name   string
		policy exchange.PolicyFunc
		status int
		code   string
	}{
		{"token error", func(context.Context, *exchange.Request) (*exchange.Decision, error) {
			return nil, token.ErrInvalidTarget("no")
		}, 400, "invalid_target"},
		{"other error", func(context.Context, *exchange.Request) (*exchange.Decision, error) {
			return nil, context.DeadlineExceeded
		}, 500, "server_error"},
		{"nil decision", func(context.Context, *exchange.Request) (*exchange.Decision, error) {
			return nil, nil
		}, 400, "invalid_request"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, withPolicy(tt.policy))
			tokentest.RequireError(t, f.post(exchangeForm(f.userToken()), api1), tt.status, tt.code)
		})
	}
}

// DefaultPolicy: who may exchange what.
func TestDefaultPolicy(t *testing.T) {
	f := newFixture(t)
	// A client that is neither the subject token's client nor audience.
	tokentest.RequireError(t, f.post(exchangeForm(f.userToken()), tokentest.Basic("api2", "api2-secret")), 400, "invalid_request")
	// The subject token's own client may downscope it.
	own := f.userToken(func(i *token.Info) { i.ClientID, i.Audience = "api2", []string{iss} })
	m := f.exchange(exchangeForm(own, "scope", "create"), tokentest.Basic("api2", "api2-secret"))
	assert.Equal(t, "create", m["scope"])
	// An actor token issued to another client.
	other := f.clientToken("agent-b", "b-secret")
	tokentest.RequireError(t, f.post(exchangeForm(f.userToken(), "actor_token", other, "actor_token_type", ttAT), api1), 400, "invalid_request")
}
