package token_test

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/tokenkit/tokenkit/token"
	"github.com/tokenkit/tokenkit/token/tokentest"
)

// benchRequest builds the request and recorder for one token request; the
// Harness benchmark measures this cost alone, so the endpoint's own share
// can be read off the others.
func benchRequest(body string, auth string) (*http.Request, *httptest.ResponseRecorder) {
	r := httptest.NewRequest(http.MethodPost, "/token", strings.NewReader(body))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if auth != "" {
		r.Header.Set("Authorization", auth)
	}
	return r, httptest.NewRecorder()
}

const ccBody = "grant_type=client_credentials&scope=read"

func BenchmarkEndpointHarness(b *testing.B) {
	auth := tokentest.Basic("svc", "s3cr3t")
	b.ReportAllocs()
	for b.Loop() {
		r, w := benchRequest(ccBody, auth)
		_, _ = r, w
	}
}

func benchClientCredentials(b *testing.B, opts ...fixtureOption) {
	f := newFixture(b, opts...)
	auth := tokentest.Basic("svc", "s3cr3t")
	b.ReportAllocs()
	for b.Loop() {
		r, w := benchRequest(ccBody, auth)
		f.h.ServeHTTP(w, r)
		if w.Code != 200 {
			b.Fatal(w.Body.String())
		}
	}
}

// client_credentials with an opaque token, end to end.
func BenchmarkEndpointClientCredentialsOpaque(b *testing.B) {
	benchClientCredentials(b, noLogs)
}

// client_credentials with an EdDSA JWT access token, end to end.
func BenchmarkEndpointClientCredentialsEdDSA(b *testing.B) {
	benchClientCredentials(b, noLogs, withJWT(b))
}

// The bare operation the EdDSA endpoint rests on: one Ed25519 signature of
// a token-sized input.
func BenchmarkBareEd25519SignTokenSized(b *testing.B) {
	_, priv, _ := ed25519.GenerateKey(nil)
	msg := []byte(strings.Repeat("x", 300))
	b.ReportAllocs()
	for b.Loop() {
		ed25519.Sign(priv, msg)
	}
}

// The bare operation the opaque endpoint rests on: hashing the token.
func BenchmarkBareSHA256Token(b *testing.B) {
	msg := []byte(strings.Repeat("x", 43))
	b.ReportAllocs()
	for b.Loop() {
		sha256.Sum256(msg)
	}
}

// authorization_code with PKCE, end to end (minting the code excluded).
func BenchmarkEndpointAuthorizationCode(b *testing.B) {
	f := newFixture(b, noLogs)
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		body := redeemForm(f.mint()).Encode()
		r, w := benchRequest(body, "")
		b.StartTimer()
		f.h.ServeHTTP(w, r)
		if w.Code != 200 {
			b.Fatal(w.Body.String())
		}
	}
}

// refresh_token with rotation, end to end, each round using the last
// round's refresh token.
func BenchmarkEndpointRefresh(b *testing.B) {
	f := newFixture(b, noLogs)
	rt := f.redeem()["refresh_token"].(string)
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		r, w := benchRequest(refreshForm(rt).Encode(), "")
		b.StartTimer()
		f.h.ServeHTTP(w, r)
		if w.Code != 200 {
			b.Fatal(w.Body.String())
		}
		b.StopTimer()
		rt = tokentest.DecodeJSON(b, w)["refresh_token"].(string)
		b.StartTimer()
	}
}

// Issue and verify of opaque tokens against the memory store.
func BenchmarkOpaqueIssue(b *testing.B) {
	o := &token.Opaque{}
	info := &token.Info{}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := o.Issue(context.Background(), info); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkOpaqueVerify(b *testing.B) {
	f := newFixture(b, noLogs)
	at := f.redeem()["access_token"].(string)
	o := &token.Opaque{Store: f.store, Now: f.clock.Now}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := o.Verify(context.Background(), at); err != nil {
			b.Fatal(err)
		}
	}
}

func noLogs(c *token.Config, _ *token.LocalCodes) { c.Logger = nil }

func withJWT(tb testing.TB) fixtureOption {
	key, err := token.GenerateEd25519Key("k1", nil)
	if err != nil {
		tb.Fatal(err)
	}
	ks, err := token.NewKeySet(key)
	if err != nil {
		tb.Fatal(err)
	}
	return func(c *token.Config, _ *token.LocalCodes) {
		c.Tokens = &token.JWT{Keys: ks, Issuer: iss}
	}
}
