package token

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"time"
)

// Config configures a token endpoint Handler.
type Config struct {
	// Issuer is the authorization server's issuer identifier, written as
	// iss into every token. Required.
	Issuer string
	// Store records what must persist: codes, tokens, refresh families.
	// Required.
	Store Store
	// Clients looks registered clients up. Nil means none are registered:
	// only IndieAuth public clients (URL client_ids) can be served.
	Clients Clients
	// Tokens mints access tokens: a *JWT for self-encoded tokens, or nil
	// for opaque ones (256 random bits, only their hash stored).
	Tokens Issuer
	// Grants are the grant types the endpoint accepts, each answering its
	// own grant_type. Nil means authorization_code with LocalCodes on
	// Store, and refresh_token.
	Grants []Grant
	// AccessTTL is the access token lifetime; 0 means one hour.
	AccessTTL time.Duration
	// RefreshTTL is how long an unused refresh token lives; each rotation
	// starts it again, so it is an inactivity limit (RFC 9700 §4.14.2).
	// 0 means 30 days.
	RefreshTTL time.Duration
	// Audience is the aud of tokens whose grant named none. Empty means
	// the Issuer, the usual IndieAuth arrangement where the user's site is
	// both authorization and resource server.
	Audience []string
	// Realm names the Basic challenge sent with invalid_client; empty
	// means "token".
	Realm string
	// FailureLimit throttles repeated failed client authentications (RFC
	// 6749 §2.3.1). Nil means the default: 10 failures a minute per client
	// id.
	FailureLimit *FailureLimit
	// Logger receives security events (issued, refreshed, replay
	// detected, family revoked). Tokens and secrets are never logged. Nil
	// means no logging.
	Logger *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Rand is the source of token randomness; nil means crypto/rand.
	Rand io.Reader

	// Verify, when set, answers GET on the endpoint: the legacy IndieAuth
	// token verification (package introspect provides it), so both
	// dialects share one path with no router.
	Verify http.Handler
	// Revoke, when set, answers POST with action=revoke: the legacy
	// IndieAuth revocation (package revoke provides it). It receives the
	// already parsed form through ParseForm.
	Revoke http.Handler
}

// Handler is the token endpoint (RFC 6749 §3.2): POST only, a strictly
// parsed form, client authentication, then the Grant named by grant_type.
// Mount it at any path. It is safe for concurrent use.
type Handler struct {
	cfg    Config
	auth   Authenticator
	grants map[string]Grant
	log    *slog.Logger
	allow  string
}

// NewHandler checks cfg and returns the endpoint.
func NewHandler(cfg Config) (*Handler, error) {
	if cfg.Issuer == "" {
		return nil, errors.New("token: Config.Issuer is required")
	}
	if cfg.Store == nil {
		return nil, errors.New("token: Config.Store is required")
	}
	if cfg.Clients == nil {
		cfg.Clients = NewMemoryClients()
	}
	if cfg.Tokens == nil {
		cfg.Tokens = &Opaque{Rand: cfg.Rand}
	}
	if cfg.Grants == nil {
		cfg.Grants = []Grant{&AuthorizationCode{Codes: &LocalCodes{Store: cfg.Store, Rand: cfg.Rand}}, &RefreshToken{}}
	}
	if cfg.AccessTTL <= 0 {
		cfg.AccessTTL = time.Hour
	}
	if cfg.RefreshTTL <= 0 {
		cfg.RefreshTTL = 30 * 24 * time.Hour
	}
	if len(cfg.Audience) == 0 {
		cfg.Audience = []string{cfg.Issuer}
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.FailureLimit == nil {
		cfg.FailureLimit = &FailureLimit{Now: cfg.Now}
	}
	h := &Handler{cfg: cfg, auth: Authenticator{Clients: cfg.Clients, Realm: cfg.Realm, Limit: cfg.FailureLimit}, grants: make(map[string]Grant, len(cfg.Grants))}
	for _, g := range cfg.Grants {
		if c, ok := g.(interface{ check() error }); ok {
			if err := c.check(); err != nil {
				return nil, err
			}
		}
		t := g.Type()
		if t == "" || h.grants[t] != nil {
			return nil, errors.New("token: grant type " + t + " is empty or given twice")
		}
		h.grants[t] = g
	}
	h.log = cfg.Logger
	if h.log == nil {
		h.log = slog.New(slog.DiscardHandler)
	}
	h.allow = "POST"
	if cfg.Verify != nil {
		h.allow = "GET, POST"
	}
	return h, nil
}

// GrantTypes lists the grant types the endpoint accepts, for the server
// metadata's grant_types_supported (RFC 8414 §2).
func (h *Handler) GrantTypes() []string {
	out := make([]string, 0, len(h.cfg.Grants))
	for _, g := range h.cfg.Grants {
		out = append(out, g.Type())
	}
	return out
}

// Authenticator returns the client authentication the endpoint uses, so
// sibling endpoints (introspection, revocation) authenticate alike.
func (h *Handler) Authenticator() *Authenticator { return &h.auth }

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.Method == http.MethodPost:
	case r.Method == http.MethodGet && h.cfg.Verify != nil:
		h.cfg.Verify.ServeHTTP(w, r)
		return
	default:
		WriteMethodNotAllowed(w, h.allow)
		return
	}
	f, err := ParseForm(w, r)
	if err != nil {
		WriteError(w, err)
		return
	}
	if action := f.Get("action"); action != "" {
		// IndieAuth 2020 §7: revocation on the token endpoint. It never
		// issues a token nor looks at grant parameters.
		if action == "revoke" && h.cfg.Revoke != nil {
			h.cfg.Revoke.ServeHTTP(w, WithForm(r, f))
			return
		}
		WriteError(w, ErrInvalidRequest("unsupported action"))
		return
	}
	res, err := h.serve(r, f)
	if err != nil {
		WriteError(w, err)
		return
	}
	writeResponse(w, res)
}

