package exchange

import (
	"context"
	"errors"
	"log/slog"

	"github.com/tokenkit/tokenkit/token"
)

// maxTokenBytes bounds a subject or actor token before any lookup; the
// verifiers bound what they parse themselves (token.JWT: 16 KiB).
const maxTokenBytes = 16 << 10

// subject verifies the subject token by its declared type and returns what
// it says, with the grant family its record belongs to (empty when it has
// no record). Every way a token can fail is invalid_request (RFC 8693
// §2.2.2, TX-04), never invalid_grant.
func (g *Grant) subject(ctx context.Context, req *token.Request, tok, typ string) (*token.Info, string, error) {
	if typ == TokenTypeRefreshToken && g.refresh {
		return g.refreshToken(ctx, req, tok)
	}
	return g.verify(ctx, req, tok, typ, "subject_token")
}

// actor verifies the actor token by its declared type. Refresh tokens are
// never actor tokens.
func (g *Grant) actor(ctx context.Context, req *token.Request, tok, typ string) (*token.Info, error) {
	info, _, err := g.verify(ctx, req, tok, typ, "actor_token")
	return info, err
}

// verify checks tok with the Verifier configured for typ, then against the
// store: a recorded token must be an unrevoked access token, so a JWT
// verifier without a Store still sees revocation, and a refresh token is
// never taken for an access token (TX-05).
func (g *Grant) verify(ctx context.Context, req *token.Request, tok, typ, param string) (*token.Info, string, error) {
	v := g.verifiers[typ]
	if v == nil {
		return nil, "", token.ErrInvalidRequest("unsupported " + param + "_type")
	}
	bad := token.ErrInvalidRequest(param + " is invalid, expired or revoked")
	if len(tok) > maxTokenBytes {
		return nil, "", bad
	}
	info, err := v.Verify(ctx, tok)
	switch {
	case token.IsInvalid(err):
		return nil, "", bad
	case err != nil:
		req.Logger.LogAttrs(ctx, slog.LevelError, "exchange: verifying "+param+" failed", slog.String("error", err.Error()))
		return nil, "", token.ErrServer()
	case info == nil || !info.Active(req.Now):
		return nil, "", bad
	}
	rec, err := req.Store.Get(ctx, token.HashToken(tok))
	switch {
	case errors.Is(err, token.ErrNotFound):
		return info.Clone(), "", nil
	case err != nil:
		req.Logger.LogAttrs(ctx, slog.LevelError, "exchange: looking up "+param+" failed", slog.String("error", err.Error()))
		return nil, "", token.ErrServer()
	case rec.Kind != token.KindAccess || rec.Revoked():
		return nil, "", bad
	}
	return info.Clone(), rec.Family, nil
}

// refreshToken looks a refresh token up in the endpoint's store. It must
// be a live refresh token of the requesting client (RFC 6749 §10.4); it is
// read, not consumed, so the client's own rotation is unaffected.
func (g *Grant) refreshToken(ctx context.Context, req *token.Request, tok string) (*token.Info, string, error) {
	bad := token.ErrInvalidRequest("subject_token is invalid, expired or revoked")
	if len(tok) > maxTokenBytes {
		return nil, "", bad
	}
	rec, err := req.Store.Get(ctx, token.HashToken(tok))
	switch {
	case errors.Is(err, token.ErrNotFound):
		return nil, "", bad
	case err != nil:
		req.Logger.LogAttrs(ctx, slog.LevelError, "exchange: looking up subject_token failed", slog.String("error", err.Error()))
		return nil, "", token.ErrServer()
	case rec.Kind != token.KindRefresh || rec.Revoked() || !rec.TakenAt.IsZero() || !rec.Info.Active(req.Now):
		return nil, "", bad
	case rec.Info.ClientID != req.Client.ID:
		return nil, "", bad
	}
	return rec.Info.Clone(), rec.Family, nil
}
