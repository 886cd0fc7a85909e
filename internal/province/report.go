package province

import (
	"context"
	"encoding/json"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"motcua/internal/api"
	"motcua/internal/intake"
	"motcua/internal/queue"
	"motcua/internal/reportfile"
)

// The province's reports are the office's (queue.Report from the stored
// day tallies, intake.Sum over the dossiers' flows), for one office, a
// group or the whole province: tickets merged office by office, dossiers
// added up in SQL and counted by intake.Sum from what that returns.

// Office is one office the province holds, with the settings it last sent.
type Office struct {
	ID      string
	Profile queue.Office
	// LastEvent is the time of its latest event; LastIngest when it last
	// shipped; Folded its last seq.
	LastEvent, LastIngest time.Time
	Folded                int64
}

// Name is the office's name, or its id before its settings came.
func (o Office) Name() string {
	if o.Profile.Name != "" {
		return o.Profile.Name
	}
	return o.ID
}

// Offices are the offices the province holds (ids: those only; none: all),
// by id.
func Offices(ctx context.Context, pool *pgxpool.Pool, ids []string) ([]Office, error) {
	var out []Office
	err := scan(ctx, pool, `SELECT id, profile, last_event_at, last_ingest_at, folded FROM offices
WHERE coalesce(cardinality($1::text[]), 0) = 0 OR id = ANY($1) ORDER BY id`, []any{ids}, func(rows pgx.Rows) error {
		var o Office
		var profile []byte
		var event, ingest *time.Time // none yet
		if err := rows.Scan(&o.ID, &profile, &event, &ingest, &o.Folded); err != nil {
			return err
		}
		if event != nil {
			o.LastEvent = *event
		}
		if ingest != nil {
			o.LastIngest = *ingest
		}
		if profile != nil {
			if err := json.Unmarshal(profile, &o.Profile); err != nil {
				return fmt.Errorf("office %s's settings: %w", o.ID, err)
			}
		}
		out = append(out, o)
		return nil
	})
	return out, err
}

// Zone is the zone the offices' days are counted in (the first office's;
// the country's by default).
func Zone(offices []Office) *time.Location {
	o := queue.Office{}
	if len(offices) > 0 {
		o = offices[0].Profile
	}
	loc, err := o.WithDefaults().Location()
	if err != nil {
		return time.UTC
	}
	return loc
}

// Report is the period [from, to) (midnights in the offices' zone) for the
// offices: one office's report is its own, as its console gives it; many
// offices' are their sum, with each office's figures beside it.
func Report(ctx context.Context, pool *pgxpool.Pool, offices []Office, from, to, made time.Time) (reportfile.Report, error) {
	if len(offices) == 0 {
		return reportfile.Report{}, fmt.Errorf("no office to report on")
	}
	loc := Zone(offices)
	last := to.AddDate(0, 0, -1)
	first, lastDay := queue.DayOf(from, loc), queue.DayOf(last, loc)
	ids := make([]string, len(offices))
	for i, o := range offices {
		ids[i] = o.ID
	}
	single := len(offices) == 1
	// The tickets are decoded here while PostgreSQL adds up the dossiers.
	var each []*queue.Report
	var ticketsErr error
	ticketsDone := make(chan struct{})
	go func() {
		defer close(ticketsDone)
		each, ticketsErr = ticketReports(ctx, pool, offices, first, lastDay)
	}()
	// The period and each calendar month of it (the first and last cut to it).
	bounds := []time.Time{from}
	for m := time.Date(from.Year(), from.Month(), 1, 0, 0, 0, 0, loc).AddDate(0, 1, 0); m.Before(to); m = m.AddDate(0, 1, 0) {
		bounds = append(bounds, m)
	}
	bounds = append(bounds, to)
	scope := acrossOffices
	if single {
		scope = oneOffice
	}
	periods, months, err := dossierPeriods(ctx, pool, ids, bounds, loc, scope)
	<-ticketsDone
	if err == nil {
		err = ticketsErr
	}
	if err != nil {
		return reportfile.Report{}, err
	}
	out := reportfile.Report{Office: offices[0].Name(), From: from, To: last, Made: made.In(loc), Clerks: map[string]string{},
		Rating: offices[0].Profile.WithDefaults().Rating.Options, Reasons: offices[0].Profile.WithDefaults().Rating.Reasons,
		// An office may ask more cases of its figures, never fewer than the
		// province's floor: its grades stand beside the others'.
		MinCases: max(reportfile.MinCases, offices[0].Profile.WithDefaults().Rules.MinCases)}
	if single {
		out.Figures.Report = each[0]
	} else {
		out.Office = fmt.Sprintf("%d đơn vị / offices", len(offices))
		out.Whole = fmt.Sprintf("Cả %d đơn vị / all %d offices", len(offices), len(offices))
		all := queue.NewReport(union(offices), first, lastDay)
		for _, r := range each {
			r.Clerks, r.Counters = nil, nil // a clerk's and a counter's are their office's
			all.Merge(r)
		}
		out.Figures.Report = all.Finish()
	}
	if taken, err := PastBookings(ctx, pool, ids, from, to, made); err != nil {
		return reportfile.Report{}, err
	} else if taken > 0 {
		arrived := 0
		for _, c := range out.Figures.Channels {
			if c.Channel == queue.ByBooked {
				arrived = min(c.Issued, taken)
			}
		}
		out.Figures.Bookings = &api.BookingFigures{Taken: taken, Arrived: arrived}
	}
	groups := periods[""]
	all := groups[""]
	out.Figures.Dossiers = &all
	out.Figures.DossiersByClerk, out.Figures.DossiersByProcedure = map[string]*intake.Period{}, map[string]*intake.Period{}
	for g, p := range groups {
		if p.Received+p.Resolved+p.CarriedOver == 0 {
			continue
		}
		switch {
		case strings.HasPrefix(g, "c:"):
			out.Figures.DossiersByClerk[g[2:]] = &p
		case strings.HasPrefix(g, "p:"):
			out.Figures.DossiersByProcedure[g[2:]] = &p
		}
	}
	for i, m := range months {
		out.Figures.DossiersByMonth = append(out.Figures.DossiersByMonth, api.MonthPeriod{Month: bounds[i].Format("2006-01"), Period: m})
	}
	if !single {
		for i, o := range offices {
			p := periods[o.ID][""]
			if _, ok := periods[o.ID]; !ok {
				p = intake.Sum(nil, from, to, loc)
			}
			out.Figures.Offices = append(out.Figures.Offices, api.OfficeFigures{ID: o.ID, Name: o.Name(), Tally: each[i].Total, Dossiers: &p})
		}
	}
	return out, nil
}

