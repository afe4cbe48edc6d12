package metadata_test

import (
	"net/http"
	"net/http/httptest"
	"os"
	"testing"

	"github.com/tokenkit/tokenkit/metadata"
)

// BenchmarkParse: the strict parse of a typical IndieAuth document.
func BenchmarkParse(b *testing.B) {
	data, err := os.ReadFile("testdata/indieauth.json")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := metadata.Parse(data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkHandler: serving the precomputed document.
func BenchmarkHandler(b *testing.B) {
	h, err := metadata.NewHandler(metadata.Config{Metadata: fullMetadata()})
	if err != nil {
		b.Fatal(err)
	}
	req := httptest.NewRequest(http.MethodGet, "/.well-known/oauth-authorization-server", nil)
	b.ReportAllocs()
	for b.Loop() {
		h.ServeHTTP(httptest.NewRecorder(), req)
	}
}
