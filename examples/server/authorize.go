package main

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"html/template"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	_ "embed"

	"github.com/tokenkit/tokenkit/token"
)

// authorizer is the IndieAuth authorization endpoint (IndieAuth §5.2) of a
// single-user site: it checks the request, asks the owner on a consent
// page (or approves at once with -auto-approve), mints a code with PKCE
// through token.LocalCodes and sends it back with iss (RFC 9207). POSTs
// carrying a code are the profile-only redemption of §5.3.2.
type authorizer struct {
	issuer      string
	me          string
	password    *token.Secret
	codes       *token.LocalCodes
	profile     *token.Profile
	autoApprove bool
	csrfKey     []byte
	log         *slog.Logger
	now         func() time.Time
	page        *template.Template
	// guesses limits wrong passwords on the consent page.
	guesses *token.FailureLimit
	// host is the issuer's host: with auto-approve, requests naming any
	// other Host are refused, so a DNS-rebinding page cannot collect codes.
	host string
}

//go:embed consent.html
var consentHTML string

// newConsentPage parses the consent page; a template is safe for
// concurrent use once parsed.
func newConsentPage() *template.Template {
	return template.Must(template.New("consent").Parse(consentHTML))
}

// authRequest is a checked authorization request.
type authRequest struct {
	ClientID, RedirectURI, State, Challenge string
	Scope                                   token.Scope
}

// errNoRedirect marks a request whose client or redirect URI cannot be
// trusted: answered on the page, never by redirecting (RFC 6749 §4.1.2.1).
var errNoRedirect = errors.New("invalid client_id or redirect_uri")

func (a *authorizer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	switch r.Method {
	case http.MethodGet:
		a.request(w, r)
	case http.MethodPost:
		r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
		if err := r.ParseForm(); err != nil {
			http.Error(w, "bad form", http.StatusBadRequest)
			return
		}
		if r.PostForm.Get("code") != "" {
			a.redeem(w, r)
			return
		}
		a.decide(w, r)
	default:
		w.Header().Set("Allow", "GET, POST")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
	}
}

// parse checks an authorization request (IndieAuth §5.2, RFC 7636 §4.3).
// A problem with the client or redirect URI is errNoRedirect; anything
// else is an OAuth error code to send to the redirect URI.
func (a *authorizer) parse(v url.Values) (*authRequest, string, error) {
	clientID, err := token.CanonicalClientID(v.Get("client_id"))
	if err != nil {
		return nil, "", errNoRedirect
	}
	redirect := v.Get("redirect_uri")
	if !sameOrigin(clientID, redirect) {
		// IndieAuth §4.2.2 lets a client publish other redirect URIs;
		// this example accepts only its own origin.
		return nil, "", errNoRedirect
	}
	req := &authRequest{ClientID: clientID, RedirectURI: redirect, State: v.Get("state"), Challenge: v.Get("code_challenge")}
	switch {
	case v.Get("response_type") != "code":
		return req, "unsupported_response_type", nil
	case req.State == "":
		return req, "invalid_request", nil
	case !validChallenge(req.Challenge) || v.Get("code_challenge_method") != token.PKCES256:
		return req, "invalid_request", nil
	}
	if req.Scope, err = token.ParseScope(v.Get("scope")); err != nil {
		return req, "invalid_scope", nil
	}
	return req, "", nil
}

// validChallenge checks an S256 code_challenge: 43 base64url characters
// (RFC 7636 §4.2).
func validChallenge(c string) bool {
	if len(c) != 43 {
		return false
	}
	_, err := base64.RawURLEncoding.DecodeString(c)
	return err == nil
}

func sameOrigin(clientID, redirect string) bool {
	c, err1 := url.Parse(clientID)
	r, err2 := url.Parse(redirect)
	return err1 == nil && err2 == nil && r.IsAbs() && r.Fragment == "" &&
		c.Scheme == r.Scheme && strings.EqualFold(c.Host, r.Host)
}

func (a *authorizer) request(w http.ResponseWriter, r *http.Request) {
	req, code, err := a.parse(r.URL.Query())
	if err != nil {
		http.Error(w, "authorization request refused: "+err.Error(), http.StatusBadRequest)
		return
	}
	if code != "" {
		// Shown here rather than sent to the redirect URI: the client is
		// unverified, and an automatic redirect would make this an open
		// redirector (RFC 9700 §4.11.2).
		http.Error(w, "authorization request refused: "+code, http.StatusBadRequest)
		return
	}
	if a.autoApprove {
		if r.Host != a.host {
			http.Error(w, "auto-approve answers only requests for "+a.host, http.StatusForbidden)
			return
		}
		a.approve(w, r, req)
		return
	}
	a.render(w, r, req, "", http.StatusOK)
}

type pageData struct {
	Req     *authRequest
	Me      string
	Scope   string
	CSRF    string
	Message string
}

