package introspect

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
)

// MaxTokenBytes bounds a bearer token. Longer values are refused before any
// lookup (conformance EDGE-02, EDGE-16); token.JWT refuses more than 16 KiB
// itself, and opaque tokens are far shorter.
const MaxTokenBytes = 16 << 10

// maxAuthorization bounds an Authorization header before it is parsed.
const maxAuthorization = MaxTokenBytes + 64

// Reasons a request's credentials are malformed (RFC 6750 §3.1
// invalid_request) or unusable as a token (invalid_token).
var (
	errTwoHeaders  = errors.New("more than one Authorization header")
	errNoToken     = errors.New("the Bearer credentials are malformed")
	errTooLong     = errors.New("the access token is too long")
	errTwoPlaces   = errors.New("the access token was sent in more than one way")
	errTwoInBody   = errors.New("more than one access_token parameter")
	errTwoInQuery  = errors.New("more than one access_token query parameter")
	errFormInvalid = errors.New("the access_token parameter is malformed")
)

// parseBearer reads one Authorization header value as RFC 6750 §2.1
// credentials:
//
//	credentials = "Bearer" 1*SP b64token
//	b64token    = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
//
// The scheme is case-insensitive (RFC 9110 §11.1). isBearer is false for
// any other scheme, which counts as no credentials (RFC 6750 §3.1). Exactly
// one space must separate scheme and token: "Bearer  x" and "Bearer x y"
// are malformed, as conformance EDGE-16 asks, although the RFC grammar
// would allow the first.
func parseBearer(v string) (tok string, isBearer bool, err error) {
	scheme, rest, _ := strings.Cut(v, " ")
	if !strings.EqualFold(scheme, "Bearer") {
		return "", false, nil
	}
	if len(rest) > MaxTokenBytes {
		return "", true, errTooLong
	}
	if !isToken68(rest) {
		return "", true, errNoToken
	}
	return rest, true, nil
}

// isToken68 reports whether s is a b64token (RFC 6750 §2.1, the token68 of
// RFC 9110 §11.2).
func isToken68(s string) bool {
	i := 0
	for ; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
			c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/') {
			break
		}
	}
	if i == 0 {
		return false
	}
	for ; i < len(s); i++ {
		if s[i] != '=' {
			return false
		}
	}
	return true
}

// headerToken returns the Bearer token of r's Authorization header: ""
// with a nil error when there is none (or another scheme is used).
func headerToken(r *http.Request) (string, error) {
	hs := r.Header.Values("Authorization")
	switch {
	case len(hs) == 0:
		return "", nil
	case len(hs) > 1:
		return "", errTwoHeaders
	case len(hs[0]) > maxAuthorization:
		if s, _, _ := strings.Cut(hs[0][:16], " "); strings.EqualFold(s, "Bearer") {
			return "", errTooLong
		}
		return "", nil
	}
	tok, _, err := parseBearer(hs[0])
	return tok, err
}

// hasBody reports whether r may carry an RFC 6750 §2.2 form-encoded
// access_token: a method whose body has defined semantics (never GET or
// HEAD) and a single-part form content type.
func hasBody(r *http.Request) bool {
	switch r.Method {
	case http.MethodPost, http.MethodPut, http.MethodPatch:
	default:
		return false
	}
	if r.Body == nil || r.Body == http.NoBody {
		return false
	}
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return err == nil && mt == "application/x-www-form-urlencoded"
}

// bodyToken reads at most limit bytes of r's form body, returns the
// access_token parameter found in them, and gives r back a body that reads
// the same bytes again, so the wrapped handler can parse the form itself.
// An access_token past the first limit bytes is not seen.
func bodyToken(r *http.Request, limit int64) (string, error) {
	head, err := io.ReadAll(io.LimitReader(r.Body, limit))
	r.Body = readCloser{io.MultiReader(bytes.NewReader(head), r.Body), r.Body}
	if err != nil {
		return "", errFormInvalid
	}
	return formParam(string(head), "access_token", errTwoInBody)
}

type readCloser struct {
	io.Reader
	io.Closer
}

// formParam finds name in an application/x-www-form-urlencoded string.
// Other parameters are not decoded, so a form the wrapped handler would
// accept (micropub repeats category[]) is never refused here. An empty
// value counts as absent (RFC 6749 §3.1); a second value is an error.
func formParam(s, name string, twice error) (string, error) {
	var found string
	for s != "" {
		var pair string
		pair, s, _ = strings.Cut(s, "&")
		k, v, _ := strings.Cut(pair, "=")
		if k != name {
			if !strings.ContainsAny(k, "%+") {
				continue
			}
			if dk, err := url.QueryUnescape(k); err != nil || dk != name {
				continue
			}
		}
		dv, err := url.QueryUnescape(v)
		if err != nil {
			return "", errFormInvalid
		}
		if dv == "" {
			continue
		}
		if found != "" {
			return "", twice
		}
		found = dv
	}
	return found, nil
}

// queryToken returns the access_token query parameter (RFC 6750 §2.3).
func queryToken(r *http.Request) (string, error) {
	if r.URL == nil || !strings.Contains(r.URL.RawQuery, "access_token") {
		return "", nil
	}
	return formParam(r.URL.RawQuery, "access_token", errTwoInQuery)
}
