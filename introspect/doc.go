// Package introspect checks access tokens, on both sides of the wire.
//
// On the authorization server:
//
//   - [Handler] is the RFC 7662 introspection endpoint. The caller must be
//     authorized ([Callers]: a registered client holding the "introspect"
//     permission, or a bearer token carrying the "introspect" scope); an
//     active token is answered with "active": true and its claims (me,
//     client_id, scope, sub, aud, iss, exp, iat, nbf, jti, token_type,
//     act), anything else with exactly {"active":false}.
//   - [Legacy] is the IndieAuth 2020 verification: GET on the token
//     endpoint with Authorization: Bearer, answered with me, client_id and
//     scope as JSON or form-encoded by the Accept header. Set it as
//     token.Config.Verify so that one path serves both dialects.
//   - [Userinfo] is the IndieAuth §9 userinfo endpoint.
//
// On a resource server (a micropub endpoint):
//
//   - [Middleware] is RFC 6750 bearer-token middleware around any
//     token.Verifier, and [RequireScope] checks scopes per handler;
//     [InfoFromContext] gives the handler what the token said.
//   - [Client] is a token.Verifier that asks a remote endpoint, by RFC
//     7662 or by the legacy GET, with a bounded cache.
//
// The smallest authorization server, one path for the token endpoint and
// both verification dialects, plus an introspection endpoint:
//
//	store := token.NewMemoryStore()
//	opaque := &token.Opaque{Store: store}
//	legacy, _ := introspect.NewLegacy(introspect.LegacyConfig{Verifier: opaque})
//	revoker, _ := revoke.NewHandler(revoke.Config{Store: store, AllowPublic: true})
//	tokens, _ := token.NewHandler(token.Config{Issuer: iss, Store: store,
//		Verify: legacy, Revoke: revoker})
//	intro, _ := introspect.NewHandler(introspect.Config{Verifier: opaque,
//		Callers: &introspect.Callers{Auth: tokens.Authenticator()}})
//	mux.Handle("/token", tokens)       // POST grants, POST action=revoke, GET verification
//	mux.Handle("/introspect", intro)
//	mux.Handle("/revoke", revoker)
//
// Its metadata advertises introspection_endpoint_auth_methods_supported
// from [Handler.AuthMethods] (["client_secret_basic",
// "client_secret_post"], plus "Bearer" when Callers.Bearer is set).
//
// The smallest resource server:
//
//	mw := introspect.Middleware(introspect.MiddlewareConfig{Verifier: v})
//	mux.Handle("/micropub", mw(introspect.RequireScope("create")(micropub)))
//
// where v is a token.JWT holding the issuer's public keys (no network per
// request), or a [Client]:
//
//	v, err := introspect.NewClient(introspect.ClientConfig{
//		Endpoint: "https://auth.example/introspect",
//		ClientID: "rs", ClientSecret: secret,
//	})
//
// # Security
//
// Introspection answers reveal nothing about an inactive token: unknown,
// expired, revoked, malformed, empty and foreign tokens (another
// audience's, Config.Audience) all get {"active":false}, sent with
// Cache-Control: no-store. Callers must be specifically authorized, so the
// endpoint is no open oracle; Config.Limit adds a per-caller rate limit.
// Refresh tokens are introspected only when Config.Refresh is set, only
// for the client they were issued to, and then say token_type
// "refresh_token", which Client refuses. A bearer caller must present a
// client's own token (client_credentials, naming no user) of a client
// holding the introspect permission: a user's consent to some app never
// makes that app an introspection caller.
//
// Middleware reads the token from exactly one place: the Authorization
// header, or a form body's access_token. Query-string tokens leak into
// logs and are off unless InsecureAllowQuery is set. Tokens longer than
// MaxTokenBytes are refused before any lookup.
//
// Client caches answers under the token's SHA-256, so no usable token is
// kept in memory, and never past the token's exp; a revocation is noticed
// within CacheTTL. It follows no redirects, sends credentials only to an
// https endpoint (or loopback http), bounds each lookup by Timeout and
// MaxResponseBytes and the lookups in flight by MaxInFlight, and never
// takes a malformed answer ("active": "true", a numeric string, a repeated
// or miscased member, a refresh token's type) as active. The *token.Info
// it returns may be shared between requests: treat it as read-only.
//
// # Errors
//
// Every JSON error is a *token.Error written by token.WriteError. At the
// resource server, following RFC 6750 §3.1: no credentials → 401 with
// WWW-Authenticate: Bearer realm="…" and no error; malformed credentials
// or a token in two places → 400 invalid_request; a bad token → 401
// invalid_token; a missing scope → 403 insufficient_scope with the scope
// needed. A verifier that could not answer ([ErrRemote] from Client, a
// store failure) gives 503 temporarily_unavailable with Retry-After: the
// token may be fine, and the client should retry rather than discard it.
//
// At the introspection endpoint: a request that is not POST → 405; a
// malformed form → 400 invalid_request (413 when too large); no or bad
// client credentials, or a client without the permission → 401
// invalid_client; a bad caller bearer token → 401 invalid_token, one
// without the scope → 401 insufficient_scope (IndieAuth §6.1 asks 401); a
// missing token parameter → 400 invalid_request; a store failure → 503.
package introspect
