package replicate

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"motcua/internal/bolt"
	"motcua/internal/provincetest"
	"motcua/internal/queue"
)

// BenchmarkIssueWithReplicator: 32 kiosks issue through the store with the
// replicator stopped, then shipping to the province's service over a real
// PostgreSQL (make bench; the target: the p99 within 1.2× of it stopped).
func BenchmarkIssueWithReplicator(b *testing.B) {
	pg := provincetest.Start(b)
	for _, shipping := range []bool{false, true} {
		b.Run(fmt.Sprintf("replicator=%v", shipping), func(b *testing.B) {
			big := queue.Office{Name: "Bench", Services: []queue.ServiceConfig{{ID: "a", Name: "A", RangeStart: 1, RangeEnd: 999999}},
				Counters: []queue.CounterConfig{{Number: 1, Services: []string{"a"}}}}
			s, err := bolt.Open(b.TempDir(), big, bolt.Options{})
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			if shipping {
				go (&Replicator{Source: s, Target: Fixed(pg.Office(b, fmt.Sprintf("BENCH-%d", time.Now().UnixNano()), "Bench"))}).Run(ctx) // production settings
			}
			kiosk := queue.Actor{Kind: queue.ActorDevice, ID: "k"}
			var mu sync.Mutex
			var lat []time.Duration
			b.ResetTimer()
			for n := range b.N {
				var wg sync.WaitGroup
				for k := range 32 {
					wg.Add(1)
					go func() {
						defer wg.Done()
						for i := range 60 {
							t0 := time.Now()
							if _, err := s.Do(ctx, queue.Command{Op: queue.OpIssue, Actor: kiosk, ServiceID: "a", Token: fmt.Sprintf("%d-%d-%d", n, k, i)}); err != nil {
								b.Error(err)
								return
							}
							mu.Lock()
							lat = append(lat, time.Since(t0))
							mu.Unlock()
						}
					}()
				}
				wg.Wait()
			}
			slices.Sort(lat)
			b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
		})
	}
}