// union is the offices' services together (by id, the first office's name),
// for a report of many.
func union(offices []Office) queue.Office {
	u := offices[0].Profile
	u.Counters = nil
	seen := map[string]bool{}
	u.Services = nil
	for _, o := range offices {
		for _, s := range o.Profile.Services {
			if !seen[s.ID] {
				seen[s.ID] = true
				u.Services = append(u.Services, s)
			}
		}
	}
	return u
}

// ticketReports are each office's ticket report over the days first…last
// (YYYYMMDD), from the stored tallies: a month's own for each month the
// period covers whole, the days' for the rest; finished, in the offices'
// order. The tallies are decoded on every core.
func ticketReports(ctx context.Context, pool *pgxpool.Pool, offices []Office, first, last string) ([]*queue.Report, error) {
	index := map[string]int{}
	out := make([]*queue.Report, len(offices))
	ids := make([]string, len(offices))
	for i, o := range offices {
		index[o.ID], ids[i] = i, o.ID
		out[i] = queue.NewReport(o.Profile, first, last)
	}
	months, ranges := split(first, last)
	type stored struct {
		office int
		raw    []byte
	}
	var all []stored
	read := func(sql string, args ...any) error {
		return scan(ctx, pool, sql, args, func(rows pgx.Rows) error {
			var office string
			var raw []byte
			err := rows.Scan(&office, &raw)
			all = append(all, stored{index[office], raw})
			return err
		})
	}
	if len(months) > 0 {
		if err := read(`SELECT office, summary FROM ticket_months WHERE office = ANY($1) AND month = ANY($2)`, ids, months); err != nil {
			return nil, err
		}
	}
	for _, r := range ranges {
		if err := read(`SELECT office, summary FROM ticket_days WHERE office = ANY($1) AND day >= $2 AND day <= $3`, ids, r[0], r[1]); err != nil {
			return nil, err
		}
	}
	decoded := make([]*queue.Report, len(all))
	errs := make([]error, len(all))
	var wg sync.WaitGroup
	workers := runtime.GOMAXPROCS(0)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(all); i += workers {
				r, ok, err := queue.DecodeSummary(all[i].raw)
				if err == nil && !ok {
					err = fmt.Errorf("a stored tally of another shape")
				}
				decoded[i], errs[i] = r, err
			}
		}()
	}
	wg.Wait()
	for i, r := range decoded {
		if errs[i] != nil {
			return nil, fmt.Errorf("office %s: %w", offices[all[i].office].ID, errs[i])
		}
		out[all[i].office].Merge(r)
	}
	for _, r := range out {
		r.Finish()
	}
	return out, nil
}

// split cuts the days first…last (YYYYMMDD) into the months it covers
// whole (YYYYMM) and the ranges of days left at its ends.
func split(first, last string) (months []string, ranges [][2]string) {
	a, err1 := time.Parse("20060102", first)
	b, err2 := time.Parse("20060102", last)
	if err1 != nil || err2 != nil || b.Before(a) {
		return nil, [][2]string{{first, last}}
	}
	day := func(t time.Time) string { return t.Format("20060102") }
	for d := a; !d.After(b); {
		start := time.Date(d.Year(), d.Month(), 1, 0, 0, 0, 0, time.UTC)
		end := start.AddDate(0, 1, -1)
		switch {
		case d.Equal(start) && !end.After(b):
			months = append(months, d.Format("200601"))
		case end.After(b):
			ranges = append(ranges, [2]string{day(d), day(b)})
		default:
			ranges = append(ranges, [2]string{day(d), day(end)})
		}
		d = end.AddDate(0, 0, 1)
	}
	return months, ranges
}
