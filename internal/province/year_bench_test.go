package province

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"motcua/internal/intake"
	"motcua/internal/pgtest"
	"motcua/internal/queue"
)

// A province's year (make bench; docs/PERFORMANCE.md): 150 offices, every
// working day of 2026 up to 15 December, 80 tickets a day each (3.1
// million) and 1,340 dossiers each (201,000). What the fold would have made
// of their events is written directly, by the same code (queue.Report's
// day tallies, intake.FlowsOf's day flows, intake.Span's stock): the
// events themselves are not generated — ingest is BenchmarkIngest's.
// Measured: the dashboard of all 150 offices and a quarter's report of the
// whole province, against a floor read in the same run (the quarter's day
// tallies' rows, fetched and not decoded).

const (
	yearOffices       = 150
	ticketsPerDay     = 80
	dossiersPerOffice = 1340
)

var yearNow = time.Date(2026, 12, 15, 3, 0, 0, 0, time.UTC) // 10:00 in the offices

func yearOffice(i int) queue.Office {
	o := queue.Office{Name: fmt.Sprintf("UBND xã số %d", i+1), TimeZone: "Asia/Ho_Chi_Minh"}
	for s := range 4 {
		id := fmt.Sprintf("s%d", s)
		o.Services = append(o.Services, queue.ServiceConfig{ID: id, Name: "Lĩnh vực " + id, RangeStart: 1001 + 1000*s, RangeEnd: 1999 + 1000*s})
	}
	for c := 1; c <= 3; c++ {
		o.Counters = append(o.Counters, queue.CounterConfig{Number: c, Services: []string{"s0", "s1", "s2", "s3"}})
	}
	return o
}

