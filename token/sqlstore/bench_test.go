package sqlstore_test

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tokenkit/tokenkit/token"
	"github.com/tokenkit/tokenkit/token/sqlstore"
)

// benchStores are the databases the benchmarks run on.
func benchStores() []struct {
	name string
	open func(b *testing.B) *sqlstore.Store
} {
	return []struct {
		name string
		open func(b *testing.B) *sqlstore.Store
	}{
		{"SQLiteFile", func(b *testing.B) *sqlstore.Store {
			return openStore(b, openDB(b, "sqlite", sqliteFileDSN(b)), sqlstore.SQLite)
		}},
		{"SQLiteMemory", func(b *testing.B) *sqlstore.Store {
			return openStore(b, openSQLiteMemory(b), sqlstore.SQLite)
		}},
		{"Postgres", func(b *testing.B) *sqlstore.Store {
			return openStore(b, openPostgres(b, postgresDSN(b)), sqlstore.Postgres)
		}},
	}
}

// benchRecord is a typical refresh token record.
func benchRecord(i int) *token.Record {
	now := time.Now().Truncate(time.Second)
	return &token.Record{
		Key:    token.HashToken(fmt.Sprintf("bench-token-%d", i)),
		Kind:   token.KindRefresh,
		Family: fmt.Sprintf("family-%d", i),
		Info: token.Info{
			Me: "https://user.example/", ClientID: "https://app.example/",
			Scope: token.Scope{"create", "update", "profile"}, Subject: "https://user.example/",
			Issuer: "https://auth.example/", IssuedAt: now, ExpiresAt: now.Add(24 * time.Hour),
			ID: fmt.Sprintf("jti-%d", i),
		},
	}
}

// fill puts n records into s, several at a time, and returns their keys.
func fill(b *testing.B, s *sqlstore.Store, n int) []token.Hash {
	b.Helper()
	keys := make([]token.Hash, n)
	var next atomic.Int64
	var failed atomic.Value
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for i := int(next.Add(1)) - 1; i < n; i = int(next.Add(1)) - 1 {
				r := benchRecord(i)
				keys[i] = r.Key
				if err := s.Put(b.Context(), r); err != nil {
					failed.Store(err)
					return
				}
			}
		})
	}
	wg.Wait()
	if err, _ := failed.Load().(error); err != nil {
		b.Fatal(err)
	}
	return keys
}

func reportOps(b *testing.B) {
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "ops/s")
}

// BenchmarkTake redeems one fresh record per operation: the step behind
// every code redemption and refresh.
func BenchmarkTake(b *testing.B) {
	for _, st := range benchStores() {
		b.Run(st.name, func(b *testing.B) {
			s := st.open(b)
			keys := fill(b, s, b.N)
			at := time.Now()
			b.ReportAllocs()
			b.ResetTimer()
			for i := range b.N {
				if _, err := s.Take(b.Context(), keys[i], at); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			reportOps(b)
		})
	}
}

// BenchmarkTakeParallel is BenchmarkTake from GOMAXPROCS goroutines.
func BenchmarkTakeParallel(b *testing.B) {
	for _, st := range benchStores() {
		b.Run(st.name, func(b *testing.B) {
			s := st.open(b)
			keys := fill(b, s, b.N)
			at := time.Now()
			var next atomic.Int64
			b.ReportAllocs()
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if _, err := s.Take(b.Context(), keys[next.Add(1)-1], at); err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.StopTimer()
			reportOps(b)
		})
	}
}

// BenchmarkGet looks records up by hash: the opaque-token check behind
// every protected request.
func BenchmarkGet(b *testing.B) {
	for _, st := range benchStores() {
		b.Run(st.name, func(b *testing.B) {
			s := st.open(b)
			keys := fill(b, s, 1000)
			b.ReportAllocs()
			b.ResetTimer()
			for i := range b.N {
				if _, err := s.Get(b.Context(), keys[i%len(keys)]); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			reportOps(b)
		})
	}
}
