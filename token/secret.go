package token

import (
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// ErrSecretFormat reports an encoded secret hash ParseSecret cannot read.
var ErrSecretFormat = errors.New("token: malformed secret hash")

// Secret is the stored form of a client secret: a hash, never the secret.
// Two kinds exist. SHA-256 (HashSecret) suits the high-entropy secrets a
// server generates (GenerateSecret): nothing can be guessed, so a fast hash
// loses nothing. PBKDF2-SHA256 (HashPassword) suits human-chosen secrets,
// at the price of a deliberately slow check on every authentication.
// Match compares in constant time.
type Secret struct {
	iter int    // 0 for SHA-256
	salt []byte // PBKDF2 only
	sum  []byte
}

// DefaultPBKDF2Iterations is OWASP's 2023 figure for PBKDF2-HMAC-SHA256.
const DefaultPBKDF2Iterations = 600_000

// GenerateSecret returns a new client secret of 256 random bits, base64url
// encoded. A nil rand means crypto/rand.
func GenerateSecret(rnd io.Reader) (string, error) {
	return randomString(rnd)
}

// HashSecret hashes a high-entropy secret with SHA-256.
func HashSecret(secret string) *Secret {
	sum := sha256.Sum256([]byte(secret))
	return &Secret{sum: sum[:]}
}

// HashPassword hashes a human-chosen secret with PBKDF2-HMAC-SHA256, a
// 16-byte salt from rnd (nil means crypto/rand) and iter iterations (0
// means DefaultPBKDF2Iterations).
func HashPassword(secret string, iter int, rnd io.Reader) (*Secret, error) {
	if iter <= 0 {
		iter = DefaultPBKDF2Iterations
	}
	if rnd == nil {
		rnd = rand.Reader
	}
	salt := make([]byte, 16)
	if _, err := io.ReadFull(rnd, salt); err != nil {
		return nil, fmt.Errorf("token: reading salt: %w", err)
	}
	sum, err := pbkdf2.Key(sha256.New, secret, salt, iter, sha256.Size)
	if err != nil {
		return nil, fmt.Errorf("token: hashing password: %w", err)
	}
	return &Secret{iter: iter, salt: salt, sum: sum}, nil
}

// Match reports, in constant time, whether secret hashes to s.
func (s *Secret) Match(secret string) bool {
	if s == nil {
		return false
	}
	var got []byte
	if s.iter == 0 {
		sum := sha256.Sum256([]byte(secret))
		got = sum[:]
	} else {
		k, err := pbkdf2.Key(sha256.New, secret, s.salt, s.iter, len(s.sum))
		if err != nil {
			return false
		}
		got = k
	}
	return subtle.ConstantTimeCompare(got, s.sum) == 1
}

// String encodes the hash for storage: "sha256$<sum>" or
// "pbkdf2-sha256$<iter>$<salt>$<sum>", base64url without padding.
func (s *Secret) String() string {
	if s.iter == 0 {
		return "sha256$" + base64.RawURLEncoding.EncodeToString(s.sum)
	}
	return "pbkdf2-sha256$" + strconv.Itoa(s.iter) + "$" + base64.RawURLEncoding.EncodeToString(s.salt) + "$" + base64.RawURLEncoding.EncodeToString(s.sum)
}

// ParseSecret reads what Secret.String wrote.
func ParseSecret(encoded string) (*Secret, error) {
	parts := strings.Split(encoded, "$")
	switch {
	case len(parts) == 2 && parts[0] == "sha256":
		sum, err := base64.RawURLEncoding.DecodeString(parts[1])
		if err != nil || len(sum) != sha256.Size {
			return nil, ErrSecretFormat
		}
		return &Secret{sum: sum}, nil
	case len(parts) == 4 && parts[0] == "pbkdf2-sha256":
		iter, err := strconv.Atoi(parts[1])
		if err != nil || iter < 1 || iter > 10_000_000 {
			return nil, ErrSecretFormat
		}
		salt, err1 := base64.RawURLEncoding.DecodeString(parts[2])
		sum, err2 := base64.RawURLEncoding.DecodeString(parts[3])
		if err1 != nil || err2 != nil || len(salt) < 8 || len(sum) < 16 {
			return nil, ErrSecretFormat
		}
		return &Secret{iter: iter, salt: salt, sum: sum}, nil
	}
	return nil, ErrSecretFormat
}

// randomString returns 256 random bits from rnd (nil: crypto/rand) as 43
// base64url characters: the form of every opaque token, code and
// generated secret (RFC 6749 §10.10 asks for at most 2^-128 odds).
func randomString(rnd io.Reader) (string, error) {
	return randomEncoded(rnd, 32)
}

// randomEncoded reads n ≤ 32 random bytes and encodes them base64url
// without padding, allocating only the result.
func randomEncoded(rnd io.Reader, n int) (string, error) {
	var b [32]byte
	if rnd == nil {
		rand.Read(b[:n]) // never fails (Go 1.24+)
		return encodeRandom(&b, n), nil
	}
	return readRandom(rnd, n)
}

// readRandom is randomEncoded from an injected source; apart so that the
// crypto/rand path keeps its buffer on the stack.
func readRandom(rnd io.Reader, n int) (string, error) {
	var b [32]byte
	if _, err := io.ReadFull(rnd, b[:n]); err != nil {
		return "", fmt.Errorf("token: reading randomness: %w", err)
	}
	return encodeRandom(&b, n), nil
}

func encodeRandom(b *[32]byte, n int) string {
	var out [43]byte
	enc := base64.RawURLEncoding
	enc.Encode(out[:], b[:n])
	return string(out[:enc.EncodedLen(n)])
}
