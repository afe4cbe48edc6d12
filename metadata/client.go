package metadata

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Client fetches and validates metadata documents. Its zero value is ready
// to use.
//
// Client does no address filtering of its own: a document URL typed by a
// stranger must be fetched through an HTTP client that refuses private
// networks, such as the one the discovery package builds.
type Client struct {
	// HTTPClient sends the requests; nil means a client with a 10-second
	// timeout. Redirects are never followed, whatever the client's own
	// policy: the issuer is checked against the URL asked for, so a
	// document must be served there, not fetched from wherever an open
	// redirect points.
	HTTPClient *http.Client

	// MaxBytes caps the document size; zero means MaxBytes. Larger
	// documents get ErrTooLarge without being read further.
	MaxBytes int64

	// AllowInsecureLoopback accepts http issuer and endpoint URLs whose host
	// is loopback, for local development against a server without TLS.
	// Never set it in production.
	AllowInsecureLoopback bool
}

// Fetch gets the document at metadataURL, the URL a profile page
// advertises with rel="indieauth-metadata", parses it strictly and
// validates it (see Parse and Metadata.Validate). Its issuer must be a
// string prefix of metadataURL with the same scheme and host (IndieAuth
// §3.1, MET-03); otherwise Fetch returns ErrIssuerMismatch.
func (c *Client) Fetch(ctx context.Context, metadataURL string) (*Metadata, error) {
	m, err := c.get(ctx, metadataURL)
	if err != nil {
		return nil, err
	}
	if !issuerPrefix(m.Issuer, metadataURL) || !sameOrigin(m.Issuer, metadataURL) {
		return nil, fmt.Errorf("%w: issuer %q is not a prefix of %q", ErrIssuerMismatch, m.Issuer, metadataURL)
	}
	return m, nil
}

// FetchWellKnown gets the document at issuer's RFC 8414 well-known URL
// (see WellKnownURL), parses and validates it. Its issuer must be
// identical to issuer, byte for byte (RFC 8414 §3.3, MET-04); otherwise
// FetchWellKnown returns ErrIssuerMismatch.
func (c *Client) FetchWellKnown(ctx context.Context, issuer string) (*Metadata, error) {
	u, err := WellKnownURL(issuer)
	if err != nil {
		return nil, err
	}
	m, err := c.get(ctx, u)
	if err != nil {
		return nil, err
	}
	if m.Issuer != issuer {
		return nil, fmt.Errorf("%w: issuer %q, expected %q", ErrIssuerMismatch, m.Issuer, issuer)
	}
	return m, nil
}

func (c *Client) get(ctx context.Context, rawURL string) (*Metadata, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return nil, fmt.Errorf("metadata: fetch %q: %w", rawURL, err)
	}
	req.Header.Set("Accept", "application/json")
	hc := &http.Client{Timeout: defaultTimeout}
	if c.HTTPClient != nil {
		cp := *c.HTTPClient
		hc = &cp
	}
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("metadata: fetch %q: %w", rawURL, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%w: %s answered %d", ErrResponse, rawURL, resp.StatusCode)
	}
	if mt, _, err := mime.ParseMediaType(resp.Header.Get("Content-Type")); err != nil || mt != "application/json" {
		return nil, fmt.Errorf("%w: %s sent Content-Type %q, not application/json", ErrResponse, rawURL, resp.Header.Get("Content-Type"))
	}
	limit := c.MaxBytes
	if limit <= 0 || limit > MaxBytes {
		limit = MaxBytes
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, fmt.Errorf("metadata: read %q: %w", rawURL, err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%w: over %d bytes", ErrTooLarge, limit)
	}
	m, err := Parse(data)
	if err != nil {
		return nil, err
	}
	if err := m.validate(c.AllowInsecureLoopback); err != nil {
		return nil, err
	}
	return m, nil
}

// defaultTimeout bounds a fetch when Client.HTTPClient is nil.
const defaultTimeout = 10 * time.Second

// issuerPrefix reports whether issuer is a prefix of metadataURL that ends
// at a path boundary (IndieAuth §3.1): https://host/~bob is not a prefix
// of https://host/~bob2/meta, for on a shared host that would let one
// tenant claim another's issuer.
func issuerPrefix(issuer, metadataURL string) bool {
	if !strings.HasPrefix(metadataURL, issuer) {
		return false
	}
	rest := metadataURL[len(issuer):]
	return rest == "" || strings.HasSuffix(issuer, "/") || rest[0] == '/' || rest[0] == '?'
}

// sameOrigin reports whether a and b have the same scheme and host.
func sameOrigin(a, b string) bool {
	ua, err1 := url.Parse(a)
	ub, err2 := url.Parse(b)
	if err := errors.Join(err1, err2); err != nil {
		return false
	}
	return strings.EqualFold(ua.Scheme, ub.Scheme) && strings.EqualFold(ua.Host, ub.Host)
}
