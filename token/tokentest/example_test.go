package tokentest_test

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/tokenkit/tokenkit/token"
	"github.com/tokenkit/tokenkit/token/tokentest"
)

// A fake clock drives expiry without sleeping.
func ExampleClock() {
	clock := tokentest.NewClock(time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC))
	store := token.NewMemoryStore()
	codes := &token.LocalCodes{Store: store, Now: clock.Now}
	code, _ := codes.Mint(context.Background(), token.CodeParams{
		Me: "https://user.example/", ClientID: "https://app.example/", RedirectURI: "https://app.example/cb",
		Scope: token.Scope{"create"}, Challenge: token.S256Challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
	})
	clock.Advance(10 * time.Minute)
	_, err := codes.Redeem(context.Background(), &token.CodeRequest{
		Code: code, ClientID: "https://app.example/", RedirectURI: "https://app.example/cb",
		CodeVerifier: "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk", Now: clock.Now(),
	})
	fmt.Println(err)
	// Output: token: invalid_grant: invalid authorization code
}

// A LogBuffer captures what a handler logs, to check that no secret is in it.
func ExampleLogBuffer() {
	logs := &tokentest.LogBuffer{}
	log := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
		if a.Key == slog.TimeKey {
			return slog.Attr{}
		}
		return a
	}}))
	log.Info("token: issued", "client_id", "svc")
	fmt.Print(logs.String())
	// Output: level=INFO msg="token: issued" client_id=svc
}
