// Package token is the token model of tokenkit and its IndieAuth / OAuth 2.0
// token endpoint.
//
// It holds what every other package builds on:
//
//   - Info, what is known about a token (me, client_id, scope, sub, aud,
//     iss, exp, iat, nbf, jti, the RFC 8693 act chain, extra claims), and
//     Scope, parsed strictly per RFC 6749 §3.3.
//   - Issuer and Verifier, with two implementations: JWT, self-encoded
//     access tokens in the RFC 9068 profile (EdDSA by default, ES256 and
//     RS256 available, HS256 only through NewInsecureHMACKey), signed by a
//     KeySet whose keys are each bound to one algorithm and rotate with
//     overlap, published by KeySet.Handler as a JWKS; and Opaque, 256
//     random bits whose SHA-256 alone is stored.
//   - Store, the small interfaces (Recorder, Taker, Revoker) of what must
//     persist, with MemoryStore for tests and small programs. Package
//     token/sqlstore keeps records in SQLite or PostgreSQL, and
//     token/tokentest.TestStore checks any implementation.
//   - Handler, the token endpoint (RFC 6749 §3.2), and its grants:
//     AuthorizationCode (with PKCE, codes from LocalCodes or RemoteCodes),
//     RefreshToken (rotation, family revocation on reuse, an optional grace
//     window) and ClientCredentials. Package exchange adds RFC 8693 token
//     exchange through the same Grant interface.
//   - The pieces the sibling endpoints share: ParseForm (bounded, strict
//     form parsing), Authenticator (client_secret_basic, client_secret_post
//     and IndieAuth public clients, with FailureLimit), Error with
//     WriteError, WriteJSON and WriteRawJSON.
//
// # Mounting a token endpoint
//
// The application mounts the handler at any path on its own mux:
//
//	store := token.NewMemoryStore()
//	codes := &token.LocalCodes{Store: store} // your authorization endpoint calls codes.Mint
//	h, err := token.NewHandler(token.Config{
//		Issuer: "https://example.com/",
//		Store:  store,
//		Grants: []token.Grant{
//			&token.AuthorizationCode{Codes: codes},
//			&token.RefreshToken{},
//		},
//	})
//	if err != nil { ... }
//	mux.Handle("POST /token", h)
//
// The legacy IndieAuth dialect shares the path: set Config.Verify to the
// GET token verification of package introspect and Config.Revoke to the
// action=revoke handler of package revoke, and mount the handler for every
// method.
//
// # Security
//
// PKCE S256 is required; plain and code-less-challenge codes need the
// loudly named InsecureAllowPlainPKCE and InsecureAllowNoPKCE. Codes are
// checked before they are consumed, consumed through the Store's atomic
// Take, and a valid replay revokes everything the code issued. Refresh
// tokens rotate on every use and are bound to their client; presenting a
// rotated-out one revokes its whole family. Codes, tokens and client
// secrets are stored only as hashes and compared in constant time; tokens
// and secrets are never logged. JWT verification refuses alg none, an
// algorithm other than the one bound to the key the kid names, typ other
// than at+jwt, crit, and header-supplied keys (jku, x5u, jwk, x5c).
// Request bodies are capped at MaxFormBytes and every parameter is checked
// for valid UTF-8 without control characters. Failed client
// authentications are throttled per registered client (FailureLimit, on by
// default), counted before the secret is checked. RemoteCodes claims a
// code in the Store before asking the authorization endpoint, so one
// redemption happens however many race.
//
// # Errors
//
// Every failure on the wire is an *Error written by WriteError: the RFC
// 6749 §5.2 JSON object with Cache-Control: no-store, 401 and a Basic
// challenge for invalid_client, and never a description that echoes input
// or internals. Verifiers fail with ErrMalformed, ErrExpired, ErrRevoked or
// ErrUnknown (test with errors.Is, or IsInvalid for any of them); stores
// with ErrNotFound and ErrTaken.
package token
