package metadata_test

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/tokenkit/tokenkit/metadata"
)

// FuzzParse: Parse never panics, and whatever it accepts is a JSON object
// without duplicate members that encoding/json also accepts, and the
// result survives a round trip through the encoder.
func FuzzParse(f *testing.F) {
	for _, name := range []string{"testdata/indieauth.json", "testdata/path-issuer.json", "testdata/served.golden.json"} {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`{"issuer":"https://as.test/","issuer":"x"}`)) // duplicate
	f.Add([]byte(`{"issuer":5}`))                               // wrong type
	f.Add([]byte("\xef\xbb\xbf{}"))                             // BOM
	f.Add([]byte(`{} {}`))                                      // trailing data
	f.Add([]byte(`{"a":[[[[[[[[[[]]]]]]]]]]}`))                 // nesting
	f.Add([]byte(`{"\u0069ssuer":"x","issuer":"y"}`))           // escaped duplicate
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := metadata.Parse(data)
		if err != nil {
			return
		}
		if !json.Valid(data) {
			t.Fatalf("Parse accepted invalid JSON %q", data)
		}
		out, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		m2, err := metadata.Parse(out)
		if err != nil {
			t.Fatalf("round trip: %v", err)
		}
		out2, _ := json.Marshal(m2)
		if string(out) != string(out2) {
			t.Fatalf("round trip changed %s to %s", out, out2)
		}
	})
}
