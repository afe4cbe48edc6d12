package discovery_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tokenkit/tokenkit/discovery"
)

// DIS-01, DIS-02, DIS-03: profile URL canonicalisation and validity (IndieAuth §3.2, §3.4).
func TestProfileURL(t *testing.T) {
	accepted := []struct{ in, want string }{
		{"example.com", "https://example.com/"},                                  // DIS-01, https first
		{"  example.com  ", "https://example.com/"},                              // typed with spaces
		{"example.com/~me", "https://example.com/~me"},                           // bare host with a path
		{"http://example.com", "http://example.com/"},                            // DIS-02 no path → /
		{"https://EXAMPLE.com", "https://example.com/"},                          // DIS-02 host lowercased
		{"HTTPS://Example.COM/User", "https://example.com/User"},                 // path case kept
		{"https://example.com/users?id=100", "https://example.com/users?id=100"}, // DIS-03 query allowed
		{"https://example.com/~me/index.html", "https://example.com/~me/index.html"},
		{"https://example.com/.well-known/me", "https://example.com/.well-known/me"},
		{"https://example.com/a.b/c..d/...", "https://example.com/a.b/c..d/..."},
		{"https://example.com/%7Eme", "https://example.com/%7Eme"},
		{"https://xn--bcher-kva.example/", "https://xn--bcher-kva.example/"},
		{"https://example.com/?", "https://example.com/?"},
	}
	for _, tt := range accepted {
		got, err := discovery.ProfileURL(tt.in)
		require.NoError(t, err, tt.in)
		assert.Equal(t, tt.want, got, tt.in)
	}
	rejected := []string{
		"", "   ",
		"mailto:u@example.com", // DIS-03 scheme
		"javascript:alert(1)", "data:text/html,x", "file:///etc/passwd", "ftp://example.com/",
		"http:example.com",               // no authority
		"https://example.com/foo/../bar", // dot segments
		"https://example.com/foo/./bar",
		"https://example.com/..",
		"https://example.com/foo/%2e%2E/bar", // encoded dot segment
		"https://example.com/#me",            // fragment
		"https://example.com/#",
		"https://u:p@example.com/", // userinfo
		"https://u@example.com/",
		"https://@example.com/",
		"https://example.com:8443/", // port
		"https://example.com:443/",
		"https://example.com:/",
		"example.com:8080",
		"localhost:3000",
		"https://172.28.92.51/", // IP literals
		"https://[::1]/",
		"https://127.0.0.1/",
		"https://2130706433/", // numeric host = 127.0.0.1 to a browser
		"https://0x7f.1/",
		"https://example.123/",
		"https:///path",
		"https://exa mple.com/",
	}
	for _, in := range rejected {
		got, err := discovery.ProfileURL(in)
		assert.ErrorIs(t, err, discovery.ErrInvalidURL, "%q gave %q", in, got)
	}
}

// DIS-04: client_id rules (IndieAuth §3.3).
func TestClientID(t *testing.T) {
	accepted := []struct{ in, want string }{
		{"https://app.test:8443/", "https://app.test:8443/"},
		{"http://127.0.0.1:3000/", "http://127.0.0.1:3000/"},
		{"http://[::1]:3000/app", "http://[::1]:3000/app"},
		{"https://APP.test", "https://app.test/"},
		{"https://app.test/?x=1", "https://app.test/?x=1"},
	}
	for _, tt := range accepted {
		got, err := discovery.ClientID(tt.in)
		require.NoError(t, err, tt.in)
		assert.Equal(t, tt.want, got, tt.in)
	}
	rejected := []string{
		"https://10.0.0.1/", "https://127.0.0.2/", "https://[::2]/", "https://192.168.1.1:8443/",
		"https://app.test/#x", "https://u@app.test/", "https://app.test/a/../b",
		"app.test", "javascript:alert(1)", "data:,x", "file:///x",
	}
	for _, in := range rejected {
		_, err := discovery.ClientID(in)
		assert.ErrorIs(t, err, discovery.ErrInvalidURL, in)
	}
}

// DIS-02, IndieAuth §3.4 equality.
func TestEqual(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"https://example.com", "https://example.com/", true},
		{"https://EXAMPLE.com/", "https://example.com/", true},
		{"HTTPS://example.com/", "https://example.com/", true},
		{"https://example.com/User", "https://example.com/user", false},
		{"https://example.com/", "http://example.com/", false},
		{"https://example.com/a", "https://example.com/a/", false},
		{"https://example.com/?a", "https://example.com/", false},
		{"https://example.com:8443/", "https://example.com:8443", true},
		{"https://example.com/", "not a url", false},
		{"", "", false},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, discovery.Equal(tt.a, tt.b), "%q vs %q", tt.a, tt.b)
		assert.Equal(t, tt.want, discovery.Equal(tt.b, tt.a), "%q vs %q", tt.b, tt.a)
	}
}
