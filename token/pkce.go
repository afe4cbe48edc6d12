package token

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
)

// PKCE methods (RFC 7636 §4.2).
const (
	PKCES256  = "S256"
	PKCEPlain = "plain"
)

// ValidVerifier reports whether v has the RFC 7636 §4.1 syntax: 43 to 128
// characters from [A-Za-z0-9-._~].
func ValidVerifier(v string) bool {
	if len(v) < 43 || len(v) > 128 {
		return false
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~') {
			return false
		}
	}
	return true
}

// S256Challenge returns BASE64URL(SHA256(verifier)) (RFC 7636 §4.2).
func S256Challenge(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// checkPKCE applies RFC 7636 §4.6 and the downgrade rules of RFC 9700
// §4.8.2 to a code's challenge and the request's verifier.
func checkPKCE(challenge, method, verifier string, allowPlain, allowNone bool) *Error {
	if challenge == "" {
		if verifier != "" {
			return ErrInvalidGrant("code_verifier sent for a code issued without a challenge")
		}
		if !allowNone {
			return ErrInvalidGrant("the code was issued without PKCE")
		}
		return nil
	}
	if verifier == "" {
		return ErrInvalidRequest("code_verifier is required")
	}
	if !ValidVerifier(verifier) {
		return ErrInvalidGrant("malformed code_verifier")
	}
	var want string
	switch method {
	case PKCES256:
		want = S256Challenge(verifier)
	case PKCEPlain:
		if !allowPlain {
			return ErrInvalidGrant("the plain PKCE method is not allowed")
		}
		want = verifier
	default:
		return ErrInvalidGrant("unsupported PKCE method")
	}
	if subtle.ConstantTimeCompare([]byte(want), []byte(challenge)) != 1 {
		return ErrInvalidGrant("code_verifier does not match the code challenge")
	}
	return nil
}
