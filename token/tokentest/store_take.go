package tokentest

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tokenkit/tokenkit/token"
)

// takers is how many goroutines race for one key in TakeConcurrent.
const takers = 100

func testTake(t *testing.T, s token.Store) {
	want := fullRecord("take", token.KindCode)
	put(t, s, want)
	first := at(time.Minute)

	got, err := s.Take(t.Context(), want.Key, first)
	require.NoError(t, err, "first Take")
	want.TakenAt = first
	requireSameRecord(t, want, got)
	requireSameRecord(t, want, get(t, s, want.Key))

	again, err := s.Take(t.Context(), want.Key, at(2*time.Minute))
	require.ErrorIs(t, err, token.ErrTaken, "second Take")
	require.NotNil(t, again, "ErrTaken comes with the record")
	requireSameRecord(t, want, again) // TakenAt is still the first take's
}

func testTakeMissing(t *testing.T, s token.Store) {
	put(t, s, fullRecord("present", token.KindCode))
	r, err := s.Take(t.Context(), token.HashToken("absent"), at(0))
	require.ErrorIs(t, err, token.ErrNotFound)
	assert.Nil(t, r)
	_, err = s.Get(t.Context(), token.HashToken("absent"))
	require.ErrorIs(t, err, token.ErrNotFound, "Take of a missing key must not create it")
}

// testTakeIgnoresRevocation: Take leaves revocation and expiry to the
// caller, who must see a revoked code to revoke what it issued (TOK-14).
func testTakeIgnoresRevocation(t *testing.T, s token.Store) {
	r := fullRecord("take-revoked", token.KindRefresh)
	r.Info.ExpiresAt = at(-time.Hour)
	put(t, s, r)
	require.NoError(t, s.Revoke(t.Context(), r.Key, r.Info.ExpiresAt))

	got, err := s.Take(t.Context(), r.Key, at(0))
	require.NoError(t, err, "Take of a revoked, expired record")
	assert.True(t, got.Revoked(), "Take returns the record as it is, revoked")
	assert.True(t, got.TakenAt.Equal(at(0)))
}

// testTakeConcurrent: many callers take one key at once and exactly one
// wins; every loser sees ErrTaken and the winner's take (TOK-13, REF-10).
func testTakeConcurrent(t *testing.T, s token.Store) {
	r := fullRecord("take-race", token.KindCode)
	put(t, s, r)

	type result struct {
		at  time.Time
		rec *token.Record
		err error
	}
	results := make([]result, takers)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range takers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			when := at(time.Duration(i+1) * time.Second)
			rec, err := s.Take(t.Context(), r.Key, when)
			results[i] = result{at: when, rec: rec, err: err}
		}()
	}
	close(start)
	wg.Wait()

	var winner *result
	for i := range results {
		res := &results[i]
		switch {
		case res.err == nil:
			if winner != nil {
				require.Failf(t, "two Takes succeeded", "at %v and at %v", winner.at, res.at)
			}
			winner = res
		case errors.Is(res.err, token.ErrTaken):
			require.NotNil(t, res.rec, "ErrTaken comes with the record")
		default:
			require.NoError(t, res.err, "Take %d failed with neither success nor ErrTaken", i)
		}
	}
	require.NotNil(t, winner, "no Take succeeded")
	require.NotNil(t, winner.rec)
	assert.True(t, winner.rec.TakenAt.Equal(winner.at), "winner's TakenAt")
	for _, res := range results {
		if res.err != nil {
			require.True(t, res.rec.TakenAt.Equal(winner.at),
				"a loser saw TakenAt %v, the winner took at %v", res.rec.TakenAt, winner.at)
		}
	}
	assert.True(t, get(t, s, r.Key).TakenAt.Equal(winner.at), "stored TakenAt is the winner's")
}

// testPutKeepsTaken: a Put over a taken record leaves it taken, so that
// "record, then take" can claim a key once however many callers race.
func testPutKeepsTaken(t *testing.T, s token.Store) {
	r := fullRecord("put-taken", token.KindCode)
	put(t, s, r)
	_, err := s.Take(t.Context(), r.Key, at(time.Minute))
	require.NoError(t, err)
	r2 := fullRecord("put-taken", token.KindCode)
	r2.TakenAt = time.Time{}
	put(t, s, r2)
	got := get(t, s, r.Key)
	assert.True(t, got.TakenAt.Equal(at(time.Minute)), "a Put must not untake a record")
	_, err = s.Take(t.Context(), r.Key, at(2*time.Minute))
	require.ErrorIs(t, err, token.ErrTaken)
}
