package sqlstore_test

import (
	"crypto/rand"
	"database/sql"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver
	_ "modernc.org/sqlite"             // the "sqlite" driver

	"github.com/tokenkit/tokenkit/token/sqlstore"
)

// sqlitePragmas are the DSN settings the package documentation advises.
const sqlitePragmas = "_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_txlock=immediate"

// sqliteFileDSN returns the DSN of a new database file in a temporary
// directory.
func sqliteFileDSN(t testing.TB) string {
	return "file:" + filepath.Join(t.TempDir(), "tokens.db") + "?" + sqlitePragmas
}

// openDB opens a database handle closed when the test ends.
func openDB(t testing.TB, driver, dsn string) *sql.DB {
	t.Helper()
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// openSQLiteMemory opens a private in-memory database: one connection,
// since each connection to :memory: is a database of its own.
func openSQLiteMemory(t testing.TB) *sql.DB {
	db := openDB(t, "sqlite", ":memory:")
	db.SetMaxOpenConns(1)
	return db
}

// openPostgres opens a handle on dsn with a bounded pool, so that tests
// stay within a default server's max_connections (100).
func openPostgres(t testing.TB, dsn string) *sql.DB {
	db := openDB(t, "pgx", dsn)
	db.SetMaxOpenConns(10)
	db.SetMaxIdleConns(10)
	return db
}

// postgresDSN returns a DSN for a new, empty schema in the database that
// TOKENKIT_POSTGRES_DSN names, dropped when the test ends. Without the
// variable it skips the test, or fails it under CI.
func postgresDSN(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv("TOKENKIT_POSTGRES_DSN")
	if dsn == "" {
		if os.Getenv("CI") != "" {
			// CI always runs the PostgreSQL suite: a skip there would hide it.
			t.Fatal("TOKENKIT_POSTGRES_DSN is not set under CI; .ci/run must source .ci/postgres.sh")
		}
		t.Skip("TOKENKIT_POSTGRES_DSN is not set; source .ci/postgres.sh to run the PostgreSQL tests")
	}
	admin := openDB(t, "pgx", dsn)
	admin.SetMaxOpenConns(2)
	schema := "tokenkit_test_" + strings.ToLower(rand.Text()[:12])
	if _, err := admin.ExecContext(t.Context(), "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("creating a test schema: %v", err)
	}
	t.Cleanup(func() {
		// t.Context is done by now.
		if _, err := admin.Exec("DROP SCHEMA " + schema + " CASCADE"); err != nil {
			t.Errorf("dropping the test schema: %v", err)
		}
	})
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatalf("TOKENKIT_POSTGRES_DSN: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// openStore opens a Store on db or fails the test.
func openStore(t testing.TB, db *sql.DB, d sqlstore.Dialect) *sqlstore.Store {
	t.Helper()
	s, err := sqlstore.Open(t.Context(), db, d)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return s
}

// backend is a database the store runs on, for tests that need several
// handles on one database.
type backend struct {
	name    string
	driver  string
	dialect sqlstore.Dialect
	newDSN  func(testing.TB) string // a new, empty database
}

func backends() []backend {
	return []backend{
		{"SQLite", "sqlite", sqlstore.SQLite, sqliteFileDSN},
		{"Postgres", "pgx", sqlstore.Postgres, postgresDSN},
	}
}

// open opens a handle on dsn.
func (b backend) open(t testing.TB, dsn string) *sql.DB {
	if b.driver == "pgx" {
		return openPostgres(t, dsn)
	}
	return openDB(t, b.driver, dsn)
}
