package discovery

import (
	"bytes"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzParseLinkHeaders: never panics, keeps at most maxLinks, and every
// link it returns has a clean target and lowercase relation types.
func FuzzParseLinkHeaders(f *testing.F) {
	f.Add(`<https://x.test/a>; rel="other", <https://x.test/m>; rel="micropub indieauth-metadata"`)
	f.Add(`</m>; REL=INDIEAUTH-METADATA`)              // case
	f.Add(`</a>; title="x, y; z"; rel=a, </b>; rel=b`) // quoted separators
	f.Add(`<broken; rel="a", </b>; rel=b`)             // unbalanced <
	f.Add(`</a>; rel="unterminated`)                   // unterminated quote
	f.Add(`</a>; anchor="#x"; rel=a`)                  // anchor
	f.Add(`</a>; rel="a\"b"; rel=c`)                   // escape, repeated rel
	f.Add(strings.Repeat("<x>;rel=y,", 100))           // many values
	f.Fuzz(func(t *testing.T, header string) {
		links := parseLinkHeaders([]string{header, header})
		if len(links) > maxLinks {
			t.Fatalf("%d links", len(links))
		}
		for _, l := range links {
			if strings.ContainsAny(l.href, " \t<>\"") {
				t.Fatalf("href %q", l.href)
			}
			if len(l.rels) == 0 {
				t.Fatal("link without rel")
			}
			for _, r := range l.rels {
				if r == "" || r != strings.ToLower(r) || strings.ContainsAny(r, " \t") {
					t.Fatalf("rel %q", r)
				}
			}
		}
	})
}

// FuzzProfileURL: never panics; an accepted URL is canonical (a fixed
// point), equal to itself, a valid client_id too, and keeps IndieAuth's
// shape: http(s), a path, no fragment, userinfo or port.
func FuzzProfileURL(f *testing.F) {
	for _, s := range []string{
		"example.com", "https://EXAMPLE.com", "https://example.com/users?id=100",
		"https://example.com/foo/../bar", "https://example.com/#me", "https://u:p@example.com/",
		"https://example.com:8443/", "https://172.28.92.51/", "https://[::1]/", "mailto:u@example.com",
		"localhost:3000", "https://example.com/%2e%2E/", "https://2130706433/", "https://example.com/~me/a.b",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out, err := ProfileURL(in)
		if err != nil {
			return
		}
		again, err := ProfileURL(out)
		if err != nil || again != out {
			t.Fatalf("ProfileURL(%q) = %q, then %q, %v", in, out, again, err)
		}
		if !Equal(out, out) {
			t.Fatalf("%q not equal to itself", out)
		}
		if cid, err := ClientID(out); err != nil || cid != out {
			t.Fatalf("ClientID(%q) = %q, %v", out, cid, err)
		}
		u, err := url.Parse(out)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Port() != "" ||
			u.User != nil || strings.Contains(out, "#") || !strings.HasPrefix(u.EscapedPath(), "/") {
			t.Fatalf("ProfileURL(%q) = %q", in, out)
		}
	})
}

// FuzzHTMLLinks: never panics, and every link has lowercase relation types.
func FuzzHTMLLinks(f *testing.F) {
	pages, _ := filepath.Glob("testdata/profiles/*.html")
	for _, p := range pages {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte(`<template><link rel=a href=/t></template><link rel=A href=/x>`))
	f.Add([]byte(`<script><link rel=a href=/s></script><!-- <link rel=a href=/c> -->`))
	f.Fuzz(func(t *testing.T, page []byte) {
		htmlLinks(bytes.NewReader(page), func(l link) bool {
			for _, r := range l.rels {
				if r == "" || r != strings.ToLower(r) {
					t.Fatalf("rel %q", r)
				}
			}
			return true
		})
	})
}
