package sqlstore

import (
	"strconv"
	"strings"
)

// Dialect names the SQL database behind a Store. The differences are few
// and kept here: placeholders (? or $n), column types (in the migration
// files), and how a migration locks out a concurrent one. Both dialects
// share the rest: INSERT … ON CONFLICT … DO UPDATE for upserts and
// UPDATE … RETURNING for take-once.
type Dialect int

// The supported dialects.
const (
	// SQLite 3.35 or later (for RETURNING), through any database/sql
	// driver; modernc.org/sqlite is pure Go.
	SQLite Dialect = iota + 1
	// Postgres is PostgreSQL 12 or later, through any database/sql driver;
	// github.com/jackc/pgx/v5/stdlib is the usual one.
	Postgres
)

// String returns the dialect's name.
func (d Dialect) String() string {
	switch d {
	case SQLite:
		return "sqlite"
	case Postgres:
		return "postgres"
	}
	return "Dialect(" + strconv.Itoa(int(d)) + ")"
}

func (d Dialect) valid() bool { return d == SQLite || d == Postgres }

// rebind turns the ? placeholders of q into the dialect's. The queries of
// this package hold no ? inside literals.
func (d Dialect) rebind(q string) string {
	if d != Postgres {
		return q
	}
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// begin returns the statements that open a migration transaction which
// no other migration can interleave with, across processes: SQLite takes
// the write lock at once (a deferred transaction that reads the version
// and then writes could fail with SQLITE_BUSY); PostgreSQL takes an
// advisory lock held until commit.
func (d Dialect) begin() []string {
	if d == Postgres {
		return []string{"BEGIN", "SELECT pg_advisory_xact_lock(" + strconv.FormatInt(migrationLockID, 10) + ")"}
	}
	return []string{"BEGIN IMMEDIATE"}
}

// migrationLockID is the PostgreSQL advisory lock key of migrations.
const migrationLockID int64 = 0x746f6b656e6b6974 // "tokenkit"
