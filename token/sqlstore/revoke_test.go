package sqlstore_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tokenkit/tokenkit/token"
)

// TestPurgeForgetsRevokedFamilies: the mark of a revoked family stays
// while the family has records, and for an hour after it has none.
func TestPurgeForgetsRevokedFamilies(t *testing.T) {
	for _, b := range backends() {
		t.Run(b.name, func(t *testing.T) {
			db := b.open(t, b.newDSN(t))
			s := openStore(t, db, b.dialect)
			ctx := t.Context()
			now := time.Now()
			marks := func() (n int) {
				require.NoError(t, db.QueryRowContext(ctx, "SELECT COUNT(*) FROM tokenkit_revoked_families").Scan(&n))
				return n
			}

			live := &token.Record{Key: token.HashToken("live"), Kind: token.KindRefresh, Family: "with-records",
				Info: token.Info{ExpiresAt: now.Add(24 * time.Hour)}}
			require.NoError(t, s.Put(ctx, live))
			require.NoError(t, s.RevokeFamily(ctx, "with-records"))
			require.NoError(t, s.RevokeFamily(ctx, "empty"))
			require.Equal(t, 2, marks())

			_, err := s.Purge(ctx, now)
			require.NoError(t, err)
			assert.Equal(t, 2, marks(), "a fresh mark without records is kept")
			late := &token.Record{Key: token.HashToken("late"), Kind: token.KindAccess, Family: "empty"}
			require.NoError(t, s.Put(ctx, late))
			got, err := s.Get(ctx, late.Key)
			require.NoError(t, err)
			assert.True(t, got.Revoked())

			require.NoError(t, s.RevokeFamily(ctx, "still-empty"))
			_, err = s.Purge(ctx, now.Add(2*time.Hour))
			require.NoError(t, err)
			assert.Equal(t, 2, marks(), "only the mark without records is forgotten")
		})
	}
}
