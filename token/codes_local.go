package token

import (
	"context"
	"errors"
	"io"
	"time"
)

// DefaultCodeTTL is how long a code minted by LocalCodes lives unless told
// otherwise; IndieAuth §5.2.1 and RFC 6749 §4.1.2 ask for at most ten
// minutes.
const DefaultCodeTTL = 5 * time.Minute

// LocalCodes mints and redeems the codes of the application's own
// authorization endpoint through the Store: only the code's hash is kept,
// and redemption is the Store's take-once, so a code is used at most once
// however many requests race for it.
type LocalCodes struct {
	Store Store
	// TTL is a code's lifetime; 0 means DefaultCodeTTL. Mint refuses more
	// than ten minutes.
	TTL time.Duration
	// InsecureAllowPlainPKCE accepts the "plain" PKCE method, which
	// protects nothing if the authorization request leaks (RFC 9700
	// §2.1.1). Off by default.
	InsecureAllowPlainPKCE bool
	// InsecureAllowNoPKCE accepts codes issued without a code challenge,
	// for legacy IndieAuth clients (IndieAuth §5.3.1 allows it for
	// backwards compatibility; RFC 9700 does not). Off by default.
	InsecureAllowNoPKCE bool
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Rand is the source of randomness; nil means crypto/rand.
	Rand io.Reader
}

var _ Codes = (*LocalCodes)(nil)

// CodeParams is what the authorization endpoint approved: the code will
// grant Scope to ClientID for Me, redeemable with the same RedirectURI and
// the verifier of Challenge.
type CodeParams struct {
	Me              string
	ClientID        string
	RedirectURI     string
	Scope           Scope
	Challenge       string
	ChallengeMethod string // "S256" (the default when Challenge is set) or "plain"
}

// Mint records a new code for p and returns it.
func (c *LocalCodes) Mint(ctx context.Context, p CodeParams) (string, error) {
	ttl := c.TTL
	if ttl <= 0 {
		ttl = DefaultCodeTTL
	}
	if ttl > 10*time.Minute {
		return "", errors.New("token: code lifetime over ten minutes")
	}
	if p.Me == "" || p.ClientID == "" || p.RedirectURI == "" {
		return "", errors.New("token: a code needs me, client_id and redirect_uri")
	}
	cid, err := clientID(p.ClientID)
	if err != nil {
		return "", err
	}
	switch {
	case p.Challenge == "" && !c.InsecureAllowNoPKCE:
		return "", errors.New("token: a code challenge is required")
	case p.Challenge == "":
		p.ChallengeMethod = ""
	case p.ChallengeMethod == "":
		p.ChallengeMethod = PKCES256
	case p.ChallengeMethod == PKCEPlain && !c.InsecureAllowPlainPKCE:
		return "", errors.New("token: the plain PKCE method is not allowed")
	case p.ChallengeMethod != PKCES256 && p.ChallengeMethod != PKCEPlain:
		return "", errors.New("token: unsupported code challenge method")
	}
	code, err := randomString(c.Rand)
	if err != nil {
		return "", err
	}
	family, err := randomID(c.Rand)
	if err != nil {
		return "", err
	}
	at := now(c.Now)
	rec := &Record{
		Key:    HashToken(code),
		Kind:   KindCode,
		Family: family,
		Info: Info{Me: p.Me, ClientID: cid, Scope: p.Scope, Subject: p.Me,
			IssuedAt: at, ExpiresAt: at.Add(ttl)},
		Code: &CodeGrant{RedirectURI: p.RedirectURI, Challenge: p.Challenge, ChallengeMethod: p.ChallengeMethod},
	}
	if err := c.Store.Put(ctx, rec); err != nil {
		return "", err
	}
	return code, nil
}

// Redeem implements Codes. The code's parameters are checked before it is
// consumed, so a request with a wrong verifier or client neither burns the
// code nor, on a replay, revokes the legitimate tokens (OAuth 2.1 "Reuse
// of Authorization Codes"). A valid replay revokes the whole family.
func (c *LocalCodes) Redeem(ctx context.Context, req *CodeRequest) (*Redemption, error) {
	return c.redeem(ctx, req, true)
}

// RedeemProfile is the authorization endpoint's own redemption of a code
// issued for authentication only (IndieAuth §5.3.2): the same checks and the
// same single use as Redeem, but a code without scope is fine, since no
// access token follows. The caller answers {me[, profile]}. A code redeemed
// here cannot be redeemed at the token endpoint, nor the reverse.
func (c *LocalCodes) RedeemProfile(ctx context.Context, req *CodeRequest) (*Redemption, error) {
	return c.redeem(ctx, req, false)
}

func (c *LocalCodes) redeem(ctx context.Context, req *CodeRequest, forToken bool) (*Redemption, error) {
	if len(req.Code) > maxCodeLen {
		return nil, errBadCode()
	}
	key := HashToken(req.Code)
	rec, err := c.Store.Get(ctx, key)
	switch {
	case errors.Is(err, ErrNotFound):
		return nil, errBadCode()
	case err != nil:
		return nil, ErrServer()
	case rec.Kind != KindCode || rec.Code == nil || rec.Revoked() || !rec.Info.Active(req.Now) ||
		rec.Info.ClientID != req.ClientID:
		return nil, errBadCode()
	case rec.Code.RedirectURI != req.RedirectURI:
		return nil, ErrInvalidGrant("redirect_uri does not match the authorization request")
	}
	if err := checkPKCE(rec.Code.Challenge, rec.Code.ChallengeMethod, req.CodeVerifier,
		c.InsecureAllowPlainPKCE, c.InsecureAllowNoPKCE); err != nil {
		return nil, err
	}
	if forToken && len(rec.Info.Scope) == 0 {
		// IndieAuth §5.3.3: a code without scope is for authentication
		// only and yields no access token.
		return nil, ErrInvalidGrant("the code was issued without scope")
	}
	if _, err := c.Store.Take(ctx, key, req.Now); err != nil {
		if errors.Is(err, ErrTaken) {
			replayed(ctx, c.Store, req.Logger, "code", rec)
			return nil, errBadCode()
		}
		if errors.Is(err, ErrNotFound) {
			return nil, errBadCode()
		}
		return nil, ErrServer()
	}
	return &Redemption{Me: rec.Info.Me, ClientID: rec.Info.ClientID, Scope: rec.Info.Scope, Family: rec.Family}, nil
}
