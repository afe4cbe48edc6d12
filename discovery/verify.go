package discovery

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"io"
)

// VerifyIssuer checks the iss parameter of an authorization response,
// success or error alike, against the issuer discovery found (RFC 9207
// §2.4, IndieAuth §5.2.1). The comparison is a simple string comparison,
// without normalisation: "https://as.example" is not "https://as.example/".
// A missing iss is refused when required is true; pass true for every
// non-legacy result (IndieAuth servers must send iss) and whenever
// Metadata.AuthorizationResponseIssParameterSupported is set. An iss
// received although the issuer is unknown (a legacy result) is refused
// too. Form-decode iss before the call, as url.Values does.
func VerifyIssuer(issuer, iss string, required bool) error {
	switch {
	case iss == "" && required:
		return fmt.Errorf("%w: the response has no iss", ErrIssuer)
	case iss == "":
		return nil
	case iss != issuer:
		return fmt.Errorf("%w: iss %q, expected %q", ErrIssuer, iss, issuer)
	}
	return nil
}

// ConfirmMe checks the me the token endpoint returned against a discovery
// result (IndieAuth §5.4) and returns it canonicalised: the identity to
// use. A me that is not a valid profile URL is refused. A me equal to the
// entered URL, the profile URL or any URL of the redirect chain is
// confirmed without a request. Any other me is discovered in turn and
// confirmed only if it declares the same authorization server: the same
// issuer (or both legacy) and the same authorization and token endpoints. Profile information (name, email) never enters into it.
func (c *Client) ConfirmMe(ctx context.Context, res *Result, me string) (string, error) {
	canon, err := canonical(me, c.urlRules)
	if err != nil {
		return "", fmt.Errorf("%w: %w", ErrMe, err)
	}
	seen := append([]string{res.Entered, res.ProfileURL, res.FinalURL}, res.Chain...)
	for _, u := range seen {
		if Equal(u, canon) {
			return canon, nil
		}
	}
	other, err := c.Discover(ctx, canon)
	if err != nil {
		return "", fmt.Errorf("%w: discovering %s: %w", ErrMe, canon, err)
	}
	a, b := res.Endpoints, other.Endpoints
	// The same server means the same issuer and the same endpoints that
	// took part: the token endpoint asserted me, so it must be the one me
	// declares too.
	same := a.Authorization == b.Authorization && a.Token == b.Token &&
		a.Legacy == b.Legacy && a.Issuer == b.Issuer
	if !same {
		return "", fmt.Errorf("%w: %s declares a different authorization server", ErrMe, canon)
	}
	return canon, nil
}

// NewState returns a fresh state value for an authorization request: 32
// random bytes, base64url-encoded (RFC 9700 §2.1, IndieAuth §5.2). Store
// it with the request and check the callback with VerifyState. rand nil
// means crypto/rand.
func NewState(rand io.Reader) (string, error) {
	if rand == nil {
		rand = cryptoRand{}
	}
	b := make([]byte, 32)
	if _, err := io.ReadFull(rand, b); err != nil {
		return "", fmt.Errorf("discovery: state: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// VerifyState compares the callback's state with the one sent, in
// constant time. An empty value never matches.
func VerifyState(sent, got string) error {
	if sent == "" || subtle.ConstantTimeCompare([]byte(sent), []byte(got)) != 1 {
		return ErrState
	}
	return nil
}

type cryptoRand struct{}

func (cryptoRand) Read(b []byte) (int, error) { return rand.Read(b) }
