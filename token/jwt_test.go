package token_test

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tokenkit/tokenkit/token"
)

const (
	jwtIss = "https://auth.example.com/"
	jwtAud = "https://micropub.example.com/"
	jwtKID = "k1"
)

// jwtT0 is the fixed clock of the JWT tests; tokens expire an hour later.
var jwtT0 = time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)

func jwtNow() time.Time { return jwtT0 }

const jwtExpJSON = `"exp":1795352400`

// jwtRSAKey is generated once: 2048-bit generation is slow under -race.
var jwtRSAKey = sync.OnceValue(func() *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	return k
})

// jwtEd25519 returns a deterministic Ed25519 private key.
func jwtEd25519(seed byte) ed25519.PrivateKey {
	s := make([]byte, ed25519.SeedSize)
	for i := range s {
		s[i] = seed + byte(i)
	}
	return ed25519.NewKeyFromSeed(s)
}

// jwtEnv is an issuer with one EdDSA key and a fixed clock.
type jwtEnv struct {
	priv ed25519.PrivateKey
	key  *token.Key
	set  *token.KeySet
	j    *token.JWT
}

func newJWTEnv(t testing.TB) *jwtEnv {
	t.Helper()
	priv := jwtEd25519(1)
	key, err := token.NewEd25519Key(jwtKID, priv)
	require.NoError(t, err)
	set, err := token.NewKeySet(key)
	require.NoError(t, err)
	return &jwtEnv{priv: priv, key: key, set: set, j: &token.JWT{
		Keys: set, Issuer: jwtIss, Audience: jwtAud, Now: func() time.Time { return jwtT0 },
	}}
}

func jwtInfo() *token.Info {
	return &token.Info{
		Me:        "https://user.example.net/",
		ClientID:  "https://app.example.org/",
		Scope:     token.Scope{"create", "update", "profile"},
		Subject:   "https://user.example.net/",
		Audience:  []string{jwtAud},
		ExpiresAt: jwtT0.Add(time.Hour),
		IssuedAt:  jwtT0,
		ID:        "jti-1",
	}
}

// jwtClaims is the JSON object of jwtInfo as Issue writes it.
func jwtClaims() map[string]any {
	return map[string]any{
		"iss": jwtIss, "sub": "https://user.example.net/", "aud": jwtAud,
		"exp": jwtT0.Add(time.Hour).Unix(), "iat": jwtT0.Unix(), "jti": "jti-1",
		"client_id": "https://app.example.org/", "scope": "create update profile",
		"me": "https://user.example.net/",
	}
}

// jwtEdit returns the claims of jwtClaims as JSON text with old replaced.
func jwtEdit(t testing.TB, old, new string) string {
	t.Helper()
	s := jwtJSON(t, jwtClaims())
	require.Contains(t, s, old)
	return strings.Replace(s, old, new, 1)
}

func jwtB64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

// jwtJSON renders v as JSON, or returns it unchanged when it is already a
// string of JSON text.
func jwtJSON(t testing.TB, v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}

// jwtForge builds a compact JWS from any header and claims, signed by sign
// over the signing input (no signature when sign is nil).
func jwtForge(t testing.TB, header, claims any, sign func([]byte) []byte) string {
	t.Helper()
	input := jwtB64([]byte(jwtJSON(t, header))) + "." + jwtB64([]byte(jwtJSON(t, claims)))
	if sign == nil {
		return input + "."
	}
	return input + "." + jwtB64(sign([]byte(input)))
}

func (e *jwtEnv) edSign(b []byte) []byte { return ed25519.Sign(e.priv, b) }

func jwtHMAC(secret []byte) func([]byte) []byte {
	return func(b []byte) []byte {
		m := hmac.New(sha256.New, secret)
		m.Write(b)
		return m.Sum(nil)
	}
}

func jwtHeader(kv ...any) map[string]any {
	h := map[string]any{"alg": "EdDSA", "kid": jwtKID, "typ": "at+jwt"}
	for i := 0; i < len(kv); i += 2 {
		if kv[i+1] == nil {
			delete(h, kv[i].(string))
		} else {
			h[kv[i].(string)] = kv[i+1]
		}
	}
	return h
}

