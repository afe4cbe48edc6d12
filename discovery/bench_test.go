package discovery

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
)

// profilePage returns an HTML page of about size bytes: a head with
// ordinary links, a body of h-entry markup with inline script and
// comments, and the IndieAuth links last, so the whole page is scanned.
func profilePage(size int) []byte {
	var b bytes.Buffer
	b.WriteString(`<!doctype html><html><head><meta charset="utf-8"><title>Me</title>` +
		`<link rel="stylesheet" href="/style.css"><link rel="icon" href="/favicon.ico">` +
		`<link rel="alternate" type="application/rss+xml" href="/feed.xml"></head><body>`)
	entry := `<article class="h-entry"><h2 class="p-name"><a class="u-url" href="/2024/01/01/post">A post</a></h2>` +
		`<time class="dt-published" datetime="2024-01-01T10:00:00Z">1 Jan</time>` +
		`<div class="e-content"><p>Some text with <a href="https://example.com/">a link</a> and <em>emphasis</em>.</p></div>` +
		`<!-- a comment --><script>var x = "<link rel=indieauth-metadata href=/no>";</script></article>` + "\n"
	for b.Len() < size-200 {
		b.WriteString(entry)
	}
	b.WriteString(`<link rel="indieauth-metadata" href="/.well-known/oauth-authorization-server">` +
		`<link rel="micropub" href="/micropub"></body></html>`)
	return b.Bytes()
}

func countLinks(page []byte) int {
	n := 0
	htmlLinks(bytes.NewReader(page), func(link) bool { n++; return true })
	return n
}

// BenchmarkHTMLLinks200KiB: extracting links from a 200 KiB profile page.
func BenchmarkHTMLLinks200KiB(b *testing.B) {
	page := profilePage(200 << 10)
	if n := countLinks(page); n != 5 {
		b.Fatalf("found %d links", n)
	}
	b.SetBytes(int64(len(page)))
	b.ReportAllocs()
	for b.Loop() {
		countLinks(page)
	}
}

// BenchmarkParseLinkHeaders: a typical IndieWeb set of Link headers.
func BenchmarkParseLinkHeaders(b *testing.B) {
	values := []string{
		`<https://example.com/.well-known/oauth-authorization-server>; rel="indieauth-metadata"`,
		`<https://example.com/auth>; rel="authorization_endpoint", <https://example.com/token>; rel="token_endpoint"`,
		`<https://example.com/micropub>; rel="micropub", <https://example.com/webmention>; rel="webmention"`,
	}
	b.ReportAllocs()
	for b.Loop() {
		parseLinkHeaders(values)
	}
}

// BenchmarkDiscover200KiB: a whole Discover over loopback HTTP — fetch of a
// 200 KiB page whose links are at the end, legacy rels.
func BenchmarkDiscover200KiB(b *testing.B) {
	page := bytes.Replace(profilePage(200<<10), []byte(`rel="indieauth-metadata"`), []byte(`rel="authorization_endpoint"`), 1)
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write(page)
	}))
	defer ts.Close()
	c, err := NewClient(Config{InsecureAllowPrivateNetworks: true})
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(page)))
	b.ReportAllocs()
	for b.Loop() {
		res, err := c.Discover(context.Background(), ts.URL+"/")
		if err != nil || !strings.HasSuffix(res.Endpoints.Authorization, "/.well-known/oauth-authorization-server") {
			b.Fatal(res, err)
		}
	}
}

// A 1 MiB page is scanned with well under 2 MiB allocated in total, so
// peak memory stays below it too.
func TestHTMLLinksMemory1MiB(t *testing.T) {
	page := profilePage(1 << 20)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	n := countLinks(page)
	runtime.ReadMemStats(&after)
	if n != 5 {
		t.Fatalf("found %d links", n)
	}
	total := after.TotalAlloc - before.TotalAlloc
	t.Logf("1 MiB page: %d bytes allocated", total)
	if total >= 2<<20 {
		t.Fatalf("allocated %d bytes for a 1 MiB page", total)
	}
}
