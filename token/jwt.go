package token

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
)

// JWT limits.
const (
	typATJWT           = "at+jwt"
	maxJWTBytes        = 16 << 10 // longer tokens are refused before any decoding
	defaultMaxActDepth = 8
	jtiBytes           = 16 // 128 random bits when Info.ID is empty
)

// JWT issues and verifies self-encoded access tokens: JWTs in the RFC 9068
// profile, signed with the signing key of Keys and checked with the key the
// header's kid names, under that key's one algorithm. The zero value is not
// usable: set Keys and Issuer. A JWT is safe for concurrent use; its fields
// must not change once it is in use.
type JWT struct {
	// Keys signs and verifies. A resource server uses a verify-only set
	// (ParseJWKS, or NewKeySet(nil, keys...)).
	Keys *KeySet
	// Issuer is the iss claim written on every token and required, exactly,
	// on every token verified (RFC 9068 §4).
	Issuer string
	// Audience, when set, must be one of a verified token's aud values: the
	// identifier of the resource server verifying (RFC 9068 §4). Leave it
	// empty only when the verifier serves every audience, such as the
	// issuer's own introspection endpoint.
	Audience string
	// Store, when set, is asked for the record under HashToken(token) after
	// the signature and claims check out: a revoked record makes Verify fail
	// with ErrRevoked (RFC 7009 §2.1), and a lookup error other than
	// ErrNotFound is returned as is.
	Store Recorder
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Rand supplies the random jti of tokens whose Info.ID is empty; nil
	// means crypto/rand.
	Rand io.Reader
	// Leeway is the clock skew tolerated on exp, nbf and iat. Zero allows
	// none; a few seconds suits servers whose clocks are synchronised.
	Leeway time.Duration
	// MaxActDepth bounds the length of an act or may_act chain a verified
	// token may carry (RFC 8693 §4.1); zero means 8.
	MaxActDepth int
}

var (
	_ Issuer   = (*JWT)(nil)
	_ Verifier = (*JWT)(nil)
)

func (j *JWT) now() time.Time {
	if j.Now != nil {
		return j.Now()
	}
	return time.Now()
}

func (j *JWT) check() error {
	if j.Keys == nil || j.Issuer == "" {
		return errors.New("token: JWT needs Keys and Issuer")
	}
	return nil
}

// Issue mints a JWT access token for info (RFC 9068 §2): the header holds
// "typ": "at+jwt", the signing key's alg and its kid; the claims are iss
// (always j.Issuer), sub, aud (a string for one audience, an array for
// several), exp, iat, nbf when set, jti (info.ID, or 128 random bits),
// client_id, scope, me, act, may_act and info.Extra. Extra members never
// replace a registered claim: those whose names match one, compared
// case-insensitively, are left out. RFC 9068 requires aud; the token
// endpoint always sets one.
//
// Info must have a Subject, a ClientID and an ExpiresAt; a zero IssuedAt
// means now. Nothing is recorded.
func (j *JWT) Issue(_ context.Context, info *Info) (string, error) {
	if err := j.check(); err != nil {
		return "", err
	}
	k := j.Keys.load().signing
	if k == nil {
		return "", errors.New("token: key set has no signing key")
	}
	if info == nil || info.Subject == "" || info.ClientID == "" || info.ExpiresAt.IsZero() {
		return "", errors.New("token: a JWT needs a subject, a client_id and an expiry")
	}
	jti := info.ID
	if jti == "" {
		var b [jtiBytes]byte
		r := j.Rand
		if r == nil {
			r = rand.Reader
		}
		if _, err := io.ReadFull(r, b[:]); err != nil {
			return "", fmt.Errorf("token: generating jti: %w", err)
		}
		jti = base64.RawURLEncoding.EncodeToString(b[:])
	}
	iat := info.IssuedAt
	if iat.IsZero() {
		iat = j.now()
	}
	payload, err := encodeClaims(j.Issuer, jti, iat, info)
	if err != nil {
		return "", err
	}
	enc := base64.RawURLEncoding
	n := len(k.header) + 1 + enc.EncodedLen(len(payload))
	buf := make([]byte, n, n+1+enc.EncodedLen(k.sigLen))
	copy(buf, k.header)
	buf[len(k.header)] = '.'
	enc.Encode(buf[len(k.header)+1:], payload)
	sig, err := k.signer.Sign(buf, k.private)
	if err != nil {
		return "", fmt.Errorf("token: signing JWT: %w", err)
	}
	buf = append(buf, '.')
	buf = enc.AppendEncode(buf, sig)
	return string(buf), nil
}