func jwtWith(kv ...any) map[string]any {
	c := jwtClaims()
	for i := 0; i < len(kv); i += 2 {
		if kv[i+1] == nil {
			delete(c, kv[i].(string))
		} else {
			c[kv[i].(string)] = kv[i+1]
		}
	}
	return c
}

// SEC-07, SEC-08: the header and payload an issued token carries, exactly.
func TestJWTIssueWireFormat(t *testing.T) {
	e := newJWTEnv(t)
	info := jwtInfo()
	info.Extra = map[string]json.RawMessage{"profile": json.RawMessage(`{"name":"A"}`), "EXP": json.RawMessage(`1`), "iss": json.RawMessage(`"x"`)}
	tok, err := e.j.Issue(context.Background(), info)
	require.NoError(t, err)

	parts := strings.Split(tok, ".")
	require.Len(t, parts, 3)
	h, err := base64.RawURLEncoding.DecodeString(parts[0])
	require.NoError(t, err)
	assert.JSONEq(t, `{"alg":"EdDSA","kid":"k1","typ":"at+jwt"}`, string(h))
	p, err := base64.RawURLEncoding.DecodeString(parts[1])
	require.NoError(t, err)
	assert.Equal(t, `{"iss":"https://auth.example.com/","sub":"https://user.example.net/","aud":"https://micropub.example.com/",`+
		`"exp":1795352400,"iat":1795348800,"jti":"jti-1","client_id":"https://app.example.org/","scope":"create update profile",`+
		`"me":"https://user.example.net/","profile":{"name":"A"}}`, string(p))
	assert.True(t, ed25519.Verify(e.priv.Public().(ed25519.PublicKey), []byte(parts[0]+"."+parts[1]), mustB64(t, parts[2])))

	// Several audiences are an array; a random jti is 128 bits.
	info = jwtInfo()
	info.Audience = []string{"a", "b"}
	info.ID = ""
	info.Actor = &token.Actor{Subject: "https://svc.example/"}
	tok, err = e.j.Issue(context.Background(), info)
	require.NoError(t, err)
	var c map[string]any
	require.NoError(t, json.Unmarshal(mustB64(t, strings.Split(tok, ".")[1]), &c))
	assert.Equal(t, []any{"a", "b"}, c["aud"])
	assert.Len(t, c["jti"], 22)
	assert.Equal(t, map[string]any{"sub": "https://svc.example/"}, c["act"])
}

func mustB64(t testing.TB, s string) []byte {
	b, err := base64.RawURLEncoding.DecodeString(s)
	require.NoError(t, err)
	return b
}

func TestJWTIssueRefuses(t *testing.T) {
	e := newJWTEnv(t)
	ctx := context.Background()
	for name, mod := range map[string]func(*token.Info){
		"no subject":    func(i *token.Info) { i.Subject = "" },
		"no client_id":  func(i *token.Info) { i.ClientID = "" },
		"no expiry":     func(i *token.Info) { i.ExpiresAt = time.Time{} },
		"before 1970":   func(i *token.Info) { i.ExpiresAt = time.Unix(-5, 0) },
		"after 9999":    func(i *token.Info) { i.ExpiresAt = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC) },
		"bad scope":     func(i *token.Info) { i.Scope = token.Scope{"a b"} },
		"bad extra":     func(i *token.Info) { i.Extra = map[string]json.RawMessage{"x": json.RawMessage(`{`)} },
		"non-ascii scp": func(i *token.Info) { i.Scope = token.Scope{"é"} },
	} {
		t.Run(name, func(t *testing.T) {
			info := jwtInfo()
			mod(info)
			_, err := e.j.Issue(ctx, info)
			require.Error(t, err)
			assert.True(t, strings.HasPrefix(err.Error(), "token: "), err.Error())
		})
	}
	_, err := (&token.JWT{Keys: e.set}).Issue(ctx, jwtInfo())
	assert.Error(t, err, "no Issuer")
	vo, err := token.NewPublicKey("v", token.AlgEdDSA, e.priv.Public())
	require.NoError(t, err)
	set, err := token.NewKeySet(nil, vo)
	require.NoError(t, err)
	_, err = (&token.JWT{Keys: set, Issuer: jwtIss}).Issue(ctx, jwtInfo())
	assert.Error(t, err, "verify-only set")
}

