package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// chromium finds a Chromium to drive: $CHROMIUM, or Debian's package.
func chromium(t *testing.T) string {
	for _, p := range []string{os.Getenv("CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser"} {
		if p == "" {
			continue
		}
		if path, err := exec.LookPath(p); err == nil {
			return path
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("Chromium is required in CI (.ci/chromium.sh installs Debian's chromium)")
	}
	t.Skip("no Chromium here: install Debian's chromium package (or set CHROMIUM) to run the consent page in a browser")
	return ""
}

// The consent page in a real browser: headless Chromium loads it, signs
// in with the owner's password, approves, and lands on the client's
// redirect URI with a code.
func TestConsentPageInBrowser(t *testing.T) {
	exe := chromium(t)
	// The client: its redirect URI records what the browser brings back.
	got := make(chan url.Values, 1)
	client := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/cb" {
			select {
			case got <- r.URL.Query():
			default:
			}
		}
		_, _ = w.Write([]byte("<!doctype html><title>client</title>signed in"))
	}))
	defer client.Close()
	base, _ := startServer(t, "-db", filepath.Join(t.TempDir(), "b.db"), "-password", "correct horse")

	q := authQuery(base)
	q.Set("client_id", client.URL+"/")
	q.Set("redirect_uri", client.URL+"/cb")

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
	)
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, cancel = context.WithTimeout(ctx, 60*time.Second)
	defer cancel()

	var clientShown, scopeShown, message string
	require.NoError(t, chromedp.Run(ctx,
		chromedp.Navigate(base+"/auth?"+q.Encode()),
		chromedp.WaitVisible("#password", chromedp.ByID),
		chromedp.Text("#client", &clientShown, chromedp.ByID),
		chromedp.Text("#scope", &scopeShown, chromedp.ByID),
		// A wrong password keeps the user on the page.
		chromedp.SendKeys("#password", "wrong", chromedp.ByID),
		chromedp.Click("#approve", chromedp.ByID),
		chromedp.WaitVisible("#message", chromedp.ByID),
		chromedp.Text("#message", &message, chromedp.ByID),
		chromedp.SendKeys("#password", "correct horse", chromedp.ByID),
		chromedp.Click("#approve", chromedp.ByID),
	))
	assert.Equal(t, client.URL+"/", clientShown)
	assert.Equal(t, "create", scopeShown)
	assert.Equal(t, "Wrong password.", message)
	select {
	case v := <-got:
		assert.Len(t, v.Get("code"), 43)
		assert.Equal(t, "st", v.Get("state"))
		assert.Equal(t, base+"/", v.Get("iss"))
	case <-ctx.Done():
		t.Fatal("the browser never reached the redirect URI")
	}
}
