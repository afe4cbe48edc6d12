package token

import (
	"net/http"
	"strconv"
	"sync"
	"time"
)

// FailureLimit slows password guessing at endpoints that authenticate
// clients (RFC 6749 §2.3.1 requires protection against brute force): a
// registered client id gets Max attempts per Window that do not succeed;
// after that it is refused with 429 and Retry-After until the window has
// passed, whatever credentials it presents. A success clears the count.
// Each attempt is counted before the secret is checked, so concurrent
// guesses cannot overtake the limit. Only registered ids are tracked
// (there is nothing to guess for an unknown one), and at most MaxIDs of
// them, so memory stays bounded. Locking an id out is itself a nuisance an
// attacker can cause; generated high-entropy secrets (GenerateSecret)
// make guessing hopeless, and the limit is a second line.
//
// Applications can use it for their own secrets too, such as a consent
// page's password: Attempt before checking, Reset after a success.
type FailureLimit struct {
	Max    int           // attempts allowed per window; 0 means 10
	Window time.Duration // 0 means one minute
	MaxIDs int           // ids tracked at once; 0 means 10000
	Now    func() time.Time

	mu  sync.Mutex
	ids map[string]failures // by value: tracking costs no allocation
}

type failures struct {
	n     int
	start time.Time
}

func (l *FailureLimit) params() (int, time.Duration, int) {
	max, win, ids := l.Max, l.Window, l.MaxIDs
	if max <= 0 {
		max = 10
	}
	if win <= 0 {
		win = time.Minute
	}
	if ids <= 0 {
		ids = 10000
	}
	return max, win, ids
}

// Attempt counts one attempt for id and reports how long id must wait
// before trying again: 0 when this attempt may go ahead. A nil limit
// allows everything.
func (l *FailureLimit) Attempt(id string) time.Duration {
	if l == nil {
		return 0
	}
	max, win, maxIDs := l.params()
	at := now(l.Now)
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.ids == nil {
		l.ids = make(map[string]failures)
	}
	f, ok := l.ids[id]
	if !ok || at.Sub(f.start) >= win {
		if !ok && len(l.ids) >= maxIDs && !l.evict(at, win, max, maxIDs) {
			return 0 // full of active lockouts: let it through untracked
		}
		f = failures{start: at}
	}
	if f.n >= max {
		return win - at.Sub(f.start)
	}
	f.n++
	l.ids[id] = f
	return 0
}

// Reset clears id's count after a success.
func (l *FailureLimit) Reset(id string) {
	if l == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.ids, id)
}

// Tracked is the number of ids the limit holds state for.
func (l *FailureLimit) Tracked() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.ids)
}

// evict makes room: expired entries go, or else the oldest entry that is
// not locked out. It reports whether there is room now.
func (l *FailureLimit) evict(at time.Time, win time.Duration, max, maxIDs int) bool {
	var oldest string
	var oldestAt time.Time
	for id, f := range l.ids {
		switch {
		case at.Sub(f.start) >= win:
			delete(l.ids, id)
		case f.n < max && (oldest == "" || f.start.Before(oldestAt)):
			oldest, oldestAt = id, f.start
		}
	}
	if len(l.ids) < maxIDs {
		return true
	}
	if oldest == "" {
		return false
	}
	delete(l.ids, oldest)
	return true
}

func errThrottled(wait time.Duration) *Error {
	secs := int((wait + time.Second - 1) / time.Second)
	return &Error{Code: CodeInvalidClient, Description: "too many failed authentications; retry in " + strconv.Itoa(secs) + " seconds",
		Status: http.StatusTooManyRequests, RetryAfter: secs}
}
