package sqlstore

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/tokenkit/tokenkit/token"
)

// columns are the record columns in the order scanRecord reads them.
const columns = "hash, kind, family, me, client_id, issued_at, expires_at, taken_at, revoked_at, info"

// payload is what the info column holds: the parts of a record that no
// query looks at, as JSON. Claim names follow Info's JSON form.
type payload struct {
	Scope     []string                   `json:"scope,omitempty"`
	Subject   string                     `json:"sub,omitempty"`
	Audience  []string                   `json:"aud,omitempty"`
	Issuer    string                     `json:"iss,omitempty"`
	NotBefore *int64                     `json:"nbf,omitempty"` // unix microseconds
	ID        string                     `json:"jti,omitempty"`
	Actor     *token.Actor               `json:"act,omitempty"`
	MayAct    *token.Actor               `json:"may_act,omitempty"`
	Extra     map[string]json.RawMessage `json:"extra,omitempty"`
	Code      *codeGrant                 `json:"code,omitempty"`
}

type codeGrant struct {
	RedirectURI     string `json:"redirect_uri,omitempty"`
	Challenge       string `json:"code_challenge,omitempty"`
	ChallengeMethod string `json:"code_challenge_method,omitempty"`
}

// micros maps a time to its column value: unix microseconds, or NULL for
// the zero time. Sub-microsecond precision is dropped.
func micros(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UnixMicro()
}

// fromMicros is the inverse of micros, in UTC.
func fromMicros(v sql.NullInt64) time.Time {
	if !v.Valid {
		return time.Time{}
	}
	return time.UnixMicro(v.Int64).UTC()
}

// recordArgs returns the arguments of the put query for r.
func recordArgs(r *token.Record) ([]any, error) {
	p := payload{
		Scope:    r.Info.Scope,
		Subject:  r.Info.Subject,
		Audience: r.Info.Audience,
		Issuer:   r.Info.Issuer,
		ID:       r.Info.ID,
		Actor:    r.Info.Actor,
		MayAct:   r.Info.MayAct,
		Extra:    r.Info.Extra,
	}
	if !r.Info.NotBefore.IsZero() {
		nbf := r.Info.NotBefore.UnixMicro()
		p.NotBefore = &nbf
	}
	if c := r.Code; c != nil {
		p.Code = &codeGrant{RedirectURI: c.RedirectURI, Challenge: c.Challenge, ChallengeMethod: c.ChallengeMethod}
	}
	info, err := json.Marshal(&p)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: encoding the record: %w", err)
	}
	// In the order of the put query: columns, with the family again
	// after revoked_at for its revoked-family lookup.
	return []any{
		r.Key[:], int64(r.Kind), r.Family, r.Info.Me, r.Info.ClientID,
		micros(r.Info.IssuedAt), micros(r.Info.ExpiresAt), micros(r.TakenAt), micros(r.RevokedAt), r.Family,
		string(info),
	}, nil
}

// scanned holds the destinations of one row, allocated at once.
type scanned struct {
	r                               token.Record
	hash, info                      []byte
	kind                            int64
	issued, expires, taken, revoked sql.NullInt64
}

// scanRecord reads one row of columns.
func scanRecord(row interface{ Scan(...any) error }) (*token.Record, error) {
	sc := new(scanned)
	r := &sc.r
	if err := row.Scan(&sc.hash, &sc.kind, &r.Family, &r.Info.Me, &r.Info.ClientID,
		&sc.issued, &sc.expires, &sc.taken, &sc.revoked, &sc.info); err != nil {
		return nil, err
	}
	if len(sc.hash) != len(r.Key) {
		return nil, fmt.Errorf("sqlstore: a stored hash is %d bytes long, not %d", len(sc.hash), len(r.Key))
	}
	copy(r.Key[:], sc.hash)
	r.Kind = token.Kind(sc.kind)
	r.Info.IssuedAt = fromMicros(sc.issued)
	r.Info.ExpiresAt = fromMicros(sc.expires)
	r.TakenAt = fromMicros(sc.taken)
	r.RevokedAt = fromMicros(sc.revoked)

	var p payload
	if err := json.Unmarshal(sc.info, &p); err != nil {
		return nil, fmt.Errorf("sqlstore: decoding a stored record: %w", err)
	}
	r.Info.Scope = p.Scope
	r.Info.Subject = p.Subject
	r.Info.Audience = p.Audience
	r.Info.Issuer = p.Issuer
	r.Info.ID = p.ID
	r.Info.Actor = p.Actor
	r.Info.MayAct = p.MayAct
	r.Info.Extra = p.Extra
	if p.NotBefore != nil {
		r.Info.NotBefore = time.UnixMicro(*p.NotBefore).UTC()
	}
	if c := p.Code; c != nil {
		r.Code = &token.CodeGrant{RedirectURI: c.RedirectURI, Challenge: c.Challenge, ChallengeMethod: c.ChallengeMethod}
	}
	sc.hash, sc.info = nil, nil // keep only the record alive
	return r, nil
}
