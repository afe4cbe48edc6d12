package introspect

import (
	"errors"
	"net/http"

	"github.com/tokenkit/tokenkit/token"
)

// LegacyConfig configures Legacy.
type LegacyConfig struct {
	// Verifier checks the tokens, as for the introspection Handler.
	// Required.
	Verifier token.Verifier
	// Realm names the protection space of challenges; empty means "token".
	Realm string
	// PreferJSON answers JSON when the Accept header expresses no
	// preference (absent, "*/*", neither type named). By default such
	// requests get the form encoding tokens.indieauth.com sent, which old
	// resource servers were written against (conformance LEG-04).
	PreferJSON bool
}

// Legacy is the token verification of IndieAuth 2020 §6: a GET on the
// token endpoint with the token in an Authorization: Bearer header,
// answered with me, client_id and scope (and the other RFC 7662 members
// known). The response is JSON when the Accept header prefers
// application/json, q-values honoured, and application/x-www-form-urlencoded
// otherwise. Set it as token.Config.Verify, so that one path serves both
// dialects; the token endpoint hands it every GET.
type Legacy struct {
	cfg LegacyConfig
}

// NewLegacy checks cfg and returns the handler.
func NewLegacy(cfg LegacyConfig) (*Legacy, error) {
	if cfg.Verifier == nil {
		return nil, errors.New("introspect: LegacyConfig.Verifier is required")
	}
	if cfg.Realm == "" {
		cfg.Realm = "token"
	}
	return &Legacy{cfg: cfg}, nil
}

// ServeHTTP answers GET (IndieAuth 2020 §6.1): no token → 401 with a bare
// challenge; malformed credentials → 400 invalid_request; a token that is
// not active → 401 invalid_token (§6.2, RFC 6750 §3.1); a verifier that
// could not answer → 503. The token is read from the header only: never
// from the query string, and a GET has no body.
func (l *Legacy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		token.WriteMethodNotAllowed(w, http.MethodGet)
		return
	}
	tok, err := headerToken(r)
	switch {
	case err != nil:
		token.WriteError(w, errCredentials(l.cfg.Realm, err))
		return
	case tok == "":
		writeNoCredentials(w, l.cfg.Realm)
		return
	}
	info, err := l.cfg.Verifier.Verify(r.Context(), tok)
	switch {
	case token.IsInvalid(err):
		token.WriteError(w, errInvalidToken(l.cfg.Realm))
		return
	case err != nil:
		token.WriteError(w, token.ErrUnavailable())
		return
	}
	c := newClaims(info, "")
	h := w.Header()
	h.Add("Vary", "Accept")
	if prefersJSON(r.Header.Get("Accept"), l.cfg.PreferJSON) {
		writeClaims(w, &c, false)
		return
	}
	body := encodeForm(&c)
	h.Set("Content-Type", mediaForm)
	h.Set("Cache-Control", "no-store")
	h.Set("Pragma", "no-cache")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write([]byte(body))
}
