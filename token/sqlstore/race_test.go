package sqlstore_test

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/tokenkit/tokenkit/token"
	"github.com/tokenkit/tokenkit/token/sqlstore"
)

// TestTakeAcrossProcesses: several instances of a server, each with its
// own connection pool (a *sql.DB stands for a process), race to redeem the
// same codes. Each code is taken exactly once (TOK-13, REF-10).
func TestTakeAcrossProcesses(t *testing.T) {
	const (
		processes = 4
		racers    = 100 // per code, spread over the processes
		codes     = 5
	)
	for _, b := range backends() {
		t.Run(b.name, func(t *testing.T) {
			dsn := b.newDSN(t)
			stores := make([]*sqlstore.Store, processes)
			for i := range stores {
				stores[i] = openStore(t, b.open(t, dsn), b.dialect)
			}
			at := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
			for c := range codes {
				key := token.HashToken(fmt.Sprintf("code-%d", c))
				require.NoError(t, stores[c%processes].Put(t.Context(), &token.Record{
					Key: key, Kind: token.KindCode, Family: fmt.Sprint(c),
					Info: token.Info{ClientID: "https://app.example/", ExpiresAt: at.Add(time.Minute)},
					Code: &token.CodeGrant{RedirectURI: "https://app.example/cb"},
				}))

				var wins, taken, failed int
				var mu sync.Mutex
				var firstErr error
				start := make(chan struct{})
				var wg sync.WaitGroup
				for i := range racers {
					wg.Go(func() {
						<-start
						_, err := stores[i%processes].Take(t.Context(), key, at.Add(time.Duration(i)*time.Millisecond))
						mu.Lock()
						defer mu.Unlock()
						switch {
						case err == nil:
							wins++
						case errors.Is(err, token.ErrTaken):
							taken++
						default:
							failed++
							if firstErr == nil {
								firstErr = err
							}
						}
					})
				}
				close(start)
				wg.Wait()
				require.NoError(t, firstErr, "code %d: %d Takes failed", c, failed)
				require.Equal(t, 1, wins, "code %d: winners", c)
				require.Equal(t, racers-1, taken, "code %d: ErrTaken", c)
			}
		})
	}
}
