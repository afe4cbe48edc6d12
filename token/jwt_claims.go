package token

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// maxNumericDate is 9999-12-31T23:59:59Z: NumericDates beyond it are
// refused, so no arithmetic on them can overflow (RFC 7519 §2).
const maxNumericDate = 253402300799

// jwtHeader is the protected header Issue writes (RFC 9068 §2.1).
type jwtHeader struct {
	Alg string `json:"alg"`
	Kid string `json:"kid"`
	Typ string `json:"typ"`
}

// decodeHeader decodes a protected header that is not byte for byte one a
// key of the set writes. Parameters that would bring in outside keys or
// change how the token is read are refused (RFC 8725 §3.10, RFC 7515
// §4.1.11, RFC 7797); others are ignored as RFC 7515 §4 asks.
func decodeHeader(seg string) (jwtHeader, error) {
	var h jwtHeader
	raw, err := base64.RawURLEncoding.Strict().DecodeString(seg)
	if err != nil {
		return h, malformed("bad header encoding")
	}
	if !utf8.Valid(raw) {
		return h, malformed("header is not UTF-8")
	}
	it, ok := newObjIter(raw, string(raw))
	if !ok {
		return h, malformed("header is not a JSON object")
	}
	var seen uint8
	for {
		name, v, more, err := it.next()
		if err != nil || !more {
			return h, err
		}
		var bit uint8
		var dst *string
		switch name {
		case "alg":
			bit, dst = 1, &h.Alg
		case "kid":
			bit, dst = 2, &h.Kid
		case "typ":
			bit, dst = 4, &h.Typ
		case "crit", "jku", "x5u", "jwk", "x5c", "b64":
			return h, malformed("refused header parameter")
		default:
			continue
		}
		if seen&bit != 0 {
			return h, malformed("duplicate header parameter")
		}
		seen |= bit
		if *dst, err = jsonString(v); err != nil {
			return h, err
		}
	}
}

// claimsOut is the registered part of what Issue writes, in order.
type claimsOut struct {
	Iss      string   `json:"iss"`
	Sub      string   `json:"sub"`
	Aud      audience `json:"aud,omitempty"`
	Exp      int64    `json:"exp"`
	Iat      int64    `json:"iat"`
	Nbf      int64    `json:"nbf,omitempty"`
	Jti      string   `json:"jti"`
	ClientID string   `json:"client_id"`
	Scope    string   `json:"scope,omitempty"`
	Me       string   `json:"me,omitempty"`
	Act      *Actor   `json:"act,omitempty"`
	MayAct   *Actor   `json:"may_act,omitempty"`
}

// audience is written as a string when it holds one value (RFC 7519 §4.1.3).
type audience []string

func (a audience) MarshalJSON() ([]byte, error) {
	if len(a) == 1 {
		return json.Marshal(a[0])
	}
	return json.Marshal([]string(a))
}

// isRegistered reports whether Issue writes the claim name itself. The
// comparison ignores case, so that no Extra member can shadow a registered
// claim in a verifier whose JSON decoder matches names loosely.
func isRegistered(name string) bool {
	switch strings.ToLower(name) {
	case "iss", "sub", "aud", "exp", "iat", "nbf", "jti", "client_id", "scope", "me", "act", "may_act":
		return true
	}
	return false
}

