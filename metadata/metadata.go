package metadata

// Metadata is an OAuth 2.0 authorization server metadata document (RFC 8414
// §2) with the members IndieAuth adds (IndieAuth §4.1.1). Every member is
// plain data: a server fills it from its own configuration, a client reads
// it from Parse or a Client fetch.
//
// Lists are omitted when empty and no member is ever null (RFC 8414 §3.2).
// The boolean AuthorizationResponseIssParameterSupported is omitted when
// false, its default (RFC 9207 §3).
type Metadata struct {
	// Issuer is the authorization server's issuer identifier: an https URL
	// with no query and no fragment (RFC 8414 §2, IndieAuth §3.1).
	Issuer string `json:"issuer"`

	AuthorizationEndpoint string `json:"authorization_endpoint,omitempty"`
	TokenEndpoint         string `json:"token_endpoint,omitempty"`

	// IntrospectionEndpoint is the RFC 7662 endpoint; IndieAuth servers
	// publish it (IndieAuth §4.1.1, §6.1).
	IntrospectionEndpoint string `json:"introspection_endpoint,omitempty"`
	// RevocationEndpoint is the RFC 7009 endpoint.
	RevocationEndpoint string `json:"revocation_endpoint,omitempty"`
	// UserinfoEndpoint is the IndieAuth userinfo endpoint (IndieAuth §9),
	// published only when it is implemented.
	UserinfoEndpoint string `json:"userinfo_endpoint,omitempty"`
	// JWKSURI is published if and only if the server signs JWTs (RFC 9068 §4).
	JWKSURI string `json:"jwks_uri,omitempty"`
	// ServiceDocumentation is a page for developers (RFC 8414 §2).
	ServiceDocumentation string `json:"service_documentation,omitempty"`

	ScopesSupported        []string `json:"scopes_supported,omitempty"`
	ResponseTypesSupported []string `json:"response_types_supported,omitempty"`
	// GrantTypesSupported lists exactly the grants the token endpoint
	// accepts; absent means authorization_code only (IndieAuth §4.1.1).
	// Token exchange is advertised by listing GrantTypeTokenExchange here:
	// RFC 8693 registers no metadata member of its own.
	GrantTypesSupported           []string `json:"grant_types_supported,omitempty"`
	CodeChallengeMethodsSupported []string `json:"code_challenge_methods_supported,omitempty"`

	// The authentication methods accepted at each endpoint. Absent means
	// client_secret_basic (RFC 8414 §2); an IndieAuth server that accepts
	// unauthenticated revocation publishes ["none"] for revocation.
	TokenEndpointAuthMethodsSupported         []string `json:"token_endpoint_auth_methods_supported,omitempty"`
	IntrospectionEndpointAuthMethodsSupported []string `json:"introspection_endpoint_auth_methods_supported,omitempty"`
	RevocationEndpointAuthMethodsSupported    []string `json:"revocation_endpoint_auth_methods_supported,omitempty"`

	// The JWS algorithms accepted for private_key_jwt and client_secret_jwt
	// at each endpoint. "none" is never allowed (RFC 8414 §2).
	TokenEndpointAuthSigningAlgValuesSupported         []string `json:"token_endpoint_auth_signing_alg_values_supported,omitempty"`
	IntrospectionEndpointAuthSigningAlgValuesSupported []string `json:"introspection_endpoint_auth_signing_alg_values_supported,omitempty"`
	RevocationEndpointAuthSigningAlgValuesSupported    []string `json:"revocation_endpoint_auth_signing_alg_values_supported,omitempty"`

	// AuthorizationResponseIssParameterSupported says the authorization
	// endpoint sends iss in its responses (RFC 9207 §3); IndieAuth servers
	// do (IndieAuth §5.2.1).
	AuthorizationResponseIssParameterSupported bool `json:"authorization_response_iss_parameter_supported,omitempty"`
}

// Values used in metadata documents.
const (
	// WellKnownPath is the RFC 8414 §3 well-known URI suffix.
	WellKnownPath = "/.well-known/oauth-authorization-server"
	// GrantTypeTokenExchange is the RFC 8693 §2.1 grant type; list it in
	// GrantTypesSupported when the token endpoint performs token exchange.
	GrantTypeTokenExchange = "urn:ietf:params:oauth:grant-type:token-exchange"
	// MethodS256 is the PKCE code challenge method IndieAuth requires (RFC 7636 §4.2).
	MethodS256 = "S256"
)

// hasString reports whether list contains s, compared exactly.
func hasString(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
