package replicate

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"testing"

	"motcua/internal/bolt"
	"motcua/internal/province"
	"motcua/internal/provincetest"
	"motcua/internal/queue"
)

// BenchmarkUplinkIngest ships 2,000 events of each of 1 and 20 offices at
// once, in batches of 500, through the uplink (the province's service on
// loopback, then PostgreSQL) and, for the floor in the same run, straight
// into PostgreSQL as the old replicator did (make bench; the target: the
// uplink within 1.5× of direct).
func BenchmarkUplinkIngest(b *testing.B) {
	pg := provincetest.Start(b)
	// One office's 2,000 chained events, shipped under a new id each time.
	s, err := bolt.Open(b.TempDir(), queue.Office{Name: "Bench", Services: []queue.ServiceConfig{{ID: "a", Name: "A", RangeStart: 1, RangeEnd: 999999}},
		Counters: []queue.CounterConfig{{Number: 1, Services: []string{"a"}}}}, bolt.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	for i := range 1999 {
		if _, err := s.Do(ctx, queue.Command{Op: queue.OpIssue, Actor: queue.Actor{Kind: queue.ActorDevice, ID: "k"}, ServiceID: "a", Token: fmt.Sprintf("b%d", i)}); err != nil {
			b.Fatal(err)
		}
	}
	chained, err := s.EventsAfter(0, 5000)
	if err != nil {
		b.Fatal(err)
	}
	evs := make([]province.Event, len(chained))
	for i, e := range chained {
		evs[i] = province.Event{Seq: e.Seq, Hash: e.Hash, Raw: e.Raw}
	}
	run := 0
	for _, offices := range []int{1, 20} {
		for _, way := range []string{"direct", "uplink"} {
			b.Run(fmt.Sprintf("offices=%d/%s", offices, way), func(b *testing.B) {
				for range b.N {
					b.StopTimer()
					sinks := make([]func(batch []province.Event) error, offices)
					for o := range offices {
						run++
						id := fmt.Sprintf("B%d-%d", run, o)
						if way == "direct" {
							sinks[o] = func(batch []province.Event) error { return province.Ingest(ctx, pg.Pool, id, nil, batch) }
						} else {
							u := newUplink(pg.Office(b, id, "Bench "+id))
							sinks[o] = func(batch []province.Event) error { return u.ship(ctx, nil, batch) }
						}
					}
					b.StartTimer()
					var wg sync.WaitGroup
					for _, ship := range sinks {
						wg.Go(func() {
							for from := 0; from < len(evs); from += 500 {
								if err := ship(evs[from:min(from+500, len(evs))]); err != nil {
									b.Error(err)
									return
								}
							}
						})
					}
					wg.Wait()
				}
				b.ReportMetric(float64(offices*len(evs)*b.N)/b.Elapsed().Seconds(), "events/s")
			})
		}
	}
}

// BenchmarkVerify: province.Verify (the chain, then every folded table
// re-derived) over 20 offices' days of tickets — called, served and rated —
// shipped through the uplink; events/s says how long a province's year takes.
func BenchmarkVerify(b *testing.B) {
	pg := provincetest.Start(b)
	ctx := context.Background()
	total := 0
	for o := range 20 {
		clock := &testClock{}
		s, err := bolt.Open(b.TempDir(), twoServices(fmt.Sprintf("UBND %d", o)), bolt.Options{Now: clock.now, TickEvery: 3600e9})
		if err != nil {
			b.Fatal(err)
		}
		officeDays(b, s, clock, uint64(o+1), 10)
		chained, err := s.EventsAfter(0, 1<<20)
		if err != nil {
			b.Fatal(err)
		}
		evs := make([]province.Event, len(chained))
		for i, e := range chained {
			evs[i] = province.Event{Seq: e.Seq, Hash: e.Hash, Raw: e.Raw}
		}
		_, profile := s.Settings()
		raw, _ := json.Marshal(profile)
		u := newUplink(pg.Office(b, fmt.Sprintf("V%d", o), "Bench"))
		for from := 0; from < len(evs); from += 500 {
			if err := u.ship(ctx, raw, evs[from:min(from+500, len(evs))]); err != nil {
				b.Fatal(err)
			}
		}
		total += len(evs)
		s.Close()
	}
	defer province.VerifyGC()() // as motcua-province verify runs it
	b.ResetTimer()
	for range b.N {
		chains, err := province.Verify(ctx, pg.Pool)
		if err != nil || len(chains) != 20 || chains[0].Fault != "" {
			b.Fatalf("%v %+v", err, chains[0])
		}
	}
	b.ReportMetric(float64(total*b.N)/b.Elapsed().Seconds(), "events/s")
}
