package token_test

import (
	"context"
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tokenkit/tokenkit/token"
)

// SEC-10: keys are bound to one algorithm, and weak ones are refused.
func TestKeyConstructors(t *testing.T) {
	p384, err := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	require.NoError(t, err)
	p256, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	small, err := rsa.GenerateKey(rand.Reader, 1024)
	require.NoError(t, err)
	x25519, err := ecdh.X25519().GenerateKey(rand.Reader)
	require.NoError(t, err)
	ed := jwtEd25519(1)

	bad := map[string]func() (*token.Key, error){
		"HMAC 8 bytes":         func() (*token.Key, error) { return token.NewInsecureHMACKey("k", []byte("password")) },
		"HMAC 31 bytes":        func() (*token.Key, error) { return token.NewInsecureHMACKey("k", make([]byte, 31)) },
		"ECDSA P-384":          func() (*token.Key, error) { return token.NewECDSAKey("k", p384) },
		"ECDSA nil":            func() (*token.Key, error) { return token.NewECDSAKey("k", nil) },
		"RSA 1024":             func() (*token.Key, error) { return token.NewRSAKey("k", small) },
		"RSA nil":              func() (*token.Key, error) { return token.NewRSAKey("k", nil) },
		"Ed25519 short":        func() (*token.Key, error) { return token.NewEd25519Key("k", ed[:32]) },
		"empty kid":            func() (*token.Key, error) { return token.NewEd25519Key("", ed) },
		"kid too long":         func() (*token.Key, error) { return token.NewEd25519Key(strings.Repeat("k", 257), ed) },
		"kid not UTF-8":        func() (*token.Key, error) { return token.NewEd25519Key("\xff", ed) },
		"public none":          func() (*token.Key, error) { return token.NewPublicKey("k", "none", ed.Public()) },
		"public HS256":         func() (*token.Key, error) { return token.NewPublicKey("k", "HS256", []byte(strings.Repeat("s", 32))) },
		"public EdDSA on EC":   func() (*token.Key, error) { return token.NewPublicKey("k", token.AlgEdDSA, &p256.PublicKey) },
		"public ES256 on Ed":   func() (*token.Key, error) { return token.NewPublicKey("k", token.AlgES256, ed.Public()) },
		"public ES256 P-384":   func() (*token.Key, error) { return token.NewPublicKey("k", token.AlgES256, &p384.PublicKey) },
		"public RS256 on EC":   func() (*token.Key, error) { return token.NewPublicKey("k", token.AlgRS256, &p256.PublicKey) },
		"public RS256 small":   func() (*token.Key, error) { return token.NewPublicKey("k", token.AlgRS256, &small.PublicKey) },
		"public PS256":         func() (*token.Key, error) { return token.NewPublicKey("k", "PS256", &jwtRSAKey().PublicKey) },
		"public private key":   func() (*token.Key, error) { return token.NewPublicKey("k", token.AlgEdDSA, ed) },
		"public X25519":        func() (*token.Key, error) { return token.NewPublicKey("k", token.AlgEdDSA, x25519.PublicKey()) },
		"public nil":           func() (*token.Key, error) { return token.NewPublicKey("k", token.AlgES256, nil) },
		"public lowercase alg": func() (*token.Key, error) { return token.NewPublicKey("k", "eddsa", ed.Public()) },
	}
	for name, mk := range bad {
		t.Run(name, func(t *testing.T) {
			k, err := mk()
			require.Error(t, err)
			assert.Nil(t, k)
			assert.True(t, strings.HasPrefix(err.Error(), "token: "), err.Error())
		})
	}

	k, err := token.NewInsecureHMACKey("h", make([]byte, 32))
	require.NoError(t, err)
	assert.Equal(t, "h", k.ID())
	assert.Equal(t, token.AlgHS256, k.Algorithm())
	k, err = token.NewPublicKey("p", token.AlgRS256, &jwtRSAKey().PublicKey)
	require.NoError(t, err)
	assert.Equal(t, token.AlgRS256, k.Algorithm())
}

// GenerateEd25519Key draws its key from the reader it is given.
func TestGenerateEd25519KeyDeterministic(t *testing.T) {
	seed := strings.Repeat("s", ed25519.SeedSize)
	a, err := token.GenerateEd25519Key("a", strings.NewReader(seed))
	require.NoError(t, err)
	b, err := token.NewEd25519Key("a", ed25519.NewKeyFromSeed([]byte(seed)))
	require.NoError(t, err)
	assertSameJWKS(t, a, b)
	_, err = token.GenerateEd25519Key("a", strings.NewReader("short"))
	assert.Error(t, err)
}

func assertSameJWKS(t *testing.T, a, b *token.Key) {
	t.Helper()
	sa, err := token.NewKeySet(a)
	require.NoError(t, err)
	sb, err := token.NewKeySet(b)
	require.NoError(t, err)
	assert.Equal(t, jwksBody(t, sa), jwksBody(t, sb))
}

