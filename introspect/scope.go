package introspect

import (
	"net/http"
	"strings"

	"github.com/tokenkit/tokenkit/token"
)

// RequireScope returns middleware that lets a request through only when
// the token Middleware verified carries every scope given: otherwise 403
// with error="insufficient_scope" and a scope attribute naming what is
// needed (RFC 6750 §3.1, IndieAuth §8.1). Scopes compare case-sensitively.
// Use it inside Middleware; a request that did not pass through Middleware
// gets 401, so a wiring mistake fails closed.
func RequireScope(scopes ...string) func(http.Handler) http.Handler {
	need := strings.Join(scopes, " ")
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			a, ok := r.Context().Value(ctxKey{}).(*authorization)
			if !ok {
				writeNoCredentials(w, "resource")
				return
			}
			for _, s := range scopes {
				if !a.info.Scope.Has(s) {
					token.WriteError(w, errInsufficientScope(a.realm, need))
					return
				}
			}
			next.ServeHTTP(w, r)
		})
	}
}

func errInsufficientScope(realm, scope string) *token.Error {
	return bearerError(realm, token.CodeInsufficientScope, "the access token lacks the scope needed", scope)
}
