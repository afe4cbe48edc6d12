package discovery

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata")

// TestProfileFixtures serves each testdata/profiles/NAME.html at /u/v/ on
// a loopback server, with the header lines of NAME.headers (Content-Type
// defaults to text/html), and compares the links discovery picks — the
// first of each relation, Link headers before HTML — with NAME.golden.json.
// URLs on the test server are written relative to it ("/meta"). The
// fixtures are plain files so other IndieAuth implementations can reuse
// them. Run with -update to rewrite the golden files.
func TestProfileFixtures(t *testing.T) {
	pages, err := filepath.Glob("testdata/profiles/*.html")
	require.NoError(t, err)
	require.NotEmpty(t, pages)
	c, err := NewClient(Config{InsecureAllowPrivateNetworks: true})
	require.NoError(t, err)
	for _, page := range pages {
		name := strings.TrimSuffix(filepath.Base(page), ".html")
		t.Run(name, func(t *testing.T) {
			body, err := os.ReadFile(page)
			require.NoError(t, err)
			headers := readHeaders(t, strings.TrimSuffix(page, ".html")+".headers")
			ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/html; charset=utf-8")
				for _, h := range headers {
					if h[0] == "Content-Type" {
						w.Header().Set(h[0], h[1])
					} else {
						w.Header().Add(h[0], h[1])
					}
				}
				_, _ = w.Write(body)
			}))
			defer ts.Close()

			found, final, err := c.fetchLinks(context.Background(), ts.URL+"/u/v/", nil)
			require.NoError(t, err)
			assert.Equal(t, ts.URL+"/u/v/", final.String())
			rel := make(map[string]string, len(found))
			for k, v := range found {
				rel[k] = strings.TrimPrefix(v, ts.URL)
			}
			got, err := json.MarshalIndent(rel, "", "  ")
			require.NoError(t, err)
			got = append(got, '\n')

			golden := strings.TrimSuffix(page, ".html") + ".golden.json"
			if *update {
				require.NoError(t, os.WriteFile(golden, got, 0o644))
			}
			want, err := os.ReadFile(golden)
			require.NoError(t, err)
			assert.Equal(t, string(want), string(got))
		})
	}
}

func readHeaders(t *testing.T, path string) [][2]string {
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return nil
	}
	require.NoError(t, err)
	defer f.Close()
	var out [][2]string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		name, value, ok := strings.Cut(sc.Text(), ":")
		if ok {
			out = append(out, [2]string{name, strings.TrimSpace(value)})
		}
	}
	require.NoError(t, sc.Err())
	return out
}
