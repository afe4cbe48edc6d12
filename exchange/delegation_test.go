package exchange_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tokenkit/tokenkit/exchange"
	"github.com/tokenkit/tokenkit/token"
	"github.com/tokenkit/tokenkit/token/tokentest"
)

// allowAll is a policy for tests about what the grant enforces on its
// own, whatever the policy says.
var allowAll = exchange.PolicyFunc(func(_ context.Context, r *exchange.Request) (*exchange.Decision, error) {
	return r.Allow(), nil
})

// everyone is the audience of a user token every test client may
// exchange under DefaultPolicy.
var everyone = func(i *token.Info) { i.Audience = []string{"api1", "api2", "agent-a", "agent-b"} }

func actorClaims(t *testing.T, at string) map[string]any {
	t.Helper()
	act, ok := claims(t, at)["act"].(map[string]any)
	require.True(t, ok, "no act claim")
	return act
}

// TX-10: delegation with an actor token, a second hop nesting the first,
// and act never carrying exp, nbf or aud (RFC 8693 §4.1).
func TestExchangeDelegationChain(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	user := f.userToken(everyone)

	// Hop 1: api1 acts, proving it with its own token.
	hop1 := f.exchange(exchangeForm(user, "actor_token", f.clientToken("api1", "api1-secret"), "actor_token_type", ttAT), api1)
	at1 := hop1["access_token"].(string)
	info, err := f.jwt.Verify(ctx, at1)
	require.NoError(t, err)
	assert.Equal(t, &token.Actor{Subject: "api1", ClientID: "api1"}, info.Actor)
	assert.Equal(t, map[string]any{"sub": "api1", "client_id": "api1"}, actorClaims(t, at1))

	// Hop 2: api2 exchanges api1's token; the chain nests.
	at2 := f.exchange(exchangeForm(at1, "actor_token", f.clientToken("api2", "api2-secret"), "actor_token_type", ttAT),
		tokentest.Basic("api2", "api2-secret"))["access_token"].(string)
	info, err = f.jwt.Verify(ctx, at2)
	require.NoError(t, err)
	assert.Equal(t, me, info.Subject)
	assert.Equal(t, "api2", info.ClientID)
	assert.Equal(t, &token.Actor{Subject: "api2", ClientID: "api2", Actor: &token.Actor{Subject: "api1", ClientID: "api1"}}, info.Actor)
	assert.Equal(t, map[string]any{"sub": "api2", "client_id": "api2",
		"act": map[string]any{"sub": "api1", "client_id": "api1"}}, actorClaims(t, at2))

	// Hop 3 without an actor token: the client is the actor.
	at3 := f.exchange(exchangeForm(at2), tokentest.Basic("agent-a", "a-secret"))["access_token"].(string)
	info, err = f.jwt.Verify(ctx, at3)
	require.NoError(t, err)
	assert.Equal(t, 3, info.Actor.Depth())
	assert.Equal(t, "agent-a", info.Actor.Subject)
	assert.Equal(t, "api2", info.Actor.Actor.Subject)

	// The same actor exchanging again does not grow the chain.
	at4 := f.exchange(exchangeForm(at3, "scope", "create"), tokentest.Basic("agent-a", "a-secret"))["access_token"].(string)
	info, err = f.jwt.Verify(ctx, at4)
	require.NoError(t, err)
	assert.Equal(t, 3, info.Actor.Depth())
	assert.Equal(t, token.Scope{"create"}, info.Scope)
}

// The act chain is bounded (Config.MaxActDepth), on what the grant issues
// and on what it accepts.
func TestExchangeChainDepth(t *testing.T) {
	f := newFixture(t, func(_ *token.Config, x *exchange.Config) { x.MaxActDepth = 2 })
	at1 := f.exchange(exchangeForm(f.userToken(everyone)), api1)["access_token"].(string)
	at2 := f.exchange(exchangeForm(at1), tokentest.Basic("api2", "api2-secret"))["access_token"].(string)
	tokentest.RequireError(t, f.post(exchangeForm(at2), tokentest.Basic("agent-a", "a-secret")), http.StatusBadRequest, "invalid_request")
	// api2, already the outermost actor, may still narrow its own token.
	f.exchange(exchangeForm(at2, "scope", "update"), tokentest.Basic("api2", "api2-secret"))

	deep := &token.Actor{Subject: "x"}
	for range 5 {
		deep = &token.Actor{Subject: "x", Actor: deep}
	}
	g := newFixture(t)
	sub := g.userToken(func(i *token.Info) { i.Actor = deep })
	tokentest.RequireError(t, g.post(exchangeForm(sub), api1), http.StatusBadRequest, "invalid_request")
}

