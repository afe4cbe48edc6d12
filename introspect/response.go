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
	TypeBearer  = "Bearer"        // an access token (RFC 6750)
	TypeRefresh = "refresh_token" // a refresh token, which no resource server may accept
)

// claims is what an introspection (RFC 7662 §2.2) or legacy verification
// (IndieAuth 2020 §6.2) response says about an active token. Member names
// follow RFC 7662 and IndieAuth §6.2 (me).
type claims struct {
	Me        string       `json:"me,omitempty"`
	ClientID  string       `json:"client_id,omitempty"`
	Scope     string       `json:"scope,omitempty"`
	TokenType string       `json:"token_type,omitempty"`
	Exp       int64        `json:"exp,omitempty"`
	Iat       int64        `json:"iat,omitempty"`
	Nbf       int64        `json:"nbf,omitempty"`
	Sub       string       `json:"sub,omitempty"`
	Aud       any          `json:"aud,omitempty"` // a string for one audience, else an array
	Iss       string       `json:"iss,omitempty"`
	Jti       string       `json:"jti,omitempty"`
	Act       *token.Actor `json:"act,omitempty"`
}

// active is an active RFC 7662 response: "active" is a JSON boolean,
// never the string the IndieAuth examples show (conformance §14.1).
type active struct {
	Active bool `json:"active"`
	claims
}

// inactive is the whole answer for every token that is not active: no
// member says why (RFC 7662 §2.2).
type inactive struct {
	Active bool `json:"active"`
}

func newClaims(info *token.Info, typ string) claims {
	c := claims{
		Me:        info.Me,
		ClientID:  info.ClientID,
		Scope:     info.Scope.String(),
		TokenType: typ,
		Exp:       unix(info.ExpiresAt),
		Iat:       unix(info.IssuedAt),
		Nbf:       unix(info.NotBefore),
		Sub:       info.Subject,
		Iss:       info.Issuer,
		Jti:       info.ID,
		Act:       info.Actor,
	}
	switch len(info.Audience) {
	case 0:
	case 1:
		if info.Audience[0] != "" {
			c.Aud = info.Audience[0]
		}
	default:
		c.Aud = info.Audience
	}
	return c
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
func encodeForm(c *claims, aud []string) string {
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
	add("scope", c.Scope)
	add("token_type", c.TokenType)
	num("exp", c.Exp)
	num("iat", c.Iat)
	num("nbf", c.Nbf)
	add("sub", c.Sub)
	for _, a := range aud {
		add("aud", a)
	}
	add("iss", c.Iss)
	add("jti", c.Jti)
	return b.String()
}
