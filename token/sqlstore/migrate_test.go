package sqlstore_test

import (
	"database/sql"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tokenkit/tokenkit/token"
	"github.com/tokenkit/tokenkit/token/sqlstore"
)

func TestOpenIsIdempotent(t *testing.T) {
	for _, b := range backends() {
		t.Run(b.name, func(t *testing.T) {
			db := b.open(t, b.newDSN(t))
			s := openStore(t, db, b.dialect)
			r := &token.Record{Key: token.HashToken("kept"), Kind: token.KindRefresh, Family: "f",
				Info: token.Info{Me: "https://user.example/", ExpiresAt: time.Now().Add(time.Hour)}}
			require.NoError(t, s.Put(t.Context(), r))

			again := openStore(t, db, b.dialect)
			got, err := again.Get(t.Context(), r.Key)
			require.NoError(t, err, "a second Open lost a record")
			assert.Equal(t, "f", got.Family)

			var versions, latest int
			require.NoError(t, db.QueryRowContext(t.Context(),
				"SELECT COUNT(*), MAX(version) FROM tokenkit_schema_version").Scan(&versions, &latest))
			assert.Equal(t, latest, versions, "each version recorded once")
			assert.GreaterOrEqual(t, latest, 1)
		})
	}
}

func TestOpenRefusesNewerSchema(t *testing.T) {
	for _, b := range backends() {
		t.Run(b.name, func(t *testing.T) {
			db := b.open(t, b.newDSN(t))
			openStore(t, db, b.dialect)
			_, err := db.ExecContext(t.Context(),
				"INSERT INTO tokenkit_schema_version (version, applied_at) VALUES (1000, 0)")
			require.NoError(t, err)

			s, err := sqlstore.Open(t.Context(), db, b.dialect)
			require.ErrorIs(t, err, sqlstore.ErrSchemaTooNew)
			assert.Nil(t, s)
			assert.Contains(t, err.Error(), "version 1000")

			// The refusal changed nothing.
			var n int
			require.NoError(t, db.QueryRowContext(t.Context(),
				"SELECT COUNT(*) FROM tokenkit_schema_version WHERE version = 1000").Scan(&n))
			assert.Equal(t, 1, n)
		})
	}
}

// TestOpenConcurrently: several processes starting at once on a new
// database migrate it once between them.
func TestOpenConcurrently(t *testing.T) {
	const processes = 6
	for _, b := range backends() {
		t.Run(b.name, func(t *testing.T) {
			dsn := b.newDSN(t)
			if b.dialect == sqlstore.SQLite {
				// Turning a new file to WAL takes it for a moment alone,
				// and SQLite does not wait for that (see the package
				// doc): the file exists before the processes start.
				require.NoError(t, b.open(t, dsn).PingContext(t.Context()))
			}
			dbs := make([]*sql.DB, processes)
			for i := range dbs {
				dbs[i] = b.open(t, dsn)
			}
			errs := make([]error, processes)
			var wg sync.WaitGroup
			for i, db := range dbs {
				wg.Go(func() { _, errs[i] = sqlstore.Open(t.Context(), db, b.dialect) })
			}
			wg.Wait()
			for i, err := range errs {
				require.NoError(t, err, "Open in process %d", i)
			}
			var versions, latest int
			require.NoError(t, dbs[0].QueryRowContext(t.Context(),
				"SELECT COUNT(*), MAX(version) FROM tokenkit_schema_version").Scan(&versions, &latest))
			assert.Equal(t, latest, versions)
		})
	}
}

func TestOpenRefusesBadArguments(t *testing.T) {
	_, err := sqlstore.Open(t.Context(), nil, sqlstore.SQLite)
	require.Error(t, err)
	_, err = sqlstore.Open(t.Context(), openSQLiteMemory(t), sqlstore.Dialect(0))
	require.ErrorContains(t, err, "unknown dialect")
}
