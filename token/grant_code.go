package token

import (
	"context"
)

// AuthorizationCode is the authorization_code grant (RFC 6749 §4.1.3 with
// PKCE, RFC 7636 §4.6; IndieAuth §5.3): the code, client_id, redirect_uri
// and code_verifier are checked by Codes, and the response carries me and,
// when the profile scope was granted, the user's profile.
type AuthorizationCode struct {
	// Codes checks and consumes codes. Required.
	Codes Codes
	// Profiles supplies profile information for the profile and email
	// scopes; nil means none is returned.
	Profiles Profiles
	// NoRefresh turns refresh tokens off for this grant.
	NoRefresh bool
}

// Type implements Grant.
func (*AuthorizationCode) Type() string { return GrantAuthorizationCode }

// Grant implements Grant.
func (g *AuthorizationCode) Grant(ctx context.Context, req *Request) (*Result, error) {
	f := req.Form
	if req.Client.ID == "" {
		return nil, ErrInvalidRequest("client_id is required")
	}
	code, redirect := f.Get("code"), f.Get("redirect_uri")
	if code == "" {
		return nil, ErrInvalidRequest("code is required")
	}
	if redirect == "" {
		return nil, ErrInvalidRequest("redirect_uri is required")
	}
	red, err := g.Codes.Redeem(ctx, &CodeRequest{
		Code:         code,
		ClientID:     req.Client.ID,
		RedirectURI:  redirect,
		CodeVerifier: f.Get("code_verifier"),
		MeHint:       f.Get("me"),
		Now:          req.Now,
		Logger:       req.Logger,
	})
	if err != nil {
		return nil, err
	}
	res := &Result{
		Access: Info{Me: red.Me, ClientID: red.ClientID, Scope: red.Scope},
		Family: red.Family,
	}
	if !g.NoRefresh {
		res.Refresh = &Info{Me: red.Me, ClientID: red.ClientID, Scope: red.Scope}
	}
	res.Profile, err = profileFor(ctx, g.Profiles, red.Profile, red.Me, red.Scope)
	if err != nil {
		return nil, err
	}
	return res, nil
}

// profileFor returns the profile to send for scope: the one already at
// hand (from a remote authorization endpoint) or the application's.
func profileFor(ctx context.Context, ps Profiles, have *Profile, me string, s Scope) (*Profile, error) {
	if !s.Has("profile") {
		return nil, nil
	}
	if have == nil && ps != nil {
		p, err := ps.Profile(ctx, me)
		if err != nil {
			return nil, ErrServer()
		}
		have = p
	}
	return have.ForScope(s), nil
}
