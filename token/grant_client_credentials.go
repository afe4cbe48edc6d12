package token

import (
	"context"
)

// ClientCredentials is the client_credentials grant (RFC 6749 §4.4): an
// authenticated confidential client gets a token for itself. The scope is
// limited to Client.Scope: a request naming scopes gets those it may have
// and invalid_scope when none is allowed; no scope asked means all it may
// have. No refresh token is issued (§4.4.3), and the token names no user:
// its sub is the client_id and it carries no me (RFC 9700 §4.15).
type ClientCredentials struct{}

// Type implements Grant.
func (ClientCredentials) Type() string { return GrantClientCredentials }

// Grant implements Grant.
func (ClientCredentials) Grant(_ context.Context, req *Request) (*Result, error) {
	c := req.Client
	if !c.Authenticated() {
		if c.ID == "" {
			return nil, req.Auth.InvalidClient()
		}
		return nil, ErrUnauthorizedClient("only confidential clients may use client_credentials")
	}
	scope := c.Client.Scope
	if s := req.Form.Get("scope"); s != "" {
		asked, err := ParseScope(s)
		if err != nil {
			return nil, ErrInvalidScope("malformed scope")
		}
		if scope = asked.Intersect(c.Client.Scope); len(scope) == 0 {
			return nil, ErrInvalidScope("none of the requested scopes is allowed")
		}
	}
	return &Result{Access: Info{ClientID: c.ID, Subject: c.ID, Scope: scope}}, nil
}
