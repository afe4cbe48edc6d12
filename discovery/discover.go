package discovery

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"

	"github.com/tokenkit/tokenkit/metadata"
)

// Relation types discovery reads (IndieAuth §4.1, Micropub §5.3, Microsub).
const (
	RelMetadata              = "indieauth-metadata"
	RelAuthorizationEndpoint = "authorization_endpoint"
	RelTokenEndpoint         = "token_endpoint"
	RelMicropub              = "micropub"
	RelMicrosub              = "microsub"
)

// Result is what Discover found for a profile URL.
type Result struct {
	// Entered is the input as given to Discover.
	Entered string `json:"entered"`
	// ProfileURL is the canonical profile URL: the entered URL,
	// canonicalised, replaced by the target of each permanent redirect
	// (301, 308) up to the first temporary one (IndieAuth §4.1). Use it as
	// the me parameter of the authorization request.
	ProfileURL string `json:"profile_url"`
	// Chain lists every URL fetched, in order: the canonicalised entered
	// URL, each redirect target, and last the final URL (IndieAuth §5.4).
	Chain []string `json:"chain"`
	// FinalURL is the URL of the page the links were read from; relative
	// links resolve against it.
	FinalURL string `json:"final_url"`
	// MetadataURL and Metadata are the indieauth-metadata URL and its
	// validated document; both empty for a legacy result.
	MetadataURL string             `json:"metadata_url,omitempty"`
	Metadata    *metadata.Metadata `json:"metadata,omitempty"`
	// Endpoints are the URLs a client needs next.
	Endpoints Endpoints `json:"endpoints"`
}

// Endpoints are the absolute URLs discovery found.
type Endpoints struct {
	// Issuer is the authorization server's issuer identifier, to compare
	// with the iss of the authorization response (VerifyIssuer); empty
	// for a legacy result.
	Issuer        string `json:"issuer,omitempty"`
	Authorization string `json:"authorization_endpoint"`
	Token         string `json:"token_endpoint,omitempty"`
	Introspection string `json:"introspection_endpoint,omitempty"`
	Revocation    string `json:"revocation_endpoint,omitempty"`
	Userinfo      string `json:"userinfo_endpoint,omitempty"`
	// Micropub and Microsub come from the profile page's rels.
	Micropub string `json:"micropub,omitempty"`
	Microsub string `json:"microsub,omitempty"`
	// Legacy is true when the page has no indieauth-metadata and the
	// endpoints come from the authorization_endpoint and token_endpoint
	// rels (IndieAuth §4.1, DIS-09). A legacy server has no issuer.
	Legacy bool `json:"legacy,omitempty"`
}

// Discover finds the IndieAuth endpoints for profileURL (IndieAuth §4.1).
// It canonicalises the URL (ProfileURL), fetches it with GET following up
// to MaxRedirects redirects, reads the Link headers and then, for an HTML
// page, the <link> elements — a Link header wins over HTML, and within
// each the first link of a relation wins. It prefers indieauth-metadata,
// fetching and validating the document (its issuer must be https and a
// prefix of the metadata URL, with token and authorization endpoints and
// S256 PKCE), and falls back to the legacy rels, marked Legacy.
func (c *Client) Discover(ctx context.Context, profileURL string) (*Result, error) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()

	r := c.urlRules
	start, err := canonical(profileURL, r)
	if err != nil {
		return nil, err
	}
	res := &Result{Entered: profileURL, ProfileURL: start, Chain: []string{start}}
	temporary := false
	links, final, err := c.fetchLinks(ctx, start, func(h redirect) error {
		res.Chain = append(res.Chain, h.url)
		if temporary || (h.status != http.StatusMovedPermanently && h.status != http.StatusPermanentRedirect) {
			temporary = true
			return nil
		}
		p, err := canonical(h.url, r)
		if err != nil {
			return fmt.Errorf("permanent redirect to an invalid profile URL: %w", err)
		}
		res.ProfileURL = p
		return nil
	})
	if err != nil {
		return nil, err
	}
	res.FinalURL = final.String()
	if res.Chain[len(res.Chain)-1] != res.FinalURL {
		res.Chain = append(res.Chain, res.FinalURL)
	}
	res.Endpoints.Micropub = links[RelMicropub]
	res.Endpoints.Microsub = links[RelMicrosub]
	for _, u := range []string{res.Endpoints.Micropub, res.Endpoints.Microsub} {
		// They will receive bearer tokens: https, like the others.
		if u == "" {
			continue
		}
		if err := c.checkEndpoint(u); err != nil {
			return nil, err
		}
	}

	if mdURL := links[RelMetadata]; mdURL != "" {
		mc := metadata.Client{
			HTTPClient:            c.httpClient(nil),
			MaxBytes:              c.maxBody,
			AllowInsecureLoopback: c.insecure,
		}
		md, err := mc.Fetch(ctx, mdURL)
		if err != nil {
			return nil, fmt.Errorf("discovery: metadata at %s: %w", mdURL, err)
		}
		if md.AuthorizationEndpoint == "" {
			return nil, fmt.Errorf("%w: metadata at %s has no authorization_endpoint", ErrNoEndpoints, mdURL)
		}
		res.MetadataURL, res.Metadata = mdURL, md
		e := &res.Endpoints
		e.Issuer, e.Authorization, e.Token = md.Issuer, md.AuthorizationEndpoint, md.TokenEndpoint
		e.Introspection, e.Revocation, e.Userinfo = md.IntrospectionEndpoint, md.RevocationEndpoint, md.UserinfoEndpoint
		return res, nil
	}

	auth := links[RelAuthorizationEndpoint]
	if auth == "" {
		return nil, fmt.Errorf("%w at %s", ErrNoEndpoints, res.FinalURL)
	}
	for _, u := range []string{auth, links[RelTokenEndpoint]} {
		if err := c.checkEndpoint(u); err != nil {
			return nil, err
		}
	}
	res.Endpoints.Authorization, res.Endpoints.Token, res.Endpoints.Legacy = auth, links[RelTokenEndpoint], true
	return res, nil
}

