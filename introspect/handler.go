package introspect

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/tokenkit/tokenkit/token"
)

// Config configures the introspection Handler.
type Config struct {
	// Verifier checks access tokens: the token.Opaque or token.JWT of the
	// issuer, with its Store, so that revocation counts at once. Required.
	Verifier token.Verifier
	// Callers decides who may introspect (RFC 7662 §2.1). Required;
	// *Callers is the usual choice.
	Callers Authorizer
	// Refresh, when set, lets refresh tokens be introspected (RFC 7662
	// §2.1 MAY): a token the Verifier does not know is looked up here by
	// its hash, and an active refresh token is answered with token_type
	// "refresh_token", which Client refuses as a bearer token, and only to
	// the client it was issued to (no resource server can use one). Nil
	// answers refresh tokens {"active":false}.
	Refresh token.Recorder
	// Audience, when set, gives the audience a caller stands for: an
	// access token whose aud lacks it is {"active":false} to that caller
	// (RFC 7662 §4, conformance INT-05). An empty result, or a nil
	// Audience, shows the caller every token of the issuer.
	Audience func(*Caller) string
	// Limit, when set, is asked before each lookup; false answers 429 with
	// Retry-After, so that the endpoint is no token-scanning oracle (RFC
	// 7662 §4, conformance INT-11). Nil means no limit.
	Limit func(*Caller) bool
	// Logger receives failures of the Verifier's backing services; tokens
	// are never logged. Nil means no logging.
	Logger *slog.Logger
	// Now is the clock for refresh token expiry; nil means time.Now.
	Now func() time.Time
}

// Handler is the RFC 7662 introspection endpoint. Mount it at any path; it
// is safe for concurrent use.
type Handler struct {
	cfg Config
	log *slog.Logger
}

// NewHandler checks cfg and returns the endpoint.
func NewHandler(cfg Config) (*Handler, error) {
	if cfg.Verifier == nil {
		return nil, errors.New("introspect: Config.Verifier is required")
	}
	if cfg.Callers == nil {
		return nil, errors.New("introspect: Config.Callers is required")
	}
	if c, ok := cfg.Callers.(*Callers); ok && c.Auth == nil && c.Bearer == nil {
		return nil, errors.New("introspect: Callers admits nobody: set Auth or Bearer")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Handler{cfg: cfg, log: log}, nil
}

// AuthMethods lists what the metadata's
// introspection_endpoint_auth_methods_supported should say (RFC 8414 §2),
// when Callers can tell; otherwise nil.
func (h *Handler) AuthMethods() []string {
	if m, ok := h.cfg.Callers.(interface{ AuthMethods() []string }); ok {
		return m.AuthMethods()
	}
	return nil
}

// ServeHTTP answers an RFC 7662 §2.1 request: POST, a form with token and
// an optional token_type_hint, an authorized caller. An active token gets
// its claims (§2.2) with "active": true; anything else, exactly
// {"active":false}.
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
	caller, err := h.cfg.Callers.Authorize(ctx, r, f)
	if err != nil {
		token.WriteError(w, err)
		return
	}
	if h.cfg.Limit != nil && !h.cfg.Limit(caller) {
		token.WriteError(w, &token.Error{Code: token.CodeTemporarilyUnavailable, Description: "too many requests",
			Status: http.StatusTooManyRequests, RetryAfter: 60})
		return
	}
	tok := f.Get("token")
	if tok == "" {
		if f.Sent("token") {
			writeInactive(w) // token= sent empty: an empty token is not active (INT-04)
			return
		}
		token.WriteError(w, token.ErrInvalidRequest("token is required"))
		return
	}
	info, typ, err := h.lookup(ctx, tok, f.Get("token_type_hint"))
	switch {
	case err == nil:
		if aud := h.audience(caller); aud != "" && typ == typeBearer && !info.HasAudience(aud) {
			writeInactive(w)
			return
		}
		if typ == typeRefresh && caller.ID != info.ClientID {
			// No resource server can use a refresh token: only the client
			// it was issued to sees it active (RFC 7662 §4).
			writeInactive(w)
			return
		}
		c := newClaims(info, typ)
		writeClaims(w, &c, true)
	case token.IsInvalid(err):
		writeInactive(w)
	default:
		h.log.ErrorContext(ctx, "introspect: verification failed", "error", err)
		token.WriteError(w, token.ErrUnavailable())
	}
}

func (h *Handler) audience(c *Caller) string {
	if h.cfg.Audience == nil {
		return ""
	}
	return h.cfg.Audience(c)
}

// lookup finds tok as an access token through the Verifier, then, when
// refresh introspection is on, as a refresh token. The hint only orders
// the two: a wrong or unknown one never stops the search (RFC 7662 §2.1).
func (h *Handler) lookup(ctx context.Context, tok, hint string) (*token.Info, string, error) {
	if len(tok) > MaxTokenBytes {
		return nil, "", token.ErrMalformed
	}
	if hint == typeRefresh && h.cfg.Refresh != nil {
		info, err := h.refresh(ctx, tok)
		if !errors.Is(err, token.ErrUnknown) {
			return info, typeRefresh, err
		}
	}
	info, err := h.cfg.Verifier.Verify(ctx, tok)
	if err == nil {
		return info, typeBearer, nil
	}
	if h.cfg.Refresh != nil && hint != typeRefresh && (errors.Is(err, token.ErrUnknown) || errors.Is(err, token.ErrMalformed)) {
		info, rerr := h.refresh(ctx, tok)
		if rerr == nil || !token.IsInvalid(rerr) {
			return info, typeRefresh, rerr
		}
	}
	return nil, "", err
}

// maxRefreshBytes bounds the refresh tokens looked up; the token
// endpoint's are 43 characters.
const maxRefreshBytes = 512

// refresh looks tok up as a refresh token.
func (h *Handler) refresh(ctx context.Context, tok string) (*token.Info, error) {
	if len(tok) > maxRefreshBytes {
		return nil, token.ErrUnknown
	}
	rec, err := h.cfg.Refresh.Get(ctx, token.HashToken(tok))
	switch {
	case errors.Is(err, token.ErrNotFound):
		return nil, token.ErrUnknown
	case err != nil:
		return nil, err
	case rec.Kind != token.KindRefresh:
		return nil, token.ErrUnknown
	case rec.Revoked() || !rec.TakenAt.IsZero():
		return nil, token.ErrRevoked // a rotated refresh token is spent
	case !rec.Info.Active(h.cfg.Now()):
		return nil, token.ErrExpired
	}
	return &rec.Info, nil
}
