package discovery

import "errors"

// Errors returned by this package; branch on them with errors.Is. Each is
// wrapped with the detail of what happened. Metadata failures wrap the
// metadata package's errors (metadata.ErrInvalid, …) as well.
var (
	// ErrInvalidURL: a profile URL, client_id or returned me breaks
	// IndieAuth §3.2–3.3, before any request is made.
	ErrInvalidURL = errors.New("discovery: invalid URL")
	// ErrBlocked: the address guard refused to connect to a loopback,
	// private, link-local, multicast or otherwise non-public address.
	ErrBlocked = errors.New("discovery: address not allowed")
	// ErrRedirect: a redirect was refused — too many hops, a scheme other
	// than http or https, or a downgrade from https to http.
	ErrRedirect = errors.New("discovery: redirect refused")
	// ErrResponse: the profile URL did not answer with a 2xx status.
	ErrResponse = errors.New("discovery: unexpected response")
	// ErrNoEndpoints: the page declares neither indieauth-metadata nor an
	// authorization endpoint, or the metadata lacks one.
	ErrNoEndpoints = errors.New("discovery: no IndieAuth endpoints found")
	// ErrIssuer: the authorization response's iss is missing or differs
	// from the discovered issuer (RFC 9207 §2.4).
	ErrIssuer = errors.New("discovery: issuer mismatch")
	// ErrState: the callback's state is not the one sent.
	ErrState = errors.New("discovery: state mismatch")
	// ErrMe: the me returned by the server is not confirmed by discovery
	// (IndieAuth §5.4).
	ErrMe = errors.New("discovery: me not confirmed")
)
