package tokentest

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// Basic returns an Authorization header value for client_secret_basic,
// with the id and secret form-urlencoded before base64 as RFC 6749 §2.3.1
// requires (and as many clients forget).
func Basic(id, secret string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(url.QueryEscape(id)+":"+url.QueryEscape(secret)))
}

// Serve sends one request to h through an httptest.ResponseRecorder: body
// is sent as an application/x-www-form-urlencoded form for POST, and
// header holds name/value pairs, an empty value deleting the header.
func Serve(h http.Handler, method, target, body string, header ...string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, target, strings.NewReader(body))
	if method == http.MethodPost {
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for i := 0; i+1 < len(header); i += 2 {
		if header[i+1] == "" {
			r.Header.Del(header[i])
			continue
		}
		r.Header.Add(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// DecodeJSON decodes a JSON object response body, failing t if it is not
// one.
func DecodeJSON(t testing.TB, w *httptest.ResponseRecorder) map[string]any {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal(w.Body.Bytes(), &m), "body: %s", w.Body.String())
	return m
}

// RequireError checks an RFC 6749 §5.2 error response exactly: the
// status, Content-Type application/json, Cache-Control no-store, the
// error code, and no members but error, error_description and error_uri.
func RequireError(t testing.TB, w *httptest.ResponseRecorder, status int, code string) {
	t.Helper()
	require.Equal(t, status, w.Code, "body: %s", w.Body.String())
	require.Equal(t, "application/json", w.Header().Get("Content-Type"))
	require.Equal(t, "no-store", w.Header().Get("Cache-Control"))
	m := DecodeJSON(t, w)
	require.Equal(t, code, m["error"], "body: %s", w.Body.String())
	for k := range m {
		require.Contains(t, []string{"error", "error_description", "error_uri"}, k)
	}
}
