package tokentest_test

import (
	"testing"

	"github.com/tokenkit/tokenkit/token"
	"github.com/tokenkit/tokenkit/token/tokentest"
)

func TestMemoryStore(t *testing.T) {
	tokentest.TestStore(t, func(*testing.T) token.Store { return token.NewMemoryStore() })
}
