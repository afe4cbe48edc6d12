package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/tokenkit/tokenkit/token"
)

// Store keeps token records in a SQL database. It implements token.Store
// and token.Purger, and is safe for concurrent use by any number of
// goroutines and processes sharing the database.
type Store struct {
	db *sql.DB
	q  queries
}

var (
	_ token.Store  = (*Store)(nil)
	_ token.Purger = (*Store)(nil)
)

// queries are the statements of a Store, in its dialect.
type queries struct {
	put, putCheck, get, take, revoke, markFamily, revokeFamily, revokeBefore, purge, purgeFamilies string
}

// Open returns a Store on db, first creating or migrating its tables
// (tokenkit_records, tokenkit_schema_version) to the newest schema this
// package knows, in one transaction. It refuses, with ErrSchemaTooNew, a
// database that a newer version of this package has migrated.
//
// Open may be called by several processes at once; migrations run one at
// a time. The Store does not own db: close db when done with the Store.
func Open(ctx context.Context, db *sql.DB, d Dialect) (*Store, error) {
	if db == nil {
		return nil, errors.New("sqlstore: Open: nil *sql.DB")
	}
	if !d.valid() {
		return nil, fmt.Errorf("sqlstore: Open: unknown dialect %v", d)
	}
	if d == SQLite {
		if err := checkSQLiteVersion(ctx, db); err != nil {
			return nil, err
		}
	}
	if err := migrate(ctx, db, d); err != nil {
		return nil, err
	}
	return &Store{db: db, q: newQueries(d)}, nil
}

func newQueries(d Dialect) queries {
	const table, families = "tokenkit_records", "tokenkit_revoked_families"
	return queries{
		// The revoked_at value is the record's own, or its family's
		// revocation when the family was revoked before it arrived.
		put: d.rebind("INSERT INTO " + table + " (" + columns + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?," +
			" COALESCE(?, (SELECT revoked_at FROM " + families + " WHERE family = ?)), ?)" +
			" ON CONFLICT (hash) DO UPDATE SET kind = excluded.kind, family = excluded.family," +
			" me = excluded.me, client_id = excluded.client_id, issued_at = excluded.issued_at," +
			" expires_at = excluded.expires_at, info = excluded.info," +
			// A taken record stays taken: Put is no way around take-once.
			" taken_at = COALESCE(" + table + ".taken_at, excluded.taken_at)," +
			// A tombstone outlives a Put that comes after the revocation.
			" revoked_at = COALESCE(" + table + ".revoked_at, excluded.revoked_at)" +
			" RETURNING revoked_at"),
		// Run after put, when the record came out unrevoked: a family
		// revoked while put ran is seen here (see Put).
		putCheck: d.rebind("UPDATE " + table + " SET revoked_at = f.revoked_at FROM " + families + " AS f" +
			" WHERE f.family = " + table + ".family AND " + table + ".hash = ? AND " + table + ".revoked_at IS NULL"),
		get: d.rebind("SELECT " + columns + " FROM " + table + " WHERE hash = ?"),
		take: d.rebind("UPDATE " + table + " SET taken_at = ? WHERE hash = ? AND taken_at IS NULL" +
			" RETURNING " + columns),
		revoke: d.rebind("INSERT INTO " + table + " (hash, kind, expires_at, revoked_at, info)" +
			" VALUES (?, ?, ?, ?, '{}')" +
			" ON CONFLICT (hash) DO UPDATE SET revoked_at = excluded.revoked_at" +
			" WHERE " + table + ".revoked_at IS NULL"),
		markFamily: d.rebind("INSERT INTO " + families + " (family, revoked_at) VALUES (?, ?)" +
			" ON CONFLICT (family) DO NOTHING"),
		revokeFamily: d.rebind("UPDATE " + table + " SET revoked_at = ?" +
			" WHERE family = ? AND revoked_at IS NULL"),
		revokeBefore: d.rebind("UPDATE " + table + " SET revoked_at = ?" +
			" WHERE me = ? AND client_id = ? AND (issued_at < ? OR issued_at IS NULL) AND revoked_at IS NULL"),
		purge: d.rebind("DELETE FROM " + table + " WHERE expires_at < ?"),
		purgeFamilies: d.rebind("DELETE FROM " + families + " WHERE revoked_at < ? AND NOT EXISTS" +
			" (SELECT 1 FROM " + table + " AS r WHERE r.family = " + families + ".family)"),
	}
}

// checkSQLiteVersion refuses SQLite before 3.35, which lacks RETURNING.
func checkSQLiteVersion(ctx context.Context, db *sql.DB) error {
	var v string
	if err := db.QueryRowContext(ctx, "SELECT sqlite_version()").Scan(&v); err != nil {
		return fmt.Errorf("sqlstore: Open: is this SQLite? %w", err)
	}
	parts := strings.SplitN(v, ".", 3)
	major, _ := strconv.Atoi(parts[0])
	minor := 0
	if len(parts) > 1 {
		minor, _ = strconv.Atoi(parts[1])
	}
	if major < 3 || major == 3 && minor < 35 {
		return fmt.Errorf("sqlstore: Open: SQLite %s is too old, 3.35 or later is needed", v)
	}
	return nil
}

// Put implements token.Recorder. A record already under the key is
// replaced, except that a revoked one stays revoked. A record of a family
// that RevokeFamily revoked, before or during the Put, is stored revoked.
//
// That takes a second statement when the first leaves the record
// unrevoked: RevokeFamily marks the family and then revokes its records,
// Put stores the record and then looks for the mark, so whichever order
// their statements run in, one of them sees the other's work.
func (s *Store) Put(ctx context.Context, r *token.Record) error {
	args, err := recordArgs(r)
	if err != nil {
		return err
	}
	var revoked sql.NullInt64
	if err := s.db.QueryRowContext(ctx, s.q.put, args...).Scan(&revoked); err != nil {
		return fmt.Errorf("sqlstore: put: %w", err)
	}
	if revoked.Valid || r.Family == "" {
		return nil
	}
	if _, err := s.db.ExecContext(ctx, s.q.putCheck, r.Key[:]); err != nil {
		return fmt.Errorf("sqlstore: put: %w", err)
	}
	return nil
}

// Get implements token.Recorder.
func (s *Store) Get(ctx context.Context, key token.Hash) (*token.Record, error) {
	r, err := scanRecord(s.db.QueryRowContext(ctx, s.q.get, key[:]))
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil, token.ErrNotFound
	case err != nil:
		return nil, fmt.Errorf("sqlstore: get: %w", err)
	}
	return r, nil
}

// Take implements token.Taker with one conditional UPDATE … RETURNING,
// which the database runs atomically: of any number of concurrent calls,
// in any number of processes, exactly one finds taken_at still NULL. When
// none is found, a read tells a taken record (ErrTaken) from a missing one
// (ErrNotFound).
func (s *Store) Take(ctx context.Context, key token.Hash, at time.Time) (*token.Record, error) {
	for range 3 {
		r, err := scanRecord(s.db.QueryRowContext(ctx, s.q.take, micros(at), key[:]))
		if err == nil {
			return r, nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return nil, fmt.Errorf("sqlstore: take: %w", err)
		}
		r, err = s.Get(ctx, key)
		if err != nil {
			return nil, err
		}
		if !r.TakenAt.IsZero() {
			return r, token.ErrTaken
		}
		// A Put created or replaced the record between the two
		// statements: try again.
	}
	return nil, errors.New("sqlstore: take: the record keeps changing")
}
