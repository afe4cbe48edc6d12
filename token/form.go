package token

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"unicode/utf8"
)

// Bounds on a form request. RFC 6749 sets none; these keep hostile input
// cheap (conformance EDGE-01, EDGE-02).
const (
	MaxFormBytes  = 64 << 10 // request body
	MaxFormParams = 64       // name=value pairs
	MaxRepeats    = 16       // values of one repeatable parameter (RFC 8693 resource, audience)
)

// Form is a strictly parsed application/x-www-form-urlencoded body: the
// parameters in order, every value valid UTF-8 without control characters.
// A parameter with an empty value counts as absent (RFC 6749 §3.1).
type Form struct {
	params []param // non-empty values
	empty  []string
}

type param struct{ name, value string }

// Get returns the value of name, or "" when it is absent or empty.
func (f *Form) Get(name string) string {
	for i := range f.params {
		if f.params[i].name == name {
			return f.params[i].value
		}
	}
	return ""
}

// Has reports whether name is present with a non-empty value.
func (f *Form) Has(name string) bool { return f.Get(name) != "" }

// All returns every non-empty value of a repeatable parameter, in order.
func (f *Form) All(name string) []string {
	var out []string
	for i := range f.params {
		if f.params[i].name == name {
			out = append(out, f.params[i].value)
		}
	}
	return out
}

// Len is the number of non-empty parameters.
func (f *Form) Len() int { return len(f.params) }

// Sent reports whether name was in the request at all, even with an empty
// value: for the few places where "sent empty" and "not sent" differ, such
// as RFC 7662 answering token= with {"active":false} but a request without
// token with invalid_request.
func (f *Form) Sent(name string) bool {
	if f.Has(name) {
		return true
	}
	for _, n := range f.empty {
		if n == name {
			return true
		}
	}
	return false
}

type formKey struct{}

// ParseForm reads and strictly parses r's form body once: POST with
// Content-Type application/x-www-form-urlencoded, at most MaxFormBytes,
// well-formed percent-encoding, UTF-8 without control characters, no
// repeated parameter except resource and audience (at most MaxRepeats
// each). The query string is never read. Failures are *Error values with
// code invalid_request (413 for an oversized body).
//
// A handler that dispatches to another handler (token.Handler to the
// legacy revocation) passes the parsed form along in the request context;
// ParseForm returns it from there without reading the body again.
func ParseForm(w http.ResponseWriter, r *http.Request) (*Form, error) {
	if f, ok := r.Context().Value(formKey{}).(*Form); ok {
		return f, nil
	}
	if !isFormType(r.Header.Get("Content-Type")) {
		return nil, ErrInvalidRequest("content type must be application/x-www-form-urlencoded")
	}
	if r.ContentLength > MaxFormBytes {
		return nil, errTooLarge()
	}
	body, err := readBody(w, r)
	if err != nil {
		return nil, err
	}
	return parseForm(body)
}

// WithForm returns a copy of r whose context carries f, for ParseForm in a
// handler r is passed on to.
func WithForm(r *http.Request, f *Form) *http.Request {
	return r.WithContext(context.WithValue(r.Context(), formKey{}, f))
}

// isFormType reports whether a Content-Type names
// application/x-www-form-urlencoded. Parameters are ignored: the body is
// decoded as UTF-8 whatever charset it claims, and refused if it is not
// (EDGE-06).
func isFormType(ct string) bool {
	mt, _, _ := strings.Cut(ct, ";")
	return strings.EqualFold(strings.TrimSpace(mt), "application/x-www-form-urlencoded")
}

func errTooLarge() *Error {
	return &Error{Code: CodeInvalidRequest, Description: "request body too large", Status: http.StatusRequestEntityTooLarge}
}

func readBody(w http.ResponseWriter, r *http.Request) (string, error) {
	if r.Body == nil {
		return "", nil
	}
	size := 512
	if r.ContentLength > 0 {
		size = int(r.ContentLength) + 1 // +1 so the read that sees EOF needs no growth
	}
	buf := make([]byte, 0, size)
	rd := http.MaxBytesReader(w, r.Body, MaxFormBytes)
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := rd.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return string(buf), nil
		}
		if err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				return "", errTooLarge()
			}
			return "", ErrInvalidRequest("could not read the request body")
		}
	}
}

func parseForm(body string) (*Form, error) {
	f := &Form{params: make([]param, 0, strings.Count(body, "&")+1)}
	for body != "" {
		var pair string
		pair, body, _ = strings.Cut(body, "&")
		if pair == "" {
			continue
		}
		if len(f.params) >= MaxFormParams {
			return nil, ErrInvalidRequest("too many parameters")
		}
		rawName, rawValue, _ := strings.Cut(pair, "=")
		name, ok := unescape(rawName)
		if !ok || name == "" {
			return nil, ErrInvalidRequest("malformed parameter")
		}
		value, ok := unescape(rawValue)
		if !ok {
			return nil, ErrInvalidRequest("malformed value for parameter " + safeName(name))
		}
		if value == "" {
			f.empty = append(f.empty, name) // empty means omitted (RFC 6749 §3.1)
			continue
		}
		f.params = append(f.params, param{name, value})
	}
	return f, f.checkRepeats()
}

func (f *Form) checkRepeats() error {
	for i := range f.params {
		n := 1
		for j := i + 1; j < len(f.params); j++ {
			if f.params[j].name == f.params[i].name {
				n++
			}
		}
		if n == 1 {
			continue
		}
		if !isRepeatable(f.params[i].name) {
			return ErrInvalidRequest("repeated parameter " + safeName(f.params[i].name))
		}
		if n > MaxRepeats {
			return ErrInvalidRequest("too many values for " + f.params[i].name)
		}
	}
	return nil
}

// isRepeatable names the only parameters that may appear more than once
// (RFC 8693 §2.1); every other repetition is invalid_request (RFC 6749 §3.2).
func isRepeatable(name string) bool { return name == "resource" || name == "audience" }

// safeName keeps a reflected parameter name short; WriteError strips what
// the error grammar forbids.
func safeName(s string) string {
	if len(s) > 32 {
		return s[:32]
	}
	return s
}

// unescape decodes one form component: '+' is a space, %XX a byte. It
// refuses malformed escapes, invalid UTF-8 and control characters, and
// allocates only when something needs decoding.
func unescape(s string) (string, bool) {
	needs := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '%' || c == '+':
			needs = true
		case c < 0x20 || c == 0x7f:
			return "", false
		case c >= 0x80:
			needs = true // validated below
		}
	}
	if !needs {
		return s, true
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '+':
			b = append(b, ' ')
		case '%':
			if i+2 >= len(s) || !isHex(s[i+1]) || !isHex(s[i+2]) {
				return "", false
			}
			b = append(b, unhex(s[i+1])<<4|unhex(s[i+2]))
			i += 2
		default:
			b = append(b, c)
		}
	}
	if !utf8.Valid(b) {
		return "", false
	}
	for _, c := range b {
		if c < 0x20 || c == 0x7f {
			return "", false
		}
	}
	return string(b), true
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c <= 'F':
		return c - 'A' + 10
	}
	return c - 'a' + 10
}
