package tokentest

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tokenkit/tokenkit/token"
)

// TestStore runs the contract of token.Store as subtests, each on a fresh
// store from newStore. When the store also implements token.Purger, the
// Purge subtests run too; otherwise they are skipped.
//
// The contract, beyond the interface comments in package token:
//
//   - Put then Get returns every field of the record (see the package
//     documentation for precision); Get of a missing key is ErrNotFound.
//   - The store keeps its own copy: changing a record after Put, or what
//     Get returned, does not change what is stored.
//   - Take succeeds once; every later or concurrent Take of the same key
//     gets ErrTaken together with the record as the winner left it.
//     Take ignores revocation and expiry.
//   - Revoke keeps the first revocation time; on an unknown key it leaves
//     a revoked tombstone that Get returns, and a Put that arrives after
//     it does not bring the token back to life.
//   - RevokeFamily and RevokeBefore touch exactly the records they name;
//     the empty family names none. A record Put into a family after (or
//     while) the family is revoked is revoked too.
//   - Purge drops records and tombstones whose expiry is before now, and
//     only those, and reports how many.
func TestStore(t *testing.T, newStore func(t *testing.T) token.Store) {
	t.Helper()
	cases := []struct {
		name string
		run  func(*testing.T, token.Store)
	}{
		{"PutGet", testPutGet},
		{"PutGetMinimal", testPutGetMinimal},
		{"GetMissing", testGetMissing},
		{"Isolation", testIsolation},
		{"Take", testTake},
		{"TakeMissing", testTakeMissing},
		{"TakeIgnoresRevocation", testTakeIgnoresRevocation},
		{"TakeConcurrent", testTakeConcurrent},
		{"PutKeepsTaken", testPutKeepsTaken},
		{"Revoke", testRevoke},
		{"RevokeUnknownLeavesTombstone", testRevokeTombstone},
		{"PutAfterRevokeStaysRevoked", testPutAfterRevoke},
		{"RevokeFamily", testRevokeFamily},
		{"RevokeFamilyBeforePut", testRevokeFamilyBeforePut},
		{"RevokeFamilyRacesPut", testRevokeFamilyRacesPut},
		{"RevokeBefore", testRevokeBefore},
		{"Purge", testPurge},
		{"PurgeTombstone", testPurgeTombstone},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := newStore(t)
			require.NotNil(t, s, "newStore returned nil")
			c.run(t, s)
		})
	}
}

// base is the kit's reference time: whole seconds, in a zone that is
// neither UTC nor the machine's, so a store that loses the instant shows.
var base = time.Date(2031, time.March, 14, 15, 9, 26, 0, time.FixedZone("UTC+05:30", 5*3600+1800))

// at returns base moved by d.
func at(d time.Duration) time.Time { return base.Add(d) }

// fullRecord sets every field a store must keep.
func fullRecord(name string, kind token.Kind) *token.Record {
	r := &token.Record{
		Key:    token.HashToken(name),
		Kind:   kind,
		Family: "family-" + name,
		Info: token.Info{
			Me:        "https://user.example/",
			ClientID:  "https://app.example/",
			Scope:     token.Scope{"create", "update", "profile"},
			Subject:   "https://user.example/",
			Audience:  []string{"https://api.example/", "https://media.example/"},
			Issuer:    "https://auth.example/",
			ExpiresAt: at(time.Hour),
			IssuedAt:  at(0),
			NotBefore: at(-time.Minute),
			ID:        "jti-" + name,
			Actor: &token.Actor{
				Subject: "https://gateway.example/", ClientID: "gateway", Issuer: "https://auth.example/",
				Actor: &token.Actor{
					Subject: "https://batch.example/",
					Actor:   &token.Actor{ClientID: "cron"},
				},
			},
			MayAct: &token.Actor{
				ClientID: "gateway",
				Actor:    &token.Actor{Subject: "https://admin.example/", Issuer: "https://other.example/"},
			},
			Extra: map[string]json.RawMessage{
				"num":    json.RawMessage(`12345678901234567890`),
				"str":    json.RawMessage(`"<b>&é\u2028"`),
				"obj":    json.RawMessage(`{"b": [1, 2, {"c": null}], "a": true}`),
				"nil":    json.RawMessage(`null`),
				"list":   json.RawMessage(`["x","y"]`),
				"nested": json.RawMessage(`{"deep":{"deeper":{"deepest":"ok"}}}`),
			},
		},
	}
	if kind == token.KindCode {
		r.Code = &token.CodeGrant{
			RedirectURI:     "https://app.example/callback?x=1",
			Challenge:       "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
			ChallengeMethod: "S256",
		}
	}
	return r
}

