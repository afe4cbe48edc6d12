package exchange

import (
	"context"

	"github.com/tokenkit/tokenkit/token"
)

// MayAct wraps another grant so that the access tokens it issues carry a
// may_act claim (RFC 8693 §4.4): who may later exchange them and act for
// their subject. An authorization server uses it to let a user's app hand
// the user's token to one named service only:
//
//	code := exchange.MayAct{
//		Next: &token.AuthorizationCode{Codes: codes},
//		Actor: func(_ context.Context, _ *token.Request, info *token.Info) *token.Actor {
//			return &token.Actor{ClientID: "api1"}
//		},
//	}
//
// Wrap the refresh_token grant alike, or refreshed tokens come without
// may_act. Tokens minted by exchange carry may_act through
// Decision.MayAct instead.
type MayAct struct {
	// Next is the wrapped grant. Required.
	Next token.Grant
	// Actor names who may act for the token described by info, or returns
	// nil for no may_act claim. It sees the Info Next decided on.
	Actor func(ctx context.Context, req *token.Request, info *token.Info) *token.Actor
}

var _ token.Grant = MayAct{}

// Type implements token.Grant: the wrapped grant's type.
func (m MayAct) Type() string { return m.Next.Type() }

// Grant implements token.Grant: Next, then may_act on its access token.
func (m MayAct) Grant(ctx context.Context, req *token.Request) (*token.Result, error) {
	res, err := m.Next.Grant(ctx, req)
	if err != nil || m.Actor == nil {
		return res, err
	}
	if a := m.Actor(ctx, req, &res.Access); a != nil {
		res.Access.MayAct = copyChain(a)
		// The refresh token carries it too, or exchanging the refresh
		// token (or refreshing) would shed the restriction.
		if res.Refresh != nil && !res.RefreshStored {
			res.Refresh.MayAct = copyChain(a)
		}
	}
	return res, nil
}
