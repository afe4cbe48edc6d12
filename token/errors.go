package token

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
)

// OAuth 2.0 error codes (RFC 6749 §5.2, RFC 6750 §3.1, RFC 7009 §2.2.1,
// RFC 8693 §2.2.2).
const (
	CodeInvalidRequest         = "invalid_request"
	CodeInvalidClient          = "invalid_client"
	CodeInvalidGrant           = "invalid_grant"
	CodeUnauthorizedClient     = "unauthorized_client"
	CodeUnsupportedGrantType   = "unsupported_grant_type"
	CodeInvalidScope           = "invalid_scope"
	CodeInvalidTarget          = "invalid_target"
	CodeInvalidToken           = "invalid_token"
	CodeInsufficientScope      = "insufficient_scope"
	CodeUnsupportedTokenType   = "unsupported_token_type"
	CodeTemporarilyUnavailable = "temporarily_unavailable"
	CodeServerError            = "server_error"
)

// Error is an OAuth 2.0 error response: the one error type every endpoint of
// this module writes (RFC 6749 §5.2). Build a fresh value per use; compare
// with errors.Is, which matches on Code.
type Error struct {
	Code        string // registered error code, e.g. "invalid_grant"
	Description string // human-readable, ASCII; never echoes input
	URI         string // optional page describing the error
	Status      int    // HTTP status; 0 means 400
	// Challenge is the WWW-Authenticate value sent with a 401 or 403
	// (e.g. `Basic realm="token"`). Empty means none.
	Challenge string
	// RetryAfter is the Retry-After value, in seconds, sent with a 429 or
	// 503; 0 means 5.
	RetryAfter int
}

// ErrInvalidRequest returns an invalid_request error (400).
func ErrInvalidRequest(desc string) *Error {
	return &Error{Code: CodeInvalidRequest, Description: desc}
}

// ErrInvalidGrant returns an invalid_grant error (400).
func ErrInvalidGrant(desc string) *Error { return &Error{Code: CodeInvalidGrant, Description: desc} }

// ErrInvalidScope returns an invalid_scope error (400).
func ErrInvalidScope(desc string) *Error { return &Error{Code: CodeInvalidScope, Description: desc} }

// ErrInvalidTarget returns an invalid_target error (400, RFC 8693 §2.2.2).
func ErrInvalidTarget(desc string) *Error { return &Error{Code: CodeInvalidTarget, Description: desc} }

// ErrUnauthorizedClient returns an unauthorized_client error (400).
func ErrUnauthorizedClient(desc string) *Error {
	return &Error{Code: CodeUnauthorizedClient, Description: desc}
}

// ErrInvalidClient returns an invalid_client error: 401 with a Basic
// challenge for the given realm (RFC 6749 §5.2).
func ErrInvalidClient(realm, desc string) *Error {
	return &Error{Code: CodeInvalidClient, Description: desc, Status: http.StatusUnauthorized,
		Challenge: `Basic realm=` + Quote(realm)}
}

// WriteMethodNotAllowed answers a request with a method the endpoint does
// not serve: 405 with the Allow header, and the JSON error body every
// endpoint of the module writes.
func WriteMethodNotAllowed(w http.ResponseWriter, allow string) {
	w.Header().Set("Allow", allow)
	WriteError(w, &Error{Code: CodeInvalidRequest, Description: "method not allowed", Status: http.StatusMethodNotAllowed})
}

// ErrServer returns a 500 server_error with a fixed description, so that
// internals never reach the wire. Use it only for failures of the server's
// own dependencies (a store that is down), never for bad input.
func ErrServer() *Error {
	return &Error{Code: CodeServerError, Description: "the server could not complete the request", Status: http.StatusInternalServerError}
}

// ErrUnavailable returns a 503 temporarily_unavailable error; WriteError
// adds Retry-After. RFC 7009 §2.2.1 asks for it when revocation failed.
func ErrUnavailable() *Error {
	return &Error{Code: CodeTemporarilyUnavailable, Description: "try again later", Status: http.StatusServiceUnavailable}
}

func (e *Error) Error() string {
	if e.Description == "" {
		return "token: " + e.Code
	}
	return "token: " + e.Code + ": " + e.Description
}

// Is reports whether target is an *Error with the same Code, so that
// errors.Is(err, &token.Error{Code: token.CodeInvalidGrant}) works.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

// HTTPStatus is the status the error is written with.
func (e *Error) HTTPStatus() int {
	if e.Status == 0 {
		return http.StatusBadRequest
	}
	return e.Status
}

type errorBody struct {
	Error       string `json:"error"`
	Description string `json:"error_description,omitempty"`
	URI         string `json:"error_uri,omitempty"`
}

// WriteError writes err as an RFC 6749 §5.2 JSON error response with
// Cache-Control: no-store. An err that is not an *Error becomes a generic
// server_error, so internals never leak.
func WriteError(w http.ResponseWriter, err error) {
	var e *Error
	if !errors.As(err, &e) {
		e = ErrServer()
	}
	h := w.Header()
	if e.Challenge != "" {
		h.Set("WWW-Authenticate", e.Challenge)
	}
	if st := e.HTTPStatus(); st == http.StatusServiceUnavailable || st == http.StatusTooManyRequests {
		secs := e.RetryAfter
		if secs <= 0 {
			secs = 5
		}
		h.Set("Retry-After", strconv.Itoa(secs))
	}
	WriteJSON(w, e.HTTPStatus(), errorBody{
		Error:       sanitize(e.Code),
		Description: sanitize(e.Description),
		URI:         sanitizeURI(e.URI),
	})
}

// WriteJSON writes v as a JSON response with the headers RFC 6749 §5.1 asks
// of every response that may carry a token: Cache-Control: no-store and
// Pragma: no-cache.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		body = []byte(`{"error":"server_error"}`)
	}
	WriteRawJSON(w, status, body)
}

// WriteRawJSON writes an already encoded JSON body with the same headers
// as WriteJSON, for handlers that encode by hand on a hot path.
func WriteRawJSON(w http.ResponseWriter, status int, body []byte) {
	// One backing array for the three header values instead of three.
	vals := [...]string{"application/json", "no-store", "no-cache"}
	h := w.Header()
	h["Content-Type"] = vals[0:1:1]
	h["Cache-Control"] = vals[1:2:2]
	h["Pragma"] = vals[2:3:3]
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// sanitize keeps only the characters RFC 6749 §5.2 allows in error and
// error_description: %x20-21 / %x23-5B / %x5D-7E.
func sanitize(s string) string {
	ok := true
	for i := 0; i < len(s); i++ {
		if !errorChar(s[i]) {
			ok = false
			break
		}
	}
	if ok {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if errorChar(s[i]) {
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

func errorChar(c byte) bool {
	return c == 0x20 || c == 0x21 || (c >= 0x23 && c <= 0x5B) || (c >= 0x5D && c <= 0x7E)
}

// sanitizeURI drops an error_uri containing characters outside %x21 /
// %x23-5B / %x5D-7E rather than mangling it.
func sanitizeURI(s string) string {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c == 0x21 || (c >= 0x23 && c <= 0x5B) || (c >= 0x5D && c <= 0x7E)) {
			return ""
		}
	}
	return s
}

// Quote renders s as an RFC 9110 quoted-string for an auth-param in a
// WWW-Authenticate challenge; control and non-ASCII bytes are dropped so
// that nothing can split the header.
func Quote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c >= 0x20 && c < 0x7F:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}
