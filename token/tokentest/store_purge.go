package tokentest

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tokenkit/tokenkit/token"
)

// purger returns s as a token.Purger, or skips the test.
func purger(t *testing.T, s token.Store) token.Purger {
	t.Helper()
	p, ok := s.(token.Purger)
	if !ok {
		t.Skipf("%T does not implement token.Purger", s)
	}
	return p
}

// testPurge: records whose expiry is before now go, the rest stay.
func testPurge(t *testing.T, s token.Store) {
	p := purger(t, s)
	now := at(0)
	mk := func(name string, exp time.Time) *token.Record {
		r := fullRecord(name, token.KindRefresh)
		r.Info.ExpiresAt = exp
		put(t, s, r)
		return r
	}
	gone := []*token.Record{
		mk("long-expired", now.Add(-30*24*time.Hour)),
		mk("just-expired", now.Add(-time.Second)),
	}
	taken := mk("expired-taken", now.Add(-time.Minute))
	_, err := s.Take(t.Context(), taken.Key, now.Add(-2*time.Minute))
	require.NoError(t, err)
	gone = append(gone, taken)
	kept := []*token.Record{
		mk("expires-now", now), // expired at now, but not before it
		mk("live", now.Add(time.Hour)),
		mk("no-expiry", time.Time{}),
	}

	n, err := p.Purge(t.Context(), now)
	require.NoError(t, err)
	assert.Equal(t, len(gone), n, "Purge's count")
	for _, r := range gone {
		_, err := s.Get(t.Context(), r.Key)
		assert.ErrorIs(t, err, token.ErrNotFound, "%s expired at %v, still there", r.Info.ID, r.Info.ExpiresAt)
	}
	for _, r := range kept {
		requireSameRecord(t, r, get(t, s, r.Key))
	}

	n, err = p.Purge(t.Context(), now)
	require.NoError(t, err)
	assert.Zero(t, n, "a second Purge at the same time")
}

// testPurgeTombstone: a tombstone lasts until the time Revoke was given.
func testPurgeTombstone(t *testing.T, s token.Store) {
	p := purger(t, s)
	until := at(time.Hour)
	key := token.HashToken("tombstone")
	forever := token.HashToken("tombstone-forever")
	require.NoError(t, s.Revoke(t.Context(), key, until))
	require.NoError(t, s.Revoke(t.Context(), forever, time.Time{}))

	n, err := p.Purge(t.Context(), until.Add(-time.Second))
	require.NoError(t, err)
	assert.Zero(t, n)
	assert.True(t, get(t, s, key).Revoked(), "tombstone purged before its time")

	n, err = p.Purge(t.Context(), until.Add(time.Second))
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	_, err = s.Get(t.Context(), key)
	require.ErrorIs(t, err, token.ErrNotFound, "tombstone kept past its time")
	assert.True(t, get(t, s, forever).Revoked(), "a tombstone with no end was purged")
}
