package introspect

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tokenkit/tokenkit/token"
)

// ErrRemote reports that a remote endpoint could not say whether a token
// is active: unreachable, too slow, an unexpected status, or a response
// that is too large or malformed (a string "true" for active, a number
// as a string). It is not token.IsInvalid: the token may be fine, so
// Middleware answers 503 rather than invalid_token. Never is it taken as
// active.
var ErrRemote = errors.New("introspect: remote verification failed")

func remoteErr(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrRemote}, args...)...)
}

// wire is an introspection or legacy verification response as received,
// typed strictly: a member of the wrong JSON type fails the whole parse.
type wire struct {
	Active    *bool           `json:"active"`
	Me        string          `json:"me"`
	ClientID  string          `json:"client_id"`
	Scope     string          `json:"scope"`
	TokenType string          `json:"token_type"`
	Exp       int64           `json:"exp"`
	Iat       int64           `json:"iat"`
	Nbf       int64           `json:"nbf"`
	Sub       string          `json:"sub"`
	Aud       json.RawMessage `json:"aud"`
	Iss       string          `json:"iss"`
	Jti       string          `json:"jti"`
	Act       *token.Actor    `json:"act"`
	Error     string          `json:"error"`
	// TokenUse is the marker some servers (ory/hydra) send instead of
	// token_type; anything but an access token is not a bearer token.
	TokenUse string `json:"token_use"`
}

// parseResponse reads a response body by its Content-Type (conformance
// LEG-08): JSON (RFC 7662 §2.2) or application/x-www-form-urlencoded
// (legacy IndieAuth servers). It returns the token's Info, token.ErrUnknown
// for a token the server says is not active, or ErrRemote. In legacy mode
// "active" may be absent, the 200 status being the answer, but me or
// client_id must be there.
func parseResponse(contentType string, body []byte, legacy bool) (*token.Info, error) {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return nil, remoteErr("response without a usable Content-Type")
	}
	var w wire
	switch mt {
	case mediaJSON:
		if err := decodeJSON(body, &w); err != nil {
			return nil, err
		}
	case mediaForm:
		if err := decodeForm(body, &w); err != nil {
			return nil, err
		}
	default:
		return nil, remoteErr("response of type %.40q", mt)
	}
	return w.info(legacy)
}

func decodeJSON(body []byte, w *wire) error {
	if err := checkMembers(body); err != nil {
		return err
	}
	d := json.NewDecoder(bytes.NewReader(body))
	if err := d.Decode(w); err != nil {
		return remoteErr("malformed JSON response")
	}
	if d.More() {
		return remoteErr("trailing data after the JSON response")
	}
	return nil
}

// checkMembers refuses what encoding/json would read leniently: a
// repeated member (last one wins there) and a member named in another case
// ("ACTIVE" would fill Active). No ambiguous answer is ever read as active.
func checkMembers(body []byte) error {
	d := json.NewDecoder(bytes.NewReader(body))
	if t, err := d.Token(); err != nil || t != json.Delim('{') {
		return remoteErr("the JSON response is not an object")
	}
	seen := map[string]bool{}
	for d.More() {
		t, err := d.Token()
		if err != nil {
			return remoteErr("malformed JSON response")
		}
		name, _ := t.(string)
		if seen[name] {
			return remoteErr("repeated member %.40q", name)
		}
		seen[name] = true
		if name != strings.ToLower(name) && knownMember(strings.ToLower(name)) {
			return remoteErr("member %.40q in the wrong case", name)
		}
		var skip json.RawMessage
		if err := d.Decode(&skip); err != nil {
			return remoteErr("malformed JSON response")
		}
	}
	return nil
}

func knownMember(name string) bool {
	switch name {
	case "active", "me", "client_id", "scope", "token_type", "exp", "iat", "nbf", "sub", "aud", "iss", "jti", "act", "error", "token_use":
		return true
	}
	return false
}

