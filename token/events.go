package token

import (
	"context"
	"log/slog"
)

// replayed handles a second use of a code or rotated refresh token: the
// whole family it belongs to is revoked (RFC 6749 §4.1.2, RFC 9700
// §4.14.2) and the event logged, without the token itself.
func replayed(ctx context.Context, store Revoker, log *slog.Logger, what string, rec *Record) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	err := store.RevokeFamily(ctx, rec.Family)
	log.LogAttrs(ctx, slog.LevelWarn, "token: replay detected",
		slog.String("kind", what),
		slog.String("client_id", rec.Info.ClientID),
		slog.String("me", rec.Info.Me),
		slog.String("family", familyTag(rec.Family)))
	if err != nil {
		log.ErrorContext(ctx, "token: revoking family failed", "error", err)
		return
	}
	log.LogAttrs(ctx, slog.LevelWarn, "token: family revoked",
		slog.String("client_id", rec.Info.ClientID),
		slog.String("family", familyTag(rec.Family)))
}
