package exchange

import (
	"context"
	"errors"
	"log/slog"
	"maps"
	"time"

	"github.com/tokenkit/tokenkit/token"
)

// DefaultMaxActDepth is how many actors an act chain may hold when
// Config.MaxActDepth is zero. It stays below token.JWT's own verification
// limit, so every token the Grant issues verifies.
const DefaultMaxActDepth = 5

// Config configures the token exchange Grant.
type Config struct {
	// Verifiers check subject and actor tokens by their declared type
	// (RFC 8693 §3): TokenTypeAccessToken to the verifier of the token
	// endpoint's own access tokens (a *token.JWT with no Audience, or a
	// *token.Opaque on the endpoint's store), TokenTypeJWT to a verifier of
	// JWTs, TokenTypeIDToken to one of ID tokens, and so on. A type not
	// listed is refused with invalid_request. At least one is required;
	// refresh tokens are configured with RefreshTokens instead.
	Verifiers map[string]token.Verifier
	// RefreshTokens accepts refresh tokens (TokenTypeRefreshToken) as
	// subject tokens. They are looked up in the token endpoint's store and
	// must have been issued to the client presenting them (RFC 6749
	// §10.4); they are not consumed.
	RefreshTokens bool
	// Policy decides who may exchange what. Nil means DefaultPolicy{}:
	// delegation only, narrowing only.
	Policy Policy
	// IssuesJWT says the token endpoint's Issuer mints JWTs, so that a
	// requested_token_type of TokenTypeJWT can be honoured; the token is
	// then still an access token, with token_type Bearer.
	IssuesJWT bool
	// MaxActDepth bounds the number of actors in the act chain of an
	// issued token (RFC 8693 §4.1); zero means DefaultMaxActDepth.
	MaxActDepth int
	// AllowPublicClients lets registered public clients (no secret)
	// exchange tokens. Off, token exchange needs client authentication
	// (RFC 8693 §5; conformance TX-12): anyone holding a stolen token
	// could otherwise mint new ones.
	AllowPublicClients bool
}

// Grant is the token exchange grant of RFC 8693, for the Grants of a
// token.Handler. Build it with New; it is safe for concurrent use.
type Grant struct {
	verifiers map[string]token.Verifier
	refresh   bool
	policy    Policy
	jwt       bool
	maxDepth  int
	public    bool
}

var _ token.Grant = (*Grant)(nil)

// New checks cfg and returns the grant.
func New(cfg Config) (*Grant, error) {
	if len(cfg.Verifiers) == 0 && !cfg.RefreshTokens {
		return nil, errors.New("exchange: Config.Verifiers is required")
	}
	for typ, v := range cfg.Verifiers {
		switch {
		case typ == TokenTypeRefreshToken:
			return nil, errors.New("exchange: refresh tokens are enabled with Config.RefreshTokens, not a Verifier")
		case !absoluteURI(typ):
			return nil, errors.New("exchange: token type " + typ + " is not an absolute URI")
		case v == nil:
			return nil, errors.New("exchange: nil Verifier for " + typ)
		}
	}
	if cfg.MaxActDepth < 0 {
		return nil, errors.New("exchange: Config.MaxActDepth is negative")
	}
	g := &Grant{
		verifiers: maps.Clone(cfg.Verifiers),
		refresh:   cfg.RefreshTokens,
		policy:    cfg.Policy,
		jwt:       cfg.IssuesJWT,
		maxDepth:  cfg.MaxActDepth,
		public:    cfg.AllowPublicClients,
	}
	if g.policy == nil {
		g.policy = DefaultPolicy{}
	}
	if g.maxDepth == 0 {
		g.maxDepth = DefaultMaxActDepth
	}
	return g, nil
}

// Type implements token.Grant: token.GrantTokenExchange.
func (*Grant) Type() string { return token.GrantTokenExchange }

// Grant implements token.Grant (RFC 8693 §2.1, §2.2).
func (g *Grant) Grant(ctx context.Context, req *token.Request) (*token.Result, error) {
	res, err := g.exchange(ctx, req)
	if err != nil {
		refused(ctx, req, err)
		return nil, err
	}
	return res, nil
}

