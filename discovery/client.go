package discovery

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/netip"
	"time"
)

// Defaults for the zero values of Config.
const (
	DefaultMaxRedirects   = 10
	DefaultMaxBodyBytes   = 1 << 20
	DefaultMaxHeaderBytes = 256 << 10
	DefaultTimeout        = 10 * time.Second
)

// Config configures a Client. The zero value is a safe client for URLs
// typed by strangers.
type Config struct {
	// InsecureHTTPClient, if set, sends the requests instead of the client
	// Client builds, and Client then installs no address guard: the given
	// client's transport alone decides which addresses may be reached. The
	// name says so because setting it for an innocent reason (tracing, a
	// proxy) turns the SSRF protection off. Client still applies its own
	// redirect checks, limits and timeout.
	InsecureHTTPClient *http.Client

	// MaxRedirects caps the redirects followed per fetch (IndieAuth §4.1);
	// zero means DefaultMaxRedirects, negative is an error.
	MaxRedirects int
	// MaxBodyBytes caps how much of a profile page is read; links beyond
	// it are ignored. It also caps a metadata document (at most
	// metadata.MaxBytes). Zero means DefaultMaxBodyBytes.
	MaxBodyBytes int64
	// MaxHeaderBytes caps the response header size; zero means
	// DefaultMaxHeaderBytes. Ignored with InsecureHTTPClient.
	MaxHeaderBytes int64
	// Timeout bounds a whole Discover call, every redirect, body and the
	// metadata fetch included, so a server dripping one byte a second is
	// cut off. Zero means DefaultTimeout.
	Timeout time.Duration

	// InsecureAllowPrivateNetworks lets the client connect to loopback,
	// private and other non-public addresses, accept a profile URL with an
	// IP address or a port, and accept http issuer and endpoint URLs on a
	// loopback host. It is for tests and local development only: with it, a
	// stranger's URL can make the client reach internal services.
	InsecureAllowPrivateNetworks bool

	// LookupIP resolves a host name to addresses; nil means
	// net.DefaultResolver. The guard checks what it returns. Ignored with
	// InsecureHTTPClient.
	LookupIP func(ctx context.Context, host string) ([]netip.Addr, error)

	// UserAgent is sent with every request; empty means "tokenkit-discovery".
	UserAgent string
}

// Client discovers IndieAuth endpoints. It is safe for concurrent use.
type Client struct {
	http         *http.Client
	guard        *guard
	maxRedirects int
	maxBody      int64
	timeout      time.Duration
	insecure     bool
	urlRules     rules // for profile URLs
	userAgent    string
}

// NewClient checks cfg and returns a Client.
func NewClient(cfg Config) (*Client, error) {
	if cfg.MaxRedirects < 0 || cfg.MaxBodyBytes < 0 || cfg.MaxHeaderBytes < 0 || cfg.Timeout < 0 {
		return nil, errors.New("discovery: negative limit in Config")
	}
	c := &Client{
		maxRedirects: orDefault(cfg.MaxRedirects, DefaultMaxRedirects),
		maxBody:      orDefault(cfg.MaxBodyBytes, DefaultMaxBodyBytes),
		timeout:      orDefault(cfg.Timeout, DefaultTimeout),
		insecure:     cfg.InsecureAllowPrivateNetworks,
		userAgent:    cfg.UserAgent,
	}
	c.urlRules = profileRules
	if c.insecure {
		c.urlRules = devProfileRules
	}
	if c.userAgent == "" {
		c.userAgent = "tokenkit-discovery"
	}
	if cfg.InsecureHTTPClient != nil {
		hc := *cfg.InsecureHTTPClient
		c.http = &hc
		return c, nil
	}
	c.guard = newGuard(&cfg)
	c.http = &http.Client{Transport: &http.Transport{
		Proxy:                  nil, // a proxy would connect on our behalf, past the guard
		DialContext:            c.guard.DialContext,
		ForceAttemptHTTP2:      true,
		TLSHandshakeTimeout:    c.timeout,
		ResponseHeaderTimeout:  c.timeout,
		MaxResponseHeaderBytes: orDefault(cfg.MaxHeaderBytes, DefaultMaxHeaderBytes),
		MaxIdleConns:           16,
		IdleConnTimeout:        30 * time.Second,
	}}
	return c, nil
}

func orDefault[T int | int64 | time.Duration](v, def T) T {
	if v == 0 {
		return def
	}
	return v
}

// redirect is one hop of a redirect chain.
type redirect struct {
	status int
	url    string
}

// HTTPClient returns an HTTP client with the same address guard, limits
// and redirect checks as discovery, for the calls that follow it: the
// endpoints a stranger's page named are no safer to reach than the page.
// Give it to golang.org/x/oauth2 for the token request:
//
//	ctx = context.WithValue(ctx, oauth2.HTTPClient, c.HTTPClient())
//	tok, err := conf.Exchange(ctx, code, oauth2.VerifierOption(verifier))
func (c *Client) HTTPClient() *http.Client {
	hc := c.httpClient(nil)
	hc.Timeout = c.timeout
	return hc
}

// httpClient returns a client for one fetch whose redirects are checked
// (count, scheme, no https→http downgrade) and reported to hop.
func (c *Client) httpClient(hop func(redirect) error) *http.Client {
	hc := *c.http
	hc.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if len(via) > c.maxRedirects {
			return fmt.Errorf("%w: more than %d redirects", ErrRedirect, c.maxRedirects)
		}
		if s := req.URL.Scheme; s != "http" && s != "https" {
			return fmt.Errorf("%w: to scheme %q", ErrRedirect, s)
		}
		if via[len(via)-1].URL.Scheme == "https" && req.URL.Scheme == "http" {
			return fmt.Errorf("%w: downgrade from https to %s", ErrRedirect, req.URL.Redacted())
		}
		req.Header.Set("User-Agent", c.userAgent)
		if hop == nil {
			return nil
		}
		status := 0
		if req.Response != nil {
			status = req.Response.StatusCode
		}
		return hop(redirect{status: status, url: req.URL.String()})
	}
	return &hc
}
