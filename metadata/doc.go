// Package metadata publishes and reads OAuth 2.0 authorization server
// metadata (RFC 8414) with the IndieAuth members (IndieAuth §4.1.1).
//
// A server fills a Metadata from its own configuration and mounts a
// Handler wherever it likes — at the RFC 8414 well-known path built by
// WellKnownURL, and at the URL its users' profile pages advertise with
// rel="indieauth-metadata":
//
//	h, err := metadata.NewHandler(metadata.Config{Metadata: metadata.Metadata{
//		Issuer:                        "https://example.com/",
//		AuthorizationEndpoint:         "https://example.com/auth",
//		TokenEndpoint:                 "https://example.com/token",
//		CodeChallengeMethodsSupported: []string{"S256"},
//	}})
//	if err != nil {
//		log.Fatal(err)
//	}
//	mux.Handle("GET /.well-known/oauth-authorization-server", h)
//
// A client reads a document with Client.Fetch (IndieAuth: the issuer must
// prefix the metadata URL) or Client.FetchWellKnown (RFC 8414: the issuer
// must be the one the URL was built from).
//
// # Security
//
// The served document is encoded once, from configuration; no request
// header can change it (a spoofed Host or X-Forwarded-Host has no effect).
// Issuer and endpoint URLs must be https; Config.AllowInsecureLoopback and
// Client.AllowInsecureLoopback relax this for loopback hosts only, for local
// development.
//
// Fetched documents are bounded (MaxBytes, MaxDepth) and parsed strictly:
// duplicate member names, wrong types, a byte order mark or trailing data
// are refused rather than guessed at. Client does not filter addresses;
// fetch untrusted URLs through the discovery package's guarded client.
//
// # Errors
//
// Failures wrap one of ErrMalformed (not a strict JSON object of the right
// shape), ErrInvalid (breaks an RFC 8414 or IndieAuth rule), ErrTooLarge,
// ErrIssuerMismatch and ErrResponse (not 200 application/json); test them
// with errors.Is. Network errors are returned wrapped as they come.
package metadata
