package exchange

import (
	"github.com/tokenkit/tokenkit/token"
)

// issue turns a Decision into the Info of the new access token, enforcing
// what no Policy may override:
//
//   - the scope stays within the subject token's and the requested one
//     (RFC 8693 §5, TX-09);
//   - the token ends no later than the subject token unless the Decision
//     says OutliveSubject (the token endpoint caps it at AccessTTL in any
//     case);
//   - delegation adds the acting party to the act chain, at most
//     MaxActDepth actors long (RFC 8693 §4.1, TX-10).
//
// The new token keeps the subject's identity (sub and IndieAuth me) and is
// issued to the requesting client (client_id, RFC 8693 §4.3).
func (g *Grant) issue(req *token.Request, s *token.Info, asked token.Scope, who *token.Actor, d *Decision) (*token.Info, error) {
	if s.Actor.Depth() > g.maxDepth || d.MayAct.Depth() > g.maxDepth {
		return nil, errChainTooLong()
	}
	scope := d.Scope.Intersect(s.Scope)
	if asked != nil {
		if scope = scope.Intersect(asked); len(scope) == 0 {
			return nil, token.ErrInvalidScope("none of the requested scope can be granted")
		}
	}
	info := &token.Info{
		Me:       s.Me,
		ClientID: req.Client.ID,
		Scope:    scope,
		Subject:  s.Subject,
		Audience: append([]string(nil), d.Audience...),
		Actor:    copyChain(s.Actor),
		MayAct:   copyChain(d.MayAct),
	}
	if len(info.Audience) == 0 {
		info.Audience = append([]string(nil), s.Audience...)
	}
	if d.Lifetime > 0 {
		info.ExpiresAt = req.Now.Add(d.Lifetime)
	}
	if !s.ExpiresAt.IsZero() && !d.OutliveSubject && (info.ExpiresAt.IsZero() || info.ExpiresAt.After(s.ExpiresAt)) {
		info.ExpiresAt = s.ExpiresAt
	}
	if !d.Impersonate {
		if info.Actor = chain(who, s.Actor); info.Actor.Depth() > g.maxDepth {
			return nil, errChainTooLong()
		}
	}
	return info, nil
}

func errChainTooLong() *token.Error {
	return token.ErrInvalidRequest("the delegation chain is too long")
}
