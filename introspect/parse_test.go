package introspect

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tokenkit/tokenkit/token"
)

func TestParseBearer(t *testing.T) {
	for _, tc := range []struct {
		in       string
		tok      string
		isBearer bool
		err      error
	}{
		{"Bearer abc", "abc", true, nil},
		{"bearer abc", "abc", true, nil},
		{"BEARER abc", "abc", true, nil},
		{"Bearer a-._~+/bc==", "a-._~+/bc==", true, nil},
		{"Bearer", "", true, errNoToken},
		{"Bearer ", "", true, errNoToken},
		{"Bearer  abc", "", true, errNoToken},
		{"Bearer abc ", "", true, errNoToken},
		{"Bearer a b", "", true, errNoToken},
		{"Bearer a,b", "", true, errNoToken},
		{"Bearer ==", "", true, errNoToken},
		{"Bearer a=b", "", true, errNoToken},
		{"Bearer a\tb", "", true, errNoToken},
		{"Bearer é", "", true, errNoToken},
		{"Bearer " + strings.Repeat("a", MaxTokenBytes+1), "", true, errTooLong},
		{"Basic abc", "", false, nil},
		{"Bearerabc", "", false, nil},
		{"", "", false, nil},
	} {
		tok, isBearer, err := parseBearer(tc.in)
		assert.Equal(t, tc.tok, tok, tc.in)
		assert.Equal(t, tc.isBearer, isBearer, tc.in)
		assert.Equal(t, tc.err, err, tc.in)
	}
}

func TestPrefersJSON(t *testing.T) {
	for _, tc := range []struct {
		accept string
		def    bool
		want   bool
	}{
		{"", false, false},
		{"", true, true},
		{"*/*", false, false},
		{"*/*", true, true},
		{"application/json", false, true},
		{"application/x-www-form-urlencoded", true, false},
		{"application/json;q=0.1, application/x-www-form-urlencoded;q=0.9", true, false},
		{"application/json;q=0.9, application/x-www-form-urlencoded;q=0.1", false, true},
		{"application/json; q=0.500, application/x-www-form-urlencoded ; Q=0.5", false, false}, // a tie
		{"application/json; q=0.500, application/x-www-form-urlencoded ; Q=0.5", true, true},
		{"application/json, */*", false, true},
		{"application/json;q=0, */*", true, false},
		{"application/*, application/x-www-form-urlencoded", true, false},
		{"application/json;q=2", false, false},      // malformed q: element dropped
		{"application/json;q=1.5", false, false},    // malformed q
		{"application/json;q=0.1234", false, false}, // four decimals
		{"application/json;q=1.000", false, true},
		{"application/json;q=", false, false},
		{"text/html, application/xhtml+xml", true, true},
		{"json", false, false},
		{"/json, application/", false, false},
		{"application/json;charset=utf-8;q=0.8, text/*;q=0.9", false, true},
		{strings.Repeat("text/html, ", 100) + "application/json", false, false}, // too many elements
	} {
		assert.Equal(t, tc.want, prefersJSON(tc.accept, tc.def), "%q default %v", tc.accept, tc.def)
	}
}

func TestParseQ(t *testing.T) {
	for in, want := range map[string]int{"0": 0, "1": 1000, "0.5": 500, "0.05": 50, "0.005": 5, "1.": 1000, "0.": 0, "1.000": 1000} {
		q, ok := parseQ(in)
		require.True(t, ok, in)
		assert.Equal(t, want, q, in)
	}
	for _, in := range []string{"", "2", "1.1", "0.0001", "-0", ".5", "0,5", "1.0000", "00"} {
		_, ok := parseQ(in)
		assert.False(t, ok, in)
	}
}

