// Package revoke takes tokens back: the RFC 7009 revocation endpoint, the
// IndieAuth 2020 action=revoke form of the token endpoint, and "log out
// everywhere".
//
// [Handler] serves both request forms from one value. Mount it at its own
// path for RFC 7009, and set it as token.Config.Revoke so that
// POST action=revoke&token=… on the token endpoint's path revokes too; the
// token endpoint hands it the form it already parsed, and it never issues
// a token or consumes a code whatever else the form holds:
//
//	revoker, err := revoke.NewHandler(revoke.Config{
//		Store:       store,
//		Auth:        tokens.Authenticator(), // the token endpoint's clients
//		AllowPublic: true,                   // IndieAuth clients have no secret
//	})
//	mux.Handle("/revoke", revoker)
//	// and token.Config{…, Revoke: revoker}
//
// [Everything] revokes every token of one user at one client issued before
// a time: the "log out everywhere" button of an account page.
//
// What a revocation reaches: revoking a refresh token revokes its family,
// the access tokens it issued included; revoking an access token revokes
// the same family, its refresh token included, so a client that signs out
// leaves nothing usable behind. A self-encoded (JWT) token with no record
// gets a revoked tombstone under its hash, kept only until its own exp,
// when it would fail anyway: a jti denylist that never outgrows the live
// tokens. Verifiers that consult the store (token.Opaque, token.JWT with
// a Store) see a revocation at once.
//
// The metadata's revocation_endpoint_auth_methods_supported comes from
// [Handler.AuthMethods]: ["client_secret_basic", "client_secret_post"],
// plus "none" with AllowPublic.
//
// # Security
//
// A client revokes only its own tokens (RFC 7009 §2.1): an authenticated
// client's request for another client's token is answered 200 and changes
// nothing. Without AllowPublic every request must authenticate. With it,
// holding the token is the proof, as IndieAuth §7.1 has it: a named
// client_id must match the token's, and a confidential client's token is
// revoked only with that client's credentials. Every answer is the same
// 200 whether the token existed, was revoked already or was not the
// caller's, so the endpoint tells nothing about tokens. A token longer
// than MaxTokenBytes is answered without a lookup. Tokens are never
// logged.
//
// # Errors
//
// Errors are *token.Error values written by token.WriteError: a method
// other than POST → 405; a malformed form → 400 invalid_request (413 when
// too large); bad client credentials, or no authentication without
// AllowPublic → 401 invalid_client with a Basic challenge; a missing token
// → 400 invalid_request (RFC 7009 §2.1); a store that failed → 503
// temporarily_unavailable with Retry-After (§2.2.1), and the token stays
// valid. An unknown or wrong token_type_hint is ignored, so
// unsupported_token_type is never sent (§2.2.1).
package revoke
