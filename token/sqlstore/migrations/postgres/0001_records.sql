-- Records of tokens and codes, keyed by the SHA-256 of the token string:
-- the token itself is never stored. Times are unix microseconds (UTC);
-- NULL is the zero time: no expiry, not taken, not revoked.
CREATE TABLE tokenkit_records (
	hash       BYTEA    NOT NULL PRIMARY KEY CHECK (octet_length(hash) = 32),
	kind       SMALLINT NOT NULL,
	family     TEXT     NOT NULL DEFAULT '',
	me         TEXT     NOT NULL DEFAULT '',
	client_id  TEXT     NOT NULL DEFAULT '',
	issued_at  BIGINT,
	expires_at BIGINT,
	taken_at   BIGINT,
	revoked_at BIGINT,
	info       JSON     NOT NULL
);

-- RevokeFamily.
CREATE INDEX tokenkit_records_family ON tokenkit_records (family);

-- RevokeBefore.
CREATE INDEX tokenkit_records_me_client ON tokenkit_records (me, client_id, issued_at);

-- Purge.
CREATE INDEX tokenkit_records_expires ON tokenkit_records (expires_at);

-- Families revoked by RevokeFamily, so that a record Put into one later (a
-- replay that overtook the redemption it replays) is revoked too.
CREATE TABLE tokenkit_revoked_families (
	family     TEXT    NOT NULL PRIMARY KEY,
	revoked_at BIGINT  NOT NULL
);