func decodeForm(body []byte, w *wire) error {
	v, err := url.ParseQuery(string(body))
	if err != nil {
		return remoteErr("malformed form response")
	}
	one := func(k string) (string, error) {
		switch vs := v[k]; len(vs) {
		case 0:
			return "", nil
		case 1:
			return vs[0], nil
		}
		return "", remoteErr("repeated member %q", k)
	}
	for k, dst := range map[string]*string{"me": &w.Me, "client_id": &w.ClientID, "scope": &w.Scope,
		"token_type": &w.TokenType, "sub": &w.Sub, "iss": &w.Iss, "jti": &w.Jti, "error": &w.Error} {
		if *dst, err = one(k); err != nil {
			return err
		}
	}
	for k, dst := range map[string]*int64{"exp": &w.Exp, "iat": &w.Iat, "nbf": &w.Nbf} {
		s, err := one(k)
		if err != nil {
			return err
		}
		if s == "" {
			continue
		}
		if *dst, err = strconv.ParseInt(s, 10, 64); err != nil {
			return remoteErr("member %q is not an integer", k)
		}
	}
	switch a, err := one("active"); {
	case err != nil:
		return err
	case a == "true" || a == "false":
		b := a == "true"
		w.Active = &b
	case a != "":
		return remoteErr("member \"active\" is not a boolean")
	}
	if aud := v["aud"]; len(aud) > 0 {
		w.Aud, _ = json.Marshal(aud)
	}
	return nil
}

// maxUnix bounds times in a response to the year 9999, so nothing
// overflows into the past.
const maxUnix = 253402300799

// maxActDepth bounds the act chain accepted in a response, as token.JWT
// bounds it in a token.
const maxActDepth = 8

func (w *wire) info(legacy bool) (*token.Info, error) {
	switch {
	case w.Error != "":
		return nil, token.ErrUnknown
	case w.Active != nil && !*w.Active:
		return nil, token.ErrUnknown
	case w.Active == nil && !legacy:
		return nil, remoteErr("response without \"active\"")
	case w.Me == "" && w.ClientID == "" && w.Active == nil:
		return nil, remoteErr("response names neither me nor client_id")
	case w.TokenType != "" && !strings.EqualFold(w.TokenType, typeBearer),
		w.TokenUse != "" && w.TokenUse != "access_token":
		// Only an access token may be accepted by a resource server; a
		// refresh token an endpoint introspects is not one.
		return nil, token.ErrUnknown
	}
	for _, s := range []string{w.Me, w.ClientID, w.Sub, w.Iss, w.Jti} {
		if !printable(s) {
			return nil, remoteErr("member with invalid UTF-8 or control characters")
		}
	}
	for _, n := range []int64{w.Exp, w.Iat, w.Nbf} {
		if n < 0 || n > maxUnix {
			return nil, remoteErr("time out of range")
		}
	}
	if w.Act.Depth() > maxActDepth {
		return nil, remoteErr("act chain too deep")
	}
	scope, err := token.ParseScope(w.Scope)
	if err != nil {
		return nil, remoteErr("malformed scope")
	}
	aud, err := parseAud(w.Aud)
	if err != nil {
		return nil, err
	}
	for _, a := range aud {
		if !printable(a) {
			return nil, remoteErr("aud with invalid UTF-8 or control characters")
		}
	}
	return &token.Info{
		Me:        w.Me,
		ClientID:  w.ClientID,
		Scope:     scope,
		Subject:   w.Sub,
		Audience:  aud,
		Issuer:    w.Iss,
		ExpiresAt: fromUnix(w.Exp),
		IssuedAt:  fromUnix(w.Iat),
		NotBefore: fromUnix(w.Nbf),
		ID:        w.Jti,
		Actor:     w.Act,
	}, nil
}

// parseAud reads aud as RFC 7662 §2.2 allows: a string or an array of
// strings.
func parseAud(raw json.RawMessage) ([]string, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	var one string
	if err := json.Unmarshal(raw, &one); err == nil {
		return []string{one}, nil
	}
	var many []string
	if err := json.Unmarshal(raw, &many); err != nil {
		return nil, remoteErr("malformed aud")
	}
	return many, nil
}

// printable reports whether s is valid UTF-8 without control characters.
func printable(s string) bool {
	for _, r := range s {
		if r == utf8.RuneError || r < 0x20 || r == 0x7f {
			return false
		}
	}
	return true
}

func fromUnix(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(n, 0)
}
