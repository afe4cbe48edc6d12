package token

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"unicode/utf8"

	"github.com/lestrrat-go/jwx/v2/jwa"
	"github.com/lestrrat-go/jwx/v2/jws"
)

// JWS algorithms a Key can be bound to (RFC 7518 §3.1, RFC 8037 §3.1).
// There is no "none": every key signs.
const (
	AlgEdDSA = "EdDSA" // Ed25519; the default
	AlgES256 = "ES256" // ECDSA P-256 with SHA-256
	AlgRS256 = "RS256" // RSASSA-PKCS1-v1_5 with SHA-256, keys of 2048 bits or more
	AlgHS256 = "HS256" // HMAC SHA-256; see NewInsecureHMACKey
)

// Key limits.
const (
	minRSABits   = 2048
	maxRSABits   = 8192 // bounds the cost of a verification with a key from a JWKS
	minHMACBytes = 32   // RFC 7518 §3.2: a key of at least the hash size
	maxKIDBytes  = 256
)

// Key is one signing or verification key bound to exactly one JWS
// algorithm (RFC 8725 §3.1): a token is checked with the key its kid names
// and only with that key's algorithm, so "alg": "none" and the HS/RS
// confusion of RFC 8725 §2.1 cannot happen. A Key is immutable and safe
// for concurrent use.
type Key struct {
	kid      string
	alg      jwa.SignatureAlgorithm
	private  any // nil for a verify-only key; the secret for HS256
	public   any // ed25519.PublicKey, *ecdsa.PublicKey, *rsa.PublicKey or the HS256 secret
	signer   jws.Signer
	verifier jws.Verifier
	sigLen   int // bytes in a signature: 64, 64, N's size or 32
	// header is the base64url protected header this key writes:
	// {"alg":…,"kid":…,"typ":"at+jwt"}. Verify compares it first, so a
	// token this key signed skips header decoding.
	header string
}

// ID returns the key ID (the "kid" header parameter).
func (k *Key) ID() string { return k.kid }

// Algorithm returns the JWS algorithm the key is bound to.
func (k *Key) Algorithm() string { return k.alg.String() }

// canSign reports whether k holds private (or secret) material.
func (k *Key) canSign() bool { return k.private != nil }

// GenerateEd25519Key returns a new Ed25519 (EdDSA) signing key. Randomness
// comes from rand, or from crypto/rand when rand is nil.
func GenerateEd25519Key(kid string, rand io.Reader) (*Key, error) {
	_, priv, err := ed25519.GenerateKey(rand)
	if err != nil {
		return nil, fmt.Errorf("token: generating Ed25519 key: %w", err)
	}
	return NewEd25519Key(kid, priv)
}

// NewEd25519Key returns an EdDSA signing key (RFC 8037).
func NewEd25519Key(kid string, priv ed25519.PrivateKey) (*Key, error) {
	if len(priv) != ed25519.PrivateKeySize {
		return nil, errors.New("token: Ed25519 private key has the wrong length")
	}
	p := append(ed25519.PrivateKey(nil), priv...)
	return newKey(kid, jwa.EdDSA, p, p.Public())
}

// NewECDSAKey returns an ES256 signing key. Only P-256 keys are accepted:
// a key is bound to one algorithm and ES256 is P-256's (RFC 7518 §3.4).
func NewECDSAKey(kid string, priv *ecdsa.PrivateKey) (*Key, error) {
	if priv == nil || priv.Curve != elliptic.P256() {
		return nil, errors.New("token: ECDSA key must be on P-256 (ES256)")
	}
	if _, err := priv.ECDH(); err != nil {
		return nil, fmt.Errorf("token: invalid ECDSA key: %w", err)
	}
	return newKey(kid, jwa.ES256, priv, &priv.PublicKey)
}

// NewRSAKey returns an RS256 signing key of at least 2048 bits
// (RFC 7518 §3.3) and at most 8192.
func NewRSAKey(kid string, priv *rsa.PrivateKey) (*Key, error) {
	if priv == nil {
		return nil, errors.New("token: nil RSA key")
	}
	if err := checkRSA(&priv.PublicKey); err != nil {
		return nil, err
	}
	if err := priv.Validate(); err != nil {
		return nil, fmt.Errorf("token: invalid RSA key: %w", err)
	}
	return newKey(kid, jwa.RS256, priv, &priv.PublicKey)
}