// put stores r or fails the test.
func put(t *testing.T, s token.Store, r *token.Record) {
	t.Helper()
	require.NoError(t, s.Put(t.Context(), r), "Put")
}

// get loads the record under key or fails the test.
func get(t *testing.T, s token.Store, key token.Hash) *token.Record {
	t.Helper()
	r, err := s.Get(t.Context(), key)
	require.NoError(t, err, "Get")
	require.NotNil(t, r, "Get returned no record and no error")
	return r
}

// requireSameRecord checks that got holds what want held, within the
// tolerances the package documentation allows.
func requireSameRecord(t *testing.T, want, got *token.Record) {
	t.Helper()
	require.NotNil(t, got)
	require.Equal(t, normalize(t, want), normalize(t, got))
}

// normalize maps a record to a form where equal means "the same record":
// times in UTC, empty lists and maps as nil, Extra values as canonical JSON.
func normalize(t *testing.T, r *token.Record) token.Record {
	t.Helper()
	c := *r
	c.Info = *r.Info.Clone()
	c.Info.ExpiresAt = utc(c.Info.ExpiresAt)
	c.Info.IssuedAt = utc(c.Info.IssuedAt)
	c.Info.NotBefore = utc(c.Info.NotBefore)
	c.TakenAt = utc(c.TakenAt)
	c.RevokedAt = utc(c.RevokedAt)
	if len(c.Info.Scope) == 0 {
		c.Info.Scope = nil
	}
	if len(c.Info.Audience) == 0 {
		c.Info.Audience = nil
	}
	if len(c.Info.Extra) == 0 {
		c.Info.Extra = nil
	}
	for k, v := range c.Info.Extra {
		c.Info.Extra[k] = canonicalJSON(t, k, v)
	}
	return c
}

func utc(tm time.Time) time.Time {
	if tm.IsZero() {
		return time.Time{}
	}
	return tm.UTC()
}

// canonicalJSON re-encodes v with numbers kept exactly, object keys
// sorted, no insignificant space and no HTML escaping.
func canonicalJSON(t *testing.T, name string, v json.RawMessage) json.RawMessage {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(v))
	dec.UseNumber()
	var x any
	require.NoError(t, dec.Decode(&x), "Extra[%q] is not JSON: %s", name, v)
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	require.NoError(t, enc.Encode(x))
	return bytes.TrimSpace(b.Bytes())
}

func testPutGet(t *testing.T, s token.Store) {
	for _, kind := range []token.Kind{token.KindCode, token.KindAccess, token.KindRefresh} {
		want := fullRecord("put-get-"+kind.String(), kind)
		put(t, s, want)
		got := get(t, s, want.Key)
		requireSameRecord(t, want, got)
		assert.Equal(t, 3, got.Info.Actor.Depth(), "act chain depth")
		assert.Equal(t, 2, got.Info.MayAct.Depth(), "may_act chain depth")
		assert.False(t, got.Revoked())
		assert.True(t, got.TakenAt.IsZero())
	}
}

func testPutGetMinimal(t *testing.T, s token.Store) {
	want := &token.Record{Key: token.HashToken("minimal"), Kind: token.KindAccess}
	put(t, s, want)
	got := get(t, s, want.Key)
	requireSameRecord(t, want, got)
	assert.Nil(t, got.Code)
	assert.Nil(t, got.Info.Actor)
	assert.Nil(t, got.Info.MayAct)
	assert.True(t, got.Info.ExpiresAt.IsZero(), "zero expiry must stay zero (no expiry)")
}

func testGetMissing(t *testing.T, s token.Store) {
	put(t, s, fullRecord("present", token.KindAccess))
	r, err := s.Get(t.Context(), token.HashToken("absent"))
	require.ErrorIs(t, err, token.ErrNotFound)
	assert.Nil(t, r)
}

func testIsolation(t *testing.T, s token.Store) {
	in := fullRecord("isolation", token.KindCode)
	want := fullRecord("isolation", token.KindCode)
	put(t, s, in)
	in.Info.Me = "https://mallory.example/"
	in.Info.Scope[0] = "delete"
	in.Info.Actor.Actor.Subject = "changed"
	in.Info.Extra["str"] = json.RawMessage(`"changed"`)
	in.Code.RedirectURI = "https://mallory.example/"

	out := get(t, s, want.Key)
	requireSameRecord(t, want, out)
	out.Info.Audience[0] = "changed"
	out.Info.MayAct.Actor.Issuer = "changed"
	out.Code.Challenge = "changed"
	requireSameRecord(t, want, get(t, s, want.Key))
}