// SEC-07: every allowed algorithm round-trips what Issue was given.
func TestJWTRoundTrip(t *testing.T) {
	ec, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	newKey := map[string]func() (*token.Key, error){
		"EdDSA": func() (*token.Key, error) { return token.GenerateEd25519Key("ed", nil) },
		"ES256": func() (*token.Key, error) { return token.NewECDSAKey("ec", ec) },
		"RS256": func() (*token.Key, error) { return token.NewRSAKey("rs", jwtRSAKey()) },
		"HS256": func() (*token.Key, error) { return token.NewInsecureHMACKey("hs", make([]byte, 32)) },
	}
	for alg, mk := range newKey {
		t.Run(alg, func(t *testing.T) {
			k, err := mk()
			require.NoError(t, err)
			assert.Equal(t, alg, k.Algorithm())
			set, err := token.NewKeySet(k)
			require.NoError(t, err)
			j := &token.JWT{Keys: set, Issuer: jwtIss, Audience: jwtAud, Now: func() time.Time { return jwtT0 }}
			info := jwtInfo()
			info.NotBefore = jwtT0.Add(-time.Minute)
			info.Actor = &token.Actor{Subject: "https://a.example/", Actor: &token.Actor{ClientID: "c"}}
			info.MayAct = &token.Actor{Subject: "https://b.example/"}
			info.Extra = map[string]json.RawMessage{"cnf": json.RawMessage(`{"jkt":"abc"}`)}
			tok, err := j.Issue(context.Background(), info)
			require.NoError(t, err)
			got, err := j.Verify(context.Background(), tok)
			require.NoError(t, err)
			want := info.Clone()
			want.Issuer = jwtIss
			assert.Equal(t, want, got)
		})
	}
}

// A token from another issuer that formats its header differently still
// verifies, through the decoding path.
func TestJWTForeignHeaderLayout(t *testing.T) {
	e := newJWTEnv(t)
	for _, h := range []string{
		`{"typ":"at+jwt","kid":"k1","alg":"EdDSA"}`,
		`{ "alg" : "EdDSA", "kid":"k1", "typ":"application/at+jwt", "cty":"x" }`,
		`{"alg":"EdDSA","kid":"k\u0031","typ":"AT+JWT"}`,
	} {
		tok := jwtForge(t, h, jwtClaims(), e.edSign)
		info, err := e.j.Verify(context.Background(), tok)
		require.NoError(t, err, h)
		assert.Equal(t, "jti-1", info.ID)
	}
}