// checkEndpoint requires an https URL (http on a loopback host in insecure
// mode); "" passes.
func (c *Client) checkEndpoint(raw string) error {
	if raw == "" {
		return nil
	}
	u, err := url.Parse(raw)
	if err == nil && (u.Scheme == "https" || (c.insecure && u.Scheme == "http" && isLoopbackName(u.Hostname()))) {
		return nil
	}
	return fmt.Errorf("%w: endpoint %q is not https", ErrInvalidURL, raw)
}

// fetchLinks GETs start, follows redirects and returns, for each relation
// of interest, the first link's absolute URL, and the final URL.
func (c *Client) fetchLinks(ctx context.Context, start string, hop func(redirect) error) (map[string]string, *url.URL, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, start, nil)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %v", ErrInvalidURL, err)
	}
	req.Header.Set("Accept", "text/html, application/xhtml+xml;q=0.9, */*;q=0.1")
	req.Header.Set("User-Agent", c.userAgent)
	resp, err := c.httpClient(hop).Do(req)
	if err != nil {
		return nil, nil, fetchError(start, err)
	}
	defer resp.Body.Close()
	final := resp.Request.URL
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, nil, fmt.Errorf("%w: %s answered %d", ErrResponse, final.Redacted(), resp.StatusCode)
	}
	found := make(map[string]string, 5)
	want := 5
	take := func(l link) bool {
		target, err := final.Parse(l.href)
		if err != nil || (target.Scheme != "https" && target.Scheme != "http") || target.Host == "" {
			return true // unusable href: skip it, keep looking
		}
		for _, rel := range l.rels {
			switch rel {
			case RelMetadata, RelAuthorizationEndpoint, RelTokenEndpoint, RelMicropub, RelMicrosub:
				if _, seen := found[rel]; !seen {
					found[rel] = target.String()
					want--
				}
			}
		}
		return want > 0
	}
	for _, l := range parseLinkHeaders(resp.Header.Values("Link")) {
		if !take(l) {
			return found, final, nil
		}
	}
	if isHTML(resp.Header.Get("Content-Type")) {
		body := io.LimitReader(resp.Body, c.maxBody)
		htmlLinks(body, take)
		if err := ctx.Err(); err != nil {
			return nil, nil, fmt.Errorf("discovery: reading %s: %w", final.Redacted(), err)
		}
	}
	return found, final, nil
}

// fetchError unwraps the *url.Error the HTTP client adds, keeping our own
// sentinel errors visible in the message.
func fetchError(u string, err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return fmt.Errorf("discovery: fetch %s: %w", u, err)
}

func isHTML(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	return err == nil && (mt == "text/html" || mt == "application/xhtml+xml")
}

// isLoopbackName reports whether host is localhost, under .localhost, or
// a loopback address.
func isLoopbackName(host string) bool {
	h := strings.ToLower(strings.TrimSuffix(host, "."))
	if h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return true
	}
	ip, ok := hostIP(h)
	return ok && ip.IsLoopback()
}