func encodeClaims(iss, jti string, iat time.Time, info *Info) ([]byte, error) {
	for _, s := range info.Scope {
		if s == "" || strings.IndexFunc(s, func(r rune) bool { return r > 0x7e || !scopeChar(byte(r)) }) >= 0 {
			return nil, errors.New("token: invalid scope token")
		}
	}
	c := claimsOut{
		Iss: iss, Sub: info.Subject, Aud: info.Audience, Exp: info.ExpiresAt.Unix(), Iat: iat.Unix(),
		Jti: jti, ClientID: info.ClientID, Scope: info.Scope.String(), Me: info.Me,
		Act: info.Actor, MayAct: info.MayAct,
	}
	if !info.NotBefore.IsZero() {
		c.Nbf = info.NotBefore.Unix()
	}
	if c.Exp <= 0 || c.Exp > maxNumericDate || c.Iat < 0 || c.Iat > maxNumericDate || c.Nbf < 0 || c.Nbf > maxNumericDate {
		return nil, errors.New("token: JWT times must fall between 1970 and 9999")
	}
	b, err := json.Marshal(&c)
	if err != nil || len(info.Extra) == 0 {
		return b, err
	}
	names := make([]string, 0, len(info.Extra))
	for name := range info.Extra {
		if !isRegistered(name) {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	b = b[:len(b)-1] // drop '}'
	for _, name := range names {
		v := info.Extra[name]
		if !json.Valid(v) {
			return nil, fmt.Errorf("token: extra claim %q is not valid JSON", name)
		}
		q, _ := json.Marshal(name) // a string always marshals
		b = append(b, ',')
		b = append(b, q...)
		b = append(b, ':')
		b = append(b, v...)
	}
	return append(b, '}'), nil
}

// Bits of the registered claims decodeClaims has seen.
const (
	seenIss = 1 << iota
	seenSub
	seenAud
	seenExp
	seenIat
	seenNbf
	seenJti
	seenClientID
	seenScope
	seenMe
	seenAct
	seenMayAct
	seenRequired = seenIss | seenSub | seenExp | seenIat | seenJti | seenClientID
)

// decodeClaims reads a verified JWT payload into an Info, with strict
// types: registered claims must have their JSON type, appear at most once
// and be spelt exactly (member names are case-sensitive); iss, sub, exp,
// iat, jti and client_id are required and non-empty. Other members go to
// Extra.
func decodeClaims(payload []byte) (*Info, error) {
	if !utf8.Valid(payload) {
		return nil, malformed("claims are not UTF-8")
	}
	it, ok := newObjIter(payload, string(payload)) // one copy: every string claim is a substring of it
	if !ok {
		return nil, malformed("claims are not a JSON object")
	}
	info := new(Info)
	var seen uint
	for {
		name, v, more, err := it.next()
		if err != nil {
			return nil, err
		}
		if !more {
			break
		}
		var bit uint
		switch name {
		case "iss":
			bit = seenIss
			info.Issuer, err = jsonString(v)
		case "sub":
			bit = seenSub
			info.Subject, err = jsonString(v)
		case "aud":
			bit = seenAud
			info.Audience, err = jsonAudience(v, it.raw())
		case "exp":
			bit = seenExp
			info.ExpiresAt, err = numericDate(v)
		case "iat":
			bit = seenIat
			info.IssuedAt, err = numericDate(v)
		case "nbf":
			bit = seenNbf
			info.NotBefore, err = numericDate(v)
		case "jti":
			bit = seenJti
			info.ID, err = jsonString(v)
		case "client_id":
			bit = seenClientID
			info.ClientID, err = jsonString(v)
		case "scope":
			bit = seenScope
			var s string
			if s, err = jsonString(v); err == nil {
				if info.Scope, err = ParseScope(s); err != nil {
					err = malformed("bad scope")
				}
			}
		case "me":
			bit = seenMe
			info.Me, err = jsonString(v)
		case "act":
			bit = seenAct
			info.Actor, err = jsonActor(it.raw())
		case "may_act":
			bit = seenMayAct
			info.MayAct, err = jsonActor(it.raw())
		default:
			if info.Extra == nil {
				info.Extra = make(map[string]json.RawMessage)
			} else if _, dup := info.Extra[name]; dup {
				return nil, malformed("duplicate claim")
			}
			info.Extra[name] = it.raw()
			continue
		}
		if err != nil {
			return nil, err
		}
		if seen&bit != 0 {
			return nil, malformed("duplicate claim")
		}
		seen |= bit
	}
	if seen&seenRequired != seenRequired || info.Issuer == "" || info.Subject == "" || info.ID == "" || info.ClientID == "" {
		return nil, malformed("missing required claim")
	}
	return info, nil
}
