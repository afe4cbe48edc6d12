package introspect

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/url"
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/tokenkit/tokenkit/token"
)

// Client defaults.
const (
	DefaultTimeout          = 5 * time.Second
	DefaultMaxResponseBytes = 64 << 10
	DefaultCacheSize        = 10000
	DefaultCacheTTL         = time.Minute
	DefaultNegativeTTL      = 5 * time.Second
	DefaultMaxInFlight      = 64
)

// ClientConfig configures a Client.
type ClientConfig struct {
	// Endpoint is the introspection endpoint (RFC 7662), or with Legacy
	// the token endpoint. https, or http on a loopback host. Required.
	Endpoint string
	// Legacy asks with the IndieAuth 2020 §6 GET verification instead of
	// RFC 7662: the token goes in an Authorization: Bearer header, no
	// credentials of the Client's own are sent, and a 400, 401 or 403 means
	// the token is not valid.
	Legacy bool
	// ClientID and ClientSecret are the resource server's credentials at
	// the introspection endpoint, sent with client_secret_basic (RFC 6749
	// §2.3.1). Ignored with Legacy.
	ClientID, ClientSecret string
	// BearerToken, instead of ClientID and ClientSecret, authorizes the
	// resource server with an access token carrying the introspection
	// scope. Ignored with Legacy.
	BearerToken string
	// HTTPClient makes the requests. Nil means a client that follows no
	// redirects (SEC-06: the endpoints never redirect; a redirect is an
	// error, so credentials go nowhere else).
	HTTPClient *http.Client
	// Timeout bounds one lookup, response body included. Zero means
	// DefaultTimeout.
	Timeout time.Duration
	// MaxResponseBytes bounds a response body; a larger one is ErrRemote.
	// Zero means DefaultMaxResponseBytes.
	MaxResponseBytes int64
	// CacheSize bounds the answers kept. Zero means DefaultCacheSize; a
	// negative value turns caching off.
	CacheSize int
	// CacheTTL bounds how long an active answer is reused, and so how late
	// a revocation is noticed (RFC 7662 §4); an answer is never kept past
	// the token's exp. Zero means DefaultCacheTTL.
	CacheTTL time.Duration
	// NegativeTTL is how long an inactive answer is reused, so a flood of
	// bad tokens costs one request each per period. Zero means
	// DefaultNegativeTTL; negative turns negative caching off.
	NegativeTTL time.Duration
	// MaxInFlight bounds the lookups waiting on the endpoint at once;
	// beyond it Verify fails at once with ErrRemote instead of piling up
	// requests (a flood of invented tokens against a slow endpoint). Zero
	// means DefaultMaxInFlight.
	MaxInFlight int
	// InsecureAllowHTTP permits a plain-http Endpoint on a host other than
	// loopback, which exposes tokens and credentials on the network.
	InsecureAllowHTTP bool
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Client verifies tokens by asking a remote endpoint: RFC 7662
// introspection with the resource server's own credentials, or the legacy
// IndieAuth GET verification. It is a token.Verifier, so Middleware can
// use it in place of a local verifier.
//
// Answers are cached under the token's SHA-256, never past the token's
// exp; concurrent lookups of one token make one request; responses are
// bounded in size and time. An answer that is anything but a well-formed
// "active": true (or, legacy, a 200 naming me or client_id) never counts
// as active. A Client is safe for concurrent use.
type Client struct {
	cfg   ClientConfig
	hc    *http.Client
	cache *cache
	group singleflight.Group
	slots chan struct{} // MaxInFlight tokens
}

var _ token.Verifier = (*Client)(nil)

// NewClient checks cfg and returns a Client.
func NewClient(cfg ClientConfig) (*Client, error) {
	u, err := url.Parse(cfg.Endpoint)
	if err != nil || u.Host == "" || u.User != nil || u.Fragment != "" {
		return nil, errors.New("introspect: ClientConfig.Endpoint must be an absolute URL")
	}
	switch {
	case u.Scheme == "https":
	case u.Scheme == "http" && (cfg.InsecureAllowHTTP || loopback(u.Hostname())):
	default:
		return nil, errors.New("introspect: ClientConfig.Endpoint must use https")
	}
	if !cfg.Legacy && cfg.BearerToken != "" && cfg.ClientID != "" {
		return nil, errors.New("introspect: set ClientID and ClientSecret, or BearerToken, not both")
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.MaxResponseBytes <= 0 {
		cfg.MaxResponseBytes = DefaultMaxResponseBytes
	}
	if cfg.CacheSize == 0 {
		cfg.CacheSize = DefaultCacheSize
	}
	if cfg.CacheTTL <= 0 {
		cfg.CacheTTL = DefaultCacheTTL
	}
	if cfg.NegativeTTL == 0 {
		cfg.NegativeTTL = DefaultNegativeTTL
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	// A redirect would re-send the token and the credentials elsewhere:
	// never follow one, with a given client too (a copy, so the caller's
	// client is left as it was).
	hc := &http.Client{}
	if cfg.HTTPClient != nil {
		cp := *cfg.HTTPClient
		hc = &cp
	}
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	if cfg.MaxInFlight <= 0 {
		cfg.MaxInFlight = DefaultMaxInFlight
	}
	c := &Client{cfg: cfg, hc: hc, slots: make(chan struct{}, cfg.MaxInFlight)}
	if cfg.CacheSize > 0 {
		c.cache = newCache(cfg.CacheSize)
	}
	return c, nil
}

func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Verify implements token.Verifier. It fails with token.ErrUnknown when
// the endpoint says the token is not active, token.ErrExpired when the
// answer's exp has passed (or its nbf is ahead), token.ErrMalformed for a
// token too long or (legacy) unfit for a header, and ErrRemote when the
// endpoint gave no usable answer. The Info returned may be shared with
// other callers: treat it as read-only.
func (c *Client) Verify(ctx context.Context, tok string) (*token.Info, error) {
	if tok == "" || len(tok) > MaxTokenBytes || (c.cfg.Legacy && !isToken68(tok)) {
		return nil, token.ErrMalformed
	}
	key := token.HashToken(tok)
	if c.cache != nil {
		if e, ok := c.cache.get(key, c.cfg.Now()); ok {
			return e.info, e.err
		}
	}
	return c.lookup(ctx, key, tok)
}

// lookup asks the endpoint, once for all concurrent callers of one token.
// It is apart from Verify so that a cache hit allocates nothing.
func (c *Client) lookup(ctx context.Context, key token.Hash, tok string) (*token.Info, error) {
	ch := c.group.DoChan(string(key[:]), func() (any, error) {
		// The lookup outlives a caller that gives up: others may wait on
		// it. Timeout bounds it.
		select {
		case c.slots <- struct{}{}:
			defer func() { <-c.slots }()
		default:
			return nil, remoteErr("too many lookups in flight")
		}
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), c.cfg.Timeout)
		defer cancel()
		info, err := c.fetch(ctx, tok)
		c.remember(key, info, err)
		return info, err
	})
	select {
	case res := <-ch:
		info, _ := res.Val.(*token.Info)
		return info, res.Err
	case <-ctx.Done():
		return nil, errors.Join(ErrRemote, ctx.Err())
	}
}

// remember caches an answer: an active one until the sooner of CacheTTL
// and the token's exp, an inactive one for NegativeTTL, a failure not at
// all.
func (c *Client) remember(key token.Hash, info *token.Info, err error) {
	if c.cache == nil {
		return
	}
	now := c.cfg.Now()
	switch {
	case err == nil:
		until := now.Add(c.cfg.CacheTTL)
		if !info.ExpiresAt.IsZero() && info.ExpiresAt.Before(until) {
			until = info.ExpiresAt
		}
		c.cache.put(key, entry{info: info, until: until}, now)
	case token.IsInvalid(err) && c.cfg.NegativeTTL > 0:
		c.cache.put(key, entry{err: err, until: now.Add(c.cfg.NegativeTTL)}, now)
	}
}

// check applies the answer's own times: an exp that has passed or an nbf
// ahead is not active, whatever the endpoint claimed.
func (c *Client) check(info *token.Info, now time.Time) (*token.Info, error) {
	if !info.Active(now) {
		return nil, token.ErrExpired
	}
	return info, nil
}
