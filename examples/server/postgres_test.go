package main

import (
	"crypto/rand"
	"database/sql"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The server on PostgreSQL (-db postgres://…): it issues, introspects and
// revokes as on SQLite. Runs when TOKENKIT_POSTGRES_DSN is set, as in CI.
func TestPostgresBackend(t *testing.T) {
	dsn := os.Getenv("TOKENKIT_POSTGRES_DSN")
	if dsn == "" {
		t.Skip("TOKENKIT_POSTGRES_DSN is not set; source .ci/postgres.sh to run against PostgreSQL")
	}
	// A schema of its own, so runs and other suites never meet.
	admin, err := sql.Open("pgx", dsn)
	require.NoError(t, err)
	schema := "tokenkit_example_" + strings.ToLower(rand.Text()[:12])
	_, err = admin.Exec("CREATE SCHEMA " + schema)
	require.NoError(t, err)
	t.Cleanup(func() {
		_, _ = admin.Exec("DROP SCHEMA " + schema + " CASCADE")
		admin.Close()
	})
	u, err := url.Parse(dsn)
	require.NoError(t, err)
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()

	base, out := startServer(t, "-db", u.String(), "-client", "pg:pg-secret")
	assert.Contains(t, out.String(), "(postgres)")
	assert.NotContains(t, out.String(), "tokenkit:tokenkit@", "the DSN's password is not printed")
	call := func(path string, form url.Values) map[string]any {
		req, _ := http.NewRequest(http.MethodPost, base+path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.SetBasicAuth("pg", "pg-secret")
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		require.Equal(t, 200, resp.StatusCode)
		var m map[string]any
		if resp.ContentLength != 0 {
			require.NoError(t, json.NewDecoder(resp.Body).Decode(&m))
		}
		return m
	}
	at := call("/token", url.Values{"grant_type": {"client_credentials"}})["access_token"].(string)
	assert.Equal(t, true, call("/introspect", url.Values{"token": {at}})["active"])
	call("/revoke", url.Values{"token": {at}})
	assert.Equal(t, map[string]any{"active": false}, call("/introspect", url.Values{"token": {at}}))
}
