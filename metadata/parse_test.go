package metadata_test

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tokenkit/tokenkit/metadata"
)

func TestParseFixture(t *testing.T) {
	data, err := os.ReadFile("testdata/indieauth.json")
	require.NoError(t, err)
	m, err := metadata.Parse(data)
	require.NoError(t, err)
	require.NoError(t, m.Validate())
	assert.Equal(t, "https://as.test/", m.Issuer)
	assert.Equal(t, "https://as.test/token", m.TokenEndpoint)
	assert.Equal(t, []string{"none"}, m.RevocationEndpointAuthMethodsSupported)
	assert.True(t, m.AuthorizationResponseIssParameterSupported)
}

// EDGE-35: hostile metadata JSON is refused with a typed error.
func TestParseRejects(t *testing.T) {
	deep := strings.Repeat(`{"a":`, metadata.MaxDepth+1) + `1` + strings.Repeat(`}`, metadata.MaxDepth+1)
	deepArray := `{"issuer":"x","a":` + strings.Repeat(`[`, metadata.MaxDepth) + strings.Repeat(`]`, metadata.MaxDepth) + `}`
	huge := `{"issuer":"` + strings.Repeat("a", metadata.MaxBytes) + `"}`
	tests := []struct {
		name string
		body string
		want error
	}{
		{"empty", ``, metadata.ErrMalformed},
		{"whitespace", "  \n", metadata.ErrMalformed},
		{"not JSON", `<html></html>`, metadata.ErrMalformed},
		{"array", `[{"issuer":"https://as.test/"}]`, metadata.ErrMalformed},
		{"string", `"https://as.test/"`, metadata.ErrMalformed},
		{"null", `null`, metadata.ErrMalformed},
		{"truncated", `{"issuer":"https://as.test/"`, metadata.ErrMalformed},
		{"trailing garbage", `{"issuer":"https://as.test/"} x`, metadata.ErrMalformed},
		{"trailing object", `{"issuer":"https://as.test/"}{}`, metadata.ErrMalformed},
		{"BOM", "\xef\xbb\xbf{\"issuer\":\"https://as.test/\"}", metadata.ErrMalformed},
		{"invalid UTF-8", "{\"issuer\":\"https://as.test/\xff\"}", metadata.ErrMalformed},
		{"duplicate issuer", `{"issuer":"https://as.test/","issuer":"https://evil.test/"}`, metadata.ErrMalformed},
		{"duplicate issuer escaped", `{"issuer":"https://as.test/","\u0069ssuer":"https://evil.test/"}`, metadata.ErrMalformed},
		{"duplicate nested", `{"x":{"a":1,"a":2}}`, metadata.ErrMalformed},
		{"issuer number", `{"issuer":5}`, metadata.ErrMalformed},
		{"token endpoint array", `{"issuer":"https://as.test/","token_endpoint":[]}`, metadata.ErrMalformed},
		{"scopes string", `{"scopes_supported":"create update"}`, metadata.ErrMalformed},
		{"scopes numbers", `{"scopes_supported":[1,2]}`, metadata.ErrMalformed},
		{"iss supported as string", `{"authorization_response_iss_parameter_supported":"true"}`, metadata.ErrMalformed},
		{"nesting over the limit", deep, metadata.ErrMalformed},
		{"array nesting over the limit", deepArray, metadata.ErrMalformed},
		{"over 1 MiB", huge, metadata.ErrTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := metadata.Parse([]byte(tt.body))
			require.ErrorIs(t, err, tt.want)
			assert.Nil(t, m)
		})
	}
}

func TestParseAccepts(t *testing.T) {
	depthOK := `{"x":` + strings.Repeat(`[`, metadata.MaxDepth-1) + strings.Repeat(`]`, metadata.MaxDepth-1) + `}`
	tests := []struct {
		name string
		body string
		want metadata.Metadata
	}{
		{"minimal", `{"issuer":"https://as.test/"}`, metadata.Metadata{Issuer: "https://as.test/"}},
		{"trailing whitespace", "{\"issuer\":\"https://as.test/\"}\n\t ", metadata.Metadata{Issuer: "https://as.test/"}},
		{"null is absent", `{"issuer":"https://as.test/","token_endpoint":null}`, metadata.Metadata{Issuer: "https://as.test/"}},
		{"case differs: unknown member, ignored", `{"ISSUER":"https://evil.test/","issuer":"https://as.test/"}`, metadata.Metadata{Issuer: "https://as.test/"}},
		{"same key in sibling objects", `{"a":{"k":1},"b":{"k":1},"issuer":"x"}`, metadata.Metadata{Issuer: "x"}},
		{"nesting at the limit", depthOK, metadata.Metadata{}},
		{"unknown members", `{"issuer":"x","ext":[{"a":[true,null,1.5e3]}]}`, metadata.Metadata{Issuer: "x"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := metadata.Parse([]byte(tt.body))
			require.NoError(t, err)
			assert.Equal(t, tt.want, *m)
		})
	}
}
