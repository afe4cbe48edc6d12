package token

// CodeGrant is what an authorization code was issued for, beyond its Info
// (me, client_id, scope): what the token request must repeat (RFC 6749
// §4.1.3, RFC 7636 §4.6).
type CodeGrant struct {
	RedirectURI     string // must match the token request's exactly
	Challenge       string // PKCE code_challenge; empty when none was sent
	ChallengeMethod string // "S256" or "plain"; empty when no challenge
}
