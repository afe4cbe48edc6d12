package token

import (
	"errors"
	"strings"
)

// ErrScopeSyntax reports a scope string that breaks the RFC 6749 §3.3
// grammar.
var ErrScopeSyntax = errors.New("token: malformed scope")

// Scope is a set of scope tokens (RFC 6749 §3.3). Tokens are case-sensitive
// and kept in the order first seen; duplicates collapse. The zero value is
// the empty scope.
type Scope []string

// ParseScope parses a scope parameter strictly per RFC 6749 §3.3:
//
//	scope       = scope-token *( SP scope-token )
//	scope-token = 1*( %x21 / %x23-5B / %x5D-7E )
//
// Tokens are separated by exactly one space; tabs, newlines, leading,
// trailing or doubled spaces, quotes, backslashes and non-ASCII are
// refused with ErrScopeSyntax. The empty string is the empty scope.
func ParseScope(s string) (Scope, error) {
	if s == "" {
		return nil, nil
	}
	n := strings.Count(s, " ") + 1
	out := make(Scope, 0, n)
	start := 0
	for i := 0; i <= len(s); i++ {
		if i < len(s) && s[i] != ' ' {
			if !scopeChar(s[i]) {
				return nil, ErrScopeSyntax
			}
			continue
		}
		if i == start {
			return nil, ErrScopeSyntax // empty token: leading, trailing or double space
		}
		if tok := s[start:i]; !out.Has(tok) {
			out = append(out, tok)
		}
		start = i + 1
	}
	return out, nil
}

func scopeChar(c byte) bool {
	return c == 0x21 || (c >= 0x23 && c <= 0x5B) || (c >= 0x5D && c <= 0x7E)
}

// String renders the scope as its space-separated wire form.
func (s Scope) String() string { return strings.Join(s, " ") }

// Has reports whether the scope contains tok (case-sensitive).
func (s Scope) Has(tok string) bool {
	for _, t := range s {
		if t == tok {
			return true
		}
	}
	return false
}

// Contains reports whether every token of other is in s.
func (s Scope) Contains(other Scope) bool {
	for _, t := range other {
		if !s.Has(t) {
			return false
		}
	}
	return true
}

// SubsetOf reports whether every token of s is in other.
func (s Scope) SubsetOf(other Scope) bool { return other.Contains(s) }

// Intersect returns the tokens of s that are also in other, in s's order.
func (s Scope) Intersect(other Scope) Scope {
	var out Scope
	for _, t := range s {
		if other.Has(t) {
			out = append(out, t)
		}
	}
	return out
}

// Equal reports whether s and other hold the same tokens, in any order.
func (s Scope) Equal(other Scope) bool {
	return len(s) == len(other) && s.Contains(other)
}
