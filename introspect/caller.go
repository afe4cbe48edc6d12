package introspect

import (
	"context"
	"net/http"
	"strings"

	"github.com/tokenkit/tokenkit/token"
)

// Caller is who asks the introspection endpoint, once authorized.
type Caller struct {
	// ID is the authenticated client's client_id, or the client_id of the
	// caller's bearer token.
	ID string
	// Client is the registered client; nil for a bearer caller.
	Client *token.Client
	// Token is what the caller's bearer token says; nil for a client.
	Token *token.Info
	// Method is how the caller authenticated: token.AuthSecretBasic,
	// token.AuthSecretPost, or MethodBearer.
	Method string
}

// MethodBearer is the introspection_endpoint_auth_methods_supported value
// for callers presenting a bearer access token: RFC 8414 §2 admits access
// token types (RFC 6750 "Bearer") next to client authentication methods.
const MethodBearer = "Bearer"

// Authorizer decides who may call the introspection endpoint (RFC 7662
// §2.1: the endpoint MUST require authorization). It returns the caller,
// or a *token.Error to answer with: 401 for a missing or insufficient
// authorization, as IndieAuth §6.1 requires.
type Authorizer interface {
	Authorize(ctx context.Context, r *http.Request, f *token.Form) (*Caller, error)
}

// AuthorizerFunc adapts a function to an Authorizer.
type AuthorizerFunc func(ctx context.Context, r *http.Request, f *token.Form) (*Caller, error)

// Authorize calls f(ctx, r, form).
func (f AuthorizerFunc) Authorize(ctx context.Context, r *http.Request, form *token.Form) (*Caller, error) {
	return f(ctx, r, form)
}

// DefaultPermission is the token.Client permission and the bearer scope
// Callers requires when none is configured.
const DefaultPermission = "introspect"

// Callers is the usual Authorizer: registered clients that authenticate
// with their secret and hold a permission, and, when Bearer is set,
// callers presenting an access token that carries a scope. A request whose
// Authorization scheme is Bearer is judged as a bearer caller, any other
// as a client.
type Callers struct {
	// Auth authenticates clients (client_secret_basic, client_secret_post);
	// share the token endpoint's (token.Handler.Authenticator). Nil admits
	// no client.
	Auth *token.Authenticator
	// Permission is what a client must hold (token.Client.Can); empty means
	// DefaultPermission. A client that authenticates without it gets 401
	// invalid_client (conformance INT-10).
	Permission string
	// Bearer verifies callers' bearer tokens. Nil admits no bearer caller.
	Bearer token.Verifier
	// BearerScope is the scope a caller's token must carry; empty means
	// DefaultPermission. A token without it gets 401 insufficient_scope:
	// IndieAuth §6.1 asks for 401, where RFC 6750 would say 403.
	BearerScope string
	// Realm names the protection space of challenges; empty means "token".
	Realm string
}

var _ Authorizer = (*Callers)(nil)

// AuthMethods lists the introspection_endpoint_auth_methods_supported
// values (RFC 8414 §2) for what c admits.
func (c *Callers) AuthMethods() []string {
	var out []string
	if c.Auth != nil {
		out = append(out, token.AuthSecretBasic, token.AuthSecretPost)
	}
	if c.Bearer != nil {
		out = append(out, MethodBearer)
	}
	return out
}

func (c *Callers) permission() string {
	if c.Permission == "" {
		return DefaultPermission
	}
	return c.Permission
}

func (c *Callers) realm() string {
	if c.Realm == "" {
		return "token"
	}
	return c.Realm
}

// Authorize implements Authorizer.
func (c *Callers) Authorize(ctx context.Context, r *http.Request, f *token.Form) (*Caller, error) {
	if hs := r.Header.Values("Authorization"); len(hs) == 1 {
		if scheme, _, _ := strings.Cut(hs[0], " "); strings.EqualFold(scheme, "Bearer") {
			return c.bearer(ctx, r)
		}
	}
	if c.Auth == nil {
		return nil, c.unauthorized()
	}
	ca, err := c.Auth.Authenticate(ctx, r, f)
	if err != nil {
		return nil, err
	}
	if !ca.Authenticated() {
		return nil, c.unauthorized()
	}
	if !ca.Client.Can(c.permission()) {
		return nil, c.Auth.InvalidClient()
	}
	return &Caller{ID: ca.ID, Client: ca.Client, Method: ca.Method}, nil
}

func (c *Callers) bearer(ctx context.Context, r *http.Request) (*Caller, error) {
	realm := c.realm()
	if c.Bearer == nil {
		return nil, c.unauthorized()
	}
	tok, err := headerToken(r)
	if err != nil {
		return nil, errCredentials(realm, err)
	}
	info, err := c.Bearer.Verify(ctx, tok)
	switch {
	case token.IsInvalid(err):
		return nil, errInvalidToken(realm)
	case err != nil:
		return nil, token.ErrUnavailable()
	}
	scope := c.BearerScope
	if scope == "" {
		scope = DefaultPermission
	}
	if !info.Scope.Has(scope) {
		e := errInsufficientScope(realm, scope)
		e.Status = http.StatusUnauthorized
		return nil, e
	}
	// A user's consent does not make an app an introspection caller (RFC
	// 7662 §4): the token must be the client's own (client_credentials,
	// naming no user) and, when clients are known, the client must hold
	// the permission too.
	if info.Me != "" || info.ClientID == "" || info.Subject != info.ClientID {
		e := errInsufficientScope(realm, scope)
		e.Status = http.StatusUnauthorized
		return nil, e
	}
	var client *token.Client
	if c.Auth != nil && c.Auth.Clients != nil {
		cl, err := c.Auth.Clients.Client(ctx, info.ClientID)
		if err != nil || !cl.Can(c.permission()) {
			e := errInsufficientScope(realm, scope)
			e.Status = http.StatusUnauthorized
			return nil, e
		}
		client = cl
	}
	return &Caller{ID: info.ClientID, Client: client, Token: info, Method: MethodBearer}, nil
}

// unauthorized is the answer to a request without usable authorization:
// 401 invalid_client, challenging for every way c admits.
func (c *Callers) unauthorized() *token.Error {
	var e *token.Error
	if c.Auth != nil {
		e = c.Auth.InvalidClient()
	} else {
		e = token.ErrInvalidClient(c.realm(), "client authentication failed")
		e.Challenge = ""
	}
	if c.Bearer != nil {
		if e.Challenge != "" {
			e.Challenge += ", "
		}
		e.Challenge += bearerChallenge(c.realm(), "", "", "")
	}
	return e
}