// SEC-09, SEC-10, SEC-11, EDGE-22, EDGE-24: forged and broken tokens, made
// with the real key, each refused with the right error.
func TestJWTVerifyRejects(t *testing.T) {
	e := newJWTEnv(t)
	var hits atomic.Int32
	attacker := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		hits.Add(1)
		_, _ = w.Write([]byte(`{"keys":[]}`))
	}))
	defer attacker.Close()
	pubJWK := map[string]any{"kty": "OKP", "crv": "Ed25519", "x": jwtB64(e.priv.Public().(ed25519.PublicKey))}
	valid := jwtForge(t, jwtHeader(), jwtClaims(), e.edSign)
	deepAct := strings.Repeat(`{"sub":"x","act":`, 1001) + `{"sub":"y"}` + strings.Repeat(`}`, 1001)

	cases := []struct {
		name string
		tok  string
		want error
	}{
		{"alg none unsigned", jwtForge(t, jwtHeader("alg", "none"), jwtClaims(), nil), token.ErrMalformed},
		{"alg none with a signature", jwtForge(t, jwtHeader("alg", "none"), jwtClaims(), e.edSign), token.ErrMalformed},
		{"alg none no kid", jwtForge(t, `{"alg":"none"}`, jwtClaims(), nil), token.ErrMalformed},
		{"HS256 with the public key", jwtForge(t, jwtHeader("alg", "HS256"), jwtClaims(), jwtHMAC(e.priv.Public().(ed25519.PublicKey))), token.ErrMalformed},
		{"ES256 claimed", jwtForge(t, jwtHeader("alg", "ES256"), jwtClaims(), e.edSign), token.ErrMalformed},
		{"typ JWT (an ID token)", jwtForge(t, jwtHeader("typ", "JWT"), jwtClaims(), e.edSign), token.ErrMalformed},
		{"no typ", jwtForge(t, jwtHeader("typ", nil), jwtClaims(), e.edSign), token.ErrMalformed},
		{"typ not a string", jwtForge(t, jwtHeader("typ", 1), jwtClaims(), e.edSign), token.ErrMalformed},
		{"no kid", jwtForge(t, jwtHeader("kid", nil), jwtClaims(), e.edSign), token.ErrMalformed},
		{"kid path", jwtForge(t, jwtHeader("kid", "../../etc/passwd"), jwtClaims(), e.edSign), token.ErrUnknown},
		{"duplicate alg", jwtForge(t, `{"alg":"EdDSA","alg":"EdDSA","kid":"k1","typ":"at+jwt"}`, jwtClaims(), e.edSign), token.ErrMalformed},
		{"crit", jwtForge(t, jwtHeader("crit", []string{"exp"}, "exp", 1), jwtClaims(), e.edSign), token.ErrMalformed},
		{"jku", jwtForge(t, jwtHeader("jku", attacker.URL), jwtClaims(), e.edSign), token.ErrMalformed},
		{"x5u", jwtForge(t, jwtHeader("x5u", attacker.URL), jwtClaims(), e.edSign), token.ErrMalformed},
		{"jwk", jwtForge(t, jwtHeader("jwk", pubJWK), jwtClaims(), e.edSign), token.ErrMalformed},
		{"x5c", jwtForge(t, jwtHeader("x5c", []string{"MIIB"}), jwtClaims(), e.edSign), token.ErrMalformed},
		{"b64 false", jwtForge(t, jwtHeader("b64", false), jwtClaims(), e.edSign), token.ErrMalformed},
		{"header not JSON", jwtForge(t, `{"alg":`, jwtClaims(), e.edSign), token.ErrMalformed},
		{"header an array", jwtForge(t, `["EdDSA"]`, jwtClaims(), e.edSign), token.ErrMalformed},
		{"wrong iss", jwtForge(t, jwtHeader(), jwtWith("iss", "https://evil.example/"), e.edSign), token.ErrMalformed},
		{"iss differs in case", jwtForge(t, jwtHeader(), jwtWith("iss", strings.ToUpper(jwtIss)), e.edSign), token.ErrMalformed},
		{"aud without the resource", jwtForge(t, jwtHeader(), jwtWith("aud", []string{"https://other.example/"}), e.edSign), token.ErrMalformed},
		{"no aud", jwtForge(t, jwtHeader(), jwtWith("aud", nil), e.edSign), token.ErrMalformed},
		{"aud a number", jwtForge(t, jwtHeader(), jwtWith("aud", 1), e.edSign), token.ErrMalformed},
		{"aud empty string", jwtForge(t, jwtHeader(), jwtWith("aud", ""), e.edSign), token.ErrMalformed},
		{"exp past", jwtForge(t, jwtHeader(), jwtWith("exp", jwtT0.Add(-time.Second).Unix()), e.edSign), token.ErrExpired},
		{"exp now", jwtForge(t, jwtHeader(), jwtWith("exp", jwtT0.Unix()), e.edSign), token.ErrExpired},
		{"exp past float", jwtForge(t, jwtHeader(), jwtWith("exp", float64(jwtT0.Unix())-0.5), e.edSign), token.ErrExpired},
		{"exp string", jwtForge(t, jwtHeader(), jwtWith("exp", "1795352400"), e.edSign), token.ErrMalformed},
		{"exp negative", jwtForge(t, jwtHeader(), jwtWith("exp", -1), e.edSign), token.ErrMalformed},
		{"exp 1e300", jwtForge(t, jwtHeader(), jwtWith("exp", 1e300), e.edSign), token.ErrMalformed},
		{"exp 2^64+past wraps", jwtForge(t, jwtHeader(), jwtEdit(t, jwtExpJSON, `"exp":18446744073709551617`), e.edSign), token.ErrMalformed},
		{"exp 1e400", jwtForge(t, jwtHeader(), jwtEdit(t, jwtExpJSON, `"exp":1e400`), e.edSign), token.ErrMalformed},
		{"exp null", jwtForge(t, jwtHeader(), jwtEdit(t, jwtExpJSON, `"exp":null`), e.edSign), token.ErrMalformed},
		{"exp missing", jwtForge(t, jwtHeader(), jwtWith("exp", nil), e.edSign), token.ErrMalformed},
		{"exp twice", jwtForge(t, jwtHeader(), jwtEdit(t, jwtExpJSON, jwtExpJSON+`,"\u0065xp":1795352400`), e.edSign), token.ErrMalformed},
		{"nbf future", jwtForge(t, jwtHeader(), jwtWith("nbf", jwtT0.Add(time.Minute).Unix()), e.edSign), token.ErrMalformed},
		{"iat far future", jwtForge(t, jwtHeader(), jwtWith("iat", jwtT0.Add(24*time.Hour).Unix()), e.edSign), token.ErrMalformed},
		{"iat missing", jwtForge(t, jwtHeader(), jwtWith("iat", nil), e.edSign), token.ErrMalformed},
		{"sub missing", jwtForge(t, jwtHeader(), jwtWith("sub", nil), e.edSign), token.ErrMalformed},
		{"client_id missing", jwtForge(t, jwtHeader(), jwtWith("client_id", nil), e.edSign), token.ErrMalformed},
		{"jti missing", jwtForge(t, jwtHeader(), jwtWith("jti", nil), e.edSign), token.ErrMalformed},
		{"iss missing", jwtForge(t, jwtHeader(), jwtWith("iss", nil), e.edSign), token.ErrMalformed},
		{"sub a number", jwtForge(t, jwtHeader(), jwtWith("sub", 7), e.edSign), token.ErrMalformed},
		{"scope an array", jwtForge(t, jwtHeader(), jwtWith("scope", []string{"a"}), e.edSign), token.ErrMalformed},
		{"scope bad grammar", jwtForge(t, jwtHeader(), jwtWith("scope", "a  b"), e.edSign), token.ErrMalformed},
		{"claims an array", jwtForge(t, jwtHeader(), `[1]`, e.edSign), token.ErrMalformed},
		{"claims not UTF-8", jwtForge(t, jwtHeader(), jwtEdit(t, "jti-1", "jti-\xff"), e.edSign), token.ErrMalformed},
		{"act nested 1001 deep", jwtForge(t, jwtHeader(), jwtWith("act", json.RawMessage(deepAct)), e.edSign), token.ErrMalformed},
		{"act nested 9 deep", jwtForge(t, jwtHeader(), jwtWith("act", json.RawMessage(strings.Repeat(`{"sub":"x","act":`, 8)+`{"sub":"y"}`+strings.Repeat(`}`, 8))), e.edSign), token.ErrMalformed},
		{"may_act not an object", jwtForge(t, jwtHeader(), jwtWith("may_act", "x"), e.edSign), token.ErrMalformed},
		{"1 MB payload", jwtForge(t, jwtHeader(), jwtWith("pad", strings.Repeat("a", 1<<20)), e.edSign), token.ErrMalformed},
		{"extra claim nested 2000 deep", jwtForge(t, jwtHeader(), jwtWith("x", json.RawMessage(strings.Repeat("[", 2000)+strings.Repeat("]", 2000))), e.edSign), token.ErrMalformed},
		{"nesting 20000 deep", jwtForge(t, jwtHeader(), `{"x":`+strings.Repeat("[", 20000)+strings.Repeat("]", 20000)+`}`, e.edSign), token.ErrMalformed},
		{"bad signature", valid[:len(valid)-2] + flip(valid[len(valid)-2:]), token.ErrMalformed},
		{"signature of other claims", strings.Join([]string{strings.Split(valid, ".")[0], jwtB64([]byte(jwtJSON(t, jwtWith("sub", "mallory")))), strings.Split(valid, ".")[2]}, "."), token.ErrMalformed},
		{"signature truncated", valid[:len(valid)-4], token.ErrMalformed},
		{"no signature", valid[:strings.LastIndexByte(valid, '.')+1], token.ErrMalformed},
		{"two parts", valid[:strings.LastIndexByte(valid, '.')], token.ErrMalformed},
		{"four parts", valid + ".x", token.ErrMalformed},
		{"JWE five parts", "a.b.c.d.e", token.ErrMalformed},
		{"newline inside", valid[:20] + "\n" + valid[20:], token.ErrMalformed},
		{"padding", valid + "==", token.ErrMalformed},
		{"std base64 alphabet", valid[:len(valid)-1] + "+", token.ErrMalformed},
		{"empty", "", token.ErrMalformed},
		{"dots", "..", token.ErrMalformed},
		{"JSON serialization", `{"payload":"x","signatures":[]}`, token.ErrMalformed},
		{"huge", strings.Repeat("a", 1<<20), token.ErrMalformed},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			info, err := e.j.Verify(context.Background(), c.tok)
			require.Error(t, err)
			assert.Nil(t, info)
			assert.ErrorIs(t, err, c.want)
			assert.True(t, token.IsInvalid(err))
			assert.NotContains(t, err.Error(), "passwd", "errors never echo the token")
			assert.NotContains(t, err.Error(), "attacker")
		})
	}
	assert.Zero(t, hits.Load(), "header URLs are never fetched")

	info, err := e.j.Verify(context.Background(), valid)
	require.NoError(t, err, "the unforged token verifies")
	assert.Equal(t, "jti-1", info.ID)
}

