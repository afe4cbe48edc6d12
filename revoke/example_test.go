package revoke_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/tokenkit/tokenkit/revoke"
	"github.com/tokenkit/tokenkit/token"
)

// One Handler serves RFC 7009 at its own path and the IndieAuth
// action=revoke on the token endpoint's.
func ExampleNewHandler() {
	store := token.NewMemoryStore()
	ctx := context.Background()
	for _, tok := range []string{"tok-1", "tok-2"} {
		_ = store.Put(ctx, &token.Record{Key: token.HashToken(tok), Kind: token.KindAccess, Family: tok,
			Info: token.Info{Me: "https://user.example/", ClientID: "https://app.example/", ExpiresAt: time.Now().Add(time.Hour)}})
	}
	revoker, err := revoke.NewHandler(revoke.Config{Store: store, AllowPublic: true})
	if err != nil {
		panic(err)
	}
	tokens, err := token.NewHandler(token.Config{Issuer: "https://user.example/", Store: store, Revoke: revoker})
	if err != nil {
		panic(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/token", tokens)
	mux.Handle("/revoke", revoker)

	for _, req := range []struct{ path, body string }{
		{"/revoke", "token=tok-1"},
		{"/token", "action=revoke&token=tok-2"},
		{"/revoke", "token=never-issued"},
	} {
		r := httptest.NewRequest(http.MethodPost, req.path, strings.NewReader(req.body))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		w := httptest.NewRecorder()
		mux.ServeHTTP(w, r)
		fmt.Println(req.path, w.Code)
	}
	opaque := &token.Opaque{Store: store}
	for _, tok := range []string{"tok-1", "tok-2"} {
		_, err := opaque.Verify(ctx, tok)
		fmt.Println(tok, err)
	}
	fmt.Println(revoker.AuthMethods())
	// Output:
	// /revoke 200
	// /token 200
	// /revoke 200
	// tok-1 token: token revoked
	// tok-2 token: token revoked
	// [client_secret_basic client_secret_post none]
}

// The "log out everywhere" button of an account page.
func ExampleEverything() {
	store := token.NewMemoryStore()
	ctx := context.Background()
	issued := time.Now().Add(-time.Minute)
	_ = store.Put(ctx, &token.Record{Key: token.HashToken("tok"), Kind: token.KindAccess,
		Info: token.Info{Me: "https://user.example/", ClientID: "https://app.example/", IssuedAt: issued, ExpiresAt: issued.Add(time.Hour)}})

	err := revoke.Everything(ctx, store, "https://user.example/", "https://app.example/", time.Now())
	_, verr := (&token.Opaque{Store: store}).Verify(ctx, "tok")
	fmt.Println(err, verr)
	// Output:
	// <nil> token: token revoked
}
