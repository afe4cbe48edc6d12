package introspect_test

import (
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/tokenkit/tokenkit/introspect"
	"github.com/tokenkit/tokenkit/token"
	"github.com/tokenkit/tokenkit/token/tokentest"
)

// SEC-09, SEC-10, EDGE-22: with self-encoded tokens, every forged or
// misused variant is {"active":false} at introspection and 401
// invalid_token at the resource, never an error of the server.
func TestJWTVariants(t *testing.T) {
	pub, priv, err := ed25519.GenerateKey(nil)
	require.NoError(t, err)
	key, err := token.NewEd25519Key("k1", priv)
	require.NoError(t, err)
	keys, err := token.NewKeySet(key)
	require.NoError(t, err)
	now := time.Now().Truncate(time.Second)
	j := &token.JWT{Keys: keys, Issuer: iss}
	intro, err := introspect.NewHandler(introspect.Config{Verifier: j, Callers: &introspect.Callers{
		Auth: &token.Authenticator{Clients: token.NewMemoryClients(&token.Client{ID: "rs", Secret: token.HashSecret("rs-secret"), Permissions: []string{"introspect"}})}},
		Audience: func(*introspect.Caller) string { return rsAud }})
	require.NoError(t, err)
	mw := introspect.Middleware(introspect.MiddlewareConfig{Verifier: j, Audience: rsAud})(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusNoContent)
	}))

	enc := base64.RawURLEncoding
	sign := func(header, claims map[string]any) string {
		h, _ := json.Marshal(header)
		c, _ := json.Marshal(claims)
		in := enc.EncodeToString(h) + "." + enc.EncodeToString(c)
		return in + "." + enc.EncodeToString(ed25519.Sign(priv, []byte(in)))
	}
	hdr := func(mod func(map[string]any)) map[string]any {
		h := map[string]any{"alg": "EdDSA", "kid": "k1", "typ": "at+jwt"}
		if mod != nil {
			mod(h)
		}
		return h
	}
	claims := func(mod func(map[string]any)) map[string]any {
		c := map[string]any{"iss": iss, "sub": me, "aud": rsAud, "client_id": c1, "scope": "create",
			"iat": now.Unix(), "exp": now.Add(time.Hour).Unix(), "jti": "j1", "me": me}
		if mod != nil {
			mod(c)
		}
		return c
	}
	good := sign(hdr(nil), claims(nil))
	w := tokentest.Serve(intro, http.MethodPost, "/introspect", "token="+good, "Authorization", tokentest.Basic("rs", "rs-secret"))
	require.Equal(t, true, tokentest.DecodeJSON(t, w)["active"], w.Body.String())
	require.Equal(t, http.StatusNoContent, tokentest.Serve(mw, "GET", "/", "", "Authorization", "Bearer "+good).Code)

	pem := []byte(pub) // HS256 "signed" with the public key as the secret
	for name, tok := range map[string]string{
		"ID token typ":        sign(hdr(func(h map[string]any) { h["typ"] = "JWT" }), claims(nil)),
		"wrong issuer":        sign(hdr(nil), claims(func(c map[string]any) { c["iss"] = "https://evil.test/" })),
		"wrong audience":      sign(hdr(nil), claims(func(c map[string]any) { c["aud"] = rsBAud })),
		"expired":             sign(hdr(nil), claims(func(c map[string]any) { c["exp"] = now.Add(-time.Minute).Unix() })),
		"not yet valid":       sign(hdr(nil), claims(func(c map[string]any) { c["nbf"] = now.Add(time.Hour).Unix() })),
		"exp as string":       sign(hdr(nil), claims(func(c map[string]any) { c["exp"] = "9999999999" })),
		"exp 1e300":           sign(hdr(nil), claims(func(c map[string]any) { c["exp"] = 1e300 })),
		"unknown crit":        sign(hdr(func(h map[string]any) { h["crit"] = []string{"x"}; h["x"] = 1 }), claims(nil)),
		"jku":                 sign(hdr(func(h map[string]any) { h["jku"] = "https://attacker.test/jwks" }), claims(nil)),
		"unknown kid":         sign(hdr(func(h map[string]any) { h["kid"] = "../../etc/passwd" }), claims(nil)),
		"alg none":            strings.TrimSuffix(sign(hdr(func(h map[string]any) { h["alg"] = "none" }), claims(nil)), good[strings.LastIndexByte(good, '.')+1:]),
		"bad signature":       good[:len(good)-4] + "AAAA",
		"HS256 with the key":  hs256(pem, hdr(func(h map[string]any) { h["alg"] = "HS256" }), claims(nil)),
		"truncated":           good[:len(good)/2],
		"payload of 40 KB":    sign(hdr(nil), claims(func(c map[string]any) { c["x"] = strings.Repeat("a", 40<<10) })),
		"refresh-like opaque": "zQmRkYWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXoxMjM",
	} {
		t.Run(name, func(t *testing.T) {
			requireInactive(t, tokentest.Serve(intro, http.MethodPost, "/introspect", "token="+tok, "Authorization", tokentest.Basic("rs", "rs-secret")))
			w := tokentest.Serve(mw, "GET", "/", "", "Authorization", "Bearer "+tok)
			if len(tok) > introspect.MaxTokenBytes {
				require.Equal(t, http.StatusUnauthorized, w.Code)
				return
			}
			requireError(t, w, http.StatusUnauthorized, "invalid_token",
				`Bearer realm="resource", error="invalid_token", error_description="the access token is invalid"`)
		})
	}
}

// hs256 signs like an attacker who takes the public key for an HMAC secret.
func hs256(secret []byte, header, claims map[string]any) string {
	enc := base64.RawURLEncoding
	h, _ := json.Marshal(header)
	c, _ := json.Marshal(claims)
	in := enc.EncodeToString(h) + "." + enc.EncodeToString(c)
	return in + "." + enc.EncodeToString(hmacSHA256(secret, []byte(in)))
}

func hmacSHA256(key, msg []byte) []byte {
	m := hmac.New(sha256.New, key)
	m.Write(msg)
	return m.Sum(nil)
}
