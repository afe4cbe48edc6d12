package introspect

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/tokenkit/tokenkit/token"
)

// fetch asks the endpoint about tok, once, and reads the answer within
// the size bound.
func (c *Client) fetch(ctx context.Context, tok string) (*token.Info, error) {
	req, err := c.request(ctx, tok)
	if err != nil {
		return nil, err
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, remoteErr("%w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, c.cfg.MaxResponseBytes+1))
	switch {
	case err != nil:
		return nil, remoteErr("reading the response: %w", err)
	case int64(len(body)) > c.cfg.MaxResponseBytes:
		return nil, remoteErr("response larger than %d bytes", c.cfg.MaxResponseBytes)
	}
	switch {
	case resp.StatusCode == http.StatusOK:
	case c.cfg.Legacy && (resp.StatusCode == http.StatusBadRequest || resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden):
		return nil, token.ErrUnknown // IndieAuth 2020 §6.2: the token is not valid
	default:
		return nil, remoteErr("status %d", resp.StatusCode)
	}
	info, err := parseResponse(resp.Header.Get("Content-Type"), body, c.cfg.Legacy)
	if err != nil {
		return nil, err
	}
	return c.check(info, c.cfg.Now())
}

func (c *Client) request(ctx context.Context, tok string) (*http.Request, error) {
	if c.cfg.Legacy {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.cfg.Endpoint, nil)
		if err != nil {
			return nil, remoteErr("building the request: %w", err)
		}
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Accept", mediaJSON)
		return req, nil
	}
	body := "token=" + url.QueryEscape(tok) + "&token_type_hint=access_token"
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.cfg.Endpoint, strings.NewReader(body))
	if err != nil {
		return nil, remoteErr("building the request: %w", err)
	}
	req.Header.Set("Content-Type", mediaForm)
	req.Header.Set("Accept", mediaJSON)
	switch {
	case c.cfg.BearerToken != "":
		req.Header.Set("Authorization", "Bearer "+c.cfg.BearerToken)
	case c.cfg.ClientID != "":
		// RFC 6749 §2.3.1: both are form-urlencoded before base64.
		req.SetBasicAuth(url.QueryEscape(c.cfg.ClientID), url.QueryEscape(c.cfg.ClientSecret))
	}
	return req, nil
}