func (h *Handler) serve(r *http.Request, f *Form) (*response, error) {
	ctx := r.Context()
	gt := f.Get("grant_type")
	if gt == "" {
		return nil, ErrInvalidRequest("grant_type is required")
	}
	g := h.grants[gt]
	if g == nil {
		return nil, &Error{Code: CodeUnsupportedGrantType, Description: "grant type not supported"}
	}
	client, err := h.auth.Authenticate(ctx, r, f)
	if err != nil {
		return nil, err
	}
	if client.ID != "" && !client.Client.MayUse(gt) {
		return nil, ErrUnauthorizedClient("the client may not use this grant type")
	}
	req := &Request{Form: f, Client: client, Auth: &h.auth, Now: h.cfg.Now(), Store: h.cfg.Store, Logger: h.log, HTTP: r}
	res, err := g.Grant(ctx, req)
	if err != nil {
		return nil, err
	}
	return h.mint(ctx, req, res)
}

// mint issues and records the tokens a grant decided on.
func (h *Handler) mint(ctx context.Context, req *Request, res *Result) (*response, error) {
	now := req.Now.Truncate(time.Second)
	info := &res.Access
	info.Issuer = h.cfg.Issuer
	info.IssuedAt = now
	if exp := now.Add(h.cfg.AccessTTL); info.ExpiresAt.IsZero() || info.ExpiresAt.After(exp) {
		info.ExpiresAt = exp
	}
	if info.Subject == "" {
		info.Subject = info.Me
		if info.Subject == "" {
			info.Subject = info.ClientID
		}
	}
	if len(info.Audience) == 0 {
		info.Audience = h.cfg.Audience
	}
	jti, err := randomID(h.cfg.Rand)
	if err != nil {
		return nil, ErrServer()
	}
	info.ID = jti
	family := res.Family
	if family == "" {
		family = jti
	}
	access, err := h.cfg.Tokens.Issue(ctx, info)
	if err != nil {
		h.log.ErrorContext(ctx, "token: minting failed", "error", err)
		return nil, ErrServer()
	}
	if err := h.cfg.Store.Put(ctx, &Record{Key: HashToken(access), Kind: KindAccess, Family: family, Info: *info}); err != nil {
		h.log.ErrorContext(ctx, "token: recording failed", "error", err)
		return nil, ErrServer()
	}
	out := &response{
		AccessToken:     access,
		IssuedTokenType: res.IssuedTokenType,
		TokenType:       res.TokenType,
		ExpiresIn:       int64(info.ExpiresAt.Sub(now) / time.Second),
		Scope:           info.Scope.String(),
		Me:              info.Me,
		Profile:         res.Profile,
	}
	if out.TokenType == "" {
		out.TokenType = "Bearer"
	}
	if res.Refresh != nil {
		rt := res.RefreshToken
		if rt == "" {
			if rt, err = randomString(h.cfg.Rand); err != nil {
				return nil, ErrServer()
			}
		}
		if !res.RefreshStored {
			ri := res.Refresh
			ri.Issuer, ri.IssuedAt = h.cfg.Issuer, now
			if exp := now.Add(h.cfg.RefreshTTL); ri.ExpiresAt.IsZero() || ri.ExpiresAt.After(exp) {
				ri.ExpiresAt = exp // a grant may end it sooner, never later
			}
			if ri.Subject == "" {
				ri.Subject = info.Subject
			}
			if err := h.cfg.Store.Put(ctx, &Record{Key: HashToken(rt), Kind: KindRefresh, Family: family, Info: *ri}); err != nil {
				h.log.ErrorContext(ctx, "token: recording failed", "error", err)
				return nil, ErrServer()
			}
		}
		out.RefreshToken = rt
	}
	event := res.Event
	if event == "" {
		event = "issued"
	}
	if !h.log.Enabled(ctx, slog.LevelInfo) {
		return out, nil
	}
	h.log.LogAttrs(ctx, slog.LevelInfo, "token: "+event,
		slog.String("grant_type", req.Form.Get("grant_type")),
		slog.String("client_id", info.ClientID),
		slog.String("me", info.Me),
		slog.String("scope", out.Scope),
		slog.String("jti", info.ID),
		slog.String("family", familyTag(family)),
		slog.Bool("refresh_token", out.RefreshToken != ""))
	return out, nil
}

// familyTag is a short, non-secret name for a family in logs.
func familyTag(f string) string {
	if len(f) > 8 {
		return f[:8]
	}
	return f
}

// randomID returns a 128-bit random identifier (jti, family), 22 base64url
// characters.
func randomID(rnd io.Reader) (string, error) { return randomEncoded(rnd, 16) }
