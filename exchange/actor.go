package exchange

import (
	"github.com/tokenkit/tokenkit/token"
)

// acting returns who acts in an exchange (RFC 8693 §4.1): the actor
// token's subject and client, or, with no actor token, the authenticated
// client itself. The issuer is named only when it differs from the
// subject token's, where it would otherwise be noise.
func acting(clientID string, subject, actor *token.Info) *token.Actor {
	if actor == nil {
		return &token.Actor{Subject: clientID, ClientID: clientID}
	}
	a := &token.Actor{Subject: actor.Subject, ClientID: actor.ClientID}
	if actor.Issuer != subject.Issuer {
		a.Issuer = actor.Issuer
	}
	return a
}

// checkActorToken refuses an actor token that is itself delegated: its
// holder is its outermost actor, not its subject, so taking its subject as
// the acting party would let the holder speak as someone else and slip
// past may_act.
func checkActorToken(actor *token.Info) error {
	if actor != nil && actor.Actor != nil {
		return token.ErrInvalidRequest("the actor_token is itself a delegated token")
	}
	return nil
}

// checkMayAct honours the subject token's may_act claim (RFC 8693 §4.4,
// TX-11): when present, the acting party must match it on every
// identifier it names.
func checkMayAct(subject *token.Info, a *token.Actor) error {
	if subject.MayAct == nil {
		return nil
	}
	// acting leaves out an issuer equal to the subject token's; may_act
	// may still name it.
	who := *a
	if who.Issuer == "" {
		who.Issuer = subject.Issuer
	}
	if who.Matches(subject.MayAct) {
		return nil
	}
	return token.ErrInvalidRequest("the actor is not authorized to act for the subject")
}

// chain returns the new token's act claim (RFC 8693 §4.1): the acting
// party, with the subject token's own chain nested inside as the prior
// actors. When the subject token's outermost actor is already that party
// (an actor exchanging its own delegated token again) the chain is kept
// as it is rather than grown. Only sub, client_id and iss are carried:
// never exp, nbf or aud.
func chain(a *token.Actor, prior *token.Actor) *token.Actor {
	if prior != nil && sameActor(prior, a) {
		return copyChain(prior)
	}
	out := &token.Actor{Subject: a.Subject, ClientID: a.ClientID, Issuer: a.Issuer}
	out.Actor = copyChain(prior)
	return out
}

func sameActor(a, b *token.Actor) bool {
	return a.Subject == b.Subject && a.ClientID == b.ClientID && a.Issuer == b.Issuer
}

// copyChain copies an act chain, keeping only the identifying members.
func copyChain(a *token.Actor) *token.Actor {
	if a == nil {
		return nil
	}
	return &token.Actor{Subject: a.Subject, ClientID: a.ClientID, Issuer: a.Issuer, Actor: copyChain(a.Actor)}
}
