package token

import (
	"encoding/json"
	"testing"
)

// The hand-written encoder agrees with encoding/json byte for byte.
func TestResponseJSON(t *testing.T) {
	for _, r := range []response{
		{AccessToken: "a", TokenType: "Bearer"},
		{AccessToken: "a.b-c_d", TokenType: "Bearer", ExpiresIn: 3600, RefreshToken: "r", Scope: "create update", Me: "https://user.test/"},
		{AccessToken: "x", IssuedTokenType: "urn:ietf:params:oauth:token-type:access_token", TokenType: "N_A", ExpiresIn: -5},
		{AccessToken: "\"\\\n\r\t\x01<>&é\u2028\u2029\xff", TokenType: "Bearer", Me: "https://u.test/?a=\"b\"", Profile: &Profile{Name: "N \"q\"", Email: "e@x"}},
	} {
		want, err := json.Marshal(&r)
		if err != nil {
			t.Fatal(err)
		}
		if got := r.appendJSON(nil); string(got) != string(want) {
			t.Errorf("got  %s\nwant %s", got, want)
		}
	}
}

func FuzzResponseJSON(f *testing.F) {
	f.Add("tok", "create", "https://user.test/", int64(3600))
	f.Add("\x00\"\\", "\xff\xfe", "\u2028", int64(-1))
	f.Add("\b", "\f", "<&>", int64(0))
	f.Fuzz(func(t *testing.T, tok, scope, me string, exp int64) {
		r := response{AccessToken: tok, TokenType: "Bearer", Scope: scope, Me: me, ExpiresIn: exp}
		want, _ := json.Marshal(&r)
		if got := r.appendJSON(nil); string(got) != string(want) {
			t.Fatalf("got  %s\nwant %s", got, want)
		}
	})
}
