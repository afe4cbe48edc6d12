package exchange_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/tokenkit/tokenkit/exchange"
	"github.com/tokenkit/tokenkit/token"
)

// opaqueTokens makes the endpoint issue opaque tokens and the grant
// verify them in the store.
func opaqueTokens() option {
	return func(tc *token.Config, x *exchange.Config) {
		tc.Tokens = &token.Opaque{}
		x.Verifiers = map[string]token.Verifier{ttAT: &token.Opaque{Store: tc.Store, Now: tc.Now}}
		x.IssuesJWT = false
	}
}

// benchPost runs one token request per iteration through the handler,
// end to end: form parsing, client authentication, the grant, minting,
// recording and the JSON response.
func benchPost(b *testing.B, f *fixture, body string) {
	b.ReportAllocs()
	for b.Loop() {
		r := httptest.NewRequest(http.MethodPost, "/token", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.Header.Set("Authorization", api1)
		w := httptest.NewRecorder()
		f.h.ServeHTTP(w, r)
		if w.Code != http.StatusOK {
			b.Fatalf("status %d: %s", w.Code, w.Body.String())
		}
	}
}

// BenchmarkExchange is one token exchange (a JWT subject token for
// audience api1 swapped for one for api2, act added) against
// BenchmarkClientCredentials, a plain client_credentials request on the
// same endpoint and issuer.
func BenchmarkExchange(b *testing.B) {
	b.Run("jwt", func(b *testing.B) {
		f := newFixture(b, quiet())
		benchPost(b, f, exchangeForm(f.userToken(), "audience", "api2", "scope", "create").Encode())
	})
	b.Run("opaque", func(b *testing.B) {
		f := newFixture(b, quiet(), opaqueTokens())
		sub := f.clientToken("api1", "api1-secret") // recorded by the endpoint, so the opaque verifier finds it
		benchPost(b, f, exchangeForm(sub, "audience", "api2").Encode())
	})
}

func BenchmarkClientCredentials(b *testing.B) {
	body := url.Values{"grant_type": {"client_credentials"}}.Encode()
	b.Run("jwt", func(b *testing.B) { benchPost(b, newFixture(b, quiet()), body) })
	b.Run("opaque", func(b *testing.B) { benchPost(b, newFixture(b, quiet(), opaqueTokens()), body) })
}
