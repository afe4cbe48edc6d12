package token_test

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/tokenkit/tokenkit/token"
)

func ExampleJWT() {
	// A fixed key and clock keep the output stable; use
	// token.GenerateEd25519Key("2026-11", nil) and time.Now in a program.
	priv := ed25519.NewKeyFromSeed(make([]byte, ed25519.SeedSize))
	key, err := token.NewEd25519Key("2026-11", priv)
	if err != nil {
		panic(err)
	}
	keys, err := token.NewKeySet(key)
	if err != nil {
		panic(err)
	}
	now := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }

	// The authorization server mints…
	issuer := &token.JWT{Keys: keys, Issuer: "https://auth.example.com/", Now: clock}
	at, err := issuer.Issue(context.Background(), &token.Info{
		Me:        "https://jane.example/",
		Subject:   "https://jane.example/",
		ClientID:  "https://app.example/",
		Scope:     token.Scope{"create", "media"},
		Audience:  []string{"https://micropub.example/"},
		ExpiresAt: now.Add(time.Hour),
	})
	if err != nil {
		panic(err)
	}

	// …and the resource server, knowing only the public key (or the
	// issuer's JWKS, through token.ParseJWKS), verifies.
	pub, err := token.NewPublicKey("2026-11", token.AlgEdDSA, priv.Public())
	if err != nil {
		panic(err)
	}
	public, err := token.NewKeySet(nil, pub)
	if err != nil {
		panic(err)
	}
	resource := &token.JWT{Keys: public, Issuer: "https://auth.example.com/", Audience: "https://micropub.example/", Now: clock}
	info, err := resource.Verify(context.Background(), at)
	if err != nil {
		panic(err)
	}
	fmt.Println("me:", info.Me)
	fmt.Println("client:", info.ClientID)
	fmt.Println("scope:", info.Scope)
	fmt.Println("expires:", info.ExpiresAt.Format(time.RFC3339))
	fmt.Println("may create:", info.Scope.Has("create"))

	// A token for another resource server is refused.
	other := &token.JWT{Keys: public, Issuer: "https://auth.example.com/", Audience: "https://photos.example/", Now: clock}
	_, err = other.Verify(context.Background(), at)
	fmt.Println("elsewhere:", token.IsInvalid(err))
	// Output:
	// me: https://jane.example/
	// client: https://app.example/
	// scope: create media
	// expires: 2026-11-22T13:00:00Z
	// may create: true
	// elsewhere: true
}

func ExampleKeySet_Handler() {
	key, err := token.NewEd25519Key("2026-11", ed25519.NewKeyFromSeed(make([]byte, ed25519.SeedSize)))
	if err != nil {
		panic(err)
	}
	keys, err := token.NewKeySet(key)
	if err != nil {
		panic(err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /.well-known/jwks.json", keys.Handler())
	srv := httptest.NewServer(mux)
	defer srv.Close()

	res, err := http.Get(srv.URL + "/.well-known/jwks.json")
	if err != nil {
		panic(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		panic(err)
	}
	var doc struct {
		Keys []struct {
			Kid, Alg, Kty, Use string
			D                  string
		}
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		panic(err)
	}
	fmt.Println(res.Header.Get("Content-Type"), res.Header.Get("Cache-Control"))
	for _, k := range doc.Keys {
		fmt.Printf("kid=%s alg=%s kty=%s use=%s private=%t\n", k.Kid, k.Alg, k.Kty, k.Use, k.D != "")
	}

	// A resource server reads the same document into a verify-only set.
	rs, err := token.ParseJWKS(body)
	if err != nil {
		panic(err)
	}
	k, _ := rs.Key("2026-11")
	fmt.Println("resource server knows:", k.ID(), k.Algorithm(), strings.Contains(string(body), `"d"`))
	// Output:
	// application/json public, max-age=300
	// kid=2026-11 alg=EdDSA kty=OKP use=sig private=false
	// resource server knows: 2026-11 EdDSA false
}
