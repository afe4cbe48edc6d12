package introspect

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/tokenkit/tokenkit/token"
)

// FuzzParseBearer: never panics; a token it returns is a b64token of
// bounded size that the header carried verbatim.
func FuzzParseBearer(f *testing.F) {
	for _, s := range []string{
		"Bearer abc",                  // the usual
		"bearer abc",                  // scheme case
		"Bearer",                      // no token
		"Bearer  abc",                 // two spaces
		"Bearer abc def",              // trailing word
		"Bearer ab==",                 // padding
		"Bearer a=b",                  // padding in the middle
		"Basic dXNlcjpwYXNz",          // another scheme
		"Bearer \x00",                 // control byte
		"Bearer " + "\xff\xfe",        // invalid UTF-8
		"BEARER eyJhbGciOi.x.y",       // a JWT
		"Bearer a\r\nSet-Cookie: x=y", // header splitting
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		tok, isBearer, err := parseBearer(v)
		if err != nil || !isBearer {
			if tok != "" {
				t.Fatalf("token %q with err %v, bearer %v", tok, err, isBearer)
			}
			return
		}
		if !isToken68(tok) || len(tok) > MaxTokenBytes || !strings.HasSuffix(v, " "+tok) || len(v) != len("Bearer ")+len(tok) {
			t.Fatalf("parseBearer(%q) = %q", v, tok)
		}
	})
}

// FuzzPrefersJSON: never panics, and a header that names only one of the
// two types, with q=1, always chooses it whatever the default.
func FuzzPrefersJSON(f *testing.F) {
	for _, s := range []string{
		"",
		"*/*",
		"application/json",
		"application/json;q=0.1, application/x-www-form-urlencoded;q=0.9",
		"application/*;q=0.5, application/json;q=0",
		"text/html;level=1;q=0.7, */*;q=0.001",
		";;;,,,q=",
		"application/json;q=1.000;q=0",
	} {
		f.Add(s, false)
	}
	f.Fuzz(func(t *testing.T, accept string, def bool) {
		got := prefersJSON(accept, def)
		if prefersJSON(accept, def) != got {
			t.Fatal("not deterministic")
		}
		if !strings.ContainsAny(accept, ",;*") && len(accept) <= maxAcceptBytes {
			mr := strings.TrimSpace(accept)
			switch {
			case strings.EqualFold(mr, mediaJSON) && !got:
				t.Fatalf("%q did not choose JSON", accept)
			case strings.EqualFold(mr, mediaForm) && got:
				t.Fatalf("%q did not choose the form", accept)
			}
		}
	})
}

// FuzzParseResponse: never panics; an Info it returns is consistent (a
// valid scope, a bounded act chain), re-encodes, and parses back the same.
func FuzzParseResponse(f *testing.F) {
	for _, s := range []string{
		`{"active":true,"me":"https://user.test/","client_id":"c","scope":"create","exp":1800000000}`,
		`{"active":false}`,
		`{"active":"true"}`,
		`{"active":true,"aud":["a","b"],"act":{"sub":"x","act":{"sub":"y"}}}`,
		`{"active":true,"exp":1e400}`,
		`me=https%3A%2F%2Fuser.test%2F&scope=create&client_id=c`,
		`{"active":true,"token_type":"refresh_token"}`,
		`[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[`,
	} {
		f.Add(s, strings.HasPrefix(s, "{"), true)
	}
	f.Fuzz(func(t *testing.T, body string, isJSON, legacy bool) {
		ct := mediaForm
		if isJSON {
			ct = mediaJSON
		}
		info, err := parseResponse(ct, []byte(body), legacy)
		if err != nil {
			if info != nil || !(errors.Is(err, ErrRemote) || errors.Is(err, token.ErrUnknown)) {
				t.Fatalf("info %v with error %v", info, err)
			}
			return
		}
		if _, err := token.ParseScope(info.Scope.String()); err != nil {
			t.Fatalf("scope %q does not parse back", info.Scope)
		}
		if info.Actor.Depth() > maxActDepth {
			t.Fatal("act chain too deep")
		}
		c := newClaims(info, "")
		out, err := c.appendJSON(nil, new(true))
		if err != nil {
			t.Fatal(err)
		}
		if !json.Valid(out) {
			t.Fatalf("hand encoding %s is not JSON", out)
		}
		again, err := parseResponse(mediaJSON, out, false)
		if err != nil {
			t.Fatalf("re-encoded %s does not parse: %v", out, err)
		}
		ca, cb := newClaims(info, ""), newClaims(again, "")
		a, _ := ca.appendJSON(nil, nil)
		b, _ := cb.appendJSON(nil, nil)
		if string(a) != string(b) {
			t.Fatalf("round trip changed %s into %s", a, b)
		}
	})
}
