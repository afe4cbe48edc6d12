package revoke

import (
	"context"
	"errors"
	"log/slog"
	"net/http"

	"github.com/tokenkit/tokenkit/token"
)

// Store is what revocation needs of a token.Store: finding a token's
// record and revoking it.
type Store interface {
	token.Recorder
	token.Revoker
}

// Config configures the revocation Handler.
type Config struct {
	// Store holds the records the token endpoint keeps under
	// token.HashToken of every token it issues. Required.
	Store Store
	// Auth authenticates clients; share the token endpoint's
	// (token.Handler.Authenticator). Nil means an Authenticator with no
	// registered clients.
	Auth *token.Authenticator
	// Verifier checks self-encoded tokens that have no record (a token.JWT
	// with an empty Audience), so they can be denied until their own exp.
	// Nil: a token without a record is left alone.
	Verifier token.Verifier
	// AllowPublic accepts requests without client authentication, as
	// IndieAuth clients (public clients) and the IndieAuth 2020
	// action=revoke form send them (IndieAuth §7.1, conformance REV-10):
	// holding the token is the proof. A client_id, when sent, must still
	// match the token's, and a token of a confidential client is never
	// revoked without that client's credentials. Advertise
	// revocation_endpoint_auth_methods_supported ["none"] with it. Off by
	// default: only authenticated clients may revoke, their own tokens.
	AllowPublic bool
	// Logger receives revocation events and store failures; tokens are
	// never logged. Nil means no logging.
	Logger *slog.Logger
}

// Handler is the RFC 7009 revocation endpoint, and the legacy IndieAuth
// action=revoke: set it as token.Config.Revoke as well to serve
// POST action=revoke&token=… on the token endpoint's own path. It is safe
// for concurrent use.
type Handler struct {
	cfg  Config
	auth *token.Authenticator
	log  *slog.Logger
}

// NewHandler checks cfg and returns the endpoint.
func NewHandler(cfg Config) (*Handler, error) {
	if cfg.Store == nil {
		return nil, errors.New("revoke: Config.Store is required")
	}
	h := &Handler{cfg: cfg, auth: cfg.Auth, log: cfg.Logger}
	if h.auth == nil {
		h.auth = &token.Authenticator{Clients: token.NewMemoryClients()}
	}
	if h.log == nil {
		h.log = slog.New(slog.DiscardHandler)
	}
	return h, nil
}

// AuthMethods lists what the metadata's
// revocation_endpoint_auth_methods_supported should say (RFC 8414 §2).
func (h *Handler) AuthMethods() []string {
	m := []string{token.AuthSecretBasic, token.AuthSecretPost}
	if h.cfg.AllowPublic {
		m = append(m, token.AuthNone)
	}
	return m
}

// MaxTokenBytes bounds the tokens looked up; a longer one cannot be ours
// and is answered 200 without a lookup (conformance EDGE-02).
const MaxTokenBytes = 16 << 10

// ServeHTTP answers an RFC 7009 §2.1 request: POST, a form with token and
// an optional token_type_hint, which never narrows the search. The client
// authenticates first (401 invalid_client otherwise); a missing token is
// 400 invalid_request. Then 200 whether or not the token existed, was
// already revoked or belonged to another client (§2.2), so nothing is
// revealed; 503 with Retry-After when the store failed, and the token
// still works (§2.2.1). unsupported_token_type is never sent: every token
// the token endpoint issues can be revoked.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		token.WriteMethodNotAllowed(w, http.MethodPost)
		return
	}
	f, err := token.ParseForm(w, r)
	if err != nil {
		token.WriteError(w, err)
		return
	}
	ctx := r.Context()
	client, err := h.auth.Authenticate(ctx, r, f)
	if err != nil {
		token.WriteError(w, err)
		return
	}
	if !client.Authenticated() && !h.cfg.AllowPublic {
		token.WriteError(w, h.auth.InvalidClient())
		return
	}
	tok := f.Get("token")
	if tok == "" {
		token.WriteError(w, token.ErrInvalidRequest("token is required"))
		return
	}
	if err := h.revoke(ctx, client, tok); err != nil {
		h.log.ErrorContext(ctx, "revoke: revocation failed", "client_id", client.ID, "error", err)
		token.WriteError(w, token.ErrUnavailable())
		return
	}
	hd := w.Header()
	hd.Set("Cache-Control", "no-store")
	hd.Set("Pragma", "no-cache")
	w.WriteHeader(http.StatusOK)
}

