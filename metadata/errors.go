package metadata

import "errors"

// Errors returned by this package. Each wraps the detail of what was wrong;
// branch on them with errors.Is.
var (
	// ErrMalformed: the document is not a strict JSON object of the right
	// shape (bad JSON, duplicate member, wrong type, BOM, trailing data,
	// nesting too deep, invalid UTF-8).
	ErrMalformed = errors.New("metadata: malformed document")
	// ErrInvalid: the document is well-formed JSON but breaks a rule of
	// RFC 8414 §2 or IndieAuth §4.1.1 (missing or non-https issuer or
	// endpoint, no S256, "none" as a signing algorithm).
	ErrInvalid = errors.New("metadata: invalid document")
	// ErrIssuerMismatch: the issuer is not the one the metadata URL
	// promises (IndieAuth §3.1 prefix rule, RFC 8414 §3.3 identity rule).
	ErrIssuerMismatch = errors.New("metadata: issuer does not match the metadata URL")
	// ErrTooLarge: the document exceeds the size limit.
	ErrTooLarge = errors.New("metadata: document too large")
	// ErrResponse: the metadata URL did not answer 200 with application/json.
	ErrResponse = errors.New("metadata: unexpected response")
)
