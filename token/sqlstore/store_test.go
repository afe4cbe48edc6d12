package sqlstore_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tokenkit/tokenkit/token"
	"github.com/tokenkit/tokenkit/token/sqlstore"
	"github.com/tokenkit/tokenkit/token/tokentest"
)

func TestSQLiteFile(t *testing.T) {
	tokentest.TestStore(t, func(t *testing.T) token.Store {
		return openStore(t, openDB(t, "sqlite", sqliteFileDSN(t)), sqlstore.SQLite)
	})
}

func TestSQLiteMemory(t *testing.T) {
	tokentest.TestStore(t, func(t *testing.T) token.Store {
		return openStore(t, openSQLiteMemory(t), sqlstore.SQLite)
	})
}

func TestPostgres(t *testing.T) {
	tokentest.TestStore(t, func(t *testing.T) token.Store {
		return openStore(t, openPostgres(t, postgresDSN(t)), sqlstore.Postgres)
	})
}

// TestDatabaseErrors: a failing database is reported as such, never as a
// missing or taken record, which a caller would act on (REV-11).
func TestDatabaseErrors(t *testing.T) {
	db := openDB(t, "sqlite", sqliteFileDSN(t))
	s := openStore(t, db, sqlstore.SQLite)
	require.NoError(t, db.Close())
	key := token.HashToken("x")
	ctx := t.Context()

	_, err := s.Get(ctx, key)
	assertDatabaseError(t, err)
	_, err = s.Take(ctx, key, time.Now())
	assertDatabaseError(t, err)
	assertDatabaseError(t, s.Put(ctx, &token.Record{Key: key, Kind: token.KindAccess}))
	assertDatabaseError(t, s.Revoke(ctx, key, time.Now()))
	assertDatabaseError(t, s.RevokeFamily(ctx, "f"))
	assertDatabaseError(t, s.RevokeBefore(ctx, "me", "client", time.Now()))
	_, err = s.Purge(ctx, time.Now())
	assertDatabaseError(t, err)
}

func assertDatabaseError(t *testing.T, err error) {
	t.Helper()
	require.Error(t, err)
	assert.NotErrorIs(t, err, token.ErrNotFound)
	assert.NotErrorIs(t, err, token.ErrTaken)
	assert.Contains(t, err.Error(), "sqlstore: ")
}
