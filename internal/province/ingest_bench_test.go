package province

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"motcua/internal/chain"
	"motcua/internal/pgtest"
)

// chained makes n events of an office from seq 1, chained as a store does.
func chained(n int, start time.Time) []Event {
	out := make([]Event, 0, n)
	prev := make([]byte, chain.Size)
	for i := 1; i <= n; i++ {
		day := start.AddDate(0, 0, i/1000).Format("20060102") // a thousand tickets a day, as a busy centre
		raw := []byte(fmt.Sprintf(`{"seq":%d,"type":"ticket.issued","time":%q,"actor":{"kind":"device","id":"k"},"ticket":{"id":"%s-a-%d","day":"%s","number":%d,"service_id":"a","state":"waiting"}}`,
			i, start.Add(time.Duration(i)*time.Second).Format(time.RFC3339Nano), day, i, day, i))
		h := chain.Hash(prev, raw)
		out, prev = append(out, Event{Seq: uint64(i), Hash: h, Raw: raw}), h
	}
	return out
}

// BenchmarkIngest ships batches of 500 events into a real PostgreSQL from 1
// and from 20 offices at once (make bench; docs/PERFORMANCE.md): events/s.
func BenchmarkIngest(b *testing.B) {
	pg := pgtest.Start(b)
	ctx := context.Background()
	pool := pg.Pool(b)
	if _, err := Migrate(ctx, pool); err != nil {
		b.Fatal(err)
	}
	for _, offices := range []int{1, 20} {
		b.Run(fmt.Sprintf("offices=%d", offices), func(b *testing.B) {
			const batch, perOffice = 500, 5000
			evs := chained(perOffice, time.Date(2026, 11, 2, 1, 0, 0, 0, time.UTC))
			b.ResetTimer()
			start := time.Now()
			total := 0
			for round := range b.N {
				var wg sync.WaitGroup
				errs := make(chan error, offices)
				for o := range offices {
					wg.Add(1)
					go func() {
						defer wg.Done()
						id := fmt.Sprintf("B%d-%d-%d", offices, round, o)
						for i := 0; i < len(evs); i += batch {
							if err := Ingest(ctx, pool, id, nil, evs[i:min(i+batch, len(evs))]); err != nil {
								errs <- err
								return
							}
						}
					}()
				}
				wg.Wait()
				close(errs)
				if err := <-errs; err != nil {
					b.Fatal(err)
				}
				total += offices * perOffice
			}
			b.ReportMetric(float64(total)/time.Since(start).Seconds(), "events/s")
		})
	}
}
