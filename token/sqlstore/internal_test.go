package sqlstore

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRebind(t *testing.T) {
	q := "UPDATE t SET a = ? WHERE b = ? AND c IS NULL RETURNING d"
	assert.Equal(t, q, SQLite.rebind(q))
	assert.Equal(t, "UPDATE t SET a = $1 WHERE b = $2 AND c IS NULL RETURNING d", Postgres.rebind(q))
}

func TestSplitStatements(t *testing.T) {
	src := "-- a comment;\nCREATE TABLE a (\n\tx INT -- inline\n);\n\n-- another\nCREATE INDEX i ON a (x);\nSELECT 1"
	assert.Equal(t, []string{"CREATE TABLE a (\n\tx INT -- inline\n)", "CREATE INDEX i ON a (x)", "SELECT 1"},
		splitStatements(src))
}

// TestMigrationsInStep: both dialects have the same numbered migrations.
func TestMigrationsInStep(t *testing.T) {
	lite, err := migrations(SQLite)
	require.NoError(t, err)
	pg, err := migrations(Postgres)
	require.NoError(t, err)
	require.NotEmpty(t, lite)
	require.Len(t, pg, len(lite))
	for i := range lite {
		assert.Equal(t, i+1, lite[i].version)
		assert.Len(t, pg[i].statements, len(lite[i].statements), "version %d", i+1)
	}
}

func TestDialectString(t *testing.T) {
	assert.Equal(t, "sqlite", SQLite.String())
	assert.Equal(t, "postgres", Postgres.String())
	assert.Equal(t, "Dialect(7)", Dialect(7).String())
}
