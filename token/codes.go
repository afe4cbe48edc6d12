package token

import (
	"context"
	"log/slog"
	"time"
)

// CodeGrant is what an authorization code was issued for, beyond its Info
// (me, client_id, scope): what the token request must repeat (RFC 6749
// §4.1.3, RFC 7636 §4.6).
type CodeGrant struct {
	RedirectURI     string // must match the token request's exactly
	Challenge       string // PKCE code_challenge; empty when none was sent
	ChallengeMethod string // "S256" or "plain"; empty when no challenge
}

// Codes checks authorization codes for the authorization_code grant. Two
// implementations come with the package: LocalCodes, for an application
// whose own authorization endpoint mints codes into the Store, and
// RemoteCodes, which asks the user's authorization endpoint, so one token
// service can serve many sites.
type Codes interface {
	// Redeem checks the code against the request and consumes it,
	// returning what it grants. Failures are *Error (invalid_grant for
	// anything wrong with the code).
	Redeem(ctx context.Context, req *CodeRequest) (*Redemption, error)
}

// CodeRequest is the part of a token request that concerns the code
// (RFC 6749 §4.1.3, RFC 7636 §4.5, IndieAuth §5.3.1).
type CodeRequest struct {
	Code         string
	ClientID     string // canonical client identifier
	RedirectURI  string
	CodeVerifier string
	// MeHint is the legacy "me" parameter. It never chooses the identity;
	// RemoteCodes uses it only to find the authorization endpoint to ask.
	MeHint string
	Now    time.Time
	Logger *slog.Logger // nil means no logging
}

// Redemption is what a redeemed code grants.
type Redemption struct {
	Me       string
	ClientID string
	Scope    Scope
	// Family is the grant family of the code, so that a replay revokes
	// everything redeemed from it.
	Family  string
	Profile *Profile // from a remote authorization endpoint, if it sent one
}

// errBadCode is the one answer for an unknown, expired, used, revoked or
// foreign code: no oracle tells them apart (conformance ERR-08).
func errBadCode() *Error { return ErrInvalidGrant("invalid authorization code") }

// maxCodeLen bounds codes before any lookup (EDGE-02).
const maxCodeLen = 512
