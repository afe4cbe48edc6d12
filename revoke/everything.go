package revoke

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/tokenkit/tokenkit/token"
)

// Everything revokes every token and code issued to clientID for the user
// me before the given time: the user's "log out everywhere" for one
// client, typically called with time.Now() from the application's account
// page. It is immediate for every verifier that consults the store
// (token.Opaque, token.JWT with a Store); a remote Client's cache notices
// within its CacheTTL. me is empty for client-only (client_credentials)
// tokens; clientID is required.
func Everything(ctx context.Context, store token.Revoker, me, clientID string, before time.Time) error {
	if clientID == "" {
		return errors.New("revoke: Everything needs a client_id")
	}
	if err := store.RevokeBefore(ctx, me, clientID, before); err != nil {
		return fmt.Errorf("revoke: revoking everything before %s: %w", before.UTC().Format(time.RFC3339), err)
	}
	return nil
}
