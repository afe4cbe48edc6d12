package token

import (
	"net/http"
	"strconv"
	"sync"
	"time"
)

// FailureLimit slows password guessing at endpoints that authenticate
// clients (RFC 6749 §2.3.1 requires protection against brute force): after
// Max failed authentications of one client id within Window, that id is
// refused with 429 and Retry-After until the window has passed, whatever
// credentials it presents. A success clears the count. It keeps at most
// MaxIDs ids, forgetting the oldest first, so memory stays bounded under a
// flood of invented ids. Locking an id out is itself a nuisance an
// attacker can cause; generated high-entropy secrets (GenerateSecret) make
// guessing hopeless, and the limit is a second line.
type FailureLimit struct {
	Max    int           // failures allowed per window; 0 means 10
	Window time.Duration // 0 means one minute
	MaxIDs int           // ids tracked at once; 0 means 10000
	Now    func() time.Time

	mu  sync.Mutex
	ids map[string]*failures
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

// blocked returns how long id must still wait, or 0.
func (l *FailureLimit) blocked(id string) time.Duration {
	if l == nil {
		return 0
	}
	max, win, _ := l.params()
	at := now(l.Now)
	l.mu.Lock()
	defer l.mu.Unlock()
	f := l.ids[id]
	if f == nil {
		return 0
	}
	if left := win - at.Sub(f.start); left > 0 {
		if f.n >= max {
			return left
		}
		return 0
	}
	delete(l.ids, id)
	return 0
}

// record counts a failure for id, or clears it on success.
func (l *FailureLimit) record(id string, ok bool) {
	if l == nil {
		return
	}
	_, win, maxIDs := l.params()
	at := now(l.Now)
	l.mu.Lock()
	defer l.mu.Unlock()
	if ok {
		delete(l.ids, id)
		return
	}
	if l.ids == nil {
		l.ids = make(map[string]*failures)
	}
	f := l.ids[id]
	if f == nil || at.Sub(f.start) >= win {
		if f == nil && len(l.ids) >= maxIDs {
			l.evict(at, win)
		}
		f = &failures{start: at}
		l.ids[id] = f
	}
	f.n++
}

// evict drops expired entries, or the oldest when none has expired.
func (l *FailureLimit) evict(at time.Time, win time.Duration) {
	var oldest string
	var oldestAt time.Time
	for id, f := range l.ids {
		if at.Sub(f.start) >= win {
			delete(l.ids, id)
			continue
		}
		if oldest == "" || f.start.Before(oldestAt) {
			oldest, oldestAt = id, f.start
		}
	}
	if len(l.ids) > 0 && oldest != "" {
		delete(l.ids, oldest)
	}
}

func errThrottled(wait time.Duration) *Error {
	secs := int(wait/time.Second) + 1
	return &Error{Code: CodeInvalidClient, Description: "too many failed authentications; retry in " + strconv.Itoa(secs) + " seconds",
		Status: http.StatusTooManyRequests, RetryAfter: secs}
}

// Tracked is the number of client ids the limit holds state for.
func (l *FailureLimit) Tracked() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.ids)
}
