package exchange_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"time"

	"github.com/tokenkit/tokenkit/exchange"
	"github.com/tokenkit/tokenkit/token"
)

// A user's app calls API1 with a token for audience api1. API1 needs to
// call API2 for the user: it exchanges the token at the token endpoint for
// one for api2, which says API1 acts for the user. API2's verifier accepts
// it and sees the actor. A token for a service the policy does not allow
// API1 is refused.
func Example() {
	const issuer = "https://as.example/"
	ctx := context.Background()

	// The authorization server: JWT access tokens, one registered service.
	store := token.NewMemoryStore()
	key, err := token.GenerateEd25519Key("k1", nil)
	if err != nil {
		log.Fatal(err)
	}
	keys, err := token.NewKeySet(key)
	if err != nil {
		log.Fatal(err)
	}
	tokens := &token.JWT{Keys: keys, Issuer: issuer, Store: store}
	clients := token.NewMemoryClients(&token.Client{
		ID: "api1", Secret: token.HashSecret("api1-secret"), Grants: []string{token.GrantTokenExchange},
	})
	ex, err := exchange.New(exchange.Config{
		Verifiers: map[string]token.Verifier{exchange.TokenTypeAccessToken: tokens},
		Policy:    exchange.DefaultPolicy{Targets: map[string][]string{"api1": {"api2"}}},
	})
	if err != nil {
		log.Fatal(err)
	}
	h, err := token.NewHandler(token.Config{Issuer: issuer, Store: store, Clients: clients, Tokens: tokens,
		Grants: []token.Grant{&token.AuthorizationCode{Codes: &token.LocalCodes{Store: store}}, ex}})
	if err != nil {
		log.Fatal(err)
	}
	as := httptest.NewServer(h)
	defer as.Close()
	fmt.Println("grant_types_supported:", h.GrantTypes())

	// The user's token, as the authorization_code grant of a token
	// endpoint whose Audience is api1 would have issued it.
	now := time.Now()
	user := &token.Info{Me: "https://alice.example/", Subject: "https://alice.example/", ClientID: "https://app.example/",
		Scope: token.Scope{"read", "write"}, Audience: []string{"api1"}, IssuedAt: now, ExpiresAt: now.Add(2 * time.Hour)}
	userToken, err := tokens.Issue(ctx, user)
	if err != nil {
		log.Fatal(err)
	}
	if err := store.Put(ctx, &token.Record{Key: token.HashToken(userToken), Kind: token.KindAccess, Info: *user}); err != nil {
		log.Fatal(err)
	}

	// API1 exchanges it.
	exchangeFor := func(audience string) map[string]any {
		form := url.Values{
			"grant_type":         {token.GrantTokenExchange},
			"subject_token":      {userToken},
			"subject_token_type": {exchange.TokenTypeAccessToken},
			"audience":           {audience},
			"scope":              {"read"},
		}
		req, _ := http.NewRequest(http.MethodPost, as.URL, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.SetBasicAuth("api1", "api1-secret")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			log.Fatal(err)
		}
		defer resp.Body.Close()
		var m map[string]any
		if err := json.NewDecoder(resp.Body).Decode(&m); err != nil {
			log.Fatal(err)
		}
		fmt.Println(audience+":", resp.StatusCode, resp.Header.Get("Cache-Control"))
		return m
	}
	m := exchangeFor("api2")
	fmt.Println(m["issued_token_type"], m["token_type"], m["expires_in"], m["scope"])

	// API2's middleware verifies tokens meant for it.
	api2 := &token.JWT{Keys: keys, Issuer: issuer, Audience: "api2"}
	info, err := api2.Verify(ctx, m["access_token"].(string))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("sub=%s client_id=%s act.client_id=%s\n", info.Subject, info.ClientID, info.Actor.ClientID)

	// API1 may not get a token for api3.
	m = exchangeFor("api3")
	fmt.Println(m["error"])

	// Output:
	// grant_types_supported: [authorization_code urn:ietf:params:oauth:grant-type:token-exchange]
	// api2: 200 no-store
	// urn:ietf:params:oauth:token-type:access_token Bearer 3600 read
	// sub=https://alice.example/ client_id=api1 act.client_id=api1
	// api3: 400 no-store
	// invalid_target
}

// A Policy that lets billing act for users towards the ledger only, for
// five minutes, and never with the admin scope.
func ExamplePolicyFunc() {
	policy := exchange.PolicyFunc(func(_ context.Context, r *exchange.Request) (*exchange.Decision, error) {
		if r.Client.ID != "billing" {
			return nil, token.ErrInvalidRequest("only billing exchanges tokens")
		}
		for _, t := range r.Targets() {
			if t != "https://ledger.example/" {
				return nil, token.ErrInvalidTarget("billing may only call the ledger")
			}
		}
		d := r.Allow()
		d.Scope = d.Scope.Intersect(token.Scope{"read", "charge"})
		d.Lifetime = 5 * time.Minute
		return d, nil
	})

	d, err := policy.Decide(context.Background(), &exchange.Request{
		Client:   &token.ClientAuth{ID: "billing", Method: token.AuthSecretBasic},
		Subject:  &token.Info{Me: "https://alice.example/", Scope: token.Scope{"read", "charge", "admin"}},
		Acting:   &token.Actor{Subject: "billing", ClientID: "billing"},
		Resource: []string{"https://ledger.example/"},
	})
	fmt.Println(d.Audience, d.Scope, d.Lifetime, err)
	// Output:
	// [https://ledger.example/] read charge 5m0s <nil>
}
