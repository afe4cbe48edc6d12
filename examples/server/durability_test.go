package main

import (
	"bufio"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var listening = regexp.MustCompile(`listening on +(http://\S+)`)

// startProcess runs the built server binary and returns its base URL.
func startProcess(t *testing.T, bin string, args ...string) (*exec.Cmd, string) {
	cmd := exec.Command(bin, append([]string{"-addr", "127.0.0.1:0"}, args...)...)
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	cmd.Stderr = os.Stderr
	require.NoError(t, cmd.Start())
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		if m := listening.FindStringSubmatch(sc.Text()); m != nil {
			go func() {
				for sc.Scan() { // keep draining so the server never blocks on its log
				}
			}()
			return cmd, m[1]
		}
	}
	_ = cmd.Process.Kill()
	_ = cmd.Wait()
	t.Fatal("server exited before listening")
	return nil, ""
}

// Killing the server with SIGKILL in the middle of a stream of token
// requests loses nothing it answered: after a restart on the same file,
// every token it issued verifies and every token it revoked stays revoked.
func TestDurabilityAcrossSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the server binary")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "server")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Stderr = os.Stderr
	require.NoError(t, build.Run())
	db := filepath.Join(dir, "tokens.db")
	// The restart listens on another port, so the issuer is fixed rather
	// than derived from the address.
	args := []string{"-db", db, "-client", "svc:s3cr3t", "-issuer", "http://127.0.0.1/"}

	cmd, base := startProcess(t, bin, args...)
	client := &http.Client{Timeout: 5 * time.Second}
	post := func(base, path string, form url.Values) (int, map[string]any) {
		req, _ := http.NewRequest(http.MethodPost, base+path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.SetBasicAuth("svc", "s3cr3t")
		resp, err := client.Do(req)
		if err != nil {
			return 0, nil
		}
		defer resp.Body.Close()
		var m map[string]any
		_ = json.NewDecoder(resp.Body).Decode(&m)
		return resp.StatusCode, m
	}

	var mu sync.Mutex
	var issued, revoked []string
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				status, m := post(base, "/token", url.Values{"grant_type": {"client_credentials"}})
				if status != 200 {
					continue // the kill landed mid-request: not answered
				}
				at := m["access_token"].(string)
				if (i+w)%3 == 0 {
					status, _ := post(base, "/revoke", url.Values{"token": {at}})
					if status == 200 {
						mu.Lock()
						revoked = append(revoked, at)
						mu.Unlock()
					}
					// Without an answer the revocation may or may not
					// have happened: such a token proves nothing.
					continue
				}
				mu.Lock()
				issued = append(issued, at)
				mu.Unlock()
			}
		}()
	}
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		mu.Lock()
		n := len(issued) + len(revoked)
		mu.Unlock()
		if n >= 150 {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	require.NoError(t, cmd.Process.Signal(syscall.SIGKILL)) // mid-stream
	close(stop)
	wg.Wait()
	_ = cmd.Wait()

	cmd, base = startProcess(t, bin, args...)
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	require.NotEmpty(t, issued)
	require.NotEmpty(t, revoked)
	for _, at := range issued {
		status, m := post(base, "/introspect", url.Values{"token": {at}})
		require.Equal(t, 200, status)
		require.Equal(t, true, m["active"], "an answered token was lost")
	}
	for _, at := range revoked {
		status, m := post(base, "/introspect", url.Values{"token": {at}})
		require.Equal(t, 200, status)
		require.Equal(t, map[string]any{"active": false}, m, "a revoked token came back")
	}
	assert.Greater(t, len(issued)+len(revoked), 10)
	t.Logf("%d tokens answered, %d of them revoked, all as answered after SIGKILL and restart", len(issued)+len(revoked), len(revoked))
}
