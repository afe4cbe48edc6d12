package token

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"
)

// maxOpaqueLen bounds what Opaque.Verify looks up; ours are 43 characters.
const maxOpaqueLen = 512

// Opaque issues and verifies opaque access tokens: 256 bits from
// crypto/rand (or Rand), base64url-encoded. The token carries nothing; the
// store keeps its Info under the token's SHA-256, so a leaked database
// leaks no usable token. The token endpoint records what Issue mints.
type Opaque struct {
	// Store is where Verify looks tokens up. Required for Verify.
	Store Recorder
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Rand is the source of randomness; nil means crypto/rand.
	Rand io.Reader
}

var (
	_ Issuer   = (*Opaque)(nil)
	_ Verifier = (*Opaque)(nil)
)

// Issue returns a fresh random token; info is recorded by the caller.
func (o *Opaque) Issue(_ context.Context, _ *Info) (string, error) {
	return randomString(o.Rand)
}

// Verify looks the access token up by its hash. A refresh token or code
// is ErrUnknown here: token kinds never swap (RFC 6749 §10.4).
func (o *Opaque) Verify(ctx context.Context, token string) (*Info, error) {
	if token == "" || len(token) > maxOpaqueLen {
		return nil, ErrMalformed
	}
	if o.Store == nil {
		return nil, errors.New("token: Opaque.Store is not set")
	}
	rec, err := o.Store.Get(ctx, HashToken(token))
	switch {
	case errors.Is(err, ErrNotFound):
		return nil, ErrUnknown
	case err != nil:
		return nil, fmt.Errorf("token: looking up token: %w", err)
	}
	return checkRecord(rec, KindAccess, now(o.Now))
}

// checkRecord turns a stored record of the wanted kind into its Info, or
// the error that says why it no longer counts.
func checkRecord(rec *Record, kind Kind, at time.Time) (*Info, error) {
	switch {
	case rec.Kind != kind:
		return nil, ErrUnknown
	case rec.Revoked():
		return nil, ErrRevoked
	case !rec.Info.Active(at):
		return nil, ErrExpired
	}
	return &rec.Info, nil
}

func now(f func() time.Time) time.Time {
	if f == nil {
		return time.Now()
	}
	return f()
}
