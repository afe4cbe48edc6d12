package exchange

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/tokenkit/tokenkit/token"
)

// RFC 8693 §4.1: who acts, and how the chain nests.
func TestActing(t *testing.T) {
	subject := &token.Info{Issuer: "https://as.test/"}
	assert.Equal(t, &token.Actor{Subject: "api1", ClientID: "api1"}, acting("api1", subject, nil))
	assert.Equal(t, &token.Actor{Subject: "https://alice.test/", ClientID: "https://app.test/"},
		acting("api1", subject, &token.Info{Subject: "https://alice.test/", ClientID: "https://app.test/", Issuer: "https://as.test/"}))
	assert.Equal(t, &token.Actor{Subject: "svc", ClientID: "svc", Issuer: "https://other.test/"},
		acting("api1", subject, &token.Info{Subject: "svc", ClientID: "svc", Issuer: "https://other.test/"}))
}

func TestChain(t *testing.T) {
	a := &token.Actor{Subject: "a"}
	b := &token.Actor{Subject: "b", ClientID: "b"}
	assert.Equal(t, &token.Actor{Subject: "a"}, chain(a, nil))
	assert.Equal(t, &token.Actor{Subject: "b", ClientID: "b", Actor: &token.Actor{Subject: "a"}}, chain(b, a))
	// The outermost actor again: unchanged, not grown.
	ba := chain(b, a)
	assert.Equal(t, ba, chain(b, ba))
	assert.NotSame(t, ba, chain(b, ba))
	// The prior chain is copied, never shared with the subject's Info.
	got := chain(b, a)
	got.Actor.Subject = "changed"
	assert.Equal(t, "a", a.Subject)
}

// RFC 8693 §4.4.
func TestCheckMayAct(t *testing.T) {
	a := &token.Actor{Subject: "agent-a", ClientID: "agent-a"}
	for _, tt := range []struct {
		may *token.Actor
		ok  bool
	}{
		{nil, true},
		{&token.Actor{Subject: "agent-a"}, true},
		{&token.Actor{ClientID: "agent-a"}, true},
		{&token.Actor{Subject: "agent-b"}, false},
		{&token.Actor{Subject: "agent-a", Issuer: "https://x.test/"}, false},
		{&token.Actor{}, false},
	} {
		err := checkMayAct(&token.Info{MayAct: tt.may}, a)
		if tt.ok {
			assert.NoError(t, err)
		} else {
			assert.ErrorIs(t, err, &token.Error{Code: token.CodeInvalidRequest})
		}
	}
}
