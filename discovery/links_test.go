package discovery

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// DIS-08, EDGE-32: RFC 8288 Link header parsing.
func TestParseLinkHeaders(t *testing.T) {
	tests := []struct {
		name   string
		values []string
		want   []link
	}{
		{"DIS-08 example", []string{`<https://x.test/a>; rel="other", <https://x.test/m>; rel="micropub indieauth-metadata"`},
			[]link{{"https://x.test/a", []string{"other"}}, {"https://x.test/m", []string{"micropub", "indieauth-metadata"}}}},
		{"uppercase rel and name", []string{`</m>; REL=INDIEAUTH-METADATA`}, []link{{"/m", []string{"indieauth-metadata"}}}},
		{"no spaces", []string{`</a>;rel=a,</b>;rel=b`}, []link{{"/a", []string{"a"}}, {"/b", []string{"b"}}}},
		{"spaces around =", []string{`</a> ; rel = "a b" `}, []link{{"/a", []string{"a", "b"}}}},
		{"quoted comma and semicolon", []string{`</a>; title="x, y; z"; rel=a, </b>; rel=b`}, []link{{"/a", []string{"a"}}, {"/b", []string{"b"}}}},
		{"escaped quote", []string{`</a>; title="say \"hi\", ok"; rel="a"`}, []link{{"/a", []string{"a"}}}},
		{"first rel counts", []string{`</a>; rel=a; rel=b`}, []link{{"/a", []string{"a"}}}},
		{"comma in URI", []string{`</a,b>; rel=a`}, []link{{"/a,b", []string{"a"}}}},
		{"several fields", []string{`</a>; rel=a`, `</b>; rel=b`}, []link{{"/a", []string{"a"}}, {"/b", []string{"b"}}}},
		{"no rel", []string{`</a>; title=x`}, nil},
		{"empty rel", []string{`</a>; rel=""`}, nil},
		{"anchor skipped", []string{`</a>; anchor="/other"; rel=a, </b>; rel=b`}, []link{{"/b", []string{"b"}}}},
		{"rel without value", []string{`</a>; rel, </b>; rel=b`}, []link{{"/b", []string{"b"}}}},
		{"unbalanced < skipped", []string{`<broken; rel="a", </b>; rel=b`}, []link{{"/b", []string{"b"}}}},
		{"unterminated <", []string{`</a>; rel=a, </b; rel=b`}, []link{{"/a", []string{"a"}}}},
		{"unterminated quote", []string{`</a>; rel=a, </b>; rel="b, </c>; rel=c`}, []link{{"/a", []string{"a"}}}},
		{"garbage between", []string{`</a>; rel=a junk, </b>; rel=b`}, []link{{"/b", []string{"b"}}}},
		{"no angle brackets", []string{`https://x.test/; rel=a, </b>; rel=b`}, []link{{"/b", []string{"b"}}}},
		{"bad param name", []string{`</a>; ="x"; rel=a, </b>; rel=b`}, []link{{"/b", []string{"b"}}}},
		{"empty", []string{``, ` , ,`}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, parseLinkHeaders(tt.values))
		})
	}
}

// EDGE-32: at most maxLinks link-values are kept.
func TestParseLinkHeadersBounded(t *testing.T) {
	links := parseLinkHeaders([]string{strings.Repeat("<x>;rel=y,", 10000)})
	assert.Len(t, links, maxLinks)
}

// EDGE-33: HTML extraction ignores what is not markup.
func TestHTMLLinks(t *testing.T) {
	doc := `<!-- <link rel=a href=/comment> --><script><link rel=a href=/script></script>` +
		`<template><link rel=a href=/template></template><noscript></noscript>` +
		`<svg><link rel=a href=/svg></svg><math><link rel=a href=/math></math>` +
		`<link rel="A  b" href=" /real "><link rel=c href=/c/>`
	var got []link
	htmlLinks(strings.NewReader(doc), func(l link) bool { got = append(got, l); return true })
	assert.Equal(t, []link{{"/real", []string{"a", "b"}}, {"/c/", []string{"c"}}}, got)

	got = nil
	htmlLinks(strings.NewReader(doc), func(l link) bool { got = append(got, l); return false })
	assert.Len(t, got, 1, "stops when asked")

	// <template/> opens a template all the same (HTML5 ignores the slash).
	got = nil
	htmlLinks(strings.NewReader(`<template/><link rel=a href=/inert>`), func(l link) bool { got = append(got, l); return true })
	assert.Empty(t, got)
}
