package introspect

import (
	"net/http"

	"github.com/tokenkit/tokenkit/token"
)

// Userinfo returns the IndieAuth userinfo endpoint (IndieAuth §9): GET or
// POST with a bearer token carrying the "profile" scope is answered with
// the user's profile from profiles, as JSON: name, url and photo, and
// email only when the token also has the "email" scope (§5.3.4). A token
// without "profile", or one naming no user (client_credentials), gets 403
// insufficient_scope with scope="profile". A profiles failure is 503.
//
// Wrap it with Middleware, which verifies the token:
//
//	mux.Handle("/userinfo", introspect.Middleware(cfg)(introspect.Userinfo(profiles)))
//
// and advertise the path as userinfo_endpoint in the server metadata.
// Userinfo panics if profiles is nil, a programming error.
func Userinfo(profiles token.Profiles) http.Handler {
	if profiles == nil {
		panic("introspect: Userinfo needs Profiles")
	}
	return userinfo{profiles}
}

type userinfo struct{ profiles token.Profiles }

func (u userinfo) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		token.WriteMethodNotAllowed(w, "GET, POST")
		return
	}
	a, ok := r.Context().Value(ctxKey{}).(*authorization)
	if !ok {
		writeNoCredentials(w, "resource")
		return
	}
	if !a.info.Scope.Has("profile") || a.info.Me == "" {
		token.WriteError(w, errInsufficientScope(a.realm, "profile"))
		return
	}
	p, err := u.profiles.Profile(r.Context(), a.info.Me)
	if err != nil {
		token.WriteError(w, token.ErrUnavailable())
		return
	}
	if p = p.ForScope(a.info.Scope); p == nil {
		p = &token.Profile{}
	}
	token.WriteJSON(w, http.StatusOK, p)
}
