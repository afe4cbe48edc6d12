package token

import (
	"net/http"
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
	WriteJSON(w, http.StatusOK, res)
}