// Impersonation only when the policy says so; the subject's own chain is
// kept.
func TestExchangeImpersonation(t *testing.T) {
	f := newFixture(t, withPolicy(exchange.PolicyFunc(func(_ context.Context, r *exchange.Request) (*exchange.Decision, error) {
		d := r.Allow()
		d.Impersonate = true
		return d, nil
	})))
	at := f.exchange(exchangeForm(f.userToken()), api1)["access_token"].(string)
	assert.NotContains(t, claims(t, at), "act")

	prior := &token.Actor{Subject: "gateway"}
	at = f.exchange(exchangeForm(f.userToken(func(i *token.Info) { i.Actor = prior })), api1)["access_token"].(string)
	info, err := f.jwt.Verify(context.Background(), at)
	require.NoError(t, err)
	assert.Equal(t, prior, info.Actor)
}

// TX-11: may_act is honoured (RFC 8693 §4.4).
func TestExchangeMayAct(t *testing.T) {
	f := newFixture(t)
	sub := f.userToken(everyone, func(i *token.Info) { i.MayAct = &token.Actor{Subject: "agent-a"} })
	actorA := f.clientToken("agent-a", "a-secret")
	actorB := f.clientToken("agent-b", "b-secret")
	tests := []struct {
		name, client, secret, actor string
		ok                          bool
	}{
		{"TX-11 actor not named", "agent-b", "b-secret", actorB, false},
		{"TX-11 client not named", "agent-b", "b-secret", "", false},
		{"TX-11 client named, actor not", "agent-a", "a-secret", actorB, false},
		{"actor named", "agent-a", "a-secret", actorA, true},
		{"client named", "agent-a", "a-secret", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			form := exchangeForm(sub)
			if tt.actor != "" {
				form = exchangeForm(sub, "actor_token", tt.actor, "actor_token_type", ttAT)
			}
			w := f.post(form, tokentest.Basic(tt.client, tt.secret))
			if !tt.ok {
				tokentest.RequireError(t, w, http.StatusBadRequest, "invalid_request")
				return
			}
			requireSuccess(t, w)
		})
	}

	// may_act naming a client_id and an issuer must match on both.
	g := newFixture(t, withPolicy(allowAll))
	for _, tt := range []struct {
		may *token.Actor
		ok  bool
	}{
		{&token.Actor{ClientID: "api1"}, true},
		{&token.Actor{ClientID: "api2"}, false},
		{&token.Actor{ClientID: "api1", Issuer: "https://other.test/"}, false},
		{&token.Actor{}, false}, // names nobody
	} {
		w := g.post(exchangeForm(g.userToken(func(i *token.Info) { i.MayAct = tt.may })), api1)
		if tt.ok {
			requireSuccess(t, w)
		} else {
			tokentest.RequireError(t, w, http.StatusBadRequest, "invalid_request")
		}
	}
}

// Issuers put may_act into the tokens their other grants mint with
// MayAct, and into exchanged tokens with Decision.MayAct.
func TestMayActIssued(t *testing.T) {
	f := newFixture(t, func(tc *token.Config, x *exchange.Config) {
		tc.Grants = []token.Grant{exchange.MayAct{
			Next: token.ClientCredentials{},
			Actor: func(_ context.Context, req *token.Request, _ *token.Info) *token.Actor {
				return &token.Actor{ClientID: "api1"}
			},
		}}
		x.Policy = exchange.PolicyFunc(func(_ context.Context, r *exchange.Request) (*exchange.Decision, error) {
			d := r.Allow()
			d.MayAct = &token.Actor{ClientID: "api2"}
			return d, nil
		})
	})
	assert.Contains(t, f.h.GrantTypes(), token.GrantClientCredentials)

	svc := f.clientToken("agent-a", "a-secret")
	assert.Equal(t, map[string]any{"client_id": "api1"}, claims(t, svc)["may_act"])
	tokentest.RequireError(t, f.post(exchangeForm(svc), tokentest.Basic("agent-b", "b-secret")), http.StatusBadRequest, "invalid_request")

	at := f.exchange(exchangeForm(svc), api1)["access_token"].(string)
	assert.Equal(t, map[string]any{"client_id": "api2"}, claims(t, at)["may_act"])
	tokentest.RequireError(t, f.post(exchangeForm(at), tokentest.Basic("agent-b", "b-secret")), http.StatusBadRequest, "invalid_request")
	f.exchange(exchangeForm(at), tokentest.Basic("api2", "api2-secret"))
}

