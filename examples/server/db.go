package main

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // PostgreSQL, for -db postgres://…
	_ "modernc.org/sqlite"             // SQLite, the embedded default

	"github.com/tokenkit/tokenkit/token"
	"github.com/tokenkit/tokenkit/token/sqlstore"
)

// database is the server's one database: the token store's tables and the
// example's own (signing keys, micropub posts).
type database struct {
	db      *sql.DB
	dialect sqlstore.Dialect
	store   *sqlstore.Store
}

// openDatabase opens a SQLite file or, for a postgres:// DSN, PostgreSQL.
func openDatabase(ctx context.Context, dsn string) (*database, error) {
	d := &database{}
	var err error
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		d.dialect = sqlstore.Postgres
		d.db, err = sql.Open("pgx", dsn)
	} else {
		d.dialect = sqlstore.SQLite
		d.db, err = sql.Open("sqlite", "file:"+dsn+"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_txlock=immediate")
	}
	if err != nil {
		return nil, err
	}
	if err := d.db.PingContext(ctx); err != nil {
		d.db.Close()
		return nil, fmt.Errorf("opening %s: %w", d.dialect, err)
	}
	if d.store, err = sqlstore.Open(ctx, d.db, d.dialect); err != nil {
		d.db.Close()
		return nil, err
	}
	blob := "BLOB"
	if d.dialect == sqlstore.Postgres {
		blob = "BYTEA"
	}
	for _, q := range []string{
		`CREATE TABLE IF NOT EXISTS example_keys (kid TEXT PRIMARY KEY, seed ` + blob + ` NOT NULL, created_at BIGINT NOT NULL)`,
		`CREATE TABLE IF NOT EXISTS example_posts (id TEXT PRIMARY KEY, me TEXT NOT NULL, client_id TEXT NOT NULL, content TEXT NOT NULL, created_at BIGINT NOT NULL)`,
	} {
		if _, err := d.db.ExecContext(ctx, q); err != nil {
			d.db.Close()
			return nil, err
		}
	}
	return d, nil
}

func (d *database) Close() error { return d.db.Close() }

// signingKeys loads the Ed25519 keys, creating the first on a new
// database, so tokens stay valid across restarts. The newest key signs.
func (d *database) signingKeys(ctx context.Context) (*token.KeySet, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT kid, seed FROM example_keys ORDER BY created_at`)
	if err != nil {
		return nil, err
	}
	var keys []*token.Key
	for rows.Next() {
		var kid string
		var seed []byte
		if err := rows.Scan(&kid, &seed); err != nil {
			rows.Close()
			return nil, err
		}
		if len(seed) != ed25519.SeedSize {
			rows.Close()
			return nil, errors.New("example_keys: bad seed")
		}
		k, err := token.NewEd25519Key(kid, ed25519.NewKeyFromSeed(seed))
		if err != nil {
			rows.Close()
			return nil, err
		}
		keys = append(keys, k)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(keys) == 0 {
		seed := make([]byte, ed25519.SeedSize)
		rand.Read(seed)
		kid := fmt.Sprintf("k%d", time.Now().Unix())
		if _, err := d.db.ExecContext(ctx, `INSERT INTO example_keys (kid, seed, created_at) VALUES ($1, $2, $3)`, kid, seed, time.Now().Unix()); err != nil {
			return nil, err
		}
		k, err := token.NewEd25519Key(kid, ed25519.NewKeyFromSeed(seed))
		if err != nil {
			return nil, err
		}
		keys = append(keys, k)
	}
	last := len(keys) - 1
	return token.NewKeySet(keys[last], keys[:last]...)
}

// post is one micropub entry.
type post struct {
	ID, Me, ClientID, Content string
	Created                   time.Time
}

func (d *database) addPost(ctx context.Context, p post) error {
	_, err := d.db.ExecContext(ctx, `INSERT INTO example_posts (id, me, client_id, content, created_at) VALUES ($1, $2, $3, $4, $5)`,
		p.ID, p.Me, p.ClientID, p.Content, p.Created.Unix())
	return err
}

func (d *database) getPost(ctx context.Context, id string) (*post, error) {
	p := &post{ID: id}
	var created int64
	err := d.db.QueryRowContext(ctx, `SELECT me, client_id, content, created_at FROM example_posts WHERE id = $1`, id).
		Scan(&p.Me, &p.ClientID, &p.Content, &created)
	if err != nil {
		return nil, err
	}
	p.Created = time.Unix(created, 0).UTC()
	return p, nil
}