func (a *authorizer) render(w http.ResponseWriter, r *http.Request, req *authRequest, msg string, status int) {
	nonce := make([]byte, 16)
	rand.Read(nonce)
	cookie := base64.RawURLEncoding.EncodeToString(nonce)
	http.SetCookie(w, &http.Cookie{Name: "consent_csrf", Value: cookie, Path: "/", HttpOnly: true,
		SameSite: http.SameSiteStrictMode, Secure: strings.HasPrefix(a.issuer, "https:")})
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	// No form-action: browsers apply it to the redirect that follows the
	// form, which goes to the client's origin.
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'")
	w.Header().Set("X-Frame-Options", "DENY")
	w.WriteHeader(status)
	_ = a.page.Execute(w, pageData{Req: req, Me: a.me, Scope: req.Scope.String(), CSRF: a.csrf(cookie), Message: msg})
}

// csrf binds the form to the cookie set with it (double submit, keyed).
func (a *authorizer) csrf(cookie string) string {
	m := hmac.New(sha256.New, a.csrfKey)
	m.Write([]byte(cookie))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

func (a *authorizer) decide(w http.ResponseWriter, r *http.Request) {
	c, err := r.Cookie("consent_csrf")
	if err != nil || subtle.ConstantTimeCompare([]byte(a.csrf(c.Value)), []byte(r.PostForm.Get("csrf"))) != 1 {
		http.Error(w, "the consent form has expired; go back and try again", http.StatusForbidden)
		return
	}
	req, code, err := a.parse(r.PostForm)
	if err != nil {
		http.Error(w, "authorization request refused: "+err.Error(), http.StatusBadRequest)
		return
	}
	if code != "" {
		a.redirect(w, r, req, url.Values{"error": {code}})
		return
	}
	if r.PostForm.Get("decision") != "approve" {
		a.log.Info("authorization denied", "client_id", req.ClientID)
		a.redirect(w, r, req, url.Values{"error": {"access_denied"}})
		return
	}
	if wait := a.guesses.Attempt("owner"); wait > 0 {
		a.render(w, r, req, "Too many wrong passwords; try again in a minute.", http.StatusTooManyRequests)
		return
	}
	if !a.password.Match(r.PostForm.Get("password")) {
		a.log.Warn("consent: wrong password", "client_id", req.ClientID)
		a.render(w, r, req, "Wrong password.", http.StatusUnauthorized)
		return
	}
	a.guesses.Reset("owner")
	a.approve(w, r, req)
}

func (a *authorizer) approve(w http.ResponseWriter, r *http.Request, req *authRequest) {
	code, err := a.codes.Mint(r.Context(), token.CodeParams{
		Me: a.me, ClientID: req.ClientID, RedirectURI: req.RedirectURI, Scope: req.Scope,
		Challenge: req.Challenge, ChallengeMethod: token.PKCES256,
	})
	if err != nil {
		a.log.Error("minting a code failed", "error", err)
		http.Error(w, "could not issue a code", http.StatusInternalServerError)
		return
	}
	a.log.Info("authorization approved", "client_id", req.ClientID, "scope", req.Scope.String())
	a.redirect(w, r, req, url.Values{"code": {code}})
}

// redirect sends the response to the client with state and iss.
func (a *authorizer) redirect(w http.ResponseWriter, r *http.Request, req *authRequest, v url.Values) {
	u, _ := url.Parse(req.RedirectURI)
	if req.State != "" {
		v.Set("state", req.State)
	}
	v.Set("iss", a.issuer)
	// The redirect URI's own query is kept as it was (RFC 6749 §3.1.2).
	if u.RawQuery != "" {
		u.RawQuery += "&"
	}
	u.RawQuery += v.Encode()
	http.Redirect(w, r, u.String(), http.StatusSeeOther)
}

// redeem is the profile-only code redemption (IndieAuth §5.3.2).
func (a *authorizer) redeem(w http.ResponseWriter, r *http.Request) {
	f := r.PostForm
	clientID, err := token.CanonicalClientID(f.Get("client_id"))
	if err != nil {
		token.WriteError(w, token.ErrInvalidRequest("invalid client_id"))
		return
	}
	red, err := a.codes.RedeemProfile(r.Context(), &token.CodeRequest{
		Code: f.Get("code"), ClientID: clientID, RedirectURI: f.Get("redirect_uri"),
		CodeVerifier: f.Get("code_verifier"), Now: a.now(), Logger: a.log,
	})
	if err != nil {
		token.WriteError(w, err)
		return
	}
	out := struct {
		Me      string         `json:"me"`
		Profile *token.Profile `json:"profile,omitempty"`
	}{Me: red.Me, Profile: a.profile.ForScope(red.Scope)}
	token.WriteJSON(w, http.StatusOK, out)
}

// profileFunc serves the owner's profile to the token endpoint and
// userinfo.
func (a *authorizer) profileFunc(_ context.Context, who string) (*token.Profile, error) {
	if who != a.me {
		return nil, nil
	}
	return a.profile, nil
}
