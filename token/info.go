package token

import (
	"encoding/json"
	"time"
)

// Info is all that is known about a token: what a self-encoded token says
// and what an opaque token's record holds. The claim names follow RFC 9068
// §2.2, RFC 7662 §2.2 and IndieAuth §5.3.3.
type Info struct {
	Me        string    // IndieAuth profile URL of the user; empty for client-only tokens
	ClientID  string    // the client the token was issued to
	Scope     Scope     // granted scope
	Subject   string    // sub: the user (Me) or, for client_credentials, the client
	Audience  []string  // aud: the resource servers that may accept the token
	Issuer    string    // iss
	ExpiresAt time.Time // exp; zero means no expiry
	IssuedAt  time.Time // iat
	NotBefore time.Time // nbf; zero means none
	ID        string    // jti: unique per token
	// Actor is the RFC 8693 §4.1 act claim: who acts for Subject. Nested
	// actors are informational; decisions use the outermost one only.
	Actor *Actor
	// MayAct is the RFC 8693 §4.4 may_act claim: who may act for Subject.
	MayAct *Actor
	// Extra holds other claims, kept as raw JSON so nothing is lost or
	// reinterpreted. Registered claims above never appear here.
	Extra map[string]json.RawMessage
}

// Actor identifies a party acting on behalf of a token's subject
// (RFC 8693 §4.1, §4.4). For IndieAuth, Subject is a profile URL.
type Actor struct {
	Subject  string `json:"sub,omitempty"`
	ClientID string `json:"client_id,omitempty"`
	Issuer   string `json:"iss,omitempty"`
	// Actor is the prior actor in a delegation chain.
	Actor *Actor `json:"act,omitempty"`
}

// Depth is the number of actors in the chain starting at a.
func (a *Actor) Depth() int {
	n := 0
	for ; a != nil; a = a.Actor {
		n++
	}
	return n
}

// Matches reports whether a names the same party as b on every identifier
// b sets (sub, client_id, iss). It is how may_act is checked.
func (a *Actor) Matches(b *Actor) bool {
	if a == nil || b == nil {
		return false
	}
	if b.Subject == "" && b.ClientID == "" {
		return false
	}
	return (b.Subject == "" || a.Subject == b.Subject) &&
		(b.ClientID == "" || a.ClientID == b.ClientID) &&
		(b.Issuer == "" || a.Issuer == b.Issuer)
}

// Active reports whether the token is inside its validity window at now.
func (i *Info) Active(now time.Time) bool {
	if !i.ExpiresAt.IsZero() && !now.Before(i.ExpiresAt) {
		return false
	}
	if !i.NotBefore.IsZero() && now.Before(i.NotBefore) {
		return false
	}
	return true
}

// HasAudience reports whether aud is one of the token's audiences.
func (i *Info) HasAudience(aud string) bool {
	for _, a := range i.Audience {
		if a == aud {
			return true
		}
	}
	return false
}

// Clone returns a deep copy, so a grant can adjust what it issues without
// touching the record it came from.
func (i *Info) Clone() *Info {
	c := i.clone()
	return &c
}

// clone is Clone by value, sparing the allocation of the copy itself.
func (i *Info) clone() Info {
	c := *i
	c.Scope = append(Scope(nil), i.Scope...)
	c.Audience = append([]string(nil), i.Audience...)
	c.Actor = i.Actor.clone()
	c.MayAct = i.MayAct.clone()
	if i.Extra != nil {
		c.Extra = make(map[string]json.RawMessage, len(i.Extra))
		for k, v := range i.Extra {
			c.Extra[k] = v
		}
	}
	return c
}

func (a *Actor) clone() *Actor {
	if a == nil {
		return nil
	}
	c := *a
	c.Actor = a.Actor.clone()
	return &c
}