// NewInsecureHMACKey returns an HS256 key from a shared secret of at least
// 32 random bytes (RFC 7518 §3.2, RFC 8725 §3.5); a shorter secret is an
// error.
//
// It is insecure by design: whoever can verify an HS256 token can also mint
// one, so every resource server holding the secret can forge tokens for
// every user and client. Use it only when the issuer is the sole verifier.
// Never derive the secret from a password. The secret is never published by
// KeySet.Handler, and ParseJWKS refuses symmetric keys.
func NewInsecureHMACKey(kid string, secret []byte) (*Key, error) {
	if len(secret) < minHMACBytes {
		return nil, fmt.Errorf("token: HMAC secret must be at least %d bytes", minHMACBytes)
	}
	s := append([]byte(nil), secret...)
	return newKey(kid, jwa.HS256, s, s)
}

// NewPublicKey returns a verify-only key, for a resource server that checks
// tokens an authorization server signed. alg is AlgEdDSA with an
// ed25519.PublicKey, AlgES256 with a P-256 *ecdsa.PublicKey, or AlgRS256
// with an *rsa.PublicKey of 2048 to 8192 bits; any other pairing, a
// symmetric algorithm or "none" is an error.
func NewPublicKey(kid string, alg string, pub crypto.PublicKey) (*Key, error) {
	switch alg {
	case AlgEdDSA:
		p, ok := pub.(ed25519.PublicKey)
		if !ok || len(p) != ed25519.PublicKeySize {
			return nil, errors.New("token: EdDSA needs an ed25519.PublicKey")
		}
		return newKey(kid, jwa.EdDSA, nil, append(ed25519.PublicKey(nil), p...))
	case AlgES256:
		p, ok := pub.(*ecdsa.PublicKey)
		if !ok || p == nil || p.Curve != elliptic.P256() {
			return nil, errors.New("token: ES256 needs a P-256 *ecdsa.PublicKey")
		}
		if _, err := p.ECDH(); err != nil { // rejects points off the curve
			return nil, fmt.Errorf("token: invalid ECDSA public key: %w", err)
		}
		return newKey(kid, jwa.ES256, nil, p)
	case AlgRS256:
		p, ok := pub.(*rsa.PublicKey)
		if !ok || p == nil {
			return nil, errors.New("token: RS256 needs an *rsa.PublicKey")
		}
		if err := checkRSA(p); err != nil {
			return nil, err
		}
		return newKey(kid, jwa.RS256, nil, p)
	}
	return nil, fmt.Errorf("token: algorithm %q is not allowed for a public key", alg)
}

func checkRSA(p *rsa.PublicKey) error {
	if p.N == nil || p.E < 3 || p.E%2 == 0 {
		return errors.New("token: invalid RSA public key")
	}
	if n := p.N.BitLen(); n < minRSABits || n > maxRSABits {
		return fmt.Errorf("token: RSA key has %d bits, want %d to %d", n, minRSABits, maxRSABits)
	}
	return nil
}

func newKey(kid string, alg jwa.SignatureAlgorithm, private, public any) (*Key, error) {
	if kid == "" || len(kid) > maxKIDBytes || !utf8.ValidString(kid) {
		return nil, fmt.Errorf("token: key ID must be 1 to %d bytes of UTF-8", maxKIDBytes)
	}
	k := &Key{kid: kid, alg: alg, private: private, public: public}
	switch p := public.(type) {
	case *rsa.PublicKey:
		k.sigLen = p.Size()
	case []byte:
		k.sigLen = 32
	default:
		k.sigLen = 64 // Ed25519; P-256 r || s
	}
	var err error
	if k.verifier, err = jws.NewVerifier(alg); err != nil {
		return nil, fmt.Errorf("token: %w", err)
	}
	if private != nil {
		if k.signer, err = jws.NewSigner(alg); err != nil {
			return nil, fmt.Errorf("token: %w", err)
		}
	}
	h, err := json.Marshal(jwtHeader{Alg: alg.String(), Kid: kid, Typ: typATJWT})
	if err != nil {
		return nil, fmt.Errorf("token: %w", err)
	}
	k.header = base64.RawURLEncoding.EncodeToString(h)
	return k, nil
}

