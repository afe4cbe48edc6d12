package token

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"time"
)

// RefreshToken is the refresh_token grant (RFC 6749 §6) with rotation
// (RFC 9700 §4.14.2): every use consumes the presented token through the
// Store's take-once and issues a successor in the same family; presenting
// a consumed token again revokes the whole family. A token is bound to its
// client; a narrower scope may be asked for (the successor keeps the whole
// original scope), a broader one is invalid_scope.
//
// Rotation consumes the presented token before the successor is recorded:
// should the store fail in between, the client gets server_error and its
// retry with the same token counts as reuse. A store that fails that way
// fails the user's session; it never leaves two live successors.
type RefreshToken struct {
	// GraceWindow, when positive, lets a request that lost a race for the
	// same refresh token (a client refreshing from two tabs) within this
	// long after the winner receive the winner's successor instead of
	// revoking the family. The successor is derived from the presented
	// token with GraceKey, so nothing secret is stored; it is handed out
	// only while itself unused, so the window never spans generations.
	// Off by default.
	GraceWindow time.Duration
	// GraceKey is the HMAC key deriving successors; at least 32 random
	// bytes. Required when GraceWindow is set.
	GraceKey []byte
}

// Type implements Grant.
func (*RefreshToken) Type() string { return GrantRefreshToken }

// check is called by NewHandler: a grace window needs its key.
func (g *RefreshToken) check() error {
	if g.GraceWindow > 0 && len(g.GraceKey) < 32 {
		return errors.New("token: RefreshToken.GraceWindow needs a GraceKey of at least 32 bytes")
	}
	return nil
}

func errBadRefresh() *Error { return ErrInvalidGrant("invalid refresh token") }

// Grant implements Grant.
func (g *RefreshToken) Grant(ctx context.Context, req *Request) (*Result, error) {
	rt := req.Form.Get("refresh_token")
	if rt == "" {
		return nil, ErrInvalidRequest("refresh_token is required")
	}
	if len(rt) > maxOpaqueLen {
		return nil, errBadRefresh()
	}
	key := HashToken(rt)
	rec, err := req.Store.Get(ctx, key)
	switch {
	case errors.Is(err, ErrNotFound):
		return nil, errBadRefresh()
	case err != nil:
		return nil, ErrServer()
	case rec.Kind != KindRefresh || rec.Revoked() || !rec.Info.Active(req.Now):
		return nil, errBadRefresh()
	}
	if err := g.checkClient(ctx, req, rec); err != nil {
		return nil, err
	}
	scope := rec.Info.Scope
	if s := req.Form.Get("scope"); s != "" {
		asked, err := ParseScope(s)
		if err != nil {
			return nil, ErrInvalidScope("malformed scope")
		}
		if !asked.SubsetOf(rec.Info.Scope) {
			return nil, ErrInvalidScope("scope exceeds the original grant")
		}
		scope = asked
	}
	res := &Result{
		Access:  Info{Me: rec.Info.Me, ClientID: rec.Info.ClientID, Scope: scope, Subject: rec.Info.Subject, Audience: rec.Info.Audience, Actor: rec.Info.Actor, MayAct: rec.Info.MayAct},
		Refresh: &Info{Me: rec.Info.Me, ClientID: rec.Info.ClientID, Scope: rec.Info.Scope, Subject: rec.Info.Subject, Audience: rec.Info.Audience, Actor: rec.Info.Actor, MayAct: rec.Info.MayAct},
		Family:  rec.Family,
		Event:   "refreshed",
	}
	if g.GraceWindow > 0 {
		res.RefreshToken = g.successor(rt)
	}
	taken, err := req.Store.Take(ctx, key, req.Now)
	switch {
	case err == nil:
		return res, nil
	case errors.Is(err, ErrTaken):
		switch g.grace(ctx, req, taken, res.RefreshToken) {
		case graceServe:
			res.RefreshStored = true
			res.Event = "refreshed within grace window"
			return res, nil
		case graceWait:
			return nil, errBadRefresh() // the winner is still minting: a race, not a replay
		}
		replayed(ctx, req.Store, req.Logger, "refresh_token", taken)
		return nil, errBadRefresh()
	case errors.Is(err, ErrNotFound):
		return nil, errBadRefresh()
	}
	return nil, ErrServer()
}

// checkClient binds the token to its client (RFC 6749 §6, §10.4). A
// confidential client that did not authenticate gets invalid_client.
func (g *RefreshToken) checkClient(ctx context.Context, req *Request, rec *Record) error {
	if req.Client.ID == rec.Info.ClientID {
		return nil
	}
	if req.Client.ID == "" {
		if c, err := req.Auth.lookup(ctx, rec.Info.ClientID); err == nil && c.Confidential() {
			return req.Auth.InvalidClient()
		}
		return ErrInvalidRequest("client_id is required")
	}
	return errBadRefresh()
}

// Outcomes of a lost race inside the grace window.
const (
	graceNone  = iota // no window, or past it, or the successor was used: a replay
	graceServe        // hand out the winner's successor
	graceWait         // the winner has not recorded its successor yet
)

// grace decides what a request that lost the race for a refresh token
// gets: within the window, the winner's successor while it is recorded,
// unused and unrevoked; nothing (but no revocation) while the winner is
// still recording it.
func (g *RefreshToken) grace(ctx context.Context, req *Request, taken *Record, successor string) int {
	if g.GraceWindow <= 0 || taken == nil || req.Now.Sub(taken.TakenAt) > g.GraceWindow {
		return graceNone
	}
	next, err := req.Store.Get(ctx, HashToken(successor))
	switch {
	case errors.Is(err, ErrNotFound):
		return graceWait
	case err != nil || next.Kind != KindRefresh || !next.TakenAt.IsZero() || next.Revoked():
		return graceNone
	}
	return graceServe
}

func (g *RefreshToken) successor(rt string) string {
	m := hmac.New(sha256.New, g.GraceKey)
	m.Write([]byte(rt))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}
