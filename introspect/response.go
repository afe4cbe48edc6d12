package introspect

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/tokenkit/tokenkit/token"
)

// Token types an introspection response names (RFC 7662 §2.2 token_type).
const (
	typeBearer  = "Bearer"        // an access token (RFC 6750)
	typeRefresh = "refresh_token" // a refresh token, which no resource server may accept
)

// claims is what an introspection (RFC 7662 §2.2) or legacy verification
// (IndieAuth 2020 §6.2) response says about an active token. Member names
// follow RFC 7662 and IndieAuth §6.2 (me). appendJSON and encodeForm
// write it; empty members are left out.
type claims struct {
	Me        string
	ClientID  string
	Scope     token.Scope
	TokenType string
	Exp       int64
	Iat       int64
	Nbf       int64
	Sub       string
	Aud       []string // a string on the wire for one audience, else an array
	Iss       string
	Jti       string
	Act       *token.Actor
}

// inactive is the whole answer for every token that is not active: no
// member says why (RFC 7662 §2.2).
type inactive struct {
	Active bool `json:"active"`
}

func newClaims(info *token.Info, typ string) claims {
	return claims{
		Me:        info.Me,
		ClientID:  info.ClientID,
		Scope:     info.Scope,
		TokenType: typ,
		Exp:       unix(info.ExpiresAt),
		Iat:       unix(info.IssuedAt),
		Nbf:       unix(info.NotBefore),
		Sub:       info.Subject,
		Aud:       info.Audience,
		Iss:       info.Issuer,
		Jti:       info.ID,
		Act:       info.Actor,
	}
}

func unix(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}

// writeInactive writes exactly {"active":false} with Cache-Control:
// no-store (RFC 7662 §2.2, conformance INT-04, INT-09).
func writeInactive(w http.ResponseWriter) {
	token.WriteJSON(w, http.StatusOK, inactive{})
}

// encodeForm renders c as application/x-www-form-urlencoded in the order
// legacy IndieAuth servers wrote it: me, client_id, scope first, then the
// RFC 7662 members that are set. aud repeats for several audiences; act is
// left out, having no flat form.
func encodeForm(c *claims) string {
	var b strings.Builder
	add := func(k, v string) {
		if v == "" {
			return
		}
		if b.Len() > 0 {
			b.WriteByte('&')
		}
		b.WriteString(k)
		b.WriteByte('=')
		b.WriteString(url.QueryEscape(v))
	}
	num := func(k string, n int64) {
		if n != 0 {
			add(k, strconv.FormatInt(n, 10))
		}
	}
	add("me", c.Me)
	add("client_id", c.ClientID)
	add("scope", c.Scope.String())
	add("token_type", c.TokenType)
	num("exp", c.Exp)
	num("iat", c.Iat)
	num("nbf", c.Nbf)
	add("sub", c.Sub)
	for _, a := range c.Aud {
		add("aud", a)
	}
	add("iss", c.Iss)
	add("jti", c.Jti)
	return b.String()
}