// Verify checks a JWT access token per RFC 9068 §4 and RFC 8725 and
// returns what it says. In order:
//
//   - the token is at most 16 KiB of compact JWS in canonical base64url;
//   - the header names, by kid, a key of Keys (else ErrUnknown), with that
//     key's alg, typ "at+jwt" or "application/at+jwt", and no crit, jku,
//     x5u, jwk, x5c or b64 parameter: nothing is ever fetched and embedded
//     keys are never trusted (RFC 8725 §3.10, RFC 7515 §4.1.11);
//   - the signature verifies with that key;
//   - the claims are well typed, with iss equal to j.Issuer, sub,
//     client_id, jti, exp and iat present, exp, iat and nbf non-negative
//     numbers before the year 10000, aud containing j.Audience when set,
//     iat and nbf not in the future and act chains no deeper than
//     MaxActDepth; an exp that has passed gives ErrExpired;
//   - the optional Store does not hold the token as revoked (ErrRevoked).
//
// Every other failure is ErrMalformed, wrapped; error texts never repeat
// the token's content.
func (j *JWT) Verify(ctx context.Context, token string) (*Info, error) {
	if err := j.check(); err != nil {
		return nil, err
	}
	if len(token) > maxJWTBytes {
		return nil, malformed("token too long")
	}
	d1, d2, ok := splitCompact(token)
	if !ok {
		return nil, malformed("not a compact JWS")
	}
	snap := j.Keys.load()
	k, err := snap.headerKey(token[:d1])
	if err != nil {
		return nil, err
	}
	enc := base64.RawURLEncoding.Strict()
	sigSeg := token[d2+1:]
	if enc.DecodedLen(len(sigSeg)) != k.sigLen {
		return nil, malformed("bad signature length")
	}
	sig, err := enc.DecodeString(sigSeg)
	if err != nil {
		return nil, malformed("bad signature encoding")
	}
	if err := k.verifier.Verify([]byte(token[:d2]), sig, k.public); err != nil {
		return nil, malformed("bad signature")
	}
	payload, err := enc.DecodeString(token[d1+1 : d2])
	if err != nil {
		return nil, malformed("bad payload encoding")
	}
	info, err := decodeClaims(payload)
	if err != nil {
		return nil, err
	}
	if err := j.checkClaims(info); err != nil {
		return nil, err
	}
	if j.Store != nil {
		rec, err := j.Store.Get(ctx, HashToken(token))
		switch {
		case err == nil && rec.Revoked():
			return nil, ErrRevoked
		case err != nil && !errors.Is(err, ErrNotFound):
			return nil, fmt.Errorf("token: checking revocation: %w", err)
		}
	}
	return info, nil
}

// checkClaims applies the validation rules of RFC 9068 §4 to decoded
// claims.
func (j *JWT) checkClaims(info *Info) error {
	if info.Issuer != j.Issuer {
		return malformed("wrong issuer")
	}
	if j.Audience != "" && !info.HasAudience(j.Audience) {
		return malformed("wrong audience")
	}
	depth := j.MaxActDepth
	if depth <= 0 {
		depth = defaultMaxActDepth
	}
	if info.Actor.Depth() > depth || info.MayAct.Depth() > depth {
		return malformed("actor chain too deep")
	}
	now := j.now()
	leeway := max(j.Leeway, 0)
	if !now.Before(info.ExpiresAt.Add(leeway)) {
		return fmt.Errorf("token: JWT expired: %w", ErrExpired)
	}
	late := now.Add(leeway)
	if info.IssuedAt.After(late) {
		return malformed("issued in the future")
	}
	if !info.NotBefore.IsZero() && info.NotBefore.After(late) {
		return malformed("not yet valid")
	}
	return nil
}

// splitCompact returns the positions of the two dots of a compact JWS, and
// whether every other byte is of the base64url alphabet: the decoder
// would otherwise skip CR and LF, letting one token have many spellings.
func splitCompact(s string) (d1, d2 int, ok bool) {
	d1, d2 = -1, -1
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '-', c == '_':
		case c == '.' && d1 < 0:
			d1 = i
		case c == '.' && d2 < 0:
			d2 = i
		default:
			return 0, 0, false
		}
	}
	return d1, d2, d1 > 0 && d2 > d1+1 && d2 < len(s)-1
}

// headerKey returns the key a protected header selects. A header exactly
// as one of the set's keys writes it is accepted without decoding;
// anything else is decoded and checked.
func (s *keySnapshot) headerKey(seg string) (*Key, error) {
	for _, k := range s.keys {
		if k.header == seg {
			return k, nil
		}
	}
	h, err := decodeHeader(seg)
	if err != nil {
		return nil, err
	}
	if h.Kid == "" {
		return nil, malformed("header has no kid")
	}
	k := s.lookup(h.Kid)
	if k == nil {
		return nil, fmt.Errorf("token: JWT signed by an unknown key: %w", ErrUnknown)
	}
	if h.Alg != k.alg.String() {
		return nil, malformed("alg does not match the key")
	}
	if !strings.EqualFold(h.Typ, typATJWT) && !strings.EqualFold(h.Typ, "application/"+typATJWT) {
		return nil, malformed("typ is not at+jwt")
	}
	return k, nil
}

func malformed(reason string) error {
	return fmt.Errorf("token: JWT %s: %w", reason, ErrMalformed)
}
