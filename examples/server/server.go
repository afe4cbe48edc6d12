package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"html/template"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/tokenkit/tokenkit/exchange"
	"github.com/tokenkit/tokenkit/introspect"
	"github.com/tokenkit/tokenkit/metadata"
	"github.com/tokenkit/tokenkit/revoke"
	"github.com/tokenkit/tokenkit/token"
)

type server struct {
	mux *http.ServeMux
	log *slog.Logger
}

// newServer composes the endpoints. Everything here is the library's
// public API; the paths are this application's choice.
func newServer(ctx context.Context, cfg *config, db *database, out io.Writer) (*server, error) {
	log := slog.New(slog.NewTextHandler(out, nil))
	iss := cfg.issuer
	u, err := url.Parse(iss)
	if err != nil || u.Host == "" || !strings.HasSuffix(iss, "/") {
		return nil, fmt.Errorf("-issuer %q: want an absolute URL ending in /", iss)
	}
	insecureLoopback := u.Scheme == "http" && isLoopback(u.Hostname())

	clients := token.NewMemoryClients()
	var ids []string
	for _, c := range cfg.clients {
		id, secret, ok := strings.Cut(c, ":")
		if !ok || id == "" || secret == "" {
			return nil, fmt.Errorf("-client %q: want ID:SECRET", c)
		}
		ids = append(ids, id)
		clients.Add(&token.Client{
			ID: id, Secret: token.HashSecret(secret),
			Grants:      []string{token.GrantClientCredentials, token.GrantTokenExchange},
			Scope:       token.Scope{"read", "write", "create", "update"},
			Permissions: []string{introspect.DefaultPermission},
		})
	}

	keys, err := db.signingKeys(ctx)
	if err != nil {
		return nil, fmt.Errorf("signing keys: %w", err)
	}
	// One verifier for the server's own tokens: signature, claims, and
	// the store's revocation records.
	jwt := &token.JWT{Keys: keys, Issuer: iss, Store: db.store}
	limit := &token.FailureLimit{}
	auth := &token.Authenticator{Clients: clients, Limit: limit}
	pw, err := token.HashPassword(cfg.password, 100_000, nil)
	if err != nil {
		return nil, err
	}
	csrfKey := make([]byte, 32)
	rand.Read(csrfKey)
	codes := &token.LocalCodes{Store: db.store}
	authz := &authorizer{
		issuer: iss, me: cfg.me, password: pw, codes: codes, autoApprove: cfg.autoApprove,
		profile: &token.Profile{Name: "Site owner", URL: cfg.me},
		csrfKey: csrfKey, log: log, now: time.Now, page: newConsentPage(),
		guesses: &token.FailureLimit{Max: 5}, host: u.Host,
	}
	profiles := token.ProfileFunc(authz.profileFunc)

	revoker, err := revoke.NewHandler(revoke.Config{Store: db.store, Auth: auth, Verifier: jwt, AllowPublic: true, Logger: log})
	if err != nil {
		return nil, err
	}
	legacy, err := introspect.NewLegacy(introspect.LegacyConfig{Verifier: jwt})
	if err != nil {
		return nil, err
	}
	exch, err := exchange.New(exchange.Config{
		Verifiers: map[string]token.Verifier{exchange.TokenTypeAccessToken: jwt, exchange.TokenTypeJWT: jwt},
		Policy:    demoPolicy(iss, ids),
		IssuesJWT: true,
	})
	if err != nil {
		return nil, err
	}
	tokens, err := token.NewHandler(token.Config{
		Issuer: iss, Store: db.store, Clients: clients, Tokens: jwt, FailureLimit: limit, Logger: log,
		Grants: []token.Grant{
			&token.AuthorizationCode{Codes: codes, Profiles: profiles},
			&token.RefreshToken{},
			token.ClientCredentials{},
			exch,
		},
		Verify: legacy,  // GET /token: IndieAuth 2020 token verification
		Revoke: revoker, // POST /token action=revoke
	})
	if err != nil {
		return nil, err
	}
	callers := &introspect.Callers{Auth: auth}
	intro, err := introspect.NewHandler(introspect.Config{Verifier: jwt, Callers: callers, Refresh: db.store, Logger: log})
	if err != nil {
		return nil, err
	}
	meta, err := metadata.NewHandler(metadata.Config{
		AllowInsecureLoopback: insecureLoopback,
		Metadata: metadata.Metadata{
			Issuer:                                     iss,
			AuthorizationEndpoint:                      iss + "auth",
			TokenEndpoint:                              iss + "token",
			IntrospectionEndpoint:                      iss + "introspect",
			RevocationEndpoint:                         iss + "revoke",
			UserinfoEndpoint:                           iss + "userinfo",
			JWKSURI:                                    iss + "jwks",
			ScopesSupported:                            []string{"profile", "email", "create", "update", "delete", "read", "write"},
			ResponseTypesSupported:                     []string{"code"},
			GrantTypesSupported:                        tokens.GrantTypes(),
			CodeChallengeMethodsSupported:              []string{token.PKCES256},
			TokenEndpointAuthMethodsSupported:          []string{token.AuthSecretBasic, token.AuthSecretPost, token.AuthNone},
			IntrospectionEndpointAuthMethodsSupported:  callers.AuthMethods(),
			RevocationEndpointAuthMethodsSupported:     revoker.AuthMethods(),
			AuthorizationResponseIssParameterSupported: true,
		},
	})
	if err != nil {
		return nil, err
	}
	wellKnown, err := metadata.WellKnownURL(iss)
	if err != nil {
		return nil, err
	}
	wk, _ := url.Parse(wellKnown)

	guard := introspect.Middleware(introspect.MiddlewareConfig{Verifier: jwt, Audience: iss, Realm: "micropub"})
	mux := http.NewServeMux()
	mux.Handle("/{$}", &home{issuer: iss, me: cfg.me, metadataURL: wellKnown, page: newHomePage()})
	mux.Handle(wk.Path, meta)
	mux.Handle("/auth", authz)
	mux.Handle("/token", tokens)
	mux.Handle("/introspect", intro)
	mux.Handle("/revoke", revoker)
	mux.Handle("/userinfo", guard(introspect.Userinfo(profiles)))
	mux.Handle("/jwks", keys.Handler())
	(&micropub{db: db, baseURL: iss, owner: cfg.me}).routes(mux, guard)
	return &server{mux: mux, log: log}, nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// demoPolicy is the token exchange policy of the example: a registered
// client may exchange a token issued to it or naming it as audience (a
// user's token it received as an API) for a narrower one addressed to this
// server or to another registered client, valid ten minutes at most, with
// itself named in act. Nobody may impersonate.
func demoPolicy(issuer string, clientIDs []string) exchange.Policy {
	targets := map[string][]string{}
	for _, id := range clientIDs {
		t := []string{issuer}
		for _, other := range clientIDs {
			if other != id {
				t = append(t, other)
			}
		}
		targets[id] = t
	}
	return exchange.DefaultPolicy{Targets: targets, Lifetime: 10 * time.Minute}
}

// home is the owner's profile page: it advertises the endpoints with Link
// headers and <link> elements (IndieAuth §4.1).
type home struct {
	issuer, me, metadataURL string
	page                    *template.Template
}

const homeHTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{{.Me}}</title>
<link rel="indieauth-metadata" href="{{.Metadata}}">
<link rel="authorization_endpoint" href="{{.Issuer}}auth">
<link rel="token_endpoint" href="{{.Issuer}}token">
<link rel="micropub" href="{{.Issuer}}micropub">
</head>
<body>
<h1 class="h-card"><a class="u-url" href="{{.Me}}">Site owner</a></h1>
<p>This site is its own IndieAuth server. Sign in to IndieWeb apps with <code>{{.Me}}</code>.</p>
</body>
</html>
`

func newHomePage() *template.Template { return template.Must(template.New("home").Parse(homeHTML)) }

func (h *home) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	hd := w.Header()
	hd.Add("Link", `<`+h.metadataURL+`>; rel="indieauth-metadata"`)
	hd.Add("Link", `<`+h.issuer+`auth>; rel="authorization_endpoint"`)
	hd.Add("Link", `<`+h.issuer+`token>; rel="token_endpoint"`)
	hd.Add("Link", `<`+h.issuer+`micropub>; rel="micropub"`)
	hd.Set("Content-Type", "text/html; charset=utf-8")
	_ = h.page.Execute(w, map[string]string{"Me": h.me, "Issuer": h.issuer, "Metadata": h.metadataURL})
}
