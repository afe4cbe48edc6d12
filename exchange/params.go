package exchange

import (
	"net/url"
	"slices"
	"strings"

	"github.com/tokenkit/tokenkit/token"
)

// params are the RFC 8693 §2.1 request parameters, checked for presence
// and syntax but not yet for meaning.
type params struct {
	subject, subjectType string
	actor, actorType     string
	requestedType        string
	audience, resource   []string
	scope                token.Scope // nil when the request named none
}

// parseParams reads the token exchange parameters of a form that
// token.ParseForm has already bounded (size, repeats, encoding). It does
// no I/O: every failure here is cheap.
//
//   - subject_token and subject_token_type are required (§2.1);
//   - actor_token_type is required with actor_token and forbidden without
//     it (§2.1);
//   - resource is an absolute URI with no fragment (§2.1), else
//     invalid_target (RFC 8707 §2);
//   - scope follows RFC 6749 §3.3, else invalid_scope.
func parseParams(f *token.Form) (*params, error) {
	p := &params{
		subject:       f.Get("subject_token"),
		subjectType:   f.Get("subject_token_type"),
		actor:         f.Get("actor_token"),
		actorType:     f.Get("actor_token_type"),
		requestedType: f.Get("requested_token_type"),
		audience:      dedupe(f.All("audience")),
		resource:      dedupe(f.All("resource")),
	}
	switch {
	case p.subject == "":
		return nil, token.ErrInvalidRequest("subject_token is required")
	case p.subjectType == "":
		return nil, token.ErrInvalidRequest("subject_token_type is required")
	case p.actor != "" && p.actorType == "":
		return nil, token.ErrInvalidRequest("actor_token_type is required with actor_token")
	case p.actor == "" && p.actorType != "":
		return nil, token.ErrInvalidRequest("actor_token_type must not be sent without actor_token")
	}
	for _, r := range p.resource {
		if !absoluteURI(r) {
			return nil, token.ErrInvalidTarget("resource must be an absolute URI without a fragment")
		}
	}
	if s := f.Get("scope"); s != "" {
		sc, err := token.ParseScope(s)
		if err != nil {
			return nil, token.ErrInvalidScope("malformed scope")
		}
		p.scope = sc
	}
	return p, nil
}

// targets returns the audience and resource values together, without
// repeats: the services the new token is asked for.
func (p *params) targets() []string {
	if len(p.resource) == 0 {
		return p.audience
	}
	return dedupe(append(append([]string(nil), p.audience...), p.resource...))
}

// absoluteURI reports whether s is an absolute URI (RFC 3986 §4.3): a
// scheme, and no fragment, not even an empty one.
func absoluteURI(s string) bool {
	if strings.Contains(s, "#") {
		return false
	}
	u, err := url.Parse(s)
	return err == nil && u.IsAbs() && (u.Host != "" || u.Opaque != "" || u.Path != "")
}

// dedupe drops repeated values, keeping the first of each in order. The
// form parser caps the number of values, so the quadratic scan is bounded.
func dedupe(vs []string) []string {
	out := vs[:0:0]
	for _, v := range vs {
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}
