package token

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"strconv"

	"github.com/lestrrat-go/jwx/v2/jwk"
)

// JWKS limits for ParseJWKS.
const (
	maxJWKSBytes = 256 << 10
	maxJWKSKeys  = 64
)

// jwkJSON is one published key (RFC 7517 §4, RFC 7518 §6, RFC 8037 §2),
// members in a fixed order.
type jwkJSON struct {
	Kty string `json:"kty"`
	Crv string `json:"crv,omitempty"`
	X   string `json:"x,omitempty"`
	Y   string `json:"y,omitempty"`
	N   string `json:"n,omitempty"`
	E   string `json:"e,omitempty"`
	Kid string `json:"kid"`
	Alg string `json:"alg"`
	Use string `json:"use"`
}

// encodeJWKS renders the public half of every asymmetric key in keys as a
// JWK Set. HMAC secrets and private members are never written.
func encodeJWKS(keys []*Key) ([]byte, error) {
	doc := struct {
		Keys []jwkJSON `json:"keys"`
	}{Keys: make([]jwkJSON, 0, len(keys))}
	b64 := base64.RawURLEncoding.EncodeToString
	for _, k := range keys {
		j := jwkJSON{Kid: k.kid, Alg: k.alg.String(), Use: "sig"}
		switch pub := k.public.(type) {
		case ed25519.PublicKey:
			j.Kty, j.Crv, j.X = "OKP", "Ed25519", b64(pub)
		case *ecdsa.PublicKey:
			e, err := pub.ECDH()
			if err != nil {
				return nil, fmt.Errorf("token: %w", err)
			}
			pt := e.Bytes() // 0x04 || X || Y, each padded to 32 bytes
			j.Kty, j.Crv, j.X, j.Y = "EC", "P-256", b64(pt[1:33]), b64(pt[33:])
		case *rsa.PublicKey:
			j.Kty, j.N, j.E = "RSA", b64(pub.N.Bytes()), b64(big.NewInt(int64(pub.E)).Bytes())
		default:
			continue // an HMAC secret: never published
		}
		doc.Keys = append(doc.Keys, j)
	}
	b, err := json.Marshal(doc)
	if err != nil {
		return nil, fmt.Errorf("token: %w", err)
	}
	return b, nil
}

// Handler returns an http.Handler serving the set's public keys as a JWK
// Set (RFC 7517 §5), the document a server's jwks_uri names (RFC 8414 §2).
// Each key carries kid, alg and "use": "sig"; private members and HMAC
// secrets are never published. It answers GET and HEAD with
// Content-Type application/json and Cache-Control "public, max-age=300",
// and other methods with 405 and an Allow header. Rotations show at once.
func (s *KeySet) Handler() http.Handler { return jwksHandler{s} }

type jwksHandler struct{ s *KeySet }

func (h jwksHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, http.StatusText(http.StatusMethodNotAllowed), http.StatusMethodNotAllowed)
		return
	}
	doc := h.s.load().jwks
	hd := w.Header()
	hd.Set("Content-Type", "application/json")
	hd.Set("Cache-Control", "public, max-age=300")
	hd.Set("Content-Length", strconv.Itoa(len(doc)))
	hd.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodGet {
		_, _ = w.Write(doc)
	}
}

// ParseJWKS reads a JWK Set (RFC 7517 §5), such as an authorization
// server's jwks_uri document, into a verify-only KeySet. Every key must
// carry a kid and an alg of EdDSA, ES256 or RS256 that fits its type;
// symmetric keys, "none", keys whose use is not "sig", private members and
// duplicate kids are refused, as is a document over 256 KiB or 64 keys.
// Nothing is fetched: x5u and friends are not followed (RFC 8725 §3.10).
func ParseJWKS(data []byte) (*KeySet, error) {
	if len(data) > maxJWKSBytes {
		return nil, errors.New("token: JWKS too large")
	}
	var doc struct {
		Keys []json.RawMessage `json:"keys"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("token: malformed JWKS: %w", err)
	}
	if len(doc.Keys) == 0 || len(doc.Keys) > maxJWKSKeys {
		return nil, fmt.Errorf("token: JWKS must hold 1 to %d keys", maxJWKSKeys)
	}
	keys := make([]*Key, 0, len(doc.Keys))
	for i, raw := range doc.Keys {
		k, err := parseJWK(raw)
		if err != nil {
			return nil, fmt.Errorf("token: JWKS key %d: %w", i, err)
		}
		keys = append(keys, k)
	}
	return NewKeySet(nil, keys...)
}

func parseJWK(raw []byte) (*Key, error) {
	var hint struct {
		D   json.RawMessage `json:"d"`
		K   json.RawMessage `json:"k"`
		Alg string          `json:"alg"`
	}
	if err := json.Unmarshal(raw, &hint); err != nil {
		return nil, err
	}
	if hint.D != nil || hint.K != nil {
		return nil, errors.New("private or symmetric key material")
	}
	jk, err := jwk.ParseKey(raw)
	if err != nil {
		return nil, err
	}
	if jk.KeyID() == "" {
		return nil, errors.New("missing kid")
	}
	if hint.Alg == "" {
		return nil, errors.New("missing alg")
	}
	if u := jk.KeyUsage(); u != "" && u != "sig" {
		return nil, fmt.Errorf("use %q is not sig", u)
	}
	pub, err := jwk.PublicRawKeyOf(jk)
	if err != nil {
		return nil, err
	}
	return NewPublicKey(jk.KeyID(), hint.Alg, pub)
}
