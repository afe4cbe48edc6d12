package introspect

import (
	"encoding/json"
	"net/http"
	"strconv"
	"unicode/utf8"

	"github.com/tokenkit/tokenkit/token"
)

// writeClaims writes c as a 200 JSON response, led by "active": true when
// active is set. It sends the headers token.WriteJSON sends (Content-Type,
// Cache-Control: no-store, Pragma: no-cache) but encodes by hand, without
// reflection: this is the introspection endpoint's hot path, and the
// encoding costs a quarter of what encoding/json does.
func writeClaims(w http.ResponseWriter, c *claims, active bool) {
	var a *bool
	if active {
		a = &active
	}
	body, err := c.appendJSON(make([]byte, 0, 512), a)
	if err != nil {
		token.WriteError(w, token.ErrServer())
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-store")
	h.Set("Pragma", "no-cache")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
}

// appendJSON appends c as a JSON object, members in declaration order and
// empty ones left out, led by "active" when it is given.
func (c *claims) appendJSON(b []byte, active *bool) ([]byte, error) {
	b = append(b, '{')
	if active != nil {
		b = strconv.AppendBool(append(b, `"active":`...), *active)
	}
	str := func(k, v string) {
		if v != "" {
			b = appendString(appendKey(b, k), v)
		}
	}
	num := func(k string, n int64) {
		if n != 0 {
			b = strconv.AppendInt(appendKey(b, k), n, 10)
		}
	}
	str("me", c.Me)
	str("client_id", c.ClientID)
	if len(c.Scope) > 0 {
		b = append(appendKey(b, "scope"), '"')
		for i, tok := range c.Scope {
			if i > 0 {
				b = append(b, ' ')
			}
			b = appendEscaped(b, tok)
		}
		b = append(b, '"')
	}
	str("token_type", c.TokenType)
	num("exp", c.Exp)
	num("iat", c.Iat)
	num("nbf", c.Nbf)
	str("sub", c.Sub)
	switch {
	case len(c.Aud) == 1:
		str("aud", c.Aud[0])
	case len(c.Aud) > 1:
		b = append(appendKey(b, "aud"), '[')
		for i, a := range c.Aud {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, a)
		}
		b = append(b, ']')
	}
	str("iss", c.Iss)
	str("jti", c.Jti)
	if c.Act != nil {
		act, err := json.Marshal(c.Act)
		if err != nil {
			return nil, err
		}
		b = append(appendKey(b, "act"), act...)
	}
	return append(b, '}'), nil
}

func appendKey(b []byte, k string) []byte {
	if b[len(b)-1] != '{' {
		b = append(b, ',')
	}
	b = append(b, '"')
	b = append(b, k...)
	return append(b, '"', ':')
}

// appendString appends s as a JSON string, as encoding/json would:
// quotes, backslashes and control characters escaped, invalid UTF-8
// replaced by U+FFFD.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	b = appendEscaped(b, s)
	return append(b, '"')
}

// appendEscaped appends the inside of a JSON string holding s.
func appendEscaped(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			i++
			continue
		}
		if c < utf8.RuneSelf {
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
	return append(b, s[start:]...)
}
