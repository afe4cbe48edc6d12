package exchange

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tokenkit/tokenkit/token"
)

const base = "subject_token=s&subject_token_type=t"

// RFC 8693 §2.1, TX-02, TX-03, TX-07.
func TestParseParams(t *testing.T) {
	tests := []struct {
		body string
		code string // "" for success
		want *params
	}{
		{base, "", &params{subject: "s", subjectType: "t"}},
		{base + "&actor_token=a&actor_token_type=u&requested_token_type=r&scope=x+y", "",
			&params{subject: "s", subjectType: "t", actor: "a", actorType: "u", requestedType: "r", scope: token.Scope{"x", "y"}}},
		{base + "&audience=a&audience=b&audience=a&resource=urn:x:y&resource=https://r.test/p?q", "",
			&params{subject: "s", subjectType: "t", audience: []string{"a", "b"}, resource: []string{"urn:x:y", "https://r.test/p?q"}}},
		{base + "&actor_token=", "", &params{subject: "s", subjectType: "t"}}, // empty means absent
		{"subject_token_type=t", token.CodeInvalidRequest, nil},
		{"subject_token=s", token.CodeInvalidRequest, nil},
		{base + "&actor_token=a", token.CodeInvalidRequest, nil},
		{base + "&actor_token_type=u", token.CodeInvalidRequest, nil},
		{base + "&resource=/relative", token.CodeInvalidTarget, nil},
		{base + "&resource=relative", token.CodeInvalidTarget, nil},
		{base + "&resource=https://r.test/%23f", token.CodeInvalidTarget, nil}, // a decoded '#'
		{base + "&resource=https:", token.CodeInvalidTarget, nil},
		{base + "&resource=https://r.test/%", token.CodeInvalidRequest, nil}, // ParseForm refuses
		{base + "&scope=a%20%20b", token.CodeInvalidScope, nil},
		{base + "&scope=%22q%22", token.CodeInvalidScope, nil},
	}
	for _, tt := range tests {
		t.Run(tt.body, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(tt.body))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			f, err := token.ParseForm(httptest.NewRecorder(), r)
			var p *params
			if err == nil {
				p, err = parseParams(f)
			}
			if tt.code == "" {
				require.NoError(t, err)
				assert.Equal(t, tt.want, p)
				return
			}
			var te *token.Error
			require.ErrorAs(t, err, &te)
			assert.Equal(t, tt.code, te.Code, te.Error())
		})
	}
}

func TestAbsoluteURI(t *testing.T) {
	for s, want := range map[string]bool{
		"https://api.test/":   true,
		"https://api.test":    true,
		"urn:example:api":     true,
		"mailto:a@b.test":     true,
		"https://api.test/#":  false,
		"https://api.test/#f": false,
		"/relative":           false,
		"//host/path":         false,
		"api2":                false,
		"https:":              false,
		"http://[::1":         false,
	} {
		assert.Equal(t, want, absoluteURI(s), s)
	}
}
