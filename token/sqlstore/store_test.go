package sqlstore_test

import (
	"testing"

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
		return openStore(t, openDB(t, "pgx", postgresDSN(t)), sqlstore.Postgres)
	})
}
