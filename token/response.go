package token

import (
	"encoding/json"
	"net/http"
	"strconv"
	"unicode/utf8"
)

// response is the successful token response: RFC 6749 §5.1, IndieAuth
// §5.3.3 (me, profile) and RFC 8693 §2.2.1 (issued_token_type).
type response struct {
	AccessToken     string   `json:"access_token"`
	IssuedTokenType string   `json:"issued_token_type,omitempty"`
	TokenType       string   `json:"token_type"`
	ExpiresIn       int64    `json:"expires_in,omitempty"`
	RefreshToken    string   `json:"refresh_token,omitempty"`
	Scope           string   `json:"scope,omitempty"`
	Me              string   `json:"me,omitempty"`
	Profile         *Profile `json:"profile,omitempty"`
}

func writeResponse(w http.ResponseWriter, res *response) {
	WriteRawJSON(w, http.StatusOK, res.appendJSON(make([]byte, 0, 128+len(res.AccessToken)+len(res.RefreshToken)+len(res.Me)+len(res.Scope))))
}

// appendJSON encodes the response as encoding/json would (same members,
// order and omissions) without reflection: it is on every token request.
func (r *response) appendJSON(b []byte) []byte {
	b = append(b, `{"access_token":`...)
	b = AppendJSONString(b, r.AccessToken)
	b = appendMember(b, "issued_token_type", r.IssuedTokenType)
	b = append(b, `,"token_type":`...)
	b = AppendJSONString(b, r.TokenType)
	if r.ExpiresIn != 0 {
		b = append(b, `,"expires_in":`...)
		b = strconv.AppendInt(b, r.ExpiresIn, 10)
	}
	b = appendMember(b, "refresh_token", r.RefreshToken)
	b = appendMember(b, "scope", r.Scope)
	b = appendMember(b, "me", r.Me)
	if r.Profile != nil {
		if p, err := json.Marshal(r.Profile); err == nil {
			b = append(b, `,"profile":`...)
			b = append(b, p...)
		}
	}
	return append(b, '}')
}

// appendMember appends ,"name":"value" unless value is empty.
func appendMember(b []byte, name, value string) []byte {
	if value == "" {
		return b
	}
	b = append(b, ',', '"')
	b = append(b, name...)
	b = append(b, '"', ':')
	return AppendJSONString(b, value)
}

// appendJSONString appends s as a JSON string: quotes, backslashes and
// control characters escaped, and <, >, & too, as encoding/json does;
// invalid UTF-8 becomes U+FFFD.
func AppendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
