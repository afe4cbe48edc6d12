package token

import (
	"context"
	"encoding/base64"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"
)

// maxBasicHeader bounds the Authorization header we decode (EDGE-15).
const maxBasicHeader = 4096

// ClientAuth is the outcome of client authentication for one request.
type ClientAuth struct {
	// ID is the client's identifier: authenticated for a confidential
	// client, canonicalised but merely claimed for a public one, and empty
	// when the request named no client.
	ID string
	// Client is the registered client, nil for an unregistered IndieAuth
	// client or when no client was named.
	Client *Client
	// Method is how the client authenticated: AuthSecretBasic,
	// AuthSecretPost or AuthNone.
	Method string
}

// Authenticated reports whether the client proved its identity with a
// secret.
func (a *ClientAuth) Authenticated() bool { return a.Method != AuthNone }

// Authenticator authenticates the client of a form request per RFC 6749
// §2.3: client_secret_basic (the id and secret form-urlencoded before
// base64, §2.3.1), client_secret_post, or none for a public client named by
// client_id — a registered public client or an IndieAuth client URL
// (IndieAuth §3.3). Secrets are compared in constant time. The token,
// introspection, revocation and exchange endpoints share it.
type Authenticator struct {
	// Clients looks registered clients up; nil means none are registered.
	// A lookup failure other than ErrUnknownClient answers 503, never a
	// wrong authentication.
	Clients Clients
	// Realm names the protection space in the Basic challenge sent with
	// invalid_client (RFC 6749 §5.2). Empty means "token".
	Realm string
	// Limit throttles repeated failures per client id; nil means none.
	// NewHandler sets a default one.
	Limit *FailureLimit
}

func (a *Authenticator) realm() string {
	if a.Realm == "" {
		return "token"
	}
	return a.Realm
}

// InvalidClient returns the 401 invalid_client error for this realm.
func (a *Authenticator) InvalidClient() *Error {
	return ErrInvalidClient(a.realm(), "client authentication failed")
}

// Authenticate authenticates the client of r, whose form f has been parsed
// with ParseForm. Failures are *Error: invalid_request for a malformed or
// ambiguous request (two methods at once, credentials in the query),
// invalid_client (401, with a Basic challenge) for credentials that do not
// check out or a confidential client that did not authenticate. A request
// naming no client gets a ClientAuth with an empty ID; the caller decides
// whether that is allowed.
func (a *Authenticator) Authenticate(ctx context.Context, r *http.Request, f *Form) (*ClientAuth, error) {
	if r.URL != nil && strings.Contains(r.URL.RawQuery, "client_secret") {
		return nil, ErrInvalidRequest("client credentials must not be sent in the query")
	}
	hdrs := r.Header.Values("Authorization")
	if len(hdrs) > 1 {
		return nil, ErrInvalidRequest("more than one Authorization header")
	}
	if len(hdrs) == 1 {
		if scheme, cred, _ := strings.Cut(hdrs[0], " "); strings.EqualFold(scheme, "Basic") {
			return a.basic(ctx, strings.TrimLeft(cred, " "), f)
		}
		// Other schemes (Bearer) are not client authentication here.
	}
	secret := f.Get("client_secret")
	id, err := clientID(f.Get("client_id"))
	if err != nil {
		return nil, err
	}
	if secret != "" {
		if id == "" {
			return nil, a.InvalidClient()
		}
		c, err := a.check(ctx, id, secret)
		if err != nil {
			return nil, err
		}
		return &ClientAuth{ID: c.ID, Client: c, Method: AuthSecretPost}, nil
	}
	if id == "" {
		return &ClientAuth{Method: AuthNone}, nil
	}
	c, err := a.lookup(ctx, id)
	switch {
	case err == nil:
		if c.Confidential() {
			return nil, a.InvalidClient() // a confidential client must authenticate
		}
		return &ClientAuth{ID: c.ID, Client: c, Method: AuthNone}, nil
	case !errors.Is(err, ErrUnknownClient):
		return nil, ErrUnavailable() // the client store is down: try again
	case !isURLID(id):
		return nil, a.InvalidClient() // neither registered nor an IndieAuth client
	}
	return &ClientAuth{ID: id, Method: AuthNone}, nil
}

// lookup finds a registered client; a nil Clients registers none.
func (a *Authenticator) lookup(ctx context.Context, id string) (*Client, error) {
	if a.Clients == nil {
		return nil, ErrUnknownClient
	}
	return a.Clients.Client(ctx, id)
}

// maxClientIDLen bounds a client_id before any lookup (EDGE-02).
const maxClientIDLen = 2048

// clientID checks a client_id and returns the form clients are looked up
// by: an IndieAuth URL client_id canonicalised (IndieAuth §3.3, §3.4),
// any other id as it is.
func clientID(id string) (string, error) {
	if len(id) > maxClientIDLen {
		return "", ErrInvalidRequest("client_id is too long")
	}
	if !isURLID(id) {
		return id, nil
	}
	canon, err := CanonicalClientID(id)
	if err != nil {
		return "", ErrInvalidRequest("client_id is not a valid IndieAuth client identifier")
	}
	return canon, nil
}

func isURLID(id string) bool {
	return strings.HasPrefix(id, "http://") || strings.HasPrefix(id, "https://")
}

func (a *Authenticator) basic(ctx context.Context, cred string, f *Form) (*ClientAuth, error) {
	if len(cred) > maxBasicHeader {
		return nil, a.InvalidClient()
	}
	if f.Has("client_secret") {
		return nil, ErrInvalidRequest("more than one client authentication method")
	}
	raw, err := base64.StdEncoding.DecodeString(cred)
	if err != nil {
		return nil, a.InvalidClient()
	}
	encID, encSecret, ok := strings.Cut(string(raw), ":")
	if !ok {
		return nil, a.InvalidClient()
	}
	// RFC 6749 §2.3.1: both are application/x-www-form-urlencoded first.
	id, err1 := url.QueryUnescape(encID)
	secret, err2 := url.QueryUnescape(encSecret)
	if err1 != nil || err2 != nil || id == "" || !utf8.ValidString(id) || !utf8.ValidString(secret) {
		return nil, a.InvalidClient()
	}
	if id, err = clientID(id); err != nil {
		return nil, a.InvalidClient()
	}
	if fid, err := clientID(f.Get("client_id")); err != nil || fid != "" && fid != id {
		return nil, ErrInvalidRequest("client_id does not match the authenticated client")
	}
	c, err := a.check(ctx, id, secret)
	if err != nil {
		return nil, err
	}
	return &ClientAuth{ID: c.ID, Client: c, Method: AuthSecretBasic}, nil
}

// check looks id up and matches secret against its hash. An unknown id
// costs a hash too, so timing does not tell which ids exist.
func (a *Authenticator) check(ctx context.Context, id, secret string) (*Client, error) {
	c, err := a.lookup(ctx, id)
	if err != nil {
		if !errors.Is(err, ErrUnknownClient) {
			return nil, ErrUnavailable()
		}
		HashSecret("").Match(secret)
		return nil, a.InvalidClient()
	}
	if wait := a.Limit.Attempt(c.ID); wait > 0 {
		return nil, errThrottled(wait)
	}
	if !c.Secret.Match(secret) {
		return nil, a.InvalidClient()
	}
	a.Limit.Reset(c.ID)
	return c, nil
}