// KeySet holds the keys of one issuer: at most one signing key and any
// number of keys that only verify. Rotation keeps the previous signing key
// verifying (RFC 7517 §5, RFC 8725 §3.10: kid selects only among these
// keys, never beyond them), so tokens minted before a rotation stay valid
// until their key is retired.
//
// A KeySet is safe for concurrent use. Readers (Verify, Issue, Handler)
// take a lock-free snapshot; Rotate and Retire replace it.
type KeySet struct {
	mu   sync.Mutex // serialises writers
	snap atomic.Pointer[keySnapshot]
}

// keySnapshot is an immutable state of a KeySet.
type keySnapshot struct {
	signing *Key   // nil for a verify-only set
	keys    []*Key // the signing key first, then the others newest first
	jwks    []byte // the published document (see Handler)
}

func (s *keySnapshot) lookup(kid string) *Key {
	for _, k := range s.keys {
		if k.kid == kid {
			return k
		}
	}
	return nil
}

// NewKeySet returns a set in which signing signs and every key verifies.
// signing may be nil for a verify-only set (a resource server's); kids must
// be unique.
func NewKeySet(signing *Key, verifyOnly ...*Key) (*KeySet, error) {
	var keys []*Key
	if signing != nil {
		if !signing.canSign() {
			return nil, fmt.Errorf("token: key %q has no private material to sign with", signing.kid)
		}
		keys = append(keys, signing)
	}
	for _, k := range verifyOnly {
		if k == nil {
			return nil, errors.New("token: nil key")
		}
		keys = append(keys, k)
	}
	if len(keys) == 0 {
		return nil, errors.New("token: empty key set")
	}
	for i, k := range keys {
		for _, o := range keys[:i] {
			if o.kid == k.kid {
				return nil, fmt.Errorf("token: duplicate key ID %q", k.kid)
			}
		}
	}
	s := new(KeySet)
	if err := s.store(signing, keys); err != nil {
		return nil, err
	}
	return s, nil
}

func (s *KeySet) store(signing *Key, keys []*Key) error {
	doc, err := encodeJWKS(keys)
	if err != nil {
		return err
	}
	s.snap.Store(&keySnapshot{signing: signing, keys: keys, jwks: doc})
	return nil
}

func (s *KeySet) load() *keySnapshot {
	if p := s.snap.Load(); p != nil {
		return p
	}
	return &keySnapshot{jwks: []byte(`{"keys":[]}`)}
}

// Rotate makes next the signing key. The previous signing key stays in the
// set and keeps verifying until it is retired; next's kid must be new.
func (s *KeySet) Rotate(next *Key) error {
	if next == nil || !next.canSign() {
		return errors.New("token: the next signing key must hold private material")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cur := s.load()
	if cur.lookup(next.kid) != nil {
		return fmt.Errorf("token: duplicate key ID %q", next.kid)
	}
	keys := make([]*Key, 0, len(cur.keys)+1)
	keys = append(keys, next)
	keys = append(keys, cur.keys...)
	return s.store(next, keys)
}

// Retire removes the key named kid: tokens it signed stop verifying. The
// signing key cannot be retired (rotate first), and an unknown kid is an
// error.
func (s *KeySet) Retire(kid string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	cur := s.load()
	if cur.signing != nil && cur.signing.kid == kid {
		return fmt.Errorf("token: cannot retire the signing key %q", kid)
	}
	if cur.lookup(kid) == nil {
		return fmt.Errorf("token: no key %q", kid)
	}
	keys := make([]*Key, 0, len(cur.keys)-1)
	for _, k := range cur.keys {
		if k.kid != kid {
			keys = append(keys, k)
		}
	}
	return s.store(cur.signing, keys)
}

// Key returns the key named kid.
func (s *KeySet) Key(kid string) (*Key, bool) {
	k := s.load().lookup(kid)
	return k, k != nil
}
