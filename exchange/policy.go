package exchange

import (
	"context"
	"time"

	"github.com/tokenkit/tokenkit/token"
)

// Policy decides whether a token exchange may happen and what the new
// token says. The application implements it; DefaultPolicy is a safe
// start.
//
// The Grant has already authenticated the client, verified the subject
// and actor tokens, checked that the requested scope is within the
// subject token's and that the actor is allowed by the subject's may_act.
// Whatever the Policy decides, the Grant still cuts the scope to the
// subject token's (and the requested one), ends the lifetime no later than
// the subject token's unless the Decision says OutliveSubject, and bounds
// the act chain.
type Policy interface {
	// Decide returns what to issue for r, or an error to refuse: a
	// *token.Error with code invalid_target for a refused resource or
	// audience (RFC 8693 §2.2.2), invalid_scope for a refused scope, or
	// invalid_request for an exchange the policy will not do at all. Any
	// other error is logged and answered with server_error.
	Decide(ctx context.Context, r *Request) (*Decision, error)
}

// PolicyFunc adapts a function to a Policy.
type PolicyFunc func(ctx context.Context, r *Request) (*Decision, error)

// Decide calls f(ctx, r).
func (f PolicyFunc) Decide(ctx context.Context, r *Request) (*Decision, error) { return f(ctx, r) }

// Request is a token exchange as a Policy sees it. Everything in it has
// been verified. It is the Policy's own copy: changing it changes nothing
// the Grant enforces.
type Request struct {
	// Client is the authenticated client making the request.
	Client *token.ClientAuth
	// Subject is what the subject token says, and SubjectType its declared
	// type (one of the TokenType constants, or another URI the Grant was
	// configured with).
	Subject     *token.Info
	SubjectType string
	// Actor is what the actor token says, nil when none was sent: then
	// the client itself is the actor. ActorType is its declared type.
	Actor     *token.Info
	ActorType string
	// Acting is who the new token's act claim will name when the Decision
	// does not impersonate: the actor token's subject, or the client.
	Acting *token.Actor
	// Audience and Resource are the requested audience and resource
	// values (RFC 8693 §2.1), repeats removed; resources are absolute
	// URIs.
	Audience []string
	Resource []string
	// Scope is the requested scope, already known to be within the
	// subject token's; nil when the request named none.
	Scope token.Scope
	// RequestedTokenType is the requested_token_type, empty when none.
	RequestedTokenType string
}

// Targets returns the requested audience and resource values together,
// without repeats.
func (r *Request) Targets() []string {
	p := params{audience: r.Audience, resource: r.Resource}
	return p.targets()
}

// Allow returns the plainest decision for r: delegation (the new token's
// act names r.Acting), the requested targets as audience (the subject
// token's audience when none were asked), the requested scope (the
// subject token's whole scope when none was asked), the subject token's
// remaining lifetime and no refresh token. A Policy adjusts it:
//
//	d := r.Allow()
//	d.Lifetime = 5 * time.Minute
//	return d, nil
func (r *Request) Allow() *Decision {
	d := &Decision{Audience: r.Targets(), Scope: r.Scope}
	if len(d.Audience) == 0 {
		d.Audience = append([]string(nil), r.Subject.Audience...)
	}
	if d.Scope == nil {
		d.Scope = append(token.Scope(nil), r.Subject.Scope...)
	}
	return d
}

// Decision is what a Policy allows.
type Decision struct {
	// Audience is the new token's aud. Empty means the subject token's
	// audience.
	Audience []string
	// Scope is the new token's scope. The Grant keeps only what is also in
	// the subject token's scope and, when the request named a scope, in
	// that (RFC 8693 §5: no escalation).
	Scope token.Scope
	// Lifetime is how long the new token lives. Zero means until the
	// subject token expires. The token endpoint's AccessTTL caps it.
	Lifetime time.Duration
	// OutliveSubject lets Lifetime run past the subject token's expiry.
	// Off, the new token never outlives the token it was exchanged for.
	OutliveSubject bool
	// Impersonate issues the token without adding an act claim: whoever
	// holds it is indistinguishable from the subject (RFC 8693 §1.1).
	// The subject token's own act chain, if any, is kept.
	Impersonate bool
	// Refresh also issues a refresh token (RFC 8693 §2.2.1: only when the
	// deployment wants one). Refreshing it is the refresh_token grant's
	// business: it lives Config.RefreshTTL of the token endpoint.
	Refresh bool
	// MayAct is the new token's may_act claim (RFC 8693 §4.4): who may
	// exchange it in turn. Nil means none.
	MayAct *token.Actor
}
