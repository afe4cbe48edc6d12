// Package tokentest holds test kits for code built on package token, in
// the spirit of net/http/httptest and golang.org/x/net/nettest.
//
// [TestStore] runs the storage contract of [token.Store] — records by
// hash, take-once under concurrency, revocation by key, family and
// cut-off time, tombstones, and expiry for stores that implement
// [token.Purger] — against any implementation. Run it on your own store
// from a test:
//
//	func TestMyStore(t *testing.T) {
//		tokentest.TestStore(t, func(t *testing.T) token.Store {
//			s, err := mystore.Open(t.Context(), newTestDatabase(t))
//			if err != nil {
//				t.Fatal(err)
//			}
//			return s
//		})
//	}
//
// newStore is called once per subtest and must return an empty store; use
// t.Cleanup inside it to release what it opened.
//
// # Precision
//
// Every time the kit stores is a whole second, so a store may keep times
// at microsecond or second precision and still pass. Times come back as
// the same instants; their location does not matter. Scope, Audience and
// Extra that are empty may come back nil, and Extra values may come back
// reformatted (whitespace, escapes) as long as they are the same JSON.
//
// # Errors
//
// The kit checks errors with errors.Is against [token.ErrNotFound] and
// [token.ErrTaken], so a store may wrap them. It reports failures through
// the *testing.T it is given and never panics on a misbehaving store.
package tokentest
