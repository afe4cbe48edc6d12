package token

import (
	"context"
	"sync"
	"time"
)

// MemoryStore is an in-memory Store for tests and small single-process
// programs. It is safe for concurrent use; its records are gone when the
// process exits. Use token/sqlstore to keep them.
type MemoryStore struct {
	mu      sync.Mutex
	records map[Hash]*Record
	// revoked marks revoked families, so late members are born revoked.
	// Families have no index: RevokeFamily is rare and scans, sparing
	// every Put an allocation.
	revoked map[string]time.Time
}

// familyMarkGrace is how long Purge keeps the mark of a revoked family
// with no records left, for the records of a redemption a replay
// overtook.
const familyMarkGrace = time.Hour

var (
	_ Store  = (*MemoryStore)(nil)
	_ Purger = (*MemoryStore)(nil)
)

// NewMemoryStore returns an empty MemoryStore.
func NewMemoryStore() *MemoryStore {
	return &MemoryStore{records: make(map[Hash]*Record), revoked: make(map[string]time.Time)}
}

// copyRecord keeps callers from mutating what the store holds.
func copyRecord(r *Record) *Record {
	c := *r
	c.Info = r.Info.clone()
	if r.Code != nil {
		cg := *r.Code
		c.Code = &cg
	}
	return &c
}

// Put implements Recorder.
func (s *MemoryStore) Put(_ context.Context, r *Record) error {
	c := copyRecord(r)
	s.mu.Lock()
	defer s.mu.Unlock()
	if old, ok := s.records[r.Key]; ok {
		if old.Revoked() {
			c.RevokedAt = old.RevokedAt // a tombstone outlives a late Put
		}
		if !old.TakenAt.IsZero() {
			c.TakenAt = old.TakenAt // Put is no way around take-once
		}
	}
	if at, ok := s.revoked[r.Family]; ok && c.RevokedAt.IsZero() {
		c.RevokedAt = at
	}
	s.records[r.Key] = c
	return nil
}

// Get implements Recorder.
func (s *MemoryStore) Get(_ context.Context, key Hash) (*Record, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.records[key]
	if !ok {
		return nil, ErrNotFound
	}
	return copyRecord(r), nil
}

// Take implements Taker.
func (s *MemoryStore) Take(_ context.Context, key Hash, at time.Time) (*Record, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.records[key]
	if !ok {
		return nil, ErrNotFound
	}
	if !r.TakenAt.IsZero() {
		return copyRecord(r), ErrTaken
	}
	r.TakenAt = at
	return copyRecord(r), nil
}

// Revoke implements Revoker.
func (s *MemoryStore) Revoke(_ context.Context, key Hash, until time.Time) error {
	now := time.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	if r, ok := s.records[key]; ok {
		if !r.Revoked() {
			r.RevokedAt = now
		}
		return nil
	}
	s.records[key] = &Record{Key: key, Kind: KindAccess, Info: Info{ExpiresAt: until}, RevokedAt: now}
	return nil
}

// RevokeFamily implements Revoker.
func (s *MemoryStore) RevokeFamily(_ context.Context, family string) error {
	if family == "" {
		return nil
	}
	now := time.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.revoked[family]; !ok {
		s.revoked[family] = now
	}
	for _, r := range s.records {
		if r.Family == family && !r.Revoked() {
			r.RevokedAt = now
		}
	}
	return nil
}

// RevokeBefore implements Revoker.
func (s *MemoryStore) RevokeBefore(_ context.Context, me, clientID string, t time.Time) error {
	now := time.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range s.records {
		if r.Info.Me == me && r.Info.ClientID == clientID && r.Info.IssuedAt.Before(t) && !r.Revoked() {
			r.RevokedAt = now
		}
	}
	return nil
}

// Purge implements Purger: it drops records that expired before now.
func (s *MemoryStore) Purge(_ context.Context, now time.Time) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for k, r := range s.records {
		if !r.Info.ExpiresAt.IsZero() && r.Info.ExpiresAt.Before(now) {
			delete(s.records, k)
			n++
		}
	}
	live := make(map[string]bool, len(s.revoked))
	for _, r := range s.records {
		if _, ok := s.revoked[r.Family]; ok {
			live[r.Family] = true
		}
	}
	for f, at := range s.revoked {
		if !live[f] && now.Sub(at) > familyMarkGrace {
			delete(s.revoked, f)
		}
	}
	return n, nil
}
