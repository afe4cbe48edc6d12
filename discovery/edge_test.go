package discovery_test

import (
	"context"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tokenkit/tokenkit/discovery"
)

// filler is 1 KiB of ordinary markup.
var filler = strings.Repeat("<p>lorem ipsum dolor sit amet</p>\n", 40)[:1024]

// EDGE-25: a 50 MiB page is read up to the cap; links beyond it are
// ignored, quickly and with bounded memory.
func TestDiscoverHugePage(t *testing.T) {
	s := newSite(t)
	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write([]byte(`<link rel="micropub" href="/early">`))
		chunk := []byte(strings.Repeat(filler, 64))
		for range 50 << 4 {
			if _, err := w.Write(chunk); err != nil {
				return // the client hung up: good
			}
		}
		_, _ = w.Write([]byte(`<link rel="authorization_endpoint" href="/auth">`))
	})
	c := devClient(t, discovery.Config{})

	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	_, err := c.Discover(ctx, s.URL)
	elapsed := time.Since(start)
	runtime.ReadMemStats(&after)

	t.Logf("allocated %d bytes in %v", after.TotalAlloc-before.TotalAlloc, elapsed)
	require.ErrorIs(t, err, discovery.ErrNoEndpoints, "the link after the cap is not seen")
	assert.Less(t, elapsed, 5*time.Second)
	assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(2<<20), "allocated while reading a 50 MiB page")
}

// EDGE-25: an endless chunked stream stops at the cap.
func TestDiscoverEndlessStream(t *testing.T) {
	s := newSite(t)
	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Header().Set("Link", "</auth>; rel=authorization_endpoint")
		for {
			if _, err := w.Write([]byte(filler)); err != nil {
				return
			}
			w.(http.Flusher).Flush()
		}
	})
	c := devClient(t, discovery.Config{MaxBodyBytes: 64 << 10})
	res, err := c.Discover(ctx, s.URL)
	require.NoError(t, err)
	assert.Equal(t, s.URL+"/auth", res.Endpoints.Authorization)
}

// EDGE-26: a server dripping a byte at a time is cut off by the total
// deadline, not by a per-read timeout.
func TestDiscoverSlowDrip(t *testing.T) {
	for _, where := range []string{"body", "headers", "metadata"} {
		t.Run(where, func(t *testing.T) {
			s := newSite(t)
			stop := make(chan struct{})
			t.Cleanup(func() { close(stop) })
			drip := func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/html")
				if where == "metadata" {
					w.Header().Set("Content-Type", "application/json")
				}
				if where == "headers" {
					select {
					case <-stop:
					case <-r.Context().Done():
					}
					return
				}
				for {
					if _, err := w.Write([]byte("<")); err != nil {
						return
					}
					w.(http.Flusher).Flush()
					select {
					case <-stop:
						return
					case <-r.Context().Done():
						return
					case <-time.After(50 * time.Millisecond):
					}
				}
			}
			if where == "metadata" {
				s.page("/", `<link rel="indieauth-metadata" href="/meta">`)
				s.mux.HandleFunc("/meta", drip)
			} else {
				s.mux.HandleFunc("/", drip)
			}
			c := devClient(t, discovery.Config{Timeout: 300 * time.Millisecond})
			start := time.Now()
			_, err := c.Discover(ctx, s.URL)
			require.Error(t, err)
			assert.ErrorIs(t, err, context.DeadlineExceeded)
			assert.Less(t, time.Since(start), 2*time.Second)
		})
	}
}

// EDGE-32: a Link header with 10 000 link-values is parsed with bounded
// work, the valid first value used; a header over the cap is refused.
func TestDiscoverLinkHeaderBombs(t *testing.T) {
	s := newSite(t)
	s.mux.HandleFunc("/many", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Link", "</auth>; rel=authorization_endpoint,"+strings.Repeat("<x>;rel=y,", 10000))
	})
	s.mux.HandleFunc("/huge", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Link", "</auth>; rel=authorization_endpoint, <"+strings.Repeat("a", 1<<20)+">; rel=y")
	})
	s.mux.HandleFunc("/broken", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Add("Link", `</auth>; rel=authorization_endpoint, <unbalanced; rel="x`)
		w.Header().Add("Link", `<`+strings.Repeat(`"`, 5000))
	})
	c := devClient(t, discovery.Config{})

	res, err := c.Discover(ctx, s.URL+"/many")
	require.NoError(t, err)
	assert.Equal(t, s.URL+"/auth", res.Endpoints.Authorization)

	res, err = c.Discover(ctx, s.URL+"/broken")
	require.NoError(t, err)
	assert.Equal(t, s.URL+"/auth", res.Endpoints.Authorization)

	_, err = c.Discover(ctx, s.URL+"/huge")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "header")
}

// EDGE-28: an https page may not redirect to http.
func TestDiscoverDowngrade(t *testing.T) {
	plain := newSite(t)
	plain.page("/", `<link rel="authorization_endpoint" href="/auth">`)
	tls := newTLSSite(t)
	tls.redirect("/", http.StatusMovedPermanently, plain.URL+"/")
	c := devClient(t, discovery.Config{InsecureHTTPClient: tls.Client()})
	_, err := c.Discover(ctx, tls.URL)
	require.ErrorIs(t, err, discovery.ErrRedirect)
	assert.Contains(t, err.Error(), "downgrade")
}
