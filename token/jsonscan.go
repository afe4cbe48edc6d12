package token

import (
	"encoding/json"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// jsonString returns the value of the JSON string v; without escapes, it
// is a substring of v.
func jsonString(v string) (string, error) {
	if len(v) < 2 || v[0] != '"' {
		return "", malformed("claim is not a string")
	}
	s, ok := unquote(v)
	if !ok {
		return "", malformed("claim is not a string")
	}
	return s, nil
}

// unquote returns the content of the JSON string q; without escapes, a
// substring of q.
func unquote(q string) (string, bool) {
	if strings.IndexByte(q, '\\') < 0 {
		return q[1 : len(q)-1], true
	}
	var s string
	err := json.Unmarshal([]byte(q), &s)
	return s, err == nil
}

// jsonAudience reads aud: one non-empty string, or an array of them
// (RFC 7519 §4.1.3).
func jsonAudience(v string, raw []byte) ([]string, error) {
	if v[0] == '"' {
		s, err := jsonString(v)
		if err != nil || s == "" {
			return nil, malformed("bad aud")
		}
		return []string{s}, nil
	}
	var a []string
	if v[0] != '[' || json.Unmarshal(raw, &a) != nil || slices.Contains(a, "") {
		return nil, malformed("bad aud")
	}
	return a, nil
}

// jsonActor reads an act or may_act object (RFC 8693 §4.1, §4.4).
func jsonActor(raw []byte) (*Actor, error) {
	a := new(Actor)
	if raw[0] != '{' || json.Unmarshal(raw, a) != nil {
		return nil, malformed("bad actor claim")
	}
	return a, nil
}

// numericDate reads a NumericDate (RFC 7519 §2): a JSON number of seconds,
// fractions allowed, between 0 and maxNumericDate. A string, a negative
// number or one too large to be a date is malformed; nothing wraps around.
func numericDate(v string) (time.Time, error) {
	if v[0] < '0' || v[0] > '9' {
		return time.Time{}, malformed("date is not a non-negative number")
	}
	if !strings.ContainsAny(v, ".eE") {
		var n int64
		for i := 0; i < len(v); i++ { // JSON grammar: digits only, no sign left
			n = n*10 + int64(v[i]-'0')
			if n > maxNumericDate {
				return time.Time{}, malformed("date out of range")
			}
		}
		return time.Unix(n, 0).UTC(), nil
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsNaN(f) || f < 0 || f > maxNumericDate {
		return time.Time{}, malformed("date out of range")
	}
	sec, frac := math.Modf(f)
	return time.Unix(int64(sec), int64(frac*1e9)).UTC(), nil
}

// objIter walks the members of a JSON object that json.Valid accepted,
// without building a map: member names are compared exactly, and names and
// string values are substrings of s, not copies.
type objIter struct {
	data     []byte
	s        string // data as a string
	pos      int    // after the last value read
	valStart int    // where the last value read begins
	first    bool
}

// newObjIter reports false unless data is valid JSON whose top level is an
// object. s must hold the same text as data.
func newObjIter(data []byte, s string) (objIter, bool) {
	if !json.Valid(data) {
		return objIter{}, false
	}
	i := skipSpace(data, 0)
	if data[i] != '{' {
		return objIter{}, false
	}
	return objIter{data: data, s: s, pos: i + 1, first: true}, true
}

// next returns the next member's name and raw value, or more == false
// after the last.
func (it *objIter) next() (name, val string, more bool, err error) {
	d := it.data
	i := skipSpace(d, it.pos)
	if d[i] == '}' {
		return "", "", false, nil
	}
	if !it.first {
		i = skipSpace(d, i+1) // the ','
	}
	it.first = false
	ks, ke := i, endString(d, i)
	key := it.s[ks:ke]
	i = skipSpace(d, ke)
	i = skipSpace(d, i+1) // the ':'
	it.valStart, it.pos = i, endValue(d, i)
	if it.pos < 0 {
		return "", "", false, malformed("claims nested too deep")
	}
	name, ok := unquote(key)
	if !ok {
		return "", "", false, malformed("bad member name")
	}
	return name, it.s[it.valStart:it.pos], true, nil
}

// raw returns the last value read as bytes of data.
func (it *objIter) raw() []byte { return it.data[it.valStart:it.pos] }

func skipSpace(d []byte, i int) int {
	for i < len(d) && (d[i] == ' ' || d[i] == '\t' || d[i] == '\n' || d[i] == '\r') {
		i++
	}
	return i
}

// endString returns the index after the string starting at d[i] == '"'.
func endString(d []byte, i int) int {
	for i++; ; i++ {
		switch d[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
}

// maxClaimDepth bounds how deeply a claim value may nest (EDGE-24); act
// chains are far shallower.
const maxClaimDepth = 100

// endValue returns the index after the value starting at d[i], or -1 when
// it nests deeper than maxClaimDepth.
func endValue(d []byte, i int) int {
	switch d[i] {
	case '"':
		return endString(d, i)
	case '{', '[':
		depth := 0
		for ; ; i++ {
			switch d[i] {
			case '"':
				i = endString(d, i) - 1
			case '{', '[':
				if depth++; depth > maxClaimDepth {
					return -1
				}
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1
				}
			}
		}
	}
	for i < len(d) && !strings.ContainsRune(",}] \t\r\n", rune(d[i])) {
		i++
	}
	return i
}
