// Package exchange is OAuth 2.0 Token Exchange (RFC 8693) for the token
// endpoint of package token: a service holding a user's token swaps it for
// a narrower one for another service, and the new token says who acts for
// whom in its act claim.
//
// The Grant plugs into a token.Handler as one more grant type,
// urn:ietf:params:oauth:grant-type:token-exchange. Clients that may use it
// list token.GrantTokenExchange in their Grants:
//
//	tokens := &token.JWT{Keys: keys, Issuer: issuer} // or &token.Opaque{Store: store}
//	ex, err := exchange.New(exchange.Config{
//		Verifiers: map[string]token.Verifier{exchange.TokenTypeAccessToken: tokens},
//		Policy:    exchange.DefaultPolicy{Targets: map[string][]string{"api1": {"api2"}}},
//	})
//	if err != nil {
//		log.Fatal(err)
//	}
//	h, err := token.NewHandler(token.Config{
//		Issuer: issuer, Store: store, Clients: clients, Tokens: tokens,
//		Grants: []token.Grant{&token.AuthorizationCode{Codes: codes}, &token.RefreshToken{}, ex},
//	})
//
// API1, authenticated as client api1, then posts grant_type=…token-exchange
// with subject_token set to the token it received and audience=api2, and
// gets back a token for api2 whose act claim is {"sub":"api1",
// "client_id":"api1"}. The grant appears in h.GrantTypes(), which is what
// the server metadata's grant_types_supported should list (RFC 8414 §2;
// RFC 8693 registers no metadata member of its own).
//
// # Requests and responses
//
// subject_token and subject_token_type are required; actor_token comes
// with actor_token_type or not at all; resource (absolute URIs) and
// audience may repeat, up to token.MaxRepeats each; scope and
// requested_token_type are optional (RFC 8693 §2.1). Each token is checked
// by the Verifier configured for its declared type (Config.Verifiers);
// refresh tokens, when Config.RefreshTokens allows them, are looked up in
// the endpoint's store and must belong to the requesting client.
//
// The response (§2.2.1) carries access_token, issued_token_type,
// token_type, expires_in and scope, with Cache-Control: no-store. The
// issued token is always an access token: issued_token_type is
// TokenTypeAccessToken, or TokenTypeJWT when the client asked for it and
// Config.IssuesJWT says the endpoint mints JWTs; token_type is therefore
// always Bearer, never N_A. scope is written whenever the token has one,
// which §2.2.1 allows, and me (IndieAuth §5.3.3) when the subject is a
// user.
// A refresh token is issued only when the Policy's Decision asks for one.
//
// # Delegation and may_act
//
// The new token keeps the subject token's sub and me, is issued to the
// requesting client (client_id), and, unless the Policy impersonates,
// gets an act claim naming the acting party: the actor token's subject
// (and client), or the client itself when no actor token was sent. The
// subject token's own act chain nests inside (§4.1), up to
// Config.MaxActDepth actors; act never holds exp, nbf or aud. Decisions
// must use the outermost act only; nested actors are for audit.
//
// When the subject token carries may_act (§4.4), an acting party that
// does not match it is refused. An authorization server puts may_act into
// the tokens its other grants mint by wrapping them in MayAct, and into
// exchanged tokens through Decision.MayAct.
//
// # Security
//
// Token exchange needs client authentication (§5): a request without it
// gets 401 invalid_client, also from registered public clients unless
// Config.AllowPublicClients says otherwise. A Policy decides the rest;
// DefaultPolicy lets a client exchange only tokens issued to it or naming
// it as audience, never impersonates, and only narrows audience and scope
// unless Targets allow more. Whatever the Policy says, the new token's
// scope stays within the subject token's and the requested one, and it
// expires no later than the subject token unless Decision.OutliveSubject
// is set.
//
// Exchanged tokens join the grant family of their subject token's record,
// so revoking the user's grant (a refresh replay, "log out") revokes them
// too. A subject or actor token recorded as revoked, or recorded as
// anything but an access token, is refused even when its Verifier would
// accept it. Refresh tokens used as subject tokens are read, not consumed.
//
// Security events go to the token endpoint's logger: "token: exchanged"
// for each token issued and "exchange: refused" with the reason for each
// refusal. Token values are never logged.
//
// # Errors
//
// Every refusal is a *token.Error, written by the token endpoint:
// invalid_request (400) for a missing, repeated or contradictory
// parameter, an unsupported token type, a subject or actor token that is
// malformed, expired, revoked, of the wrong type or refused by may_act or
// the policy (§2.2.2 — never invalid_grant), and a delegation chain that
// would grow too long; invalid_target (400) for a malformed resource or a
// target the policy refuses; invalid_scope (400) for a scope beyond the
// subject token's; invalid_client (401, with a Basic challenge) without
// client authentication; unauthorized_client (400) from the token endpoint
// for a client whose Grants lack token exchange. A Verifier, the store or
// a Policy failing for another reason gives server_error (500), logged.
package exchange
