package token

import (
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// FuzzJWTVerify: no input makes Verify panic, and none is accepted unless
// it is, byte for byte, a token this issuer minted (issue 2; SEC-09,
// SEC-10, SEC-11, EDGE-22, EDGE-24).
func FuzzJWTVerify(f *testing.F) {
	seed := make([]byte, ed25519.SeedSize)
	priv := ed25519.NewKeyFromSeed(seed)
	key, err := NewEd25519Key("k1", priv)
	if err != nil {
		f.Fatal(err)
	}
	set, err := NewKeySet(key)
	if err != nil {
		f.Fatal(err)
	}
	t0 := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	j := &JWT{Keys: set, Issuer: "https://auth.example/", Audience: "https://rs.example/", Now: func() time.Time { return t0 }}
	info := &Info{
		Me: "https://user.example/", ClientID: "https://app.example/", Scope: Scope{"create"},
		Subject: "https://user.example/", Audience: []string{"https://rs.example/"},
		ExpiresAt: t0.Add(time.Hour), IssuedAt: t0, ID: "id-1",
		Actor: &Actor{Subject: "https://svc.example/"},
		Extra: map[string]json.RawMessage{"x": json.RawMessage(`[1,{"a":"\u00e9"}]`)},
	}
	minted, err := j.Issue(context.Background(), info)
	if err != nil {
		f.Fatal(err)
	}
	b64 := base64.RawURLEncoding.EncodeToString
	parts := strings.Split(minted, ".")
	sign := func(h, c string) string {
		in := b64([]byte(h)) + "." + b64([]byte(c))
		return in + "." + b64(ed25519.Sign(priv, []byte(in)))
	}
	claims := `{"iss":"https://auth.example/","sub":"s","aud":"https://rs.example/","exp":1795352400,"iat":1795348800,"jti":"j","client_id":"c"}`

	f.Add(minted)                                                    // the valid token
	f.Add(minted[:len(minted)-1])                                    // truncated signature
	f.Add(minted + "A")                                              // longer signature
	f.Add(parts[0] + "." + parts[1] + ".")                           // stripped signature
	f.Add(b64([]byte(`{"alg":"none"}`)) + "." + parts[1] + ".")      // alg none
	f.Add(sign(`{"alg":"EdDSA","kid":"k1","typ":"at+jwt"}`, claims)) // a second valid token
	f.Add(sign(`{"alg":"EdDSA","kid":"k1","typ":"JWT"}`, claims))    // wrong typ
	f.Add(sign(`{"alg":"EdDSA","kid":"k1","typ":"at+jwt","jku":"x"}`, claims))
	f.Add(sign(`{"alg":"EdDSA","kid":"k1","typ":"at+jwt"}`, strings.Replace(claims, "1795352400", `"1795352400"`, 1)))
	f.Add(sign(`{"alg":"EdDSA","kid":"k1","typ":"at+jwt"}`, strings.Replace(claims, "1795352400", "1e300", 1)))
	f.Add(sign(`{"alg":"EdDSA","kid":"k1","typ":"at+jwt"}`, strings.Replace(claims, `"c"}`, `"c","act":`+strings.Repeat(`{"act":`, 50)+`{}`+strings.Repeat("}", 51), 1)))
	f.Add("..")
	f.Add("")
	f.Add("a.b.c")

	accepted := map[string]bool{minted: true}
	// Tokens the seed corpus signs itself are "minted" by this issuer too.
	for _, h := range []string{`{"alg":"EdDSA","kid":"k1","typ":"at+jwt"}`} {
		accepted[sign(h, claims)] = true
	}
	f.Fuzz(func(t *testing.T, tok string) {
		got, err := j.Verify(context.Background(), tok)
		if err != nil {
			if got != nil || !IsInvalid(err) {
				t.Fatalf("Verify(%q) = %v, %v", tok, got, err)
			}
			return
		}
		if !accepted[tok] {
			t.Fatalf("accepted a token this issuer did not mint: %q", tok)
		}
	})
}

// FuzzJWTClaims: the claims decoder never panics, and the member walk it
// rests on agrees with encoding/json on every valid UTF-8 object.
func FuzzJWTClaims(f *testing.F) {
	for _, s := range []string{
		`{"iss":"i","sub":"s","exp":1,"iat":0,"jti":"j","client_id":"c"}`,
		`{"iss":"i","sub":"s","exp":1.5,"iat":0,"jti":"j","client_id":"c","aud":["a","b"],"scope":"a b","act":{"sub":"x","act":{"sub":"y"}}}`,
		` { "a" : [ 1 , { "b" : "}\"]" } ] , "\u0061" : null , "c":true } `,
		`{"exp":"1"}`, `{"exp":-1}`, `{"exp":1e300}`, `{"exp":18446744073709551617}`,
		`[]`, `{}`, `{"":""}`, `{"a\\b":"\\"}`, `{"x":{"y":[[[]]]}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		info, err := decodeClaims(data)
		if err == nil && (info.Issuer == "" || info.Subject == "" || info.ID == "" || info.ClientID == "") {
			t.Fatalf("decodeClaims(%q) accepted missing claims: %+v", data, info)
		}
		if _, err := decodeHeader(base64.RawURLEncoding.EncodeToString(data)); err == nil && !json.Valid(data) {
			t.Fatalf("decodeHeader accepted invalid JSON %q", data)
		}
		if !utf8.Valid(data) {
			return
		}
		var want map[string]json.RawMessage
		if json.Unmarshal(data, &want) != nil || want == nil {
			if _, ok := newObjIter(data, string(data)); ok && json.Valid(data) {
				var m map[string]any
				if json.Unmarshal(data, &m) == nil && m != nil {
					t.Fatalf("objIter and encoding/json disagree on %q being an object", data)
				}
			}
			return
		}
		it, ok := newObjIter(data, string(data))
		if !ok {
			t.Fatalf("objIter refused the object %q", data)
		}
		got := map[string]json.RawMessage{}
		for {
			name, v, more, err := it.next()
			if err != nil {
				t.Fatalf("objIter.next on %q: %v", data, err)
			}
			if !more {
				break
			}
			got[name] = json.RawMessage(v)
		}
		if len(got) != len(want) {
			t.Fatalf("%q: objIter saw %d members, encoding/json %d", data, len(got), len(want))
		}
		for k, w := range want {
			if string(got[k]) != string(w) {
				t.Fatalf("%q: member %q is %q, encoding/json says %q", data, k, got[k], w)
			}
		}
	})
}
