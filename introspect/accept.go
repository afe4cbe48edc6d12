package introspect

import (
	"strings"
)

// Bounds on an Accept header; past them it counts as absent.
const (
	maxAcceptBytes = 4096
	maxAcceptItems = 64
)

// Media types of the legacy verification response (conformance LEG-04).
const (
	mediaJSON = "application/json"
	mediaForm = "application/x-www-form-urlencoded"
)

// prefersJSON reports whether an Accept header (RFC 9110 §12.5.1) gives
// application/json a higher quality than application/x-www-form-urlencoded.
// Each type takes the q of the most specific range that matches it
// (type/subtype over type/* over */*). Equal qualities go to the type
// named more specifically, so "application/json, */*" asks for JSON. A
// tie left after that, including an absent, malformed or oversized header
// and a bare "*/*", is decided by def.
func prefersJSON(accept string, def bool) bool {
	if accept == "" || len(accept) > maxAcceptBytes {
		return def
	}
	j, f := quality{-1, 0}, quality{-1, 0}
	n := 0
	for accept != "" {
		var item string
		item, accept, _ = strings.Cut(accept, ",")
		if n++; n > maxAcceptItems {
			return def
		}
		mr, q, ok := parseMediaRange(item)
		if !ok {
			continue
		}
		j.consider(mr, mediaJSON, q)
		f.consider(mr, mediaForm, q)
	}
	qj, qf := j.value(), f.value()
	switch {
	case qj != qf:
		return qj > qf
	case qj == 0 || j.spec == f.spec:
		return def
	}
	return j.spec > f.spec
}

// quality tracks the q a media type gets: from the most specific range
// matching it, the first one of that specificity.
type quality struct {
	spec int // 0 */*, 1 type/*, 2 exact; -1 no match yet
	q    int // thousandths
}

func (t *quality) consider(mr, media string, q int) {
	spec := -1
	switch {
	case strings.EqualFold(mr, media):
		spec = 2
	case mr == "*/*":
		spec = 0
	case strings.HasSuffix(mr, "/*") && strings.EqualFold(mr[:len(mr)-1], media[:strings.IndexByte(media, '/')+1]):
		spec = 1
	}
	if spec > t.spec {
		t.spec, t.q = spec, q
	}
}

func (t *quality) value() int {
	if t.spec < 0 {
		return 0
	}
	return t.q
}

// parseMediaRange reads one Accept element: a media range and its
// parameters, of which only q matters. q is in thousandths (RFC 9110
// §12.4.2: 0 to 1 with at most three decimals); a malformed q drops the
// element.
func parseMediaRange(item string) (mr string, q int, ok bool) {
	mr, params, _ := strings.Cut(item, ";")
	mr = strings.TrimSpace(mr)
	if i := strings.IndexByte(mr, '/'); i <= 0 || i == len(mr)-1 {
		return "", 0, false
	}
	q = 1000
	for params != "" {
		var p string
		p, params, _ = strings.Cut(params, ";")
		k, v, _ := strings.Cut(strings.TrimSpace(p), "=")
		if !strings.EqualFold(strings.TrimSpace(k), "q") {
			continue
		}
		if q, ok = parseQ(strings.TrimSpace(v)); !ok {
			return "", 0, false
		}
	}
	return mr, q, true
}

// parseQ parses an RFC 9110 §12.4.2 qvalue into thousandths:
//
//	qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )
func parseQ(s string) (int, bool) {
	if s == "" || len(s) > 5 || (s[0] != '0' && s[0] != '1') {
		return 0, false
	}
	q := int(s[0]-'0') * 1000
	if len(s) == 1 {
		return q, true
	}
	if s[1] != '.' {
		return 0, false
	}
	scale := 100
	for i := 2; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' || (q == 1000 && c != '0') {
			return 0, false
		}
		q += int(c-'0') * scale
		scale /= 10
	}
	return q, true
}
