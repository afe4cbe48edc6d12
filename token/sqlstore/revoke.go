package sqlstore

import (
	"context"
	"fmt"
	"time"

	"github.com/tokenkit/tokenkit/token"
)

// Revoke implements token.Revoker. It is one upsert: it marks the record
// under key revoked, or, when there is none, inserts a revoked tombstone
// that expires at until. A record revoked before keeps its first
// revocation time.
func (s *Store) Revoke(ctx context.Context, key token.Hash, until time.Time) error {
	_, err := s.db.ExecContext(ctx, s.q.revoke, key[:], int64(token.KindAccess), micros(until), time.Now().UnixMicro())
	if err != nil {
		return fmt.Errorf("sqlstore: revoke: %w", err)
	}
	return nil
}

// RevokeFamily implements token.Revoker. It marks the family revoked, so
// that records Put into it later are revoked too (see Put), and then
// revokes its records. The empty family names no records.
func (s *Store) RevokeFamily(ctx context.Context, family string) error {
	if family == "" {
		return nil
	}
	now := time.Now().UnixMicro()
	if _, err := s.db.ExecContext(ctx, s.q.markFamily, family, now); err != nil {
		return fmt.Errorf("sqlstore: revoke family: %w", err)
	}
	if _, err := s.db.ExecContext(ctx, s.q.revokeFamily, now, family); err != nil {
		return fmt.Errorf("sqlstore: revoke family: %w", err)
	}
	return nil
}

// RevokeBefore implements token.Revoker: it revokes the records for (me,
// clientID) issued before t, and those with no issue time. A zero t
// revokes nothing.
func (s *Store) RevokeBefore(ctx context.Context, me, clientID string, t time.Time) error {
	if t.IsZero() {
		return nil
	}
	if _, err := s.db.ExecContext(ctx, s.q.revokeBefore, time.Now().UnixMicro(), me, clientID, t.UnixMicro()); err != nil {
		return fmt.Errorf("sqlstore: revoke before: %w", err)
	}
	return nil
}

// familyMarkGrace is how long Purge keeps the mark of a revoked family
// that has no records: long enough for the records of a redemption that a
// replay overtook to arrive and be revoked.
const familyMarkGrace = time.Hour

// Purge implements token.Purger: it deletes the records and tombstones
// whose expiry is before now, and reports how many. Records without an
// expiry stay. It also forgets revoked families that have had no records
// for a while. Call it on a schedule, say hourly.
func (s *Store) Purge(ctx context.Context, now time.Time) (int, error) {
	if now.IsZero() {
		return 0, nil
	}
	res, err := s.db.ExecContext(ctx, s.q.purge, now.UnixMicro())
	if err != nil {
		return 0, fmt.Errorf("sqlstore: purge: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("sqlstore: purge: %w", err)
	}
	if _, err := s.db.ExecContext(ctx, s.q.purgeFamilies, now.Add(-familyMarkGrace).UnixMicro()); err != nil {
		return int(n), fmt.Errorf("sqlstore: purge: %w", err)
	}
	return int(n), nil
}