func TestParseResponse(t *testing.T) {
	const js, form = "application/json", "application/x-www-form-urlencoded"
	full := `{"active":true,"me":"https://user.test/","client_id":"https://app.test/","scope":"create update",
		"token_type":"Bearer","exp":1800000000,"iat":1700000000,"nbf":1700000000,"sub":"https://user.test/",
		"aud":["https://rs.test/","https://b.test/"],"iss":"https://as.test/","jti":"j1","act":{"sub":"svc"}}`
	info, err := parseResponse(js+"; charset=utf-8", []byte(full), false)
	require.NoError(t, err)
	assert.Equal(t, &token.Info{
		Me: "https://user.test/", ClientID: "https://app.test/", Scope: token.Scope{"create", "update"},
		Subject: "https://user.test/", Audience: []string{"https://rs.test/", "https://b.test/"}, Issuer: "https://as.test/",
		ExpiresAt: time.Unix(1800000000, 0), IssuedAt: time.Unix(1700000000, 0), NotBefore: time.Unix(1700000000, 0),
		ID: "j1", Actor: &token.Actor{Subject: "svc"},
	}, info)

	info, err = parseResponse(form, []byte("me=https%3A%2F%2Fuser.test%2F&scope=create"), true)
	require.NoError(t, err) // LEG-08
	assert.Equal(t, "https://user.test/", info.Me)
	assert.Equal(t, token.Scope{"create"}, info.Scope)

	info, err = parseResponse(js, []byte(`{"active":true,"client_id":"svc","aud":"https://rs.test/"}`), false)
	require.NoError(t, err)
	assert.Equal(t, []string{"https://rs.test/"}, info.Audience)

	for _, tc := range []struct {
		name, ct, body string
		legacy         bool
		want           error
	}{
		{"inactive", js, `{"active":false}`, false, token.ErrUnknown},
		{"inactive form", form, `active=false`, true, token.ErrUnknown},
		{"error member", js, `{"error":"unauthorized"}`, true, token.ErrUnknown},
		{"refresh token type", js, `{"active":true,"client_id":"x","token_type":"refresh_token"}`, false, token.ErrUnknown},
		{"refresh token_use", js, `{"active":true,"client_id":"x","token_use":"refresh_token"}`, false, token.ErrUnknown},
		{"active in capitals", js, `{"ACTIVE":true,"client_id":"c"}`, false, ErrRemote},
		{"active twice", js, `{"active":false,"active":true,"client_id":"c"}`, false, ErrRemote},
		{"active in another case, twice", js, `{"active":false,"Active":true,"client_id":"c"}`, false, ErrRemote},
		{"active as string", js, `{"active":"true","me":"https://user.test/"}`, false, ErrRemote},
		{"active as number", js, `{"active":1}`, false, ErrRemote},
		{"active missing", js, `{"me":"https://user.test/"}`, false, ErrRemote},
		{"exp as string", js, `{"active":true,"exp":"1800000000"}`, false, ErrRemote},
		{"exp as float", js, `{"active":true,"exp":1.5}`, false, ErrRemote},
		{"exp huge", js, `{"active":true,"exp":1e300}`, false, ErrRemote},
		{"exp negative", js, `{"active":true,"exp":-5}`, false, ErrRemote},
		{"exp year 10000", js, `{"active":true,"exp":253402300800}`, false, ErrRemote},
		{"scope as array", js, `{"active":true,"scope":["a"]}`, false, ErrRemote},
		{"scope malformed", js, `{"active":true,"scope":"a  b"}`, false, ErrRemote},
		{"aud as number", js, `{"active":true,"aud":5}`, false, ErrRemote},
		{"trailing data", js, `{"active":true}{"active":true}`, false, ErrRemote},
		{"not JSON", js, `<html>`, false, ErrRemote},
		{"empty body", js, ``, false, ErrRemote},
		{"null", js, `null`, false, ErrRemote},
		{"html", "text/html", `{"active":true}`, false, ErrRemote},
		{"no content type", "", `{"active":true}`, false, ErrRemote},
		{"legacy names nobody", js, `{"scope":"create"}`, true, ErrRemote},
		{"form repeated me", form, `me=a&me=b`, true, ErrRemote},
		{"form exp not a number", form, `me=a&exp=soon`, true, ErrRemote},
		{"form active odd", form, `me=a&active=yes`, true, ErrRemote},
		{"form malformed", form, `me=%zz`, true, ErrRemote},
		{"act too deep", js, `{"active":true,"act":{"act":{"act":{"act":{"act":{"act":{"act":{"act":{"act":{}}}}}}}}}}`, false, ErrRemote},
	} {
		t.Run(tc.name, func(t *testing.T) {
			info, err := parseResponse(tc.ct, []byte(tc.body), tc.legacy)
			assert.Nil(t, info)
			assert.True(t, errors.Is(err, tc.want), "got %v", err)
		})
	}
}

func TestFormParam(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		err      error
	}{
		{"access_token=abc", "abc", nil},
		{"a=1&access_token=abc&b=2", "abc", nil},
		{"access%5Ftoken=abc", "abc", nil},
		{"access_token=a%2Bb", "a+b", nil},
		{"access_token=&access_token=abc", "abc", nil},
		{"access_token=a&access_token=b", "", errTwoInBody},
		{"access_token=%zz", "", errFormInvalid},
		{"other=%zz&category[]=a&category[]=b", "", nil},
		{"", "", nil},
	} {
		got, err := formParam(tc.in, "access_token", errTwoInBody)
		assert.Equal(t, tc.want, got, tc.in)
		assert.Equal(t, tc.err, err, tc.in)
	}
}
