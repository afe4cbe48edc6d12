package token

import (
	"context"
	"errors"
	"net"
	"net/url"
	"strings"
	"sync"
)

// ErrUnknownClient is what a Clients lookup returns for an id it does not
// know.
var ErrUnknownClient = errors.New("token: unknown client")

// Grant types of RFC 6749 and RFC 8693.
const (
	GrantAuthorizationCode = "authorization_code"
	GrantRefreshToken      = "refresh_token"
	GrantClientCredentials = "client_credentials"
	GrantTokenExchange     = "urn:ietf:params:oauth:grant-type:token-exchange"
)

// Client authentication methods (RFC 8414 §2, RFC 7591 §2).
const (
	AuthSecretBasic = "client_secret_basic"
	AuthSecretPost  = "client_secret_post"
	AuthNone        = "none"
)

// Client is a registered client. IndieAuth clients, identified by their
// URL, need no registration; register confidential clients (a service using
// client_credentials, a resource server that introspects) and any public
// client whose grants or scope must be limited.
type Client struct {
	ID     string
	Secret *Secret // nil for a public client
	// Grants lists the grant types the client may use. Empty means
	// authorization_code and refresh_token.
	Grants []string
	// Scope is the most a client_credentials or token exchange request of
	// this client may be granted.
	Scope Scope
	// Permissions are application-defined rights beyond grants, such as
	// "introspect" for a resource server calling the introspection
	// endpoint.
	Permissions []string
}

// Confidential reports whether the client has a secret to authenticate with.
func (c *Client) Confidential() bool { return c != nil && c.Secret != nil }

// MayUse reports whether the client may use grant type gt.
func (c *Client) MayUse(gt string) bool {
	if c == nil || len(c.Grants) == 0 {
		return gt == GrantAuthorizationCode || gt == GrantRefreshToken
	}
	for _, g := range c.Grants {
		if g == gt {
			return true
		}
	}
	return false
}

// Can reports whether the client holds permission p.
func (c *Client) Can(p string) bool {
	if c == nil {
		return false
	}
	for _, q := range c.Permissions {
		if q == p {
			return true
		}
	}
	return false
}

// Clients looks clients up by id. A client whose id is a URL is looked up
// by its canonical form (CanonicalClientID): register it that way.
type Clients interface {
	// Client returns the client registered under id, or ErrUnknownClient.
	Client(ctx context.Context, id string) (*Client, error)
}

// MemoryClients is an in-memory Clients, safe for concurrent use.
type MemoryClients struct {
	mu sync.RWMutex
	m  map[string]*Client
}

var _ Clients = (*MemoryClients)(nil)

// NewMemoryClients returns a MemoryClients holding cs.
func NewMemoryClients(cs ...*Client) *MemoryClients {
	m := &MemoryClients{m: make(map[string]*Client, len(cs))}
	for _, c := range cs {
		m.Add(c)
	}
	return m
}

// Add registers c, replacing any client with the same id. A URL id is
// registered in its canonical form (a copy of c carries it), so that
// https://App.example and https://app.example/ are one client.
func (m *MemoryClients) Add(c *Client) {
	if isURLID(c.ID) {
		if canon, err := CanonicalClientID(c.ID); err == nil && canon != c.ID {
			cc := *c
			cc.ID = canon
			c = &cc
		}
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.m[c.ID] = c
}

// Client implements Clients.
func (m *MemoryClients) Client(_ context.Context, id string) (*Client, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	if c, ok := m.m[id]; ok {
		return c, nil
	}
	return nil, ErrUnknownClient
}

// ErrClientIDSyntax reports a client_id URL that breaks IndieAuth §3.3.
var ErrClientIDSyntax = errors.New("token: invalid IndieAuth client_id")

// CanonicalClientID validates an IndieAuth client identifier (IndieAuth
// §3.3) and returns its canonical form (§3.4): http or https, a host that
// is a domain name or the loopback 127.0.0.1 / [::1], an optional port, no
// userinfo, fragment, or "." / ".." path segments; the host lowercased and
// an empty path made "/". Two client IDs are the same client when their
// canonical forms are equal.
func CanonicalClientID(s string) (string, error) {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Opaque != "" ||
		u.User != nil || u.Fragment != "" || strings.Contains(s, "#") || u.Host == "" {
		return "", ErrClientIDSyntax
	}
	host := u.Hostname()
	if ip := net.ParseIP(host); ip != nil {
		if !ip.Equal(net.IPv4(127, 0, 0, 1)) && !ip.Equal(net.IPv6loopback) || strings.Contains(host, ":") && ip.To4() != nil {
			return "", ErrClientIDSyntax
		}
	} else if !validDomain(host) {
		return "", ErrClientIDSyntax
	}
	for _, seg := range strings.Split(u.EscapedPath(), "/") {
		if seg == "." || seg == ".." || strings.EqualFold(seg, "%2e") || strings.EqualFold(seg, "%2e%2e") {
			return "", ErrClientIDSyntax
		}
	}
	u.Host = strings.ToLower(u.Host)
	if u.Path == "" {
		u.Path = "/"
		u.RawPath = ""
	}
	return u.String(), nil
}

func validDomain(h string) bool {
	if h == "" || len(h) > 253 {
		return false
	}
	for _, label := range strings.Split(h, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for i := 0; i < len(label); i++ {
			c := label[i]
			if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-') {
				return false
			}
		}
	}
	return true
}
