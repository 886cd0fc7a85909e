package province

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"motcua/internal/chain"
	"motcua/internal/intake"
	"motcua/internal/pgtest"
	"motcua/internal/queue"
)

// BenchmarkVerifyYear: motcua-province verify over a province's year
// (docs/PERFORMANCE.md). One office's year of events is made by the
// queue's own state machine — every working day of 2026 up to 15 December,
// 85 tickets a day issued, called, served or not come, rated; 1,340
// dossiers received and moved on — chained as the office's store chains
// them, and folded by Ingest; its rows are then copied in SQL under 149
// more ids (a chain does not name its office). 150 offices, 3.1 M tickets,
// about 18 M events, some 12 GB on disk: it takes a quarter of an hour to
// make, so it runs only with MOTCUA_BENCH_YEAR=1 (make bench-year). The
// floor is the same events read as Verify reads them, nothing done with them.
func BenchmarkVerifyYear(b *testing.B) {
	if os.Getenv("MOTCUA_BENCH_YEAR") == "" {
		b.Skip("a province's year takes a quarter of an hour to make: MOTCUA_BENCH_YEAR=1 (make bench-year)")
	}
	srv := pgtest.Start(b)
	pool := srv.Pool(b)
	ctx := context.Background()
	if _, err := Migrate(ctx, pool); err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	evs, tickets := yearOfEvents(b)
	for from := 0; from < len(evs); from += 2000 {
		if err := Ingest(ctx, pool, "Y000", nil, evs[from:min(from+2000, len(evs))]); err != nil {
			b.Fatal(err)
		}
	}
	b.Logf("one office's year: %d events, %d tickets, made and folded in %s", len(evs), tickets, time.Since(start).Round(time.Second))
	offices := yearOffices
	if n, err := strconv.Atoi(os.Getenv("MOTCUA_BENCH_YEAR_OFFICES")); err == nil && n > 0 { // a smaller province, to try the bench
		offices = n
	}
	start = time.Now()
	for i := 1; i < offices; i++ {
		id := fmt.Sprintf("Y%03d", i)
		if _, err := pool.Exec(ctx, `INSERT INTO offices (id, name, profile, profile_seq, folded, last_event_at, last_ingest_at)
	SELECT $1, name, profile, profile_seq, folded, last_event_at, last_ingest_at FROM offices WHERE id = 'Y000'`, id); err != nil {
			b.Fatal(err)
		}
		for _, table := range []string{"events", "tickets", "ticket_days", "ticket_months", "dossiers", "dossier_days"} {
			if _, err := pool.Exec(ctx, copyOffice(table), id); err != nil {
				b.Fatal(err)
			}
		}
	}
	if _, err := pool.Exec(ctx, `VACUUM ANALYZE`); err != nil {
		b.Fatal(err)
	}
	var size string
	pool.QueryRow(ctx, `SELECT pg_size_pretty(pg_database_size(current_database()))`).Scan(&size)
	b.Logf("copied to %d offices in %s; the database: %s", offices, time.Since(start).Round(time.Second), size)
	start = time.Now()
	n := readAllEvents(b, ctx, pool, offices)
	floor := time.Since(start)
	b.Logf("floor: %d events read in order, an office a query, a worker a core, in %s", n, floor.Round(time.Millisecond))
	defer VerifyGC()()
	b.ResetTimer()
	for range b.N {
		chains, err := Verify(ctx, pool)
		if err != nil || len(chains) != offices {
			b.Fatalf("%d chains, %v", len(chains), err)
		}
		for _, c := range chains {
			if c.Fault != "" {
				b.Fatalf("%s: %s", c.Office, c.Fault)
			}
		}
	}
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/year")
	b.ReportMetric(float64(n*int64(b.N))/b.Elapsed().Seconds(), "events/s")
	b.ReportMetric(floor.Seconds(), "floor-s")
}

// readAllEvents reads every office's events as Verify's workers do —
// an office a query, a worker a core — and does nothing with them.
func readAllEvents(b *testing.B, ctx context.Context, pool *pgxpool.Pool, offices int) int64 {
	var total atomic.Int64
	var next atomic.Int64
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for i := next.Add(1) - 1; i < int64(offices); i = next.Add(1) - 1 {
				if err := scan(ctx, pool, `SELECT seq, hash, raw FROM events WHERE office = $1 ORDER BY seq`, []any{fmt.Sprintf("Y%03d", i)}, func(rows pgx.Rows) error {
					total.Add(1)
					return nil
				}); err != nil {
					b.Error(err)
				}
			}
		})
	}
	wg.Wait()
	return total.Load()
}

// copyOffice copies office Y000's rows of a table under another id ($1).
func copyOffice(table string) string {
	cols := map[string]string{
		"events":        "seq, time, type, hash, raw",
		"tickets":       "id, day, state, queued_at, ticket",
		"ticket_days":   "day, summary",
		"ticket_months": "month, summary",
		"dossiers":      "code, procedure, clerk, status, filed_day, received_day, due_day, closed_day, facts",
		"dossier_days":  "grp, day, " + flowColumns,
	}[table]
	return fmt.Sprintf(`INSERT INTO %s (office, %s) SELECT $1, %s FROM %s WHERE office = 'Y000'`, table, cols, cols, table)
}

