// Package sqlstore keeps token records in a SQL database through
// database/sql: SQLite as the embedded default, PostgreSQL when several
// instances of a server share their tokens. [*Store] implements
// [token.Store] and [token.Purger].
//
// The package imports no driver; the application picks one and hands
// [Open] a *sql.DB with the matching [Dialect]. With SQLite through
// modernc.org/sqlite (pure Go):
//
//	import _ "modernc.org/sqlite"
//
//	db, err := sql.Open("sqlite", "file:tokens.db?"+
//		"_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&"+
//		"_pragma=synchronous(NORMAL)&_txlock=immediate")
//	…
//	store, err := sqlstore.Open(ctx, db, sqlstore.SQLite)
//
// With PostgreSQL through pgx:
//
//	import _ "github.com/jackc/pgx/v5/stdlib"
//
//	db, err := sql.Open("pgx", "postgres://user:password@host:5432/db")
//	…
//	store, err := sqlstore.Open(ctx, db, sqlstore.Postgres)
//
// Any other driver for the two databases works the same way. The Store
// does not own db: close it when the Store is no longer used.
//
// # SQLite settings
//
// SQLite lets one writer in at a time. These DSN settings (spelled here
// for modernc.org/sqlite; other drivers have their own) keep concurrent
// writers from failing with SQLITE_BUSY:
//
//   - busy_timeout(10000): wait up to 10 s for the write lock instead of
//     failing at once.
//   - journal_mode(WAL): readers do not block the writer, nor it them.
//   - synchronous(NORMAL): safe with WAL, and much faster than FULL.
//   - _txlock=immediate: transactions take the write lock when they
//     begin. A deferred transaction that reads and then writes fails at
//     once with SQLITE_BUSY when another writer got in between; busy_timeout
//     does not help there. (The Store itself runs single statements, so
//     this matters for the application's own transactions on db.)
//
// journal_mode(WAL) is kept in the database file. Switching a new file to
// it needs the file alone for a moment, and SQLite answers SQLITE_BUSY
// rather than wait: when several processes may start at once on a file
// that does not exist yet, create it first (one Open does), or retry.
//
// Every connection to ":memory:" opens a database of its own. For an
// in-memory database, as in tests, keep the pool to one connection with
// db.SetMaxOpenConns(1), and leave ConnMaxLifetime and ConnMaxIdleTime at
// zero so that connection is never closed.
//
// # Schema
//
// Open creates three tables, tokenkit_records, tokenkit_revoked_families
// and tokenkit_schema_version, and migrates them from SQL files embedded in the package, one
// transaction per Open, in which concurrent Opens wait their turn (SQLite
// BEGIN IMMEDIATE; a PostgreSQL advisory lock). A database migrated by a
// newer version of this package is refused with [ErrSchemaTooNew]. On
// PostgreSQL the tables go into the first schema of search_path.
//
// A record is one row keyed by the 32-byte SHA-256 of its token, with the
// columns every lookup needs (kind, family, me, client_id, and the times as
// unix microseconds, UTC, NULL for none) and the rest of its token.Info and
// CodeGrant as JSON. Family, (me, client_id, issued_at) and expires_at are
// indexed. Times keep microsecond precision. A revoked family is also
// remembered on its own, so that records Put into it afterwards are stored
// revoked; Purge forgets it once the family has no records left and the
// mark is an hour old.
//
// # Security
//
// Only hashes of tokens and codes are stored, so a copy of the database
// holds no usable token. Take-once, which code redemption and refresh
// rotation rest on, is one conditional UPDATE … RETURNING: the database
// guarantees that exactly one of any number of concurrent takes succeeds,
// across processes sharing it. Call [Store.Purge] on a schedule to delete
// expired records.
//
// # Errors
//
// Get and Take return [token.ErrNotFound] and [token.ErrTaken] as the
// contract says; database failures come back wrapped, prefixed
// "sqlstore:", and are never mistaken for either.
package sqlstore
