package discovery

import "strings"

// maxLinks caps how many link-values one response contributes; the header
// size cap bounds the bytes, this bounds the work (EDGE-32).
const maxLinks = 1024

// link is one link-value: its target as written, and its relation types
// lowercased.
type link struct {
	href string
	rels []string
}

// parseLinkHeaders reads RFC 8288 §3 Link header field values:
//
//	Link       = #link-value
//	link-value = "<" URI-Reference ">" *( OWS ";" OWS link-param )
//	link-param = token BWS [ "=" BWS ( token / quoted-string ) ]
//
// Several link-values per field and several fields are read in order. The
// rel parameter holds space-separated relation types, compared
// case-insensitively (§3.3); only its first occurrence counts. A link with
// an anchor parameter describes another resource and is skipped. A
// malformed link-value is skipped up to the next comma outside quotes;
// the values before it are kept.
func parseLinkHeaders(values []string) []link {
	var links []link
	for _, v := range values {
		p := linkParser{s: v}
		for len(links) < maxLinks && !p.done() {
			l, ok := p.next()
			if ok && len(l.rels) > 0 {
				links = append(links, l)
			}
		}
	}
	return links
}

type linkParser struct {
	s string
	i int
}

func (p *linkParser) done() bool {
	p.skip(" \t,")
	return p.i >= len(p.s)
}

func (p *linkParser) skip(chars string) {
	for p.i < len(p.s) && strings.IndexByte(chars, p.s[p.i]) >= 0 {
		p.i++
	}
}

// next parses one link-value. On a syntax error it skips to the next
// link-value and reports false.
func (p *linkParser) next() (link, bool) {
	var l link
	if p.s[p.i] != '<' {
		p.skipValue()
		return l, false
	}
	// A URI-Reference (RFC 3986) has no whitespace, '<', '"' or control
	// characters: meeting one before '>' means the '<' is unbalanced.
	end := p.i + 1
	for end < len(p.s) && p.s[end] != '>' {
		if c := p.s[end]; c <= ' ' || c == '<' || c == '"' || c == 0x7f {
			p.i = end
			p.skipValue()
			return l, false
		}
		end++
	}
	if end >= len(p.s) {
		p.i = end
		return l, false
	}
	l.href = p.s[p.i+1 : end]
	p.i = end + 1
	sawRel, anchored := false, false
	for {
		p.skip(" \t")
		if p.i >= len(p.s) || p.s[p.i] == ',' {
			break
		}
		if p.s[p.i] != ';' {
			p.skipValue()
			return l, false
		}
		p.i++
		p.skip(" \t")
		name := strings.ToLower(p.token())
		if name == "" {
			p.skipValue()
			return l, false
		}
		p.skip(" \t")
		var value string
		if p.i < len(p.s) && p.s[p.i] == '=' {
			p.i++
			p.skip(" \t")
			var ok bool
			if value, ok = p.value(); !ok {
				p.skipValue()
				return l, false
			}
		}
		switch {
		case name == "rel" && !sawRel:
			sawRel = true
			for _, r := range strings.Fields(value) {
				l.rels = append(l.rels, strings.ToLower(r))
			}
		case name == "anchor":
			anchored = true
		}
	}
	if anchored {
		return link{}, false
	}
	return l, true
}

// token reads an RFC 9110 §5.6.2 token.
func (p *linkParser) token() string {
	start := p.i
	for p.i < len(p.s) && isTokenChar(p.s[p.i]) {
		p.i++
	}
	return p.s[start:p.i]
}

// value reads a token or a quoted-string (RFC 9110 §5.6.4).
func (p *linkParser) value() (string, bool) {
	if p.i >= len(p.s) || p.s[p.i] != '"' {
		t := p.token()
		return t, t != ""
	}
	p.i++
	var b strings.Builder
	for p.i < len(p.s) {
		c := p.s[p.i]
		switch {
		case c == '"':
			p.i++
			return b.String(), true
		case c == '\\' && p.i+1 < len(p.s):
			b.WriteByte(p.s[p.i+1])
			p.i += 2
		default:
			b.WriteByte(c)
			p.i++
		}
	}
	return "", false // unterminated
}

// skipValue skips to the comma that ends the current link-value, stepping
// over quoted strings and the URI reference.
func (p *linkParser) skipValue() {
	for p.i < len(p.s) {
		switch p.s[p.i] {
		case ',':
			return
		case '"':
			p.i++
			for p.i < len(p.s) && p.s[p.i] != '"' {
				if p.s[p.i] == '\\' {
					p.i++
				}
				p.i++
			}
		}
		p.i++
	}
}

func isTokenChar(c byte) bool {
	if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' {
		return true
	}
	return strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0
}
