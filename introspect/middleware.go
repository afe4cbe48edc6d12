package introspect

import (
	"context"
	"net/http"

	"github.com/tokenkit/tokenkit/token"
)

// DefaultMaxFormBytes is how much of a form body Middleware reads looking
// for an access_token parameter when MiddlewareConfig.MaxFormBytes is 0.
const DefaultMaxFormBytes = 1 << 20

// MiddlewareConfig configures Middleware.
type MiddlewareConfig struct {
	// Verifier checks each token: a token.JWT for self-encoded tokens (no
	// network per request), a token.Opaque on the issuer's own store, or
	// a Client asking a remote endpoint. Required.
	Verifier token.Verifier
	// Realm names the protection space in WWW-Authenticate challenges
	// (RFC 6750 §3). Empty means "resource".
	Realm string
	// Audience, when set, must be one of a token's aud values: the
	// identifier of this resource server (RFC 9068 §4, RFC 9700 §2.3).
	Audience string
	// IgnoreFormBody turns off the RFC 6750 §2.2 form-encoded body
	// parameter, which micropub clients use and which is on by default.
	IgnoreFormBody bool
	// MaxFormBytes bounds how much of a form body is read looking for
	// access_token; the wrapped handler still reads the whole body. Zero
	// means DefaultMaxFormBytes.
	MaxFormBytes int64
	// InsecureAllowQuery accepts the access_token query parameter of RFC
	// 6750 §2.3, which leaks tokens into logs and Referer headers; RFC
	// 9700 §4.3 says not to. Successful responses then carry
	// Cache-Control: private (RFC 6750 §2.3). Off by default.
	InsecureAllowQuery bool
}

// ctxKey is the context key of a verified request's authorization.
type ctxKey struct{}

// authorization is what Middleware puts in the request context.
type authorization struct {
	info  *token.Info
	realm string
}

// InfoFromContext returns what the token of the request said, as put in
// its context by Middleware. The Info may be shared between requests (the
// Client caches it): treat it as read-only.
func InfoFromContext(ctx context.Context) (*token.Info, bool) {
	a, ok := ctx.Value(ctxKey{}).(*authorization)
	if !ok {
		return nil, false
	}
	return a.info, true
}

// Middleware returns RFC 6750 bearer-token middleware: it takes the access
// token from the Authorization header (scheme case-insensitive) or, for a
// form POST, PUT or PATCH, the access_token body parameter (the micropub
// convention), verifies it and passes the request on with the token's
// Info in its context (InfoFromContext). The answers:
//
//   - no token, or another scheme such as Basic: 401 with a challenge
//     naming only the realm, and no body;
//   - malformed credentials, or a token sent in more than one way: 400
//     invalid_request;
//   - a malformed, expired, revoked, unknown or foreign token: 401
//     invalid_token;
//   - a verifier that could not answer (a remote endpoint down, a store
//     failing): 503 temporarily_unavailable with Retry-After, since it is
//     not the token's fault and the client should not throw it away.
//
// Wrap handlers with RequireScope for per-action scope checks. Middleware
// panics if cfg.Verifier is nil, a programming error.
func Middleware(cfg MiddlewareConfig) func(http.Handler) http.Handler {
	if cfg.Verifier == nil {
		panic("introspect: MiddlewareConfig.Verifier is nil")
	}
	if cfg.Realm == "" {
		cfg.Realm = "resource"
	}
	if cfg.MaxFormBytes <= 0 {
		cfg.MaxFormBytes = DefaultMaxFormBytes
	}
	return func(next http.Handler) http.Handler {
		return &middleware{cfg: cfg, next: next}
	}
}

type middleware struct {
	cfg  MiddlewareConfig
	next http.Handler
}

func (m *middleware) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	tok, fromQuery, err := m.token(r)
	if err != nil {
		token.WriteError(w, errCredentials(m.cfg.Realm, err))
		return
	}
	if tok == "" {
		writeNoCredentials(w, m.cfg.Realm)
		return
	}
	if len(tok) > MaxTokenBytes {
		token.WriteError(w, errInvalidToken(m.cfg.Realm))
		return
	}
	info, err := m.cfg.Verifier.Verify(r.Context(), tok)
	switch {
	case err == nil && (m.cfg.Audience == "" || info.HasAudience(m.cfg.Audience)):
	case err == nil || token.IsInvalid(err):
		token.WriteError(w, errInvalidToken(m.cfg.Realm))
		return
	default:
		token.WriteError(w, token.ErrUnavailable())
		return
	}
	if fromQuery {
		w.Header().Set("Cache-Control", "private")
	}
	m.next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), ctxKey{}, &authorization{info: info, realm: m.cfg.Realm})))
}

// token finds the request's one access token (RFC 6750 §2): more than one
// transport at once is invalid_request.
func (m *middleware) token(r *http.Request) (tok string, fromQuery bool, err error) {
	tok, err = headerToken(r)
	if err != nil {
		return "", false, err
	}
	if !m.cfg.IgnoreFormBody && hasBody(r) {
		b, err := bodyToken(r, m.cfg.MaxFormBytes)
		if err != nil {
			return "", false, err
		}
		if b != "" && tok != "" {
			return "", false, errTwoPlaces
		}
		if b != "" && !isToken68(b) {
			return "", false, errFormInvalid // RFC 6750 §2.2: b64token syntax (BEA-08)
		}
		if b != "" {
			tok = b
		}
	}
	if m.cfg.InsecureAllowQuery {
		q, err := queryToken(r)
		if err != nil {
			return "", false, err
		}
		if q != "" && tok != "" {
			return "", false, errTwoPlaces
		}
		if q != "" && !isToken68(q) {
			return "", false, errFormInvalid
		}
		if q != "" {
			return q, true, nil
		}
	}
	return tok, false, nil
}
