package discovery

import (
	"fmt"
	"net/netip"
	"net/url"
	"strings"
)

// ProfileURL canonicalises and validates a user's profile URL (IndieAuth
// §3.2, §3.4). Input that is only a host gets a scheme and a path:
// "example.com" becomes "https://example.com/" — https first, which §3.4
// permits; a site that only speaks http is reached by a permanent redirect
// from https or by typing the http URL. Scheme and host are lowercased, an
// empty path becomes "/", the path's case is kept and a query is allowed.
//
// Refused, with ErrInvalidURL: a scheme other than http or https, "." or
// ".." path segments (also percent-encoded), a fragment, userinfo, a port,
// and a host that is an IP address. Segments that merely contain dots, such
// as "/~me/index.html" or "/.well-known", are fine.
func ProfileURL(s string) (string, error) {
	return canonical(s, profileRules)
}

// ClientID canonicalises and validates an IndieAuth client identifier
// (IndieAuth §3.3): the profile URL rules, except that a port is allowed
// and the host may be the loopback address 127.0.0.1 or [::1] (no other IP
// address). A bare host is not accepted: a client_id arrives as a URL.
func ClientID(s string) (string, error) {
	if !strings.Contains(s, "://") {
		return "", fmt.Errorf("%w: client_id %q is not an absolute URL", ErrInvalidURL, s)
	}
	return canonical(s, clientIDRules)
}

// Equal reports whether a and b are the same URL under IndieAuth §3.4:
// scheme and host compare case-insensitively, an empty path equals "/",
// and everything else must be identical. URLs that are not absolute http(s)
// URLs are equal to nothing.
func Equal(a, b string) bool {
	ca, err := canonical(a, looseRules)
	if err != nil {
		return false
	}
	cb, err := canonical(b, looseRules)
	return err == nil && ca == cb
}

// rules says which of IndieAuth's URL restrictions apply.
type rules uint8

const (
	addScheme   rules = 1 << iota // a bare host gets "https://"
	allowPort                     // a port is allowed
	loopbackIP                    // 127.0.0.1 and [::1] are allowed hosts
	anyIP                         // any IP address is an allowed host
	strictShape                   // dot segments, fragment and userinfo are refused

	profileRules  = addScheme | strictShape
	clientIDRules = allowPort | loopbackIP | strictShape
	// devProfileRules are the profile rules under
	// Config.InsecureAllowPrivateNetworks: a local test server has an IP
	// address or a port.
	devProfileRules = addScheme | allowPort | anyIP | strictShape
	looseRules      = allowPort | anyIP
)

func canonical(s string, r rules) (string, error) {
	in := strings.TrimSpace(s)
	if r&addScheme != 0 && !strings.Contains(in, "://") && !hasScheme(in) {
		in = "https://" + in
	}
	u, err := url.Parse(in)
	if err != nil {
		return "", fmt.Errorf("%w: %q: %v", ErrInvalidURL, s, err)
	}
	u.Scheme = strings.ToLower(u.Scheme)
	if u.Scheme != "https" && u.Scheme != "http" {
		return "", fmt.Errorf("%w: %q: scheme must be http or https", ErrInvalidURL, s)
	}
	if u.Opaque != "" || u.Host == "" {
		return "", fmt.Errorf("%w: %q: no host", ErrInvalidURL, s)
	}
	if r&strictShape != 0 {
		if strings.Contains(in, "#") {
			return "", fmt.Errorf("%w: %q: fragment not allowed", ErrInvalidURL, s)
		}
		if u.User != nil {
			return "", fmt.Errorf("%w: %q: userinfo not allowed", ErrInvalidURL, s)
		}
		for _, seg := range strings.Split(u.EscapedPath(), "/") {
			if isDotSegment(seg) {
				return "", fmt.Errorf("%w: %q: dot segment in path", ErrInvalidURL, s)
			}
		}
	}
	host := strings.ToLower(u.Hostname())
	if host == "" {
		return "", fmt.Errorf("%w: %q: no host", ErrInvalidURL, s)
	}
	if strings.HasSuffix(u.Host, ":") || (u.Port() != "" && r&allowPort == 0) {
		return "", fmt.Errorf("%w: %q: port not allowed", ErrInvalidURL, s)
	}
	if ip, isIP := hostIP(host); isIP {
		loop := ip == netip.MustParseAddr("127.0.0.1") || ip == netip.IPv6Loopback()
		if r&anyIP == 0 && !(r&loopbackIP != 0 && loop) {
			return "", fmt.Errorf("%w: %q: host must be a domain name, not an IP address", ErrInvalidURL, s)
		}
	}
	hostport := host
	if strings.Contains(host, ":") {
		hostport = "[" + host + "]"
	}
	if p := u.Port(); p != "" {
		hostport += ":" + p
	}
	path := u.EscapedPath()
	if path == "" {
		path = "/"
	}
	out := u.Scheme + "://" + hostport + path
	if u.RawQuery != "" || u.ForceQuery {
		out += "?" + u.RawQuery
	}
	if r&strictShape == 0 && u.Fragment != "" {
		out += "#" + u.EscapedFragment()
	}
	return out, nil
}

// hasScheme reports whether s starts with a scheme (RFC 3986 §3.1) that
// is not really a "host:port" typed without one: "mailto:x" has a scheme,
// "example.com:8080" and "localhost:3000" do not.
func hasScheme(s string) bool {
	name, rest, ok := strings.Cut(s, ":")
	if !ok || name == "" || strings.ContainsAny(name, "/?#") {
		return false
	}
	if strings.Contains(name, ".") {
		return false
	}
	port, _, _ := strings.Cut(rest, "/")
	return port == "" || strings.Trim(port, "0123456789") != ""
}

// isDotSegment reports whether an escaped path segment is "." or ".."
// once percent-decoded (WHATWG URL single- and double-dot segments).
func isDotSegment(seg string) bool {
	switch strings.ToLower(seg) {
	case ".", "..", "%2e", "%2e%2e", ".%2e", "%2e.":
		return true
	}
	return false
}

// hostIP reports whether host is an IP address: a literal, or a name whose
// last label is numeric, which the WHATWG URL parser reads as IPv4
// ("2130706433", "0x7f.1").
func hostIP(host string) (netip.Addr, bool) {
	if ip, err := netip.ParseAddr(host); err == nil {
		return ip, true
	}
	labels := strings.Split(strings.TrimSuffix(host, "."), ".")
	last := labels[len(labels)-1]
	if last == "" {
		return netip.Addr{}, false
	}
	if strings.Trim(last, "0123456789") == "" ||
		(strings.HasPrefix(last, "0x") && strings.Trim(last[2:], "0123456789abcdef") == "") {
		return netip.Addr{}, true
	}
	return netip.Addr{}, false
}
