package exchange_test

import (
	"encoding/json"
	"net/url"
	"testing"
)

// FuzzExchange posts arbitrary bodies through a real token endpoint with
// the exchange grant: whatever arrives, the answer is a JSON response
// with Cache-Control: no-store, never a 5xx, never a panic.
func FuzzExchange(f *testing.F) {
	fx := newFixture(f, quiet())
	user := fx.userToken(everyone)
	actor := fx.clientToken("api1", "api1-secret")
	seeds := []url.Values{
		exchangeForm(user), // valid
		exchangeForm(user, "audience", "api2", "scope", "create"), // valid, narrowed
		exchangeForm(user, "actor_token", actor, "actor_token_type", ttAT),
		exchangeForm(user, "resource", "https://api2.test/", "resource", "urn:x", "audience", "a"),
		exchangeForm(user, "requested_token_type", ttJWT),
		exchangeForm(user, "subject_token_type", ttRT),
		exchangeForm(user, "subject_token", ""),
		exchangeForm(user, "actor_token", actor),
		exchangeForm(user, "resource", "https://r.test/#f"),
		exchangeForm(user, "scope", "create delete"),
		exchangeForm("garbage", "subject_token_type", ttJWT),
	}
	for _, v := range seeds {
		f.Add(v.Encode(), true)
	}
	f.Add("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange&subject_token=%ZZ", true)
	f.Add("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange&audience=a&audience=a&audience=a", false)
	f.Add("", true)
	f.Fuzz(func(t *testing.T, body string, auth bool) {
		var w = fx.do(body)
		if auth {
			w = fx.do(body, "Authorization", api1)
		}
		if w.Code >= 500 {
			t.Fatalf("status %d for %q: %s", w.Code, body, w.Body.String())
		}
		if w.Header().Get("Cache-Control") != "no-store" {
			t.Fatalf("no Cache-Control: no-store for %q", body)
		}
		var m map[string]any
		if err := json.Unmarshal(w.Body.Bytes(), &m); err != nil {
			t.Fatalf("body is not JSON for %q: %v", body, err)
		}
		if (w.Code == 200) != (m["access_token"] != nil) {
			t.Fatalf("status %d with body %s", w.Code, w.Body.String())
		}
	})
}
