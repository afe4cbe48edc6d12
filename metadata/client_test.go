package metadata_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tokenkit/tokenkit/metadata"
)

// serveDoc starts a TLS server answering every request with body, built by
// replacing ISS with the server's own URL.
func serveDoc(t *testing.T, contentType, body string) (*httptest.Server, *metadata.Client) {
	t.Helper()
	var base string
	ts := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", contentType)
		_, _ = w.Write([]byte(strings.ReplaceAll(body, "ISS", base)))
	}))
	t.Cleanup(ts.Close)
	base = ts.URL
	return ts, &metadata.Client{HTTPClient: ts.Client()}
}

const docTemplate = `{"issuer":"ISS%s","authorization_endpoint":"ISS/auth","token_endpoint":"ISS/token","code_challenge_methods_supported":["S256"]}`

func doc(issuerPath string) string {
	return strings.Replace(docTemplate, "%s", issuerPath, 1)
}

// MET-03, DIS-11: the issuer must be a prefix of the advertised metadata URL.
func TestClientFetchPrefix(t *testing.T) {
	tests := []struct {
		name       string
		issuerPath string
		path       string
		want       error
	}{
		{"root issuer", "/", "/.well-known/oauth-authorization-server", nil},
		{"path issuer", "/t1", "/t1/metadata", nil},
		{"path issuer with slash", "/t1/", "/t1/metadata", nil},
		{"issuer not a prefix", "/t2", "/t1/metadata", metadata.ErrIssuerMismatch},
		{"issuer longer than URL", "/t1/metadata/x", "/t1/metadata", metadata.ErrIssuerMismatch},
		{"issuer a prefix but not a path segment", "/~bob", "/~bob2/meta", metadata.ErrIssuerMismatch},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts, c := serveDoc(t, "application/json", doc(tt.issuerPath))
			m, err := c.Fetch(context.Background(), ts.URL+tt.path)
			if tt.want != nil {
				require.ErrorIs(t, err, tt.want)
				assert.Nil(t, m)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, ts.URL+tt.issuerPath, m.Issuer)
		})
	}
}

// DIS-11: a prefix by string but a different host is still a mismatch.
func TestClientFetchOtherHost(t *testing.T) {
	ts, c := serveDoc(t, "application/json",
		`{"issuer":"https://127.0.0","token_endpoint":"https://127.0.0.1/token","code_challenge_methods_supported":["S256"]}`)
	_, err := c.Fetch(context.Background(), ts.URL+"/")
	require.ErrorIs(t, err, metadata.ErrIssuerMismatch)
}

// MET-04, DIS-11: the well-known document's issuer is byte-identical.
func TestClientFetchWellKnown(t *testing.T) {
	ts, c := serveDoc(t, "application/json", doc("/"))
	m, err := c.FetchWellKnown(context.Background(), ts.URL+"/")
	require.NoError(t, err)
	assert.Equal(t, ts.URL+"/", m.Issuer)

	_, err = c.FetchWellKnown(context.Background(), ts.URL)
	require.ErrorIs(t, err, metadata.ErrIssuerMismatch, "no normalisation of the trailing slash")
}

// DIS-10, DIS-11, EDGE-35: fetched documents are validated.
func TestClientFetchRejects(t *testing.T) {
	tests := []struct {
		name        string
		contentType string
		body        string
		want        error
	}{
		{"text/html", "text/html", doc("/"), metadata.ErrResponse},
		{"no content type", "", doc("/"), metadata.ErrResponse},
		{"not an object", "application/json", `["ISS/"]`, metadata.ErrMalformed},
		{"no token endpoint", "application/json", `{"issuer":"ISS/","code_challenge_methods_supported":["S256"]}`, metadata.ErrInvalid},
		{"no S256", "application/json", `{"issuer":"ISS/","token_endpoint":"ISS/t","code_challenge_methods_supported":["plain"]}`, metadata.ErrInvalid},
		{"no PKCE at all", "application/json", `{"issuer":"ISS/","token_endpoint":"ISS/t"}`, metadata.ErrInvalid},
		{"issuer with query", "application/json", `{"issuer":"ISS/?x","token_endpoint":"ISS/t","code_challenge_methods_supported":["S256"]}`, metadata.ErrInvalid},
		{"duplicate issuer", "application/json", `{"issuer":"ISS/","issuer":"ISS/","token_endpoint":"ISS/t","code_challenge_methods_supported":["S256"]}`, metadata.ErrMalformed},
		{"over 1 MiB", "application/json", `{"issuer":"ISS/","x":"` + strings.Repeat("a", 1<<20) + `"}`, metadata.ErrTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts, c := serveDoc(t, tt.contentType, tt.body)
			m, err := c.Fetch(context.Background(), ts.URL+"/metadata")
			require.ErrorIs(t, err, tt.want)
			assert.Nil(t, m)
		})
	}
}

// DIS-11, SEC-05: an http issuer is refused unless it is loopback and the
// insecure switch is on.
func TestClientInsecureLoopback(t *testing.T) {
	var base string
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		_, _ = w.Write([]byte(strings.ReplaceAll(doc("/"), "ISS", base)))
	}))
	defer ts.Close()
	base = ts.URL

	_, err := (&metadata.Client{}).Fetch(context.Background(), ts.URL+"/m")
	require.ErrorIs(t, err, metadata.ErrInvalid)

	m, err := (&metadata.Client{AllowInsecureLoopback: true}).Fetch(context.Background(), ts.URL+"/m")
	require.NoError(t, err)
	assert.Equal(t, ts.URL+"/", m.Issuer)
}

func TestClientFetchStatus(t *testing.T) {
	ts := httptest.NewTLSServer(http.NotFoundHandler())
	defer ts.Close()
	_, err := (&metadata.Client{HTTPClient: ts.Client()}).Fetch(context.Background(), ts.URL+"/m")
	require.ErrorIs(t, err, metadata.ErrResponse)
	assert.Contains(t, err.Error(), "404")
}

// A redirect is not followed: the issuer is checked against the URL asked
// for, so an open redirect on the issuer's host cannot serve a document
// from elsewhere.
func TestClientNoRedirects(t *testing.T) {
	var elsewhereHits int
	evil, _ := serveDoc(t, "application/json", doc("/"))
	ts := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		elsewhereHits++
		http.Redirect(w, r, evil.URL+"/doc", http.StatusFound)
	}))
	defer ts.Close()
	c := &metadata.Client{HTTPClient: ts.Client()}
	_, err := c.Fetch(context.Background(), ts.URL+"/go")
	require.ErrorIs(t, err, metadata.ErrResponse)
	assert.Equal(t, 1, elsewhereHits)
}