func (g *Grant) exchange(ctx context.Context, req *token.Request) (*token.Result, error) {
	if err := g.checkClient(req); err != nil {
		return nil, err
	}
	p, err := parseParams(req.Form)
	if err != nil {
		return nil, err
	}
	issuedType, err := g.issuedType(p.requestedType)
	if err != nil {
		return nil, err
	}
	subject, family, err := g.subject(ctx, req, p.subject, p.subjectType)
	if err != nil {
		return nil, err
	}
	if p.scope != nil && !p.scope.SubsetOf(subject.Scope) {
		return nil, token.ErrInvalidScope("scope exceeds the subject token's") // TX-09
	}
	var actor *token.Info
	if p.actor != "" {
		if actor, err = g.actor(ctx, req, p.actor, p.actorType); err != nil {
			return nil, err
		}
		if err := checkActorToken(actor); err != nil {
			return nil, err
		}
	}
	who := acting(req.Client.ID, subject, actor)
	if err := checkMayAct(subject, who); err != nil {
		return nil, err
	}
	// The policy gets copies, so that nothing it does can change what the
	// grant enforces afterwards.
	client := *req.Client
	r := &Request{
		Client: &client, Subject: subject.Clone(), SubjectType: p.subjectType,
		Acting:   copyChain(who),
		Audience: p.audience, Resource: p.resource, Scope: append(token.Scope(nil), p.scope...),
		RequestedTokenType: p.requestedType,
	}
	if actor != nil {
		r.Actor, r.ActorType = actor.Clone(), p.actorType
	}
	d, err := g.decide(ctx, req, r)
	if err != nil {
		return nil, err
	}
	access, err := g.issue(req, subject, p.scope, who, d)
	if err != nil {
		return nil, err
	}
	res := &token.Result{
		Access:          *access,
		Family:          family,
		IssuedTokenType: issuedType,
		TokenType:       "Bearer",
		Event:           "exchanged",
	}
	if d.Refresh {
		res.Refresh = access.Clone()
		res.Refresh.ExpiresAt = time.Time{} // the token endpoint's RefreshTTL…
		if !d.OutliveSubject {
			res.Refresh.ExpiresAt = subject.ExpiresAt // …but never past the subject token
		}
	}
	return res, nil
}

// checkClient requires client authentication (RFC 8693 §5, TX-12) unless
// public clients are allowed. A request naming no client, or a public one,
// gets 401 invalid_client: no client authentication was included
// (RFC 6749 §5.2).
func (g *Grant) checkClient(req *token.Request) error {
	c := req.Client
	if c == nil || c.ID == "" {
		return req.Auth.InvalidClient()
	}
	if !c.Authenticated() && !(g.public && c.Client != nil) {
		return req.Auth.InvalidClient()
	}
	return nil
}

// issuedType is the issued_token_type for a requested_token_type
// (RFC 8693 §2.2.1): an access token, written as TokenTypeJWT when that
// was asked and the endpoint mints JWTs. Anything else is invalid_request
// (TX-05).
func (g *Grant) issuedType(requested string) (string, error) {
	switch {
	case requested == "" || requested == TokenTypeAccessToken:
		return TokenTypeAccessToken, nil
	case requested == TokenTypeJWT && g.jwt:
		return TokenTypeJWT, nil
	}
	return "", token.ErrInvalidRequest("unsupported requested_token_type")
}

// decide asks the policy, passing its *token.Error refusals on and turning
// any other failure into server_error.
func (g *Grant) decide(ctx context.Context, req *token.Request, r *Request) (*Decision, error) {
	d, err := g.policy.Decide(ctx, r)
	if err != nil {
		var te *token.Error
		if errors.As(err, &te) {
			return nil, te
		}
		req.Logger.LogAttrs(ctx, slog.LevelError, "exchange: policy failed", slog.String("error", err.Error()))
		return nil, token.ErrServer()
	}
	if d == nil {
		return nil, token.ErrInvalidRequest("the exchange is not allowed")
	}
	return d, nil
}
