package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// The server starts on a loopback port, answers client_credentials with a
// JWT and publishes its JWKS, then shuts down when its context ends.
func TestServer(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	out := &lockedBuffer{}
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"-addr", "127.0.0.1:0", "-client", "svc:s3cr3t"}, out, ready) }()
	addr := <-ready
	base := "http://" + addr

	req, _ := http.NewRequest(http.MethodPost, base+"/token", strings.NewReader(url.Values{"grant_type": {"client_credentials"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth("svc", "s3cr3t")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	var tok map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&tok))
	resp.Body.Close()
	require.Equal(t, 200, resp.StatusCode, tok)
	assert.Equal(t, "Bearer", tok["token_type"])
	assert.Equal(t, 3, len(strings.Split(tok["access_token"].(string), ".")))

	resp, err = http.Get(base + "/jwks")
	require.NoError(t, err)
	var jwks struct {
		Keys []map[string]any `json:"keys"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&jwks))
	resp.Body.Close()
	require.Len(t, jwks.Keys, 1)
	assert.Equal(t, "k1", jwks.Keys[0]["kid"])

	cancel()
	require.NoError(t, <-done)
	assert.Contains(t, out.String(), "listening on http://"+addr)
	assert.Contains(t, out.String(), "clients     svc")
}

func TestBadClientFlag(t *testing.T) {
	err := run(context.Background(), []string{"-addr", "127.0.0.1:0", "-client", "nosecret"}, &bytes.Buffer{}, nil)
	require.ErrorContains(t, err, "want ID:SECRET")
}