func jwksBody(t *testing.T, s *token.KeySet) string {
	t.Helper()
	w := httptest.NewRecorder()
	s.Handler().ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/jwks", nil))
	require.Equal(t, http.StatusOK, w.Code)
	return w.Body.String()
}

func TestKeySet(t *testing.T) {
	k1, err := token.NewEd25519Key("k1", jwtEd25519(1))
	require.NoError(t, err)
	k1b, err := token.NewEd25519Key("k1", jwtEd25519(2))
	require.NoError(t, err)
	pub, err := token.NewPublicKey("p", token.AlgEdDSA, jwtEd25519(3).Public())
	require.NoError(t, err)

	_, err = token.NewKeySet(nil)
	assert.Error(t, err, "empty")
	_, err = token.NewKeySet(k1, k1b)
	assert.Error(t, err, "duplicate kid")
	_, err = token.NewKeySet(pub)
	assert.Error(t, err, "a public key cannot sign")
	_, err = token.NewKeySet(k1, nil)
	assert.Error(t, err, "nil key")

	s, err := token.NewKeySet(k1, pub)
	require.NoError(t, err)
	got, ok := s.Key("p")
	require.True(t, ok)
	assert.Same(t, pub, got)
	_, ok = s.Key("nope")
	assert.False(t, ok)

	assert.Error(t, s.Rotate(nil))
	assert.Error(t, s.Rotate(pub), "a public key cannot sign")
	assert.Error(t, s.Rotate(k1b), "kid in use")
	assert.Error(t, s.Retire("k1"), "the signing key")
	assert.Error(t, s.Retire("nope"))
	require.NoError(t, s.Retire("p"))
	_, ok = s.Key("p")
	assert.False(t, ok)

	// A verify-only set can start signing by rotation.
	vo, err := token.NewKeySet(nil, pub)
	require.NoError(t, err)
	require.NoError(t, vo.Rotate(k1))
	_, ok = vo.Key("k1")
	assert.True(t, ok)
}

// The JWKS document, exactly: public members only, kid, alg and use.
func TestJWKSHandler(t *testing.T) {
	ed, err := token.NewEd25519Key("k1", jwtEd25519(1))
	require.NoError(t, err)
	hs, err := token.NewInsecureHMACKey("hs", []byte(strings.Repeat("s", 32)))
	require.NoError(t, err)
	s, err := token.NewKeySet(ed, hs)
	require.NoError(t, err)

	w := httptest.NewRecorder()
	s.Handler().ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/.well-known/jwks.json", nil))
	assert.Equal(t, http.StatusOK, w.Code)
	assert.Equal(t, http.Header{
		"Content-Type":           {"application/json"},
		"Cache-Control":          {"public, max-age=300"},
		"Content-Length":         {"127"},
		"X-Content-Type-Options": {"nosniff"},
	}, w.Header())
	assert.Equal(t, `{"keys":[{"kty":"OKP","crv":"Ed25519","x":"ebVWLo_mVPlAeLES6KmLp5AfhTrmlb7X4OORC60ElmQ","kid":"k1","alg":"EdDSA","use":"sig"}]}`, w.Body.String())

	w = httptest.NewRecorder()
	s.Handler().ServeHTTP(w, httptest.NewRequest(http.MethodHead, "/", nil))
	assert.Equal(t, http.StatusOK, w.Code)
	assert.Equal(t, "127", w.Header().Get("Content-Length"))
	assert.Empty(t, w.Body.String())

	for _, m := range []string{http.MethodPost, http.MethodPut, http.MethodDelete, http.MethodOptions} {
		w = httptest.NewRecorder()
		s.Handler().ServeHTTP(w, httptest.NewRequest(m, "/", strings.NewReader("x")))
		assert.Equal(t, http.StatusMethodNotAllowed, w.Code, m)
		assert.Equal(t, "GET, HEAD", w.Header().Get("Allow"), m)
	}

	// ES256 and RS256 keys: their public members only.
	ec, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	es, err := token.NewECDSAKey("es", ec)
	require.NoError(t, err)
	rs, err := token.NewRSAKey("rs", jwtRSAKey())
	require.NoError(t, err)
	require.NoError(t, s.Rotate(es))
	require.NoError(t, s.Rotate(rs))
	var doc struct {
		Keys []map[string]string `json:"keys"`
	}
	require.NoError(t, json.Unmarshal([]byte(jwksBody(t, s)), &doc))
	require.Len(t, doc.Keys, 3)
	members := func(m map[string]string) []string {
		var out []string
		for k := range m {
			out = append(out, k)
		}
		return out
	}
	assert.ElementsMatch(t, []string{"kty", "n", "e", "kid", "alg", "use"}, members(doc.Keys[0]))
	assert.Equal(t, map[string]string{"kty": "RSA", "kid": "rs", "alg": "RS256", "use": "sig", "e": "AQAB", "n": doc.Keys[0]["n"]}, doc.Keys[0])
	assert.ElementsMatch(t, []string{"kty", "crv", "x", "y", "kid", "alg", "use"}, members(doc.Keys[1]))
	assert.Len(t, doc.Keys[1]["x"], 43, "32 bytes, padded")
	assert.Equal(t, "k1", doc.Keys[2]["kid"])

	// What the handler publishes, ParseJWKS reads back and verifies with.
	j := &token.JWT{Keys: s, Issuer: jwtIss, Now: jwtNow}
	tok, err := j.Issue(context.Background(), jwtInfo())
	require.NoError(t, err)
	rsSet, err := token.ParseJWKS([]byte(jwksBody(t, s)))
	require.NoError(t, err)
	info, err := (&token.JWT{Keys: rsSet, Issuer: jwtIss, Audience: jwtAud, Now: jwtNow}).Verify(context.Background(), tok)
	require.NoError(t, err)
	assert.Equal(t, "jti-1", info.ID)
	_, ok := rsSet.Key("hs")
	assert.False(t, ok, "HMAC secrets are never published")
}

