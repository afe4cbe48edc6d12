package discovery

import (
	"bytes"
	"io"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// maxTokenBytes caps the tokenizer's buffer, hence a single tag or text
// run; a longer one ends the scan (links after it are ignored).
const maxTokenBytes = 256 << 10

// htmlLinks reads <link rel href> elements from an HTML document with the
// HTML5 tokenizer, in document order, calling found for each until it
// returns false. Comments, the raw text of <script>, <style> and the like,
// and the content of <template> are not markup, so links there are not
// seen (EDGE-33); nor are links inside <svg> or <math>, which HTML5 reads
// as foreign elements, not links. Relation types are lowercased (rel is a space-separated,
// case-insensitive set, HTML §4.6.7).
func htmlLinks(r io.Reader, found func(link) bool) {
	z := html.NewTokenizer(r)
	z.SetMaxBuf(maxTokenBytes)
	template, foreign := 0, 0
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return
		case html.StartTagToken, html.SelfClosingTagToken, html.EndTagToken:
		default:
			continue
		}
		// Only <link>, <template>, <svg> and <math> matter: look at the
		// raw tag name first, since TagName copies it.
		raw := z.Raw()
		if !rawNameIs(raw, "link") && !rawNameIs(raw, "template") && !rawNameIs(raw, "svg") && !rawNameIs(raw, "math") {
			continue
		}
		name, hasAttr := z.TagName()
		switch a := atom.Lookup(name); a {
		case atom.Template:
			// HTML5 ignores the self-closing flag on <template/>: it opens.
			if tt != html.EndTagToken {
				template++
			} else if template > 0 {
				template--
			}
			continue
		case atom.Svg, atom.Math:
			if tt == html.StartTagToken {
				foreign++
			} else if tt == html.EndTagToken && foreign > 0 {
				foreign--
			}
			continue
		case atom.Link:
		default:
			continue
		}
		if tt == html.EndTagToken || template > 0 || foreign > 0 || !hasAttr {
			continue
		}
		var l link
		var rel []byte
		sawRel, sawHref := false, false
		for more := true; more; {
			var key, val []byte
			key, val, more = z.TagAttr()
			switch {
			case string(key) == "rel" && !sawRel:
				rel, sawRel = val, true
			case string(key) == "href" && !sawHref:
				l.href, sawHref = strings.TrimSpace(string(val)), true
			}
		}
		if !sawRel || !sawHref {
			continue
		}
		for _, r := range bytes.Fields(rel) {
			l.rels = append(l.rels, strings.ToLower(string(r)))
		}
		if len(l.rels) > 0 && !found(l) {
			return
		}
	}
}

// rawNameIs reports whether the raw tag token ("<LINK rel=…>", "</template>")
// has the tag name name, compared ASCII case-insensitively.
func rawNameIs(raw []byte, name string) bool {
	raw = bytes.TrimPrefix(bytes.TrimPrefix(raw, []byte("<")), []byte("/"))
	if len(raw) < len(name) || !bytes.EqualFold(raw[:len(name)], []byte(name)) {
		return false
	}
	if len(raw) == len(name) {
		return true
	}
	switch raw[len(name)] {
	case ' ', '\t', '\n', '\f', '\r', '/', '>':
		return true
	}
	return false
}