// flip changes the first character of a base64url tail.
func flip(s string) string {
	if s[0] == 'A' {
		return "B" + s[1:]
	}
	return "A" + s[1:]
}

// SEC-10: on an RSA key, HS256 signed with the public key (as PEM or DER)
// is refused.
func TestJWTRSAConfusion(t *testing.T) {
	k, err := token.NewRSAKey("rs", jwtRSAKey())
	require.NoError(t, err)
	set, err := token.NewKeySet(k)
	require.NoError(t, err)
	j := &token.JWT{Keys: set, Issuer: jwtIss, Now: func() time.Time { return jwtT0 }}
	der, err := x509.MarshalPKIXPublicKey(&jwtRSAKey().PublicKey)
	require.NoError(t, err)
	pemKey := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
	jwks, err := json.Marshal(map[string]any{"kty": "RSA", "n": jwtB64(jwtRSAKey().N.Bytes()), "e": "AQAB"})
	require.NoError(t, err)
	for name, secret := range map[string][]byte{"PEM": pemKey, "DER": der, "JWK": jwks} {
		tok := jwtForge(t, jwtHeader("alg", "HS256", "kid", "rs"), jwtClaims(), jwtHMAC(secret))
		_, err := j.Verify(context.Background(), tok)
		assert.ErrorIs(t, err, token.ErrMalformed, name)
	}
	// The genuine RS256 token verifies.
	tok := jwtForge(t, jwtHeader("alg", "RS256", "kid", "rs"), jwtClaims(), func(b []byte) []byte {
		h := sha256.Sum256(b)
		s, err := rsa.SignPKCS1v15(nil, jwtRSAKey(), crypto.SHA256, h[:])
		require.NoError(t, err)
		return s
	})
	_, err = j.Verify(context.Background(), tok)
	require.NoError(t, err)
}