// revoke takes tok back if it is a token of client's. Only a store failure
// is an error.
func (h *Handler) revoke(ctx context.Context, client *token.ClientAuth, tok string) error {
	if len(tok) > MaxTokenBytes {
		return nil
	}
	key := token.HashToken(tok)
	rec, err := h.cfg.Store.Get(ctx, key)
	switch {
	case errors.Is(err, token.ErrNotFound):
		return h.revokeSelfEncoded(ctx, client, tok, key)
	case err != nil:
		return err
	case rec.Kind == token.KindCode || rec.Revoked():
		// A code is no token (RFC 7009 §2.1); revoking twice is a no-op.
		return nil
	}
	if ok, err := h.owns(ctx, client, &rec.Info); !ok || err != nil {
		return err
	}
	// Revoking either token of a grant revokes the grant: the refresh
	// token's family holds the access tokens it issued (RFC 7009 §2.1
	// SHOULD), and an access token takes its refresh token along (MAY),
	// so that a client signing out leaves nothing usable behind.
	if rec.Family != "" {
		err = h.cfg.Store.RevokeFamily(ctx, rec.Family)
	} else {
		err = h.cfg.Store.Revoke(ctx, key, rec.Info.ExpiresAt)
	}
	if err == nil {
		h.event(ctx, rec.Kind.String(), &rec.Info)
	}
	return err
}

// revokeSelfEncoded denies a valid self-encoded token with no record: a
// revoked tombstone under its hash, kept until the token's own exp and no
// longer, which token.JWT with a Store consults (the jti denylist of RFC
// 7009 §2, bounded by the token's lifetime).
func (h *Handler) revokeSelfEncoded(ctx context.Context, client *token.ClientAuth, tok string, key token.Hash) error {
	if h.cfg.Verifier == nil {
		return nil
	}
	info, err := h.cfg.Verifier.Verify(ctx, tok)
	switch {
	case token.IsInvalid(err):
		return nil // invalid, expired or already revoked: nothing to do
	case err != nil:
		return err
	}
	if ok, err := h.owns(ctx, client, info); !ok || err != nil {
		return err
	}
	if err := h.cfg.Store.Revoke(ctx, key, info.ExpiresAt); err != nil {
		return err
	}
	h.event(ctx, "self-encoded access_token", info)
	return nil
}

// owns reports whether client may revoke a token issued as info (RFC 7009
// §2.1: only the client's own tokens). An authenticated client revokes its
// own; a public request revokes a token of the client_id it names, or any
// token it holds when it names none, except tokens of a confidential
// client, which must authenticate.
func (h *Handler) owns(ctx context.Context, client *token.ClientAuth, info *token.Info) (bool, error) {
	if client.ID != "" && client.ID != info.ClientID {
		h.log.LogAttrs(ctx, slog.LevelWarn, "revoke: token of another client left alone",
			slog.String("client_id", client.ID), slog.String("token_client_id", info.ClientID))
		return false, nil
	}
	if client.Authenticated() {
		return true, nil
	}
	c, err := h.auth.Clients.Client(ctx, info.ClientID)
	switch {
	case errors.Is(err, token.ErrUnknownClient):
		return true, nil
	case err != nil:
		return false, err
	}
	return !c.Confidential(), nil
}

func (h *Handler) event(ctx context.Context, kind string, info *token.Info) {
	h.log.LogAttrs(ctx, slog.LevelInfo, "revoke: revoked",
		slog.String("kind", kind),
		slog.String("client_id", info.ClientID),
		slog.String("me", info.Me),
		slog.String("jti", info.ID))
}
