package discovery

import "golang.org/x/oauth2"

// OAuth2Config returns an *oauth2.Config for these endpoints, ready for
// AuthCodeURL with oauth2.S256ChallengeOption and Exchange with
// oauth2.VerifierOption. IndieAuth clients are public: the client_id is a
// URL sent in the request body (AuthStyleInParams), with no secret.
// Add the me parameter to the authorization URL with
// oauth2.SetAuthURLParam("me", result.ProfileURL).
func (e Endpoints) OAuth2Config(clientID, redirectURL string, scopes ...string) *oauth2.Config {
	return &oauth2.Config{
		ClientID:    clientID,
		RedirectURL: redirectURL,
		Scopes:      scopes,
		Endpoint: oauth2.Endpoint{
			AuthURL:   e.Authorization,
			TokenURL:  e.Token,
			AuthStyle: oauth2.AuthStyleInParams,
		},
	}
}