func TestJWKSHandlerThroughServer(t *testing.T) {
	k, err := token.NewEd25519Key("k1", jwtEd25519(1))
	require.NoError(t, err)
	s, err := token.NewKeySet(k)
	require.NoError(t, err)
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	res, err := srv.Client().Get(srv.URL)
	require.NoError(t, err)
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	assert.NotContains(t, string(b), `"d"`)
	_, err = token.ParseJWKS(b)
	require.NoError(t, err)
}

// SEC-10, SEC-11: ParseJWKS accepts only what a verifier may trust.
func TestParseJWKS(t *testing.T) {
	edX := `"kty":"OKP","crv":"Ed25519","x":"ebVWLo_mVPlAeLES6KmLp5AfhTrmlb7X4OORC60ElmQ"`
	set, err := token.ParseJWKS([]byte(`{"keys":[{` + edX + `,"kid":"k1","alg":"EdDSA","use":"sig","x5u":"https://attacker.test/"}]}`))
	require.NoError(t, err)
	k, ok := set.Key("k1")
	require.True(t, ok)
	assert.Equal(t, token.AlgEdDSA, k.Algorithm())

	for name, doc := range map[string]string{
		"not JSON":       `{`,
		"no keys":        `{"keys":[]}`,
		"a single key":   `{` + edX + `,"kid":"k1","alg":"EdDSA"}`,
		"missing kid":    `{"keys":[{` + edX + `,"alg":"EdDSA"}]}`,
		"missing alg":    `{"keys":[{` + edX + `,"kid":"k1"}]}`,
		"alg none":       `{"keys":[{` + edX + `,"kid":"k1","alg":"none"}]}`,
		"alg mismatch":   `{"keys":[{` + edX + `,"kid":"k1","alg":"RS256"}]}`,
		"use enc":        `{"keys":[{` + edX + `,"kid":"k1","alg":"EdDSA","use":"enc"}]}`,
		"symmetric":      `{"keys":[{"kty":"oct","k":"c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0","kid":"h","alg":"HS256"}]}`,
		"private":        `{"keys":[{` + edX + `,"d":"AQID","kid":"k1","alg":"EdDSA"}]}`,
		"duplicate kid":  `{"keys":[{` + edX + `,"kid":"k1","alg":"EdDSA"},{` + edX + `,"kid":"k1","alg":"EdDSA"}]}`,
		"unknown kty":    `{"keys":[{"kty":"XYZ","kid":"k1","alg":"EdDSA"}]}`,
		"X25519":         `{"keys":[{"kty":"OKP","crv":"X25519","x":"ebVWLo_mVPlAeLES6KmLp5AfhTrmlb7X4OORC60ElmQ","kid":"k1","alg":"EdDSA"}]}`,
		"too large":      `{"keys":[{` + edX + `,"kid":"k1","alg":"EdDSA","pad":"` + strings.Repeat("a", 300<<10) + `"}]}`,
		"too many":       `{"keys":[` + strings.TrimSuffix(strings.Repeat(`{`+edX+`,"alg":"EdDSA"},`, 65), ",") + `]}`,
		"keys not array": `{"keys":{}}`,
	} {
		t.Run(name, func(t *testing.T) {
			s, err := token.ParseJWKS([]byte(doc))
			require.Error(t, err)
			assert.Nil(t, s)
			assert.True(t, strings.HasPrefix(err.Error(), "token: "), err.Error())
		})
	}
}

// A resource server with a verify-only set checks the issuer's tokens and
// cannot mint any.
func TestJWTVerifyOnlySet(t *testing.T) {
	e := newJWTEnv(t)
	tok, err := e.j.Issue(context.Background(), jwtInfo())
	require.NoError(t, err)
	pub, err := token.NewPublicKey(jwtKID, token.AlgEdDSA, e.priv.Public())
	require.NoError(t, err)
	set, err := token.NewKeySet(nil, pub)
	require.NoError(t, err)
	rs := &token.JWT{Keys: set, Issuer: jwtIss, Audience: jwtAud, Now: func() time.Time { return jwtT0 }}
	_, err = rs.Verify(context.Background(), tok)
	require.NoError(t, err)
	_, err = rs.Issue(context.Background(), jwtInfo())
	assert.Error(t, err)
}
