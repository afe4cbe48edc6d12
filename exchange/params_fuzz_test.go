package exchange

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/tokenkit/tokenkit/token"
)

// FuzzParseParams checks what parseParams promises of any form it
// accepts: both subject parameters, actor parameters together or not at
// all, absolute resources, no repeated targets, a well-formed scope.
func FuzzParseParams(f *testing.F) {
	for _, s := range []string{
		base,
		base + "&actor_token=a&actor_token_type=u",
		base + "&audience=a&audience=b&resource=https://r.test/&resource=urn:x",
		base + "&resource=https://r.test/%23f",
		base + "&scope=read+write",
		base + "&scope=read++write",
		"subject_token=&subject_token_type=t",
		"actor_token_type=u&" + base,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		form, err := token.ParseForm(httptest.NewRecorder(), r)
		if err != nil {
			return
		}
		p, err := parseParams(form)
		if err != nil {
			var te *token.Error
			if !asError(err, &te) || te.HTTPStatus() != http.StatusBadRequest {
				t.Fatalf("error %v is not a 400 *token.Error", err)
			}
			return
		}
		if p.subject == "" || p.subjectType == "" || (p.actor == "") != (p.actorType == "") {
			t.Fatalf("accepted %+v", p)
		}
		for _, res := range p.resource {
			if !absoluteURI(res) {
				t.Fatalf("accepted resource %q", res)
			}
		}
		for i, a := range p.targets() {
			if slices.Contains(p.targets()[:i], a) {
				t.Fatalf("repeated target %q", a)
			}
		}
		if len(p.audience) > token.MaxRepeats || len(p.resource) > token.MaxRepeats {
			t.Fatalf("too many targets: %d, %d", len(p.audience), len(p.resource))
		}
		if p.scope != nil {
			if _, err := token.ParseScope(p.scope.String()); err != nil {
				t.Fatalf("accepted scope %q", p.scope)
			}
		}
	})
}

func asError(err error, target **token.Error) bool {
	e, ok := err.(*token.Error)
	*target = e
	return ok
}
