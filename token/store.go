package token

import (
	"context"
	"crypto/sha256"
	"errors"
	"time"
)

// Store errors.
var (
	// ErrNotFound: no record under the key.
	ErrNotFound = errors.New("token: record not found")
	// ErrTaken: Take found the record already taken. The record is
	// returned alongside, so the caller can tell a replay from a race.
	ErrTaken = errors.New("token: record already taken")
)

// Hash is the key a record is stored under: the SHA-256 of the token
// string. Stores never see a usable token, so a leaked database leaks none.
type Hash [sha256.Size]byte

// HashToken returns the key for a token, code or refresh token string.
func HashToken(s string) Hash {
	// Tokens are short: hash them from a stack copy rather than a heap
	// conversion, as this runs on every request.
	var buf [128]byte
	if len(s) <= len(buf) {
		n := copy(buf[:], s)
		return sha256.Sum256(buf[:n])
	}
	return sha256.Sum256([]byte(s))
}

// Kind says what a record stands for.
type Kind uint8

// Record kinds.
const (
	KindCode    Kind = iota + 1 // an authorization code
	KindAccess                  // an access token (opaque or JWT)
	KindRefresh                 // a refresh token
)

func (k Kind) String() string {
	switch k {
	case KindCode:
		return "code"
	case KindAccess:
		return "access_token"
	case KindRefresh:
		return "refresh_token"
	}
	return "unknown"
}

// Record is what persists about one token or code.
type Record struct {
	Key  Hash
	Kind Kind
	// Family groups what one grant produced: a code, the tokens redeemed
	// from it and every refresh generation after. Revoking a family
	// revokes them all (RFC 9700 §4.14.2, RFC 6749 §4.1.2).
	Family string
	Info   Info       // what the token says; Info.ExpiresAt bounds the record's life
	Code   *CodeGrant // for KindCode: what the token request must match
	// TakenAt is when Take consumed the record (codes, rotated refresh
	// tokens); zero while unused.
	TakenAt time.Time
	// RevokedAt is when the record was revoked; zero while valid.
	RevokedAt time.Time
}

// Revoked reports whether the record has been revoked.
func (r *Record) Revoked() bool { return !r.RevokedAt.IsZero() }

// Recorder keeps records by key.
type Recorder interface {
	// Put stores a record, replacing one under the same key, except that
	// a revoked record (or tombstone) stays revoked, a taken one stays
	// taken (with its first TakenAt), and a record of a family
	// RevokeFamily revoked is stored revoked.
	Put(ctx context.Context, r *Record) error
	// Get returns the record under key, revoked or not, or ErrNotFound.
	Get(ctx context.Context, key Hash) (*Record, error)
}

// Taker consumes a record exactly once: the atomic step behind code
// redemption and refresh-token rotation.
type Taker interface {
	// Take marks the record under key taken at the given time and returns
	// it. Under any number of concurrent calls, across processes sharing
	// the store, exactly one succeeds; the rest get ErrTaken together with
	// the record. A missing key gives ErrNotFound. Take does not look at
	// revocation or expiry: the caller does.
	Take(ctx context.Context, key Hash, at time.Time) (*Record, error)
}

// Revoker takes tokens back.
type Revoker interface {
	// Revoke marks the record under key revoked; a second Revoke keeps
	// the first revocation time. When there is none (a self-encoded token
	// issued without a record) it keeps a revoked tombstone until the
	// given time, the token's own expiry.
	Revoke(ctx context.Context, key Hash, until time.Time) error
	// RevokeFamily revokes every record of the family, including records
	// Put into it afterwards (a replay that overtakes the legitimate
	// redemption still revokes what that redemption issues).
	RevokeFamily(ctx context.Context, family string) error
	// RevokeBefore revokes every record for (me, clientID) issued before t:
	// a user's "log out everywhere" for one client.
	RevokeBefore(ctx context.Context, me, clientID string, t time.Time) error
}

// Store is everything the token endpoint persists. The SQL store in
// token/sqlstore and MemoryStore implement it; token/tokentest.TestStore
// checks an implementation against the contract.
type Store interface {
	Recorder
	Taker
	Revoker
}

// Purger is implemented by stores that can drop records whose expiry has
// passed; call it on a schedule. Purge removes the records (and
// tombstones) that expired strictly before now and reports how many.
type Purger interface {
	Purge(ctx context.Context, now time.Time) (int, error)
}
