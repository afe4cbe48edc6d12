package introspect

import (
	"sync"
	"time"

	"github.com/tokenkit/tokenkit/token"
)

// cache holds verification answers under the token's hash, so no usable
// token stays in memory. It is bounded: when full, an insert first drops
// expired entries among a few it looks at, else one arbitrary entry
// (random replacement, O(1), no bookkeeping on the hit path).
type cache struct {
	mu  sync.Mutex
	max int
	m   map[token.Hash]entry
}

// entry is one answer: an Info, or the error a negative answer gave.
type entry struct {
	info  *token.Info
	err   error
	until time.Time
}

// evictProbe is how many entries an insert into a full cache looks at for
// expired ones.
const evictProbe = 8

func newCache(max int) *cache {
	return &cache{max: max, m: make(map[token.Hash]entry, min(max, 1024))}
}

func (c *cache) get(k token.Hash, now time.Time) (entry, bool) {
	c.mu.Lock()
	e, ok := c.m[k]
	if ok && !now.Before(e.until) {
		delete(c.m, k)
		ok = false
	}
	c.mu.Unlock()
	return e, ok
}

func (c *cache) put(k token.Hash, e entry, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.m[k]; !ok && len(c.m) >= c.max {
		c.evict(now)
	}
	c.m[k] = e
}

func (c *cache) evict(now time.Time) {
	n, dropped := 0, false
	var first token.Hash
	for k, e := range c.m {
		if n == 0 {
			first = k
		}
		if !now.Before(e.until) {
			delete(c.m, k)
			dropped = true
		}
		if n++; n == evictProbe {
			break
		}
	}
	if !dropped {
		delete(c.m, first)
	}
}

func (c *cache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.m)
}
