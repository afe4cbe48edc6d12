package metadata

import (
	"fmt"
	"net/url"
	"strings"
)

// WellKnownURL returns the RFC 8414 §3.1 metadata URL of issuer: a
// terminating "/" is dropped from the issuer's path, and
// "/.well-known/oauth-authorization-server" is inserted between the host
// and that path.
//
//	https://as.example      → https://as.example/.well-known/oauth-authorization-server
//	https://as.example/     → https://as.example/.well-known/oauth-authorization-server
//	https://as.example/t1/  → https://as.example/.well-known/oauth-authorization-server/t1
//
// The issuer must be an absolute http(s) URL with no query or fragment.
func WellKnownURL(issuer string) (string, error) {
	u, err := url.Parse(issuer)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.Opaque != "" {
		return "", fmt.Errorf("%w: issuer %q is not an absolute http(s) URL", ErrInvalid, issuer)
	}
	if strings.ContainsAny(issuer, "?#") || u.User != nil {
		return "", fmt.Errorf("%w: issuer %q has a query, fragment or userinfo", ErrInvalid, issuer)
	}
	path := strings.TrimSuffix(u.EscapedPath(), "/")
	return u.Scheme + "://" + u.Host + WellKnownPath + path, nil
}
