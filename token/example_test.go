package token_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"

	"github.com/tokenkit/tokenkit/token"
)

// A blog engine mounts the token endpoint next to its pages; its
// authorization endpoint mints codes after the user approves.
func ExampleHandler() {
	store := token.NewMemoryStore()
	codes := &token.LocalCodes{Store: store}
	h, err := token.NewHandler(token.Config{
		Issuer: "https://example.com/",
		Store:  store,
		Grants: []token.Grant{&token.AuthorizationCode{Codes: codes}, &token.RefreshToken{}},
	})
	if err != nil {
		panic(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/auth/token", h)
	srv := httptest.NewServer(mux)
	defer srv.Close()

	// The authorization endpoint, after consent:
	verifier := "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
	code, _ := codes.Mint(context.Background(), token.CodeParams{
		Me: "https://example.com/", ClientID: "https://app.example/", RedirectURI: "https://app.example/cb",
		Scope: token.Scope{"create"}, Challenge: token.S256Challenge(verifier),
	})

	// The client redeems the code.
	resp, err := http.PostForm(srv.URL+"/auth/token", url.Values{
		"grant_type": {"authorization_code"}, "code": {code}, "client_id": {"https://app.example/"},
		"redirect_uri": {"https://app.example/cb"}, "code_verifier": {verifier},
	})
	if err != nil {
		panic(err)
	}
	defer resp.Body.Close()
	var out struct {
		TokenType string `json:"token_type"`
		Me        string `json:"me"`
		Scope     string `json:"scope"`
		ExpiresIn int    `json:"expires_in"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&out)
	fmt.Println(resp.StatusCode, resp.Header.Get("Cache-Control"), out.TokenType, out.Me, out.Scope, out.ExpiresIn)
	// Output: 200 no-store Bearer https://example.com/ create 3600
}

// A service authenticates with its secret and gets a token for itself.
func ExampleClientCredentials() {
	clients := token.NewMemoryClients(&token.Client{
		ID: "svc", Secret: token.HashSecret("s3cr3t"),
		Grants: []string{token.GrantClientCredentials}, Scope: token.Scope{"read"},
	})
	h, _ := token.NewHandler(token.Config{
		Issuer: "https://example.com/", Store: token.NewMemoryStore(), Clients: clients,
		Grants: []token.Grant{token.ClientCredentials{}},
	})
	r := httptest.NewRequest(http.MethodPost, "/token", strings.NewReader("grant_type=client_credentials"))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.SetBasicAuth("svc", "s3cr3t")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	var out map[string]any
	_ = json.Unmarshal(w.Body.Bytes(), &out)
	fmt.Println(w.Code, out["token_type"], out["scope"], out["refresh_token"] == nil)

	r = httptest.NewRequest(http.MethodPost, "/token", strings.NewReader("grant_type=client_credentials"))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.SetBasicAuth("svc", "wrong")
	w = httptest.NewRecorder()
	h.ServeHTTP(w, r)
	fmt.Println(w.Code, w.Header().Get("WWW-Authenticate"), w.Body.String())
	// Output:
	// 200 Bearer read true
	// 401 Basic realm="token" {"error":"invalid_client","error_description":"client authentication failed"}
}

func ExampleParseScope() {
	s, err := token.ParseScope("create update create")
	fmt.Println(s, len(s), err)
	_, err = token.ParseScope("create  update")
	fmt.Println(err)
	fmt.Println(s.Contains(token.Scope{"update"}), s.Has("CREATE"))
	// Output:
	// create update 2 <nil>
	// token: malformed scope
	// true false
}