// A policy that scribbles on its Request changes nothing the grant
// enforces: scope, actor and client come from the grant's own copies.
func TestExchangePolicyCannotTamper(t *testing.T) {
	f := newFixture(t, withPolicy(exchange.PolicyFunc(func(_ context.Context, r *exchange.Request) (*exchange.Decision, error) {
		r.Subject.Scope = append(r.Subject.Scope, "admin")
		r.Subject.ExpiresAt = r.Subject.ExpiresAt.Add(24 * time.Hour)
		r.Acting.Subject, r.Acting.ClientID = "someone-else", "someone-else"
		r.Client.ID = "someone-else"
		d := r.Allow()
		return d, nil
	})))
	m := f.exchange(exchangeForm(f.userToken(func(i *token.Info) { i.ExpiresAt = f.clock.Now().Add(time.Minute) })), api1)
	assert.Equal(t, "create update", m["scope"])
	assert.Equal(t, float64(60), m["expires_in"])
	info, err := f.jwt.Verify(context.Background(), m["access_token"].(string))
	require.NoError(t, err)
	assert.Equal(t, "api1", info.ClientID)
	assert.Equal(t, &token.Actor{Subject: "api1", ClientID: "api1"}, info.Actor)
}

// A delegated token is no actor token: its holder is its outermost actor,
// not its subject, so taking its subject as the acting party would let the
// holder speak as someone else and slip past may_act (TX-10, TX-11).
func TestExchangeDelegatedActorToken(t *testing.T) {
	f := newFixture(t)
	// agent-a's token as exchanged by api1: sub agent-a, act api1, held by api1.
	delegated := f.userToken(func(i *token.Info) {
		i.Subject, i.Me, i.ClientID = "agent-a", "", "api1"
		i.Actor = &token.Actor{Subject: "api1", ClientID: "api1"}
	})
	subject := f.userToken(func(i *token.Info) { i.MayAct = &token.Actor{Subject: "agent-a"} })
	w := f.post(exchangeForm(subject, "actor_token", delegated, "actor_token_type", ttAT), api1)
	tokentest.RequireError(t, w, http.StatusBadRequest, "invalid_request")
}

// DefaultPolicy: some user's token issued to the client is not an actor
// token for another user, unless the subject's may_act allows that user.
func TestDefaultPolicyActorMustBeTheClientsOwn(t *testing.T) {
	f := newFixture(t)
	other := f.userToken(func(i *token.Info) {
		i.Me, i.Subject, i.ClientID = "https://other.test/", "https://other.test/", "api1"
	})
	subject := f.userToken()
	w := f.post(exchangeForm(subject, "actor_token", other, "actor_token_type", ttAT), api1)
	tokentest.RequireError(t, w, http.StatusBadRequest, "invalid_request")

	allowed := f.userToken(func(i *token.Info) { i.MayAct = &token.Actor{Subject: "https://other.test/"} })
	f.exchange(exchangeForm(allowed, "actor_token", other, "actor_token_type", ttAT), api1)
}

// MayAct puts may_act on the refresh token too, so neither refreshing nor
// exchanging the refresh token sheds it.
func TestMayActOnRefreshToken(t *testing.T) {
	store := token.NewMemoryStore()
	codes := &token.LocalCodes{Store: store}
	h, err := token.NewHandler(token.Config{Issuer: iss, Store: store, Grants: []token.Grant{
		exchange.MayAct{Next: &token.AuthorizationCode{Codes: codes},
			Actor: func(context.Context, *token.Request, *token.Info) *token.Actor {
				return &token.Actor{ClientID: "agent-a"}
			}},
		&token.RefreshToken{},
	}})
	require.NoError(t, err)
	v := "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
	code, err := codes.Mint(context.Background(), token.CodeParams{Me: me, ClientID: app, RedirectURI: app + "cb", Scope: token.Scope{"create"}, Challenge: token.S256Challenge(v)})
	require.NoError(t, err)
	w := tokentest.Serve(h, http.MethodPost, "/token", url.Values{"grant_type": {"authorization_code"}, "code": {code},
		"client_id": {app}, "redirect_uri": {app + "cb"}, "code_verifier": {v}}.Encode())
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	rt := tokentest.DecodeJSON(t, w)["refresh_token"].(string)
	rec, err := store.Get(context.Background(), token.HashToken(rt))
	require.NoError(t, err)
	assert.Equal(t, &token.Actor{ClientID: "agent-a"}, rec.Info.MayAct)

	w = tokentest.Serve(h, http.MethodPost, "/token", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt}, "client_id": {app}}.Encode())
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	at := tokentest.DecodeJSON(t, w)["access_token"].(string)
	info, err := (&token.Opaque{Store: store}).Verify(context.Background(), at)
	require.NoError(t, err)
	assert.Equal(t, &token.Actor{ClientID: "agent-a"}, info.MayAct)
}

// may_act naming the issuer too matches an actor of that issuer.
func TestMayActWithIssuer(t *testing.T) {
	f := newFixture(t)
	subject := f.userToken(func(i *token.Info) { i.MayAct = &token.Actor{ClientID: "api1", Issuer: iss} })
	f.exchange(exchangeForm(subject), api1)
	other := f.userToken(func(i *token.Info) { i.MayAct = &token.Actor{ClientID: "api1", Issuer: "https://elsewhere.test/"} })
	tokentest.RequireError(t, f.post(exchangeForm(other), api1), http.StatusBadRequest, "invalid_request")
}
