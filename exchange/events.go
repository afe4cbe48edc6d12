package exchange

import (
	"context"
	"errors"
	"log/slog"

	"github.com/tokenkit/tokenkit/token"
)

// refused logs a refused exchange: who asked, with which token types, and
// why, in the error's own words. Token values never reach the log; the
// error descriptions never contain them. Server errors were logged where
// they happened.
func refused(ctx context.Context, req *token.Request, err error) {
	var te *token.Error
	if !errors.As(err, &te) || te.Code == token.CodeServerError {
		return
	}
	id := ""
	if req.Client != nil {
		id = req.Client.ID
	}
	req.Logger.LogAttrs(ctx, slog.LevelWarn, "exchange: refused",
		slog.String("client_id", id),
		slog.String("subject_token_type", short(req.Form.Get("subject_token_type"))),
		slog.String("actor_token_type", short(req.Form.Get("actor_token_type"))),
		slog.String("error", te.Code),
		slog.String("reason", te.Description))
}

// short bounds a client-supplied value written to the log.
func short(s string) string {
	const max = 100
	if len(s) > max {
		return s[:max] + "..."
	}
	return s
}
