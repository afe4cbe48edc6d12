package introspect

import (
	"net/http"
	"strings"

	"github.com/tokenkit/tokenkit/token"
)

// bearerChallenge renders an RFC 6750 §3 WWW-Authenticate value: the
// realm, then error, error_description and scope when given, each at most
// once and quoted.
func bearerChallenge(realm, code, desc, scope string) string {
	var b strings.Builder
	b.WriteString("Bearer realm=")
	b.WriteString(token.Quote(realm))
	if code != "" {
		b.WriteString(`, error=`)
		b.WriteString(token.Quote(code))
	}
	if desc != "" {
		b.WriteString(`, error_description=`)
		b.WriteString(token.Quote(desc))
	}
	if scope != "" {
		b.WriteString(`, scope=`)
		b.WriteString(token.Quote(scope))
	}
	return b.String()
}

// bearerError returns the RFC 6750 §3.1 error for code, with the status
// the RFC gives it and a matching challenge.
func bearerError(realm, code, desc, scope string) *token.Error {
	status := http.StatusUnauthorized
	switch code {
	case token.CodeInvalidRequest:
		status = http.StatusBadRequest
	case token.CodeInsufficientScope:
		status = http.StatusForbidden
	}
	return &token.Error{Code: code, Description: desc, Status: status,
		Challenge: bearerChallenge(realm, code, desc, scope)}
}

// writeNoCredentials answers a request that carried no bearer token: 401
// with a challenge naming only the realm, no error code and no body
// (RFC 6750 §3.1: no error information when authentication is missing).
func writeNoCredentials(w http.ResponseWriter, realm string) {
	h := w.Header()
	h.Set("WWW-Authenticate", bearerChallenge(realm, "", "", ""))
	h.Set("Cache-Control", "no-store")
	h.Set("Pragma", "no-cache")
	w.WriteHeader(http.StatusUnauthorized)
}

// errInvalidToken is the one answer for a token that is malformed,
// expired, revoked or unknown: the client learns only that it must get a
// new one.
func errInvalidToken(realm string) *token.Error {
	return bearerError(realm, token.CodeInvalidToken, "the access token is invalid", "")
}

// errCredentials maps a failure to find the request's token to its RFC
// 6750 §3.1 error.
func errCredentials(realm string, err error) *token.Error {
	if err == errTooLong {
		return errInvalidToken(realm)
	}
	return bearerError(realm, token.CodeInvalidRequest, err.Error(), "")
}
