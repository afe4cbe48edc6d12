package sqlstore_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log"
	"time"

	_ "modernc.org/sqlite"

	"github.com/tokenkit/tokenkit/token"
	"github.com/tokenkit/tokenkit/token/sqlstore"
)

// An authorization code is stored by its hash and redeemed once; a replay
// finds it taken.
func Example() {
	ctx := context.Background()
	db, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1) // each connection to :memory: is a database of its own

	store, err := sqlstore.Open(ctx, db, sqlstore.SQLite)
	if err != nil {
		log.Fatal(err)
	}

	now := time.Date(2030, 1, 1, 12, 0, 0, 0, time.UTC)
	code := "a-code-from-the-authorization-endpoint"
	err = store.Put(ctx, &token.Record{
		Key:    token.HashToken(code), // only the hash is stored
		Kind:   token.KindCode,
		Family: "grant-1",
		Info: token.Info{
			Me:        "https://user.example/",
			ClientID:  "https://app.example/",
			Scope:     token.Scope{"create", "profile"},
			IssuedAt:  now,
			ExpiresAt: now.Add(time.Minute),
		},
		Code: &token.CodeGrant{RedirectURI: "https://app.example/callback"},
	})
	if err != nil {
		log.Fatal(err)
	}

	r, err := store.Take(ctx, token.HashToken(code), now.Add(time.Second))
	fmt.Println(r.Info.Me, r.Info.Scope, r.Code.RedirectURI, err)

	_, err = store.Take(ctx, token.HashToken(code), now.Add(2*time.Second))
	fmt.Println(errors.Is(err, token.ErrTaken))

	n, _ := store.Purge(ctx, now.Add(time.Hour))
	fmt.Println("purged", n)
	// Output:
	// https://user.example/ create profile https://app.example/callback <nil>
	// true
	// purged 1
}