func TestJWTLeewayAndFloatDates(t *testing.T) {
	e := newJWTEnv(t)
	e.j.Leeway = 30 * time.Second
	for name, c := range map[string]map[string]any{
		"exp just past":    jwtWith("exp", jwtT0.Add(-10*time.Second).Unix()),
		"nbf just ahead":   jwtWith("nbf", jwtT0.Add(10*time.Second).Unix()),
		"iat just ahead":   jwtWith("iat", jwtT0.Add(10*time.Second).Unix()),
		"float exp":        jwtWith("exp", float64(jwtT0.Unix())+3600.25),
		"exponent exp":     jwtWith("exp", 1.8e9),
		"case-variant EXP": jwtWith("EXP", 1),
	} {
		tok := jwtForge(t, jwtHeader(), c, e.edSign)
		_, err := e.j.Verify(context.Background(), tok)
		assert.NoError(t, err, name)
	}
	tok := jwtForge(t, jwtHeader(), jwtWith("exp", float64(jwtT0.Unix())+3600.25, "EXP", 1), e.edSign)
	info, err := e.j.Verify(context.Background(), tok)
	require.NoError(t, err)
	assert.Equal(t, jwtT0.Add(time.Hour+250*time.Millisecond), info.ExpiresAt)
	assert.Equal(t, json.RawMessage(`1`), info.Extra["EXP"], "names are case-sensitive: EXP is not exp")

	tok = jwtForge(t, jwtHeader(), jwtWith("exp", jwtT0.Add(-31*time.Second).Unix()), e.edSign)
	_, err = e.j.Verify(context.Background(), tok)
	assert.ErrorIs(t, err, token.ErrExpired)
}

