package token

import (
	"context"
	"errors"
)

// Errors a Verifier returns, wrapped or as is; callers branch with
// errors.Is. Handlers never reveal which one applied (RFC 7662 §2.2).
var (
	ErrMalformed = errors.New("token: malformed token")
	ErrExpired   = errors.New("token: token expired")
	ErrRevoked   = errors.New("token: token revoked")
	ErrUnknown   = errors.New("token: unknown token")
)

// Issuer mints the token string for info: a signed JWT (JWT) or a random
// opaque value (Opaque). It records nothing; the token endpoint stores what
// must persist.
type Issuer interface {
	Issue(ctx context.Context, info *Info) (string, error)
}

// Verifier turns an access token string into what it says, or fails with
// one of ErrMalformed, ErrExpired, ErrRevoked or ErrUnknown (possibly
// wrapped), or another error when its backing service failed.
type Verifier interface {
	Verify(ctx context.Context, token string) (*Info, error)
}

// VerifierFunc adapts a function to a Verifier.
type VerifierFunc func(ctx context.Context, token string) (*Info, error)

// Verify calls f(ctx, token).
func (f VerifierFunc) Verify(ctx context.Context, token string) (*Info, error) { return f(ctx, token) }

// IsInvalid reports whether err says the token itself is bad (malformed,
// expired, revoked or unknown) rather than that verification could not be
// done.
func IsInvalid(err error) bool {
	return errors.Is(err, ErrMalformed) || errors.Is(err, ErrExpired) ||
		errors.Is(err, ErrRevoked) || errors.Is(err, ErrUnknown)
}
