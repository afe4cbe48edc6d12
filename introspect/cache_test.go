package introspect

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/tokenkit/tokenkit/token"
)

func TestCacheBounded(t *testing.T) {
	now := time.Unix(1700000000, 0)
	c := newCache(4)
	for i := range 100 {
		c.put(token.HashToken(string(rune('a'+i))), entry{info: &token.Info{}, until: now.Add(time.Minute)}, now)
		assert.LessOrEqual(t, c.len(), 4)
	}
	// Expired entries go first.
	c = newCache(2)
	old, live := token.HashToken("old"), token.HashToken("live")
	c.put(old, entry{until: now.Add(time.Second)}, now)
	c.put(live, entry{until: now.Add(time.Hour)}, now)
	later := now.Add(time.Minute)
	c.put(token.HashToken("new"), entry{until: later.Add(time.Hour)}, later)
	_, ok := c.get(live, later)
	assert.True(t, ok)
	_, ok = c.get(old, later)
	assert.False(t, ok)
	// An entry is never served at or past its until.
	_, ok = c.get(live, now.Add(time.Hour))
	assert.False(t, ok)
	assert.Equal(t, 1, c.len())
}
