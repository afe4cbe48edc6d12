package exchange

import (
	"context"
	"slices"
	"time"

	"github.com/tokenkit/tokenkit/token"
)

// DefaultPolicy is a cautious Policy. It
//
//   - lets a client exchange only a token issued to it or naming it in its
//     audience: a resource server swaps the tokens it receives, nobody
//     else's (invalid_request otherwise);
//   - takes an actor token only when it is the client's own (names the
//     client as its subject) or, issued to the client, names a party the
//     subject token's may_act allows (invalid_request otherwise);
//   - never impersonates: the new token's act names the actor token's
//     subject, or the client when no actor token was sent;
//   - allows a resource or audience only when the subject token already
//     names it (narrowing) or Targets lists it for the client
//     (invalid_target otherwise);
//   - narrows scope only: within the subject token's, and within the
//     client's registered Scope when that is set (invalid_scope
//     otherwise);
//   - keeps the subject token's remaining lifetime, or Lifetime when
//     that is shorter, and issues no refresh token.
//
// The zero value is usable: with no Targets, exchanges can only narrow.
type DefaultPolicy struct {
	// Targets lists, by client_id, the audience and resource values the
	// client may ask for beyond those the subject token already names.
	Targets map[string][]string
	// Lifetime, when positive, bounds the lifetime of exchanged tokens.
	Lifetime time.Duration
}

var _ Policy = DefaultPolicy{}

// Decide implements Policy.
func (p DefaultPolicy) Decide(_ context.Context, r *Request) (*Decision, error) {
	id := r.Client.ID
	if r.Subject.ClientID != id && !r.Subject.HasAudience(id) {
		return nil, token.ErrInvalidRequest("the client may not exchange this subject_token")
	}
	// An actor token must be the client's own, or name a party the
	// subject token's may_act allows: holding some user's token issued to
	// the client does not make that user an actor for another.
	if r.Actor != nil && r.Actor.Subject != id && (r.Subject.MayAct == nil || r.Actor.ClientID != id) {
		return nil, token.ErrInvalidRequest("the actor_token is neither the client's own nor allowed by may_act")
	}
	allowed := p.Targets[id]
	for _, t := range r.Targets() {
		if !r.Subject.HasAudience(t) && !slices.Contains(allowed, t) {
			return nil, token.ErrInvalidTarget("a requested audience or resource is not allowed for this client")
		}
	}
	d := r.Allow()
	if c := r.Client.Client; c != nil && len(c.Scope) > 0 {
		if !r.Scope.SubsetOf(c.Scope) {
			return nil, token.ErrInvalidScope("scope exceeds what the client may be granted")
		}
		if d.Scope = d.Scope.Intersect(c.Scope); len(d.Scope) == 0 && len(r.Subject.Scope) > 0 {
			return nil, token.ErrInvalidScope("none of the subject token's scope is allowed for the client")
		}
	}
	d.Lifetime = p.Lifetime
	return d, nil
}