// SEC-12: revocation overrides a valid signature.
func TestJWTRevocation(t *testing.T) {
	e := newJWTEnv(t)
	store := token.NewMemoryStore()
	e.j.Store = store
	ctx := context.Background()
	tok, err := e.j.Issue(ctx, jwtInfo())
	require.NoError(t, err)
	_, err = e.j.Verify(ctx, tok)
	require.NoError(t, err, "no record: still valid")
	require.NoError(t, store.Revoke(ctx, token.HashToken(tok), jwtT0.Add(time.Hour)))
	_, err = e.j.Verify(ctx, tok)
	assert.ErrorIs(t, err, token.ErrRevoked)

	// A store that fails is not an invalid token.
	boom := errors.New("db down")
	e.j.Store = jwtFailingStore{boom}
	_, err = e.j.Verify(ctx, tok)
	assert.ErrorIs(t, err, boom)
	assert.False(t, token.IsInvalid(err))
}

type jwtFailingStore struct{ err error }

func (s jwtFailingStore) Put(context.Context, *token.Record) error { return s.err }
func (s jwtFailingStore) Get(context.Context, token.Hash) (*token.Record, error) {
	return nil, s.err
}

func TestJWTMisconfigured(t *testing.T) {
	_, err := (&token.JWT{}).Verify(context.Background(), "a.b.c")
	require.Error(t, err)
	assert.False(t, token.IsInvalid(err))
}

// Rotation with overlap: a token signed by the old key verifies after
// Rotate and stops verifying after Retire.
func TestJWTRotation(t *testing.T) {
	e := newJWTEnv(t)
	ctx := context.Background()
	old, err := e.j.Issue(ctx, jwtInfo())
	require.NoError(t, err)
	k2, err := token.NewEd25519Key("k2", jwtEd25519(2))
	require.NoError(t, err)
	require.NoError(t, e.set.Rotate(k2))

	fresh, err := e.j.Issue(ctx, jwtInfo())
	require.NoError(t, err)
	assert.Contains(t, string(mustB64(t, strings.Split(fresh, ".")[0])), `"kid":"k2"`)
	for _, tok := range []string{old, fresh} {
		_, err := e.j.Verify(ctx, tok)
		require.NoError(t, err)
	}
	require.Error(t, e.set.Retire("k2"), "the signing key cannot be retired")
	require.NoError(t, e.set.Retire(jwtKID))
	_, err = e.j.Verify(ctx, old)
	assert.ErrorIs(t, err, token.ErrUnknown)
	_, err = e.j.Verify(ctx, fresh)
	require.NoError(t, err)
}

// Verifying while keys rotate is race-free (run with -race).
func TestJWTConcurrentRotation(t *testing.T) {
	e := newJWTEnv(t)
	ctx := context.Background()
	tok, err := e.j.Issue(ctx, jwtInfo())
	require.NoError(t, err)
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				_, err := e.j.Verify(ctx, tok)
				assert.NoError(t, err)
				_, err = e.j.Issue(ctx, jwtInfo())
				assert.NoError(t, err)
			}
		}()
	}
	for i := 0; i < 20; i++ {
		k, err := token.NewEd25519Key("r"+string(rune('a'+i)), jwtEd25519(byte(10+i)))
		require.NoError(t, err)
		require.NoError(t, e.set.Rotate(k))
	}
	wg.Wait()
}
