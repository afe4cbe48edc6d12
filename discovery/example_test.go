package discovery_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"

	"golang.org/x/oauth2"

	"github.com/tokenkit/tokenkit/discovery"
	"github.com/tokenkit/tokenkit/metadata"
)

func ExampleProfileURL() {
	for _, in := range []string{"example.com", "https://EXAMPLE.com", "https://example.com/~me/index.html", "https://example.com:8443/", "https://example.com/a/../b"} {
		u, err := discovery.ProfileURL(in)
		fmt.Printf("%-36q %q %v\n", in, u, errors.Is(err, discovery.ErrInvalidURL))
	}
	// Output:
	// "example.com"                        "https://example.com/" false
	// "https://EXAMPLE.com"                "https://example.com/" false
	// "https://example.com/~me/index.html" "https://example.com/~me/index.html" false
	// "https://example.com:8443/"          "" true
	// "https://example.com/a/../b"         "" true
}

func ExampleEqual() {
	fmt.Println(discovery.Equal("https://Example.com", "https://example.com/"))
	fmt.Println(discovery.Equal("https://example.com/User", "https://example.com/user"))
	// Output:
	// true
	// false
}

func ExampleClient_Discover() {
	// A local site standing in for https://user.example/, with its own
	// authorization server; local servers need the insecure switch.
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	defer srv.Close()
	md, err := metadata.NewHandler(metadata.Config{
		AllowInsecureLoopback: true,
		Metadata: metadata.Metadata{
			Issuer:                        srv.URL + "/",
			AuthorizationEndpoint:         srv.URL + "/auth",
			TokenEndpoint:                 srv.URL + "/token",
			CodeChallengeMethodsSupported: []string{"S256"},
		},
	})
	if err != nil {
		panic(err)
	}
	mux.Handle("GET /.well-known/oauth-authorization-server", md)
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Link", `</.well-known/oauth-authorization-server>; rel="indieauth-metadata"`)
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, `<link rel="micropub" href="/micropub">`)
	})

	c, err := discovery.NewClient(discovery.Config{InsecureAllowPrivateNetworks: true})
	if err != nil {
		panic(err)
	}
	res, err := c.Discover(context.Background(), srv.URL)
	if err != nil {
		panic(err)
	}
	local := strings.NewReplacer(srv.URL, "http://user.example")
	fmt.Println(local.Replace(res.ProfileURL))
	fmt.Println(local.Replace(res.Endpoints.Issuer))
	fmt.Println(local.Replace(res.Endpoints.Authorization))
	fmt.Println(local.Replace(res.Endpoints.Token))
	fmt.Println(local.Replace(res.Endpoints.Micropub))
	// Output:
	// http://user.example/
	// http://user.example/
	// http://user.example/auth
	// http://user.example/token
	// http://user.example/micropub
}

func ExampleClient_Discover_refused() {
	// The default client reaches public addresses only, and IndieAuth
	// profile URLs have no IP addresses or ports.
	c, err := discovery.NewClient(discovery.Config{})
	if err != nil {
		panic(err)
	}
	_, err = c.Discover(context.Background(), "http://127.0.0.1:8080/")
	fmt.Println(errors.Is(err, discovery.ErrInvalidURL))
	// Output: true
}

func ExampleEndpoints_OAuth2Config() {
	e := discovery.Endpoints{
		Issuer:        "https://example.com/",
		Authorization: "https://example.com/auth",
		Token:         "https://example.com/token",
	}
	conf := e.OAuth2Config("https://app.example/", "https://app.example/callback", "create")
	verifier := "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk" // oauth2.GenerateVerifier() in real use
	authURL := conf.AuthCodeURL("xyz", oauth2.S256ChallengeOption(verifier),
		oauth2.SetAuthURLParam("me", "https://user.example/"))
	u, _ := url.Parse(authURL)
	q := u.Query()
	fmt.Println(u.Host, u.Path)
	fmt.Println(q.Get("client_id"), q.Get("code_challenge_method"), q.Get("code_challenge"))

	// On the callback:
	fmt.Println(discovery.VerifyIssuer(e.Issuer, "https://example.com/", true))
	fmt.Println(discovery.VerifyIssuer(e.Issuer, "https://example.com", true))
	// Output:
	// example.com /auth
	// https://app.example/ S256 E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM
	// <nil>
	// discovery: issuer mismatch: iss "https://example.com", expected "https://example.com/"
}
