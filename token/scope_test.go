package token_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tokenkit/tokenkit/token"
)

// RFC 6749 §3.3 grammar, EDGE-10, EDGE-11.
func TestParseScope(t *testing.T) {
	for in, want := range map[string]token.Scope{
		"":                     nil,
		"create":               {"create"},
		"create update":        {"create", "update"},
		"create create update": {"create", "update"},
		"CREATE create":        {"CREATE", "create"},
		"a!#[]~":               {"a!#[]~"},
	} {
		got, err := token.ParseScope(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
	for _, bad := range []string{" create", "create ", "create  update", "create\tupdate", "create\nupdate",
		`"create"`, `a\b`, "créate", "+create"[:0] + " +create"} {
		_, err := token.ParseScope(bad)
		assert.ErrorIs(t, err, token.ErrScopeSyntax, "%q", bad)
	}
}

func TestScopeSets(t *testing.T) {
	s := token.Scope{"create", "update"}
	assert.True(t, s.Has("create"))
	assert.False(t, s.Has("CREATE"))
	assert.True(t, s.Contains(token.Scope{"update"}))
	assert.False(t, s.Contains(token.Scope{"delete"}))
	assert.True(t, token.Scope{"create"}.SubsetOf(s))
	assert.True(t, token.Scope(nil).SubsetOf(s))
	assert.Equal(t, token.Scope{"update"}, token.Scope{"delete", "update"}.Intersect(s))
	assert.True(t, s.Equal(token.Scope{"update", "create"}))
	assert.False(t, s.Equal(token.Scope{"create"}))
	assert.Equal(t, "create update", s.String())
}

// FuzzParseScope: never panics, and what parses renders back to itself
// once duplicates are gone.
func FuzzParseScope(f *testing.F) {
	for _, s := range []string{"", "create", "create update", "a  b", "a\tb", "é", "create create"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		sc, err := token.ParseScope(s)
		if err != nil {
			return
		}
		again, err := token.ParseScope(sc.String())
		if err != nil || !again.Equal(sc) || again.String() != sc.String() {
			t.Fatalf("round trip of %q: %q, %v", s, again, err)
		}
	})
}