// seedYear writes the year; it returns the counts written.
func seedYear(b *testing.B, ctx context.Context, pool *pgxpool.Pool) (tickets, dossiers int) {
	loc, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	var workdays []time.Time
	for d := time.Date(2026, 1, 1, 0, 0, 0, 0, loc); d.Before(yearNow); d = d.AddDate(0, 0, 1) {
		if d.Weekday() != time.Saturday && d.Weekday() != time.Sunday {
			workdays = append(workdays, d)
		}
	}
	options := []string{"very_satisfied", "satisfied", "satisfied", "unsatisfied"}
	for i := range yearOffices {
		id := fmt.Sprintf("XA.%03d", i+1)
		o := yearOffice(i)
		profile, _ := json.Marshal(o)
		if _, err := pool.Exec(ctx, `INSERT INTO offices (id, profile, last_ingest_at, last_event_at) VALUES ($1, $2, $3, $3)`, id, string(profile), yearNow.Add(-time.Duration(i%20)*time.Minute)); err != nil {
			b.Fatal(err)
		}
		r := rand.New(rand.NewPCG(uint64(i), 2026))
		var days [][]any
		var waiting [][]any
		for _, d := range workdays {
			day := queue.DayOf(d, loc)
			rep := queue.NewReport(o, day, day)
			for n := range ticketsPerDay {
				s := r.IntN(4)
				issued := d.Add(time.Duration(7*60+30+r.IntN(540)) * time.Minute)
				t := queue.Ticket{ID: fmt.Sprintf("%s-s%d-%d", day, s, 1001+1000*s+n), Day: day, Number: 1001 + 1000*s + n, ServiceID: fmt.Sprintf("s%d", s),
					FirstServiceID: fmt.Sprintf("s%d", s), IssuedAt: issued, QueuedAt: issued, Counter: 1 + r.IntN(3)}
				t.Clerk = fmt.Sprintf("cb%d", t.Counter)
				if day == queue.DayOf(yearNow, loc) && n%8 == 0 { // still waiting this morning
					t.State = queue.Waiting
					t.Counter, t.Clerk = 0, ""
					raw, _ := json.Marshal(t)
					waiting = append(waiting, []any{id, t.ID, day, string(t.State), t.QueuedAt, string(raw)})
				} else {
					switch k := r.IntN(20); {
					case k == 0:
						t.State, t.CalledAt, t.NoShowAt = queue.NoShow, issued.Add(time.Duration(r.IntN(40))*time.Minute), issued.Add(time.Hour)
					case k == 1:
						t.State, t.EndedAt, t.Counter, t.Clerk = queue.Expired, d.Add(17*time.Hour), 0, ""
					default:
						t.State, t.CalledAt = queue.Done, issued.Add(time.Duration(r.IntN(40))*time.Minute)
						t.ServingAt, t.DoneAt = t.CalledAt, t.CalledAt.Add(time.Duration(3+r.IntN(17))*time.Minute)
						if r.IntN(10) < 7 {
							t.Rating = &queue.Rating{Option: options[r.IntN(len(options))]}
						}
					}
				}
				rep.Add(t)
				tickets++
			}
			sum, err := queue.EncodeSummary(rep.Finish())
			if err != nil {
				b.Fatal(err)
			}
			days = append(days, []any{id, day, sum})
		}
		if _, err := pool.CopyFrom(ctx, pgx.Identifier{"ticket_days"}, []string{"office", "day", "summary"}, pgx.CopyFromRows(days)); err != nil {
			b.Fatal(err)
		}
		byMonth := map[string][][]byte{}
		for _, d := range days {
			month := d[1].(string)[:6]
			byMonth[month] = append(byMonth[month], d[2].([]byte))
		}
		var months [][]any
		for month, raws := range byMonth {
			sum, err := MonthSummary(o, month, raws)
			if err != nil {
				b.Fatal(err)
			}
			months = append(months, []any{id, month, sum})
		}
		if _, err := pool.CopyFrom(ctx, pgx.Identifier{"ticket_months"}, []string{"office", "month", "summary"}, pgx.CopyFromRows(months)); err != nil {
			b.Fatal(err)
		}
		if _, err := pool.CopyFrom(ctx, pgx.Identifier{"tickets"}, []string{"office", "id", "day", "state", "queued_at", "ticket"}, pgx.CopyFromRows(waiting)); err != nil {
			b.Fatal(err)
		}
		// The dossiers, their stock days and their day flows by group.
		flows := map[flowKey]*intake.Flows{}
		var rows [][]any
		for n := range dossiersPerOffice {
			recv := workdays[r.IntN(len(workdays))].Add(time.Duration(8*60+r.IntN(480)) * time.Minute)
			d := intake.Dossier{Code: fmt.Sprintf("%s-%s-%04d", id, recv.Format("060102"), n), Procedure: fmt.Sprintf("1.%03d", r.IntN(20)),
				Clerk: fmt.Sprintf("cb%d", 1+r.IntN(3)), Status: intake.Received, Delivery: "desk", ReceivedAt: recv, DueAt: recv.AddDate(0, 0, 3+r.IntN(12))}
			d.History = []intake.Change{{At: recv, To: intake.Received}}
			if r.IntN(10) == 0 {
				d.History = append(d.History, intake.Change{At: recv.AddDate(0, 0, 1), To: intake.Supplement})
			}
			switch k := r.IntN(100); {
			case k < 3:
				d.Status = intake.Withdrawn
				d.History = append(d.History, intake.Change{At: recv.AddDate(0, 0, 2), To: intake.Withdrawn})
			case k < 88:
				d.ReadyAt = d.DueAt.AddDate(0, 0, r.IntN(5)-3)
				if d.ReadyAt.After(yearNow) || d.ReadyAt.Before(recv) {
					d.ReadyAt = time.Time{}
					break
				}
				d.Status = intake.Ready
				d.History = append(d.History, intake.Change{At: d.ReadyAt, To: intake.Ready})
			}
			addDossier(flows, d, loc, 1)
			row, err := dossierRow(d, loc)
			if err != nil {
				b.Fatal(err)
			}
			rows = append(rows, append([]any{id, d.Code}, row...))
			dossiers++
		}
		if _, err := pool.CopyFrom(ctx, pgx.Identifier{"dossiers"}, append([]string{"office", "code"}, dossierColumns...), pgx.CopyFromRows(rows)); err != nil {
			b.Fatal(err)
		}
		var flowRows [][]any
		for k, f := range flows {
			flowRows = append(flowRows, append([]any{id, k.group, k.day}, flowValues(*f)...))
		}
		if _, err := pool.CopyFrom(ctx, pgx.Identifier{"dossier_days"}, append([]string{"office", "grp", "day"}, strings.Split(flowColumns, ", ")...), pgx.CopyFromRows(flowRows)); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := pool.Exec(ctx, `ANALYZE`); err != nil {
		b.Fatal(err)
	}
	return tickets, dossiers
}

func BenchmarkProvinceYear(b *testing.B) {
	pg := pgtest.Start(b)
	ctx := context.Background()
	pool := pg.Pool(b)
	if _, err := Migrate(ctx, pool); err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	tickets, dossiers := seedYear(b, ctx, pool)
	var size string
	pool.QueryRow(ctx, `SELECT pg_size_pretty(pg_database_size(current_database()))`).Scan(&size)
	b.Logf("seeded %d offices, %d tickets, %d dossiers in %.0f s; database %s", yearOffices, tickets, dossiers, time.Since(start).Seconds(), size)
	offices, err := Offices(ctx, pool, nil)
	if err != nil || len(offices) != yearOffices {
		b.Fatalf("offices: %d %v", len(offices), err)
	}
	loc := Zone(offices)
	from, to := time.Date(2026, 7, 1, 0, 0, 0, 0, loc), time.Date(2026, 10, 1, 0, 0, 0, 0, loc)
	b.Run("floor=quarter-rows", func(b *testing.B) {
		for range b.N {
			rows, err := pool.Query(ctx, `SELECT office, summary FROM ticket_days WHERE day >= '20260701' AND day <= '20260930'`)
			if err != nil {
				b.Fatal(err)
			}
			n := 0
			for rows.Next() {
				n++
			}
			rows.Close()
			if n == 0 {
				b.Fatal("no rows")
			}
		}
	})
	b.Run("dashboard", func(b *testing.B) {
		for range b.N {
			lines, err := Dashboard(ctx, pool, offices, yearNow)
			if err != nil || len(lines) != yearOffices || lines[0].Waiting == 0 || lines[0].Month.Issued == 0 {
				b.Fatalf("dashboard: %v %+v", err, lines[:1])
			}
		}
	})
	b.Run("quarter-report", func(b *testing.B) {
		for range b.N {
			rep, err := Report(ctx, pool, offices, from, to, yearNow)
			if err != nil || rep.Figures.Total.Issued == 0 || rep.Figures.Dossiers.Received == 0 || len(rep.Figures.Offices) != yearOffices {
				b.Fatalf("report: %v", err)
			}
		}
	})
}
