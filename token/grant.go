package token

import (
	"context"
	"log/slog"
	"net/http"
	"time"
)

// Grant answers one grant_type at the token endpoint (RFC 6749 §4, §6,
// RFC 8693 §2). It checks the request and says what to issue; the Handler
// mints, records and writes. A Grant never writes to the response, so one
// writer emits every success and every error. Package exchange plugs RFC
// 8693 in this way without changes here.
type Grant interface {
	// Type is the grant_type value the grant answers, e.g.
	// "authorization_code".
	Type() string
	// Grant checks req and returns what to issue, or an *Error.
	Grant(ctx context.Context, req *Request) (*Result, error)
}

// Request is one token request as a Grant sees it: parsed once,
// client already authenticated.
type Request struct {
	Form   *Form
	Client *ClientAuth
	// Auth is the endpoint's client authentication, for grants that must
	// look clients up or answer invalid_client with the right challenge.
	Auth *Authenticator
	Now  time.Time
	// Store is the handler's store, for grants that consume or revoke
	// records (codes, refresh tokens).
	Store  Store
	Logger *slog.Logger // never nil
	// HTTP is the underlying request, for headers a grant may need.
	HTTP *http.Request
}

// Result is what a Grant decided to issue.
type Result struct {
	// Access is what the access token says. The Handler fills Issuer,
	// IssuedAt, ID, an empty Subject (from Me, else ClientID), an empty
	// Audience (from Config.Audience) and ExpiresAt when zero; a grant may
	// set an earlier ExpiresAt but never a later one than the configured
	// lifetime allows.
	Access Info
	// Refresh, when non-nil, asks for a refresh token recording this Info:
	// the whole scope the grant carries, which later refreshes may narrow
	// again (RFC 6749 §6). Its ExpiresAt may end it sooner than the
	// configured RefreshTTL, never later; zero means RefreshTTL.
	Refresh *Info
	// RefreshToken fixes the refresh token's value in advance (the
	// refresh grace window's successor); empty means a random one.
	RefreshToken string
	// RefreshStored says RefreshToken is already recorded, so the Handler
	// must not record it again.
	RefreshStored bool
	// Family is the grant family the tokens join; empty starts a new one.
	Family string
	// Profile is the IndieAuth profile to return (§5.3.4), already cut
	// to the granted scope.
	Profile *Profile
	// IssuedTokenType is the RFC 8693 §2.2.1 issued_token_type; empty
	// for the other grants.
	IssuedTokenType string
	// TokenType is the response's token_type; empty means "Bearer".
	TokenType string
	// Event names what happened for the security log: "issued" when
	// empty.
	Event string
}

// Profile is the IndieAuth profile information of §5.3.4. It is not
// authoritative: identity comes from me alone.
type Profile struct {
	Name  string `json:"name,omitempty"`
	URL   string `json:"url,omitempty"`
	Photo string `json:"photo,omitempty"`
	Email string `json:"email,omitempty"`
}

// ForScope returns the part of p the scope allows: nothing without
// "profile", the email only with "email" too (IndieAuth §5.3.4).
func (p *Profile) ForScope(s Scope) *Profile {
	if p == nil || !s.Has("profile") {
		return nil
	}
	c := *p
	if !s.Has("email") {
		c.Email = ""
	}
	return &c
}

// Profiles supplies the profile of a user; the application owns it.
type Profiles interface {
	Profile(ctx context.Context, me string) (*Profile, error)
}

// ProfileFunc adapts a function to Profiles.
type ProfileFunc func(ctx context.Context, me string) (*Profile, error)

// Profile calls f(ctx, me).
func (f ProfileFunc) Profile(ctx context.Context, me string) (*Profile, error) { return f(ctx, me) }
