package metadata

import (
	"fmt"
	"net"
	"net/url"
	"strings"
)

// Validate checks the rules a metadata document must meet, whoever wrote
// it (RFC 8414 §2, IndieAuth §3.1 and §4.1.1):
//
//   - issuer is an https URL with a host and no query, fragment or userinfo
//     (MET-02);
//   - token_endpoint is present and every endpoint URL is absolute https with
//     no fragment (MET-06);
//   - code_challenge_methods_supported contains S256 (MET-07);
//   - no *_auth_signing_alg_values_supported list contains "none" (MET-13).
//
// Validate allows no plain-http URL; see Config.AllowInsecureLoopback and
// Client.AllowInsecureLoopback for local development.
func (m *Metadata) Validate() error {
	return m.validate(false)
}

func (m *Metadata) validate(insecureLoopback bool) error {
	if err := checkIssuer(m.Issuer, insecureLoopback); err != nil {
		return err
	}
	if m.TokenEndpoint == "" {
		return fmt.Errorf("%w: token_endpoint is missing", ErrInvalid)
	}
	endpoints := []struct{ name, value string }{
		{"authorization_endpoint", m.AuthorizationEndpoint},
		{"token_endpoint", m.TokenEndpoint},
		{"introspection_endpoint", m.IntrospectionEndpoint},
		{"revocation_endpoint", m.RevocationEndpoint},
		{"userinfo_endpoint", m.UserinfoEndpoint},
		{"jwks_uri", m.JWKSURI},
	}
	for _, e := range endpoints {
		if e.value == "" {
			continue
		}
		if err := checkEndpoint(e.value, insecureLoopback); err != nil {
			return fmt.Errorf("%w: %s %v", ErrInvalid, e.name, err)
		}
	}
	if m.ServiceDocumentation != "" {
		u, err := url.Parse(m.ServiceDocumentation)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return fmt.Errorf("%w: service_documentation is not an absolute http(s) URL", ErrInvalid)
		}
	}
	if !hasString(m.CodeChallengeMethodsSupported, MethodS256) {
		return fmt.Errorf("%w: code_challenge_methods_supported lacks S256", ErrInvalid)
	}
	algs := []struct {
		name string
		list []string
	}{
		{"token_endpoint_auth_signing_alg_values_supported", m.TokenEndpointAuthSigningAlgValuesSupported},
		{"introspection_endpoint_auth_signing_alg_values_supported", m.IntrospectionEndpointAuthSigningAlgValuesSupported},
		{"revocation_endpoint_auth_signing_alg_values_supported", m.RevocationEndpointAuthSigningAlgValuesSupported},
	}
	for _, a := range algs {
		if hasString(a.list, "none") {
			return fmt.Errorf("%w: %s lists none", ErrInvalid, a.name)
		}
	}
	return nil
}

// checkIssuer applies RFC 8414 §2 and IndieAuth §3.1 to an issuer identifier.
func checkIssuer(issuer string, insecureLoopback bool) error {
	if issuer == "" {
		return fmt.Errorf("%w: issuer is missing", ErrInvalid)
	}
	if strings.ContainsAny(issuer, "?#") {
		return fmt.Errorf("%w: issuer has a query or fragment", ErrInvalid)
	}
	if err := checkEndpoint(issuer, insecureLoopback); err != nil {
		return fmt.Errorf("%w: issuer %v", ErrInvalid, err)
	}
	return nil
}

// checkEndpoint requires an absolute https URL with a host, no userinfo and
// no fragment; http only for a loopback host when insecureLoopback is set.
func checkEndpoint(raw string, insecureLoopback bool) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("is not a URL")
	}
	if u.Host == "" || u.Opaque != "" {
		return fmt.Errorf("is not an absolute URL")
	}
	if u.User != nil {
		return fmt.Errorf("has userinfo")
	}
	if u.Fragment != "" || strings.Contains(raw, "#") {
		return fmt.Errorf("has a fragment")
	}
	switch {
	case u.Scheme == "https":
	case u.Scheme == "http" && insecureLoopback && isLoopbackHost(u.Hostname()):
	default:
		return fmt.Errorf("is not https")
	}
	return nil
}

// isLoopbackHost reports whether host (without port) names the local
// machine: "localhost", a name under ".localhost" (RFC 6761 §6.3), an
// address in 127.0.0.0/8, or ::1.
func isLoopbackHost(host string) bool {
	h := strings.ToLower(strings.TrimSuffix(host, "."))
	if h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(h, "[]"))
	return ip != nil && ip.IsLoopback()
}