// yearOfEvents is one office's year as its store would chain it: the
// queue's state machine runs the days, each event encoded and chained as
// the store's writer does (json.Marshal of the event, seq set).
func yearOfEvents(b *testing.B) ([]Event, int) {
	loc, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	o := yearOffice(0)
	var out []Event
	prev := make([]byte, chain.Size)
	emit := func(evs ...queue.Event) {
		for _, ev := range evs {
			ev.Seq, ev.Prev, ev.Hash = uint64(len(out)+1), "", ""
			raw, err := json.Marshal(ev)
			if err != nil {
				b.Fatal(err)
			}
			prev = chain.Hash(prev, raw)
			out = append(out, Event{Seq: ev.Seq, Hash: prev, Raw: raw})
		}
	}
	first := time.Date(2026, 1, 2, 7, 0, 0, 0, loc)
	emit(queue.Event{Type: queue.EvSettings, Time: first, Actor: queue.Actor{Kind: queue.ActorSystem, ID: "config"},
		Settings: &queue.SettingsMark{Version: 1, After: "00", Changes: []string{"seeded"}, Office: &o}})
	st, err := queue.NewState(o, first, nil, nil)
	if err != nil {
		b.Fatal(err)
	}
	r := rand.New(rand.NewPCG(2026, 12))
	do := func(now time.Time, cmd queue.Command) queue.Result {
		res, evs, err := st.Execute(now, cmd)
		if err != nil && err != queue.ErrNoneWaiting {
			b.Fatalf("%s: %v", cmd.Op, err)
		}
		emit(evs...)
		return res
	}
	kiosk, rater := queue.Actor{Kind: queue.ActorDevice, ID: "kiosk"}, queue.Actor{Kind: queue.ActorDevice, ID: "rating"}
	type open struct {
		d   intake.Dossier
		due time.Time
	}
	var pending []open
	tickets, dossiers := 0, 0
	for d := first; d.Before(yearNow); d = d.AddDate(0, 0, 1) {
		if d.Weekday() == time.Saturday || d.Weekday() == time.Sunday {
			continue
		}
		now := d
		emit(st.Tick(now)...)
		for c := 1; c <= 3; c++ {
			do(now, queue.Command{Op: queue.OpOpen, Counter: c, Actor: queue.Actor{Kind: queue.ActorClerk, ID: fmt.Sprintf("cb%d", c)}})
		}
		for i := range 85 {
			now = now.Add(time.Duration(1+r.IntN(5)) * time.Minute)
			do(now, queue.Command{Op: queue.OpIssue, Actor: kiosk, ServiceID: fmt.Sprintf("s%d", r.IntN(4)), Token: fmt.Sprintf("%s-%d", d.Format("0102"), i)})
			tickets++
			if i%3 == 2 || i == 84 { // the counters keep up
				for c := 1; c <= 3; c++ {
					clerk := queue.Actor{Kind: queue.ActorClerk, ID: fmt.Sprintf("cb%d", c)}
					if res := do(now, queue.Command{Op: queue.OpNext, Counter: c, Actor: clerk}); res.Ticket == nil {
						continue
					}
					if r.IntN(20) == 0 {
						do(now, queue.Command{Op: queue.OpNoShow, Counter: c, Actor: clerk})
						continue
					}
					do(now, queue.Command{Op: queue.OpStart, Counter: c, Actor: clerk})
					finished := now.Add(time.Duration(3+r.IntN(12)) * time.Minute)
					done := do(finished, queue.Command{Op: queue.OpFinish, Counter: c, Actor: clerk})
					if r.IntN(10) < 7 {
						do(finished.Add(20*time.Second), queue.Command{Op: queue.OpRate, Counter: c, Actor: rater, TicketID: done.Ticket.ID,
							Option: []string{"very_satisfied", "satisfied", "satisfied", "unsatisfied"}[r.IntN(4)], Reasons: []string{"slow"}})
					}
				}
			}
			if i%16 == 5 && dossiers < dossiersPerOffice { // about 5.5 dossiers a day
				dossiers++
				dos := intake.Dossier{Code: fmt.Sprintf("H29.100-%s-%04d", now.Format("060102"), i), Agency: "H29.100", Procedure: fmt.Sprintf("1.%03d", r.IntN(20)),
					Clerk: "cb1", Status: intake.Received, ReceivedAt: now, DueAt: now.AddDate(0, 0, 3+r.IntN(12)), Delivery: "desk", Sets: 1}
				emit(queue.Event{Type: queue.EvDossier, Time: now, Actor: queue.Actor{Kind: queue.ActorClerk, ID: "cb1"},
					Dossier: &queue.DossierMark{Code: dos.Code, Action: "received", Record: "00", Facts: dos.Facts()}})
				pending = append(pending, open{dos, now.AddDate(0, 0, 1+r.IntN(14))})
			}
		}
		for i := 0; i < len(pending); i++ { // the dossiers due to move today
			if p := pending[i]; p.due.Before(d.Add(24 * time.Hour)) {
				if err := p.d.Move(intake.Ready, now, "cb1", ""); err != nil {
					b.Fatal(err)
				}
				emit(queue.Event{Type: queue.EvDossier, Time: now, Actor: queue.Actor{Kind: queue.ActorClerk, ID: "cb1"},
					Dossier: &queue.DossierMark{Code: p.d.Code, Action: "status ready", Record: "00", Facts: p.d.Facts()}})
				pending = append(pending[:i], pending[i+1:]...)
				i--
			}
		}
	}
	return out, tickets
}
