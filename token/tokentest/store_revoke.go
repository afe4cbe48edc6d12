package tokentest

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tokenkit/tokenkit/token"
)

// testRevoke: a revoked record stays readable, marked revoked, and a
// second Revoke changes nothing (REV-02: revoking twice is fine).
func testRevoke(t *testing.T, s token.Store) {
	want := fullRecord("revoke", token.KindAccess)
	other := fullRecord("revoke-other", token.KindAccess)
	put(t, s, want)
	put(t, s, other)

	require.NoError(t, s.Revoke(t.Context(), want.Key, want.Info.ExpiresAt))
	got := get(t, s, want.Key)
	require.True(t, got.Revoked(), "Get after Revoke shows RevokedAt")
	first := got.RevokedAt
	want.RevokedAt = first
	requireSameRecord(t, want, got) // nothing else changed

	require.NoError(t, s.Revoke(t.Context(), want.Key, want.Info.ExpiresAt), "second Revoke")
	got = get(t, s, want.Key)
	assert.True(t, got.RevokedAt.Equal(first), "a second Revoke keeps the first RevokedAt")
	assert.False(t, get(t, s, other.Key).Revoked(), "Revoke touched another record")
}

// testRevokeTombstone: revoking a token the store has no record of (a
// self-encoded JWT) leaves a revoked record until the token's own expiry
// (SEC-12).
func testRevokeTombstone(t *testing.T, s token.Store) {
	key := token.HashToken("jwt-without-record")
	until := at(time.Hour)
	require.NoError(t, s.Revoke(t.Context(), key, until))

	got := get(t, s, key)
	assert.Equal(t, key, got.Key)
	assert.True(t, got.Revoked(), "the tombstone is revoked")
	assert.True(t, got.Info.ExpiresAt.Equal(until), "the tombstone lasts until %v, got %v", until, got.Info.ExpiresAt)

	require.NoError(t, s.Revoke(t.Context(), key, until), "revoking a tombstone again")
	assert.True(t, get(t, s, key).RevokedAt.Equal(got.RevokedAt))
}

// testPutAfterRevoke: when a revocation overtakes the Put of the same
// token, the token stays revoked.
func testPutAfterRevoke(t *testing.T, s token.Store) {
	r := fullRecord("late-put", token.KindAccess)
	require.NoError(t, s.Revoke(t.Context(), r.Key, r.Info.ExpiresAt))
	put(t, s, r)
	assert.True(t, get(t, s, r.Key).Revoked(), "a Put after Revoke brought the token back")
}

// testRevokeFamily: a family is revoked whole and alone (TOK-14, REF-10).
func testRevokeFamily(t *testing.T, s token.Store) {
	var inFamily, outside []*token.Record
	for _, k := range []token.Kind{token.KindCode, token.KindAccess, token.KindRefresh, token.KindRefresh} {
		r := fullRecord(fmt.Sprintf("fam-a-%d-%s", len(inFamily), k), k)
		r.Family = "family-a"
		inFamily = append(inFamily, r)
	}
	for i, fam := range []string{"family-b", "family-b", "family-a2", "", ""} {
		r := fullRecord(fmt.Sprintf("other-%d", i), token.KindAccess)
		r.Family = fam
		outside = append(outside, r)
	}
	for _, r := range append(append([]*token.Record{}, inFamily...), outside...) {
		put(t, s, r)
	}
	// The tokens of an already taken code are still revoked.
	_, err := s.Take(t.Context(), inFamily[0].Key, at(0))
	require.NoError(t, err)

	require.NoError(t, s.RevokeFamily(t.Context(), "family-a"))
	for _, r := range inFamily {
		assert.True(t, get(t, s, r.Key).Revoked(), "%s of the family not revoked", r.Kind)
	}
	for _, r := range outside {
		assert.False(t, get(t, s, r.Key).Revoked(), "record of family %q revoked", r.Family)
	}

	require.NoError(t, s.RevokeFamily(t.Context(), "family-a"), "revoking a family twice")
	require.NoError(t, s.RevokeFamily(t.Context(), ""), "the empty family")
	require.NoError(t, s.RevokeFamily(t.Context(), "no-such-family"))
	for _, r := range outside {
		assert.False(t, get(t, s, r.Key).Revoked(), "the empty family revoked a record of family %q", r.Family)
	}
}

// testRevokeFamilyBeforePut: a replay that overtakes the legitimate
// redemption revokes the family before the redemption has stored what it
// issued; those records are revoked when they arrive (TOK-14).
func testRevokeFamilyBeforePut(t *testing.T, s token.Store) {
	require.NoError(t, s.RevokeFamily(t.Context(), "overtaken"))
	late := fullRecord("late-member", token.KindAccess)
	late.Family = "overtaken"
	other := fullRecord("other-family", token.KindAccess)
	other.Family = "overtaken-not"
	none := fullRecord("no-family", token.KindAccess)
	none.Family = ""
	for _, r := range []*token.Record{late, other, none} {
		put(t, s, r)
	}
	assert.True(t, get(t, s, late.Key).Revoked(), "a record Put into a revoked family is not revoked")
	assert.False(t, get(t, s, other.Key).Revoked())
	assert.False(t, get(t, s, none.Key).Revoked())
}

// testRevokeFamilyRacesPut: whichever of Put and RevokeFamily comes
// first, a record of a revoked family ends up revoked.
func testRevokeFamilyRacesPut(t *testing.T, s token.Store) {
	const rounds = 20
	errs := make(chan error, 2*rounds)
	var wg sync.WaitGroup
	records := make([]*token.Record, rounds)
	for i := range records {
		r := fullRecord(fmt.Sprintf("race-%d", i), token.KindRefresh)
		records[i] = r
		wg.Add(2)
		go func() { defer wg.Done(); errs <- s.Put(t.Context(), r) }()
		go func() { defer wg.Done(); errs <- s.RevokeFamily(t.Context(), r.Family) }()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	for _, r := range records {
		assert.True(t, get(t, s, r.Key).Revoked(), "%s escaped the revocation of its family", r.Info.ID)
	}
}

// testRevokeBefore: "log out everywhere" for one (me, client_id) revokes
// what was issued strictly before the cut-off, and nothing else.
func testRevokeBefore(t *testing.T, s token.Store) {
	const me, client = "https://user.example/", "https://app.example/"
	cut := at(0)
	mk := func(name, me, client string, issued time.Time) *token.Record {
		r := fullRecord(name, token.KindAccess)
		r.Info.Me, r.Info.ClientID, r.Info.IssuedAt = me, client, issued
		put(t, s, r)
		return r
	}
	revoked := []*token.Record{
		mk("old", me, client, cut.Add(-48*time.Hour)),
		mk("recent", me, client, cut.Add(-time.Second)),
	}
	kept := []*token.Record{
		mk("at-cut", me, client, cut),
		mk("after", me, client, cut.Add(time.Second)),
		mk("other-client", me, "https://other-app.example/", cut.Add(-time.Hour)),
		mk("other-user", "https://other-user.example/", client, cut.Add(-time.Hour)),
		mk("user-as-client", client, me, cut.Add(-time.Hour)),
	}
	require.NoError(t, s.RevokeBefore(t.Context(), me, client, cut))
	for _, r := range revoked {
		assert.True(t, get(t, s, r.Key).Revoked(), "%s issued at %v not revoked", r.Info.ID, r.Info.IssuedAt)
	}
	for _, r := range kept {
		assert.False(t, get(t, s, r.Key).Revoked(), "%s revoked", r.Info.ID)
	}
	require.NoError(t, s.RevokeBefore(t.Context(), me, client, cut), "a second RevokeBefore")
}
