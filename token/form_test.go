package token_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tokenkit/tokenkit/token"
)

func parse(body string) (*token.Form, error) {
	r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return token.ParseForm(httptest.NewRecorder(), r)
}

func TestParseForm(t *testing.T) {
	f, err := parse("a=1&b=x+y%20z&empty=&&c&audience=p&audience=q&resource=https%3A%2F%2Frs.test%2F")
	require.NoError(t, err)
	assert.Equal(t, "1", f.Get("a"))
	assert.Equal(t, "x y z", f.Get("b"))
	assert.False(t, f.Has("empty"))
	assert.False(t, f.Has("c"))
	assert.Equal(t, []string{"p", "q"}, f.All("audience"))
	assert.Equal(t, "https://rs.test/", f.Get("resource"))
	assert.Equal(t, 5, f.Len())

	// Empty values are omitted, so repeating one is no repetition.
	_, err = parse("a=&a=1")
	require.NoError(t, err)
	// resource and audience may repeat up to MaxRepeats times (EDGE-21).
	_, err = parse(strings.Repeat("audience=a&", token.MaxRepeats))
	require.NoError(t, err)
	_, err = parse(strings.Repeat("audience=a&", token.MaxRepeats+1))
	require.Error(t, err)
	_, err = parse("=1")
	require.Error(t, err)
	_, err = parse("a;b=1")
	require.NoError(t, err) // ';' is an ordinary character in a name
}

// Sent tells a parameter sent empty from one not sent.
func TestFormSent(t *testing.T) {
	for in, want := range map[string]bool{
		"token=": true, "token": true, "a=b&token=": true, "token=&a=b": true, "token=x": true,
		"tok%65n=": true, "tokens=": false, "atoken=": false, "token_type_hint=x": false, "": false, "a=token=": false,
	} {
		f, err := parse(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, f.Sent("token"), in)
		assert.False(t, f.Has("token") && in != "token=x", in)
	}
}

// FuzzParseForm: never panics; every accepted value is valid UTF-8
// without control characters, and no parameter but resource and audience
// repeats.
func FuzzParseForm(f *testing.F) {
	for _, s := range []string{"grant_type=authorization_code&code=abc", "a=%FF", "a=%zz", "a=1&a=2", "audience=a&audience=b", "a=+%20+", "%", "a=%C0%AF", "&&&=", "a=\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		form, err := parse(body)
		if err != nil {
			var e *token.Error
			require.ErrorAs(t, err, &e)
			require.Equal(t, "invalid_request", e.Code)
			return
		}
		seen := map[string]bool{}
		for _, name := range []string{"a", "grant_type", "code", "audience"} {
			for _, v := range form.All(name) {
				require.NotEmpty(t, v)
				for _, c := range []byte(v) {
					require.False(t, c < 0x20 || c == 0x7f, "control byte in %q", v)
				}
			}
			if n := len(form.All(name)); n > 1 && name != "audience" {
				t.Fatalf("%s repeated %d times", name, n)
			}
			seen[name] = true
		}
	})
}
