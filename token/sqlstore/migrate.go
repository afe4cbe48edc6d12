package sqlstore

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strconv"
	"strings"
	"time"
)

// ErrSchemaTooNew is returned by Open for a database whose schema was
// migrated by a newer version of this package: running older code on it
// could lose or misread what the newer code wrote.
var ErrSchemaTooNew = errors.New("sqlstore: database schema is newer than this package")

//go:embed migrations
var migrationFS embed.FS

// migration is one numbered schema change of one dialect.
type migration struct {
	version    int
	statements []string
}

// migrations reads the dialect's embedded migrations, numbered 1, 2, …
// without gaps by their file name's prefix (0001_records.sql).
func migrations(d Dialect) ([]migration, error) {
	dir := path.Join("migrations", d.String())
	entries, err := fs.ReadDir(migrationFS, dir)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: migrations: %w", err)
	}
	var ms []migration
	for _, e := range entries { // ReadDir sorts by name
		prefix, _, _ := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(prefix)
		if err != nil || v != len(ms)+1 {
			return nil, fmt.Errorf("sqlstore: migration %s/%s is out of sequence", dir, e.Name())
		}
		b, err := migrationFS.ReadFile(path.Join(dir, e.Name()))
		if err != nil {
			return nil, fmt.Errorf("sqlstore: migrations: %w", err)
		}
		ms = append(ms, migration{version: v, statements: splitStatements(string(b))})
	}
	return ms, nil
}

// splitStatements splits a migration file into statements: each ends with
// a semicolon at the end of a line; lines starting with -- are comments.
// Drivers differ on whether one Exec may run several statements, so each
// runs on its own.
func splitStatements(src string) []string {
	var out []string
	var cur strings.Builder
	for line := range strings.Lines(src) {
		trimmed := strings.TrimSpace(line)
		if trimmed == "" || strings.HasPrefix(trimmed, "--") {
			continue
		}
		cur.WriteString(line)
		if strings.HasSuffix(trimmed, ";") {
			out = append(out, strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(cur.String()), ";")))
			cur.Reset()
		}
	}
	if s := strings.TrimSpace(cur.String()); s != "" {
		out = append(out, s)
	}
	return out
}

const versionTable = `CREATE TABLE IF NOT EXISTS tokenkit_schema_version (
	version    INTEGER NOT NULL PRIMARY KEY,
	applied_at BIGINT  NOT NULL
)`

// migrate brings the schema up to the newest version this package knows,
// in one transaction that concurrent Opens wait for, and refuses a schema
// newer than that.
func migrate(ctx context.Context, db *sql.DB, d Dialect) (err error) {
	ms, err := migrations(d)
	if err != nil {
		return err
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("sqlstore: migrate: %w", err)
	}
	defer conn.Close()
	begun := false
	defer func() {
		if err != nil && begun {
			rollback(ctx, conn)
		}
	}()
	for _, stmt := range d.begin() {
		if _, err := conn.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("sqlstore: migrate: begin: %w", err)
		}
		begun = true
	}

	if _, err := conn.ExecContext(ctx, versionTable); err != nil {
		return fmt.Errorf("sqlstore: migrate: %w", err)
	}
	var have int
	err = conn.QueryRowContext(ctx, "SELECT COALESCE(MAX(version), 0) FROM tokenkit_schema_version").Scan(&have)
	if err != nil {
		return fmt.Errorf("sqlstore: migrate: reading the schema version: %w", err)
	}
	if have > len(ms) {
		return fmt.Errorf("%w: the database is at version %d, this package knows up to %d", ErrSchemaTooNew, have, len(ms))
	}
	insert := d.rebind("INSERT INTO tokenkit_schema_version (version, applied_at) VALUES (?, ?)")
	for _, m := range ms[have:] {
		for _, stmt := range m.statements {
			if _, err := conn.ExecContext(ctx, stmt); err != nil {
				return fmt.Errorf("sqlstore: migrate to version %d: %w", m.version, err)
			}
		}
		if _, err := conn.ExecContext(ctx, insert, m.version, time.Now().UnixMicro()); err != nil {
			return fmt.Errorf("sqlstore: migrate to version %d: %w", m.version, err)
		}
	}
	if _, err := conn.ExecContext(ctx, "COMMIT"); err != nil {
		return fmt.Errorf("sqlstore: migrate: commit: %w", err)
	}
	return nil
}

// rollback ends the migration transaction on conn. If that fails, the
// connection is discarded rather than handed back to the pool with a
// transaction still open.
func rollback(ctx context.Context, conn *sql.Conn) {
	if _, err := conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK"); err != nil {
		_ = conn.Raw(func(any) error { return driver.ErrBadConn })
	}
}
