package token_test

import (
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tokenkit/tokenkit/token/tokentest"
)

// race fires n identical requests at once and counts the outcomes. The
// workers only record; the test goroutine decodes and asserts.
func race(f *fixture, n int, form url.Values) (ok int, errs map[string]int) {
	var wg sync.WaitGroup
	results := make([]*httptest.ResponseRecorder, n)
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			results[i] = f.post(form)
		}()
	}
	close(start)
	wg.Wait()
	errs = map[string]int{}
	for _, w := range results {
		if w.Code == 200 {
			ok++
			continue
		}
		errs[tokentest.DecodeJSON(f.t, w)["error"].(string)]++
	}
	return ok, errs
}

// SEC-03, EDGE-17: 100 concurrent redemptions of one code, one winner.
func TestCodeRedemptionRace(t *testing.T) {
	f := newFixture(t)
	ok, errs := race(f, 100, redeemForm(f.mint()))
	require.Equal(t, 1, ok)
	assert.Equal(t, map[string]int{"invalid_grant": 99}, errs)
}

// SEC-03, EDGE-17: 100 concurrent refreshes with one token, one winner.
func TestRefreshRace(t *testing.T) {
	f := newFixture(t)
	rt := f.redeem()["refresh_token"].(string)
	ok, errs := race(f, 100, refreshForm(rt))
	require.Equal(t, 1, ok)
	assert.Equal(t, map[string]int{"invalid_grant": 99}, errs)
}
