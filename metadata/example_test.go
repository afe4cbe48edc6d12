package metadata_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/tokenkit/tokenkit/metadata"
)

func ExampleNewHandler() {
	h, err := metadata.NewHandler(metadata.Config{Metadata: metadata.Metadata{
		Issuer:                        "https://example.com/",
		AuthorizationEndpoint:         "https://example.com/auth",
		TokenEndpoint:                 "https://example.com/token",
		CodeChallengeMethodsSupported: []string{"S256"},
	}})
	if err != nil {
		panic(err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /.well-known/oauth-authorization-server", h)

	rec := httptest.NewRecorder()
	mux.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/.well-known/oauth-authorization-server", nil))
	fmt.Println(rec.Code, rec.Header().Get("Content-Type"))
	fmt.Print(rec.Body.String())
	// Output:
	// 200 application/json
	// {
	//   "issuer": "https://example.com/",
	//   "authorization_endpoint": "https://example.com/auth",
	//   "token_endpoint": "https://example.com/token",
	//   "response_types_supported": [
	//     "code"
	//   ],
	//   "code_challenge_methods_supported": [
	//     "S256"
	//   ]
	// }
}

func ExampleWellKnownURL() {
	for _, issuer := range []string{"https://example.com/", "https://example.com/tenant1/"} {
		u, _ := metadata.WellKnownURL(issuer)
		fmt.Println(u)
	}
	// Output:
	// https://example.com/.well-known/oauth-authorization-server
	// https://example.com/.well-known/oauth-authorization-server/tenant1
}

func ExampleClient_Fetch() {
	// A local server without TLS stands in for https://example.com/.
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	defer srv.Close()
	h, err := metadata.NewHandler(metadata.Config{
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
	mux.Handle("GET /metadata", h)

	c := &metadata.Client{AllowInsecureLoopback: true}
	m, err := c.Fetch(context.Background(), srv.URL+"/metadata")
	if err != nil {
		panic(err)
	}
	fmt.Println(m.Issuer == srv.URL+"/", m.TokenEndpoint == srv.URL+"/token")
	// Output: true true
}

func ExampleParse() {
	_, err := metadata.Parse([]byte(`{"issuer":"https://a.example/","issuer":"https://b.example/"}`))
	fmt.Println(err)
	_, err = metadata.Parse([]byte(`{"issuer":5}`))
	fmt.Println(err)
	// Output:
	// metadata: malformed document: duplicate member "issuer"
	// metadata: malformed document: issuer has the wrong type
}
