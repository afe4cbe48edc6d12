package token

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Bounds on a remote authorization endpoint's answer.
const (
	remoteMaxBytes = 64 << 10
	remoteTimeout  = 10 * time.Second
)

// RemoteCodes verifies codes with the authorization endpoint that issued
// them, as a hosted token service for many IndieAuth sites does: the code
// and its parameters are POSTed there (IndieAuth §5.3.2) and its verified
// answer names the user. The endpoint is found by the application from the
// legacy me parameter; the me the endpoint answers with must lead back to
// the same endpoint, so a site can speak only for its own users. The
// Store remembers redeemed codes so a replay revokes what they issued.
type RemoteCodes struct {
	// AuthorizationEndpoint returns the authorization endpoint for the
	// user at me (typically by discovery). Required.
	AuthorizationEndpoint func(ctx context.Context, me string) (string, error)
	// Store records redeemed codes by hash. Required.
	Store Store
	// HTTPClient makes the request; nil means a client with a 10-second
	// timeout. Fetches go to user-chosen hosts: give it an SSRF-safe
	// dialer (package discovery has one).
	HTTPClient *http.Client
	// CodeTTL is how long a redeemed code is remembered; 0 means ten
	// minutes, the longest a code may live.
	CodeTTL time.Duration
}

var _ Codes = (*RemoteCodes)(nil)

type remoteAnswer struct {
	Me      string   `json:"me"`
	Scope   string   `json:"scope"`
	Profile *Profile `json:"profile"`
}

// Redeem implements Codes. The code is claimed in the Store first
// (recorded, then taken once), so that of any number of concurrent or
// repeated redemptions exactly one asks the authorization endpoint, even
// when that endpoint does not itself enforce single use. A later replay of
// a redeemed code by the same client revokes what it issued; one by
// another client, or with another kind of token as the code, revokes
// nothing (OAuth 2.1 "Reuse of Authorization Codes").
func (c *RemoteCodes) Redeem(ctx context.Context, req *CodeRequest) (*Redemption, error) {
	if len(req.Code) > maxCodeLen {
		return nil, errBadCode()
	}
	if req.MeHint == "" {
		return nil, ErrInvalidRequest("me is required to find the authorization endpoint")
	}
	key := HashToken(req.Code)
	switch prev, err := c.Store.Get(ctx, key); {
	case err == nil:
		if prev.Kind == KindCode && prev.Info.ClientID == req.ClientID && prev.Info.Me != "" {
			replayed(ctx, c.Store, req.Logger, "code", prev)
		}
		return nil, errBadCode()
	case !errors.Is(err, ErrNotFound):
		return nil, ErrServer()
	}
	family, err := randomID(nil)
	if err != nil {
		return nil, ErrServer()
	}
	ttl := c.CodeTTL
	if ttl <= 0 {
		ttl = 10 * time.Minute
	}
	claim := &Record{Key: key, Kind: KindCode, Family: family,
		Info: Info{ClientID: req.ClientID, IssuedAt: req.Now, ExpiresAt: req.Now.Add(ttl)}}
	if err := c.Store.Put(ctx, claim); err != nil {
		return nil, ErrServer()
	}
	mine, err := c.Store.Take(ctx, key, req.Now)
	switch {
	case errors.Is(err, ErrTaken), errors.Is(err, ErrNotFound):
		return nil, errBadCode() // another request holds the code
	case err != nil:
		return nil, ErrServer()
	}
	endpoint, err := c.AuthorizationEndpoint(ctx, req.MeHint)
	if err != nil {
		return nil, ErrInvalidGrant("no authorization endpoint found for me")
	}
	ans, err := c.ask(ctx, endpoint, req)
	if err != nil {
		return nil, errBadCode()
	}
	if ans.Me != req.MeHint {
		// The endpoint answered for someone else: it must be theirs too.
		if again, err := c.AuthorizationEndpoint(ctx, ans.Me); err != nil || again != endpoint {
			return nil, errBadCode()
		}
	}
	scope, err := ParseScope(ans.Scope)
	if err != nil || len(scope) == 0 {
		return nil, ErrInvalidGrant("the authorization endpoint granted no scope")
	}
	mine.Info.Me, mine.Info.Scope, mine.Info.Subject = ans.Me, scope, ans.Me
	if err := c.Store.Put(ctx, mine); err != nil {
		return nil, ErrServer()
	}
	return &Redemption{Me: ans.Me, ClientID: req.ClientID, Scope: scope, Family: mine.Family, Profile: ans.Profile}, nil
}

func (c *RemoteCodes) ask(ctx context.Context, endpoint string, req *CodeRequest) (*remoteAnswer, error) {
	u, err := url.Parse(endpoint)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, errors.New("token: bad authorization endpoint")
	}
	form := url.Values{
		"grant_type":   {GrantAuthorizationCode},
		"code":         {req.Code},
		"client_id":    {req.ClientID},
		"redirect_uri": {req.RedirectURI},
	}
	if req.CodeVerifier != "" {
		form.Set("code_verifier", req.CodeVerifier)
	}
	ctx, cancel := context.WithTimeout(ctx, remoteTimeout)
	defer cancel()
	hr, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, strings.NewReader(form.Encode()))
	if err != nil {
		return nil, err
	}
	hr.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	hr.Header.Set("Accept", "application/json")
	client := c.HTTPClient
	if client == nil {
		client = &http.Client{Timeout: remoteTimeout}
	}
	resp, err := client.Do(hr)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, remoteMaxBytes+1))
	if err != nil || len(body) > remoteMaxBytes || resp.StatusCode != http.StatusOK {
		return nil, errors.New("token: authorization endpoint refused the code")
	}
	var ans remoteAnswer
	if mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type")); mt == "application/x-www-form-urlencoded" {
		v, err := url.ParseQuery(string(body))
		if err != nil {
			return nil, err
		}
		ans.Me, ans.Scope = v.Get("me"), v.Get("scope")
	} else if err := json.Unmarshal(body, &ans); err != nil {
		return nil, err
	}
	if ans.Me == "" {
		return nil, errors.New("token: authorization endpoint named no user")
	}
	return &ans, nil
}
