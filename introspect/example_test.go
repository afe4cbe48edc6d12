package introspect_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"time"

	"github.com/tokenkit/tokenkit/introspect"
	"github.com/tokenkit/tokenkit/token"
)

// A micropub endpoint behind the bearer middleware: the token comes from
// the Authorization header or the form body, and creating a post needs the
// "create" scope.
func ExampleMiddleware() {
	// The issuer's store, with one token recorded as the token endpoint
	// would record it.
	store := token.NewMemoryStore()
	_ = store.Put(context.Background(), &token.Record{Key: token.HashToken("tok-create"), Kind: token.KindAccess,
		Info: token.Info{Me: "https://user.example/", ClientID: "https://app.example/",
			Scope: token.Scope{"create"}, ExpiresAt: time.Now().Add(time.Hour)}})
	_ = store.Put(context.Background(), &token.Record{Key: token.HashToken("tok-read"), Kind: token.KindAccess,
		Info: token.Info{Me: "https://user.example/", ClientID: "https://app.example/",
			Scope: token.Scope{"read"}, ExpiresAt: time.Now().Add(time.Hour)}})

	micropub := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		info, _ := introspect.InfoFromContext(r.Context())
		w.Header().Set("Location", info.Me+"2026/hello")
		w.WriteHeader(http.StatusCreated)
	})
	mw := introspect.Middleware(introspect.MiddlewareConfig{
		Verifier: &token.Opaque{Store: store},
		Realm:    "micropub",
	})
	mux := http.NewServeMux()
	mux.Handle("/micropub", mw(introspect.RequireScope("create")(micropub)))

	post := func(body, auth string) {
		r := httptest.NewRequest(http.MethodPost, "/micropub", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if auth != "" {
			r.Header.Set("Authorization", auth)
		}
		w := httptest.NewRecorder()
		mux.ServeHTTP(w, r)
		fmt.Println(w.Code, w.Header().Get("Location")+w.Header().Get("WWW-Authenticate"))
	}
	post("h=entry&content=hello", "Bearer tok-create")
	post("h=entry&content=hello&access_token=tok-create", "")
	post("h=entry&content=hello", "")
	post("h=entry&content=hello", "Bearer tok-unknown")
	post("h=entry&content=hello", "Bearer tok-read")
	// Output:
	// 201 https://user.example/2026/hello
	// 201 https://user.example/2026/hello
	// 401 Bearer realm="micropub"
	// 401 Bearer realm="micropub", error="invalid_token", error_description="the access token is invalid"
	// 403 Bearer realm="micropub", error="insufficient_scope", error_description="the access token lacks the scope needed", scope="create"
}

// The introspection endpoint answers an authorized resource server.
func ExampleHandler() {
	store := token.NewMemoryStore()
	_ = store.Put(context.Background(), &token.Record{Key: token.HashToken("tok"), Kind: token.KindAccess,
		Info: token.Info{Me: "https://user.example/", ClientID: "https://app.example/", Scope: token.Scope{"create"},
			ExpiresAt: time.Unix(1900000000, 0), IssuedAt: time.Unix(1800000000, 0)}})
	clients := token.NewMemoryClients(&token.Client{ID: "rs", Secret: token.HashSecret("rs-secret"), Permissions: []string{"introspect"}})
	h, err := introspect.NewHandler(introspect.Config{
		Verifier: &token.Opaque{Store: store, Now: func() time.Time { return time.Unix(1800000060, 0) }},
		Callers:  &introspect.Callers{Auth: &token.Authenticator{Clients: clients}},
	})
	if err != nil {
		panic(err)
	}
	for _, tok := range []string{"tok", "nope"} {
		r := httptest.NewRequest(http.MethodPost, "/introspect", strings.NewReader(url.Values{"token": {tok}}.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.SetBasicAuth("rs", "rs-secret")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		fmt.Println(w.Code, w.Body.String())
	}
	fmt.Println(h.AuthMethods())
	// Output:
	// 200 {"active":true,"me":"https://user.example/","client_id":"https://app.example/","scope":"create","token_type":"Bearer","exp":1900000000,"iat":1800000000}
	// 200 {"active":false}
	// [client_secret_basic client_secret_post]
}

// A resource server that asks the token endpoint of an IndieAuth server
// with the legacy GET (aaronpk/Aperture#121), caching the answers.
func ExampleClient_legacy() {
	tokenEndpoint := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer tok" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "application/x-www-form-urlencoded")
		fmt.Fprint(w, "me=https%3A%2F%2Fuser.example%2F&client_id=https%3A%2F%2Fapp.example%2F&scope=create+update")
	}))
	defer tokenEndpoint.Close()

	c, err := introspect.NewClient(introspect.ClientConfig{Endpoint: tokenEndpoint.URL, Legacy: true})
	if err != nil {
		panic(err)
	}
	info, err := c.Verify(context.Background(), "tok")
	fmt.Println(info.Me, info.Scope, err)
	_, err = c.Verify(context.Background(), "other")
	fmt.Println(token.IsInvalid(err))
	// Output:
	// https://user.example/ create update <nil>
	// true
}
