package province

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

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
	rows, err := pool.Query(ctx, `SELECT id, profile, coalesce(last_event_at, 'epoch'), coalesce(last_ingest_at, 'epoch'), folded FROM offices
WHERE coalesce(cardinality($1::text[]), 0) = 0 OR id = ANY($1) ORDER BY id`, ids)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Office
	for rows.Next() {
		var o Office
		var profile []byte
		if err := rows.Scan(&o.ID, &profile, &o.LastEvent, &o.LastIngest, &o.Folded); err != nil {
			return nil, err
		}
		if profile != nil {
			if err := json.Unmarshal(profile, &o.Profile); err != nil {
				return nil, fmt.Errorf("office %s's settings: %w", o.ID, err)
			}
		}
		out = append(out, o)
	}
	return out, rows.Err()
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
	each, err := ticketReports(ctx, pool, offices, first, lastDay)
	if err != nil {
		return reportfile.Report{}, err
	}
	single := len(offices) == 1
	out := reportfile.Report{Office: offices[0].Name(), From: from, To: last, Made: made.In(loc), Clerks: map[string]string{},
		Rating: offices[0].Profile.WithDefaults().Rating.Options, Reasons: offices[0].Profile.WithDefaults().Rating.Reasons}
	if single {
		out.Figures.Report = each[0]
	} else {
		out.Office = fmt.Sprintf("%d đơn vị / offices", len(offices))
		all := queue.NewReport(union(offices), first, lastDay)
		for _, r := range each {
			r.Clerks, r.Counters = nil, nil // a clerk's and a counter's are their office's
			all.Merge(r)
		}
		out.Figures.Report = all.Finish()
	}
	groups, err := dossierPeriods(ctx, pool, ids, from, to, loc, single)
	if err != nil {
		return reportfile.Report{}, err
	}
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
	for m := time.Date(from.Year(), from.Month(), 1, 0, 0, 0, 0, loc); m.Before(to); m = m.AddDate(0, 1, 0) {
		start, end := m, m.AddDate(0, 1, 0)
		if start.Before(from) {
			start = from
		}
		if end.After(to) {
			end = to
		}
		month, err := dossierPeriods(ctx, pool, ids, start, end, loc, false, "")
		if err != nil {
			return reportfile.Report{}, err
		}
		out.Figures.DossiersByMonth = append(out.Figures.DossiersByMonth, api.MonthPeriod{Month: m.Format("2006-01"), Period: month[""]})
	}
	if !single {
		for i, o := range offices {
			own, err := dossierPeriods(ctx, pool, []string{o.ID}, from, to, loc, false, "")
			if err != nil {
				return reportfile.Report{}, err
			}
			p := own[""]
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
// (YYYYMMDD), from the stored day tallies, finished, in the offices' order.
func ticketReports(ctx context.Context, pool *pgxpool.Pool, offices []Office, first, last string) ([]*queue.Report, error) {
	index := map[string]int{}
	out := make([]*queue.Report, len(offices))
	ids := make([]string, len(offices))
	for i, o := range offices {
		index[o.ID], ids[i] = i, o.ID
		out[i] = queue.NewReport(o.Profile, first, last)
	}
	rows, err := pool.Query(ctx, `SELECT office, summary FROM ticket_days WHERE office = ANY($1) AND day >= $2 AND day <= $3`, ids, first, last)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var office string
		var raw []byte
		if err := rows.Scan(&office, &raw); err != nil {
			return nil, err
		}
		day, ok, err := queue.DecodeSummary(raw)
		if err != nil || !ok {
			return nil, fmt.Errorf("office %s: a day's tally of another shape: %v", office, err)
		}
		out[index[office]].Merge(day)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, r := range out {
		r.Finish()
	}
	return out, nil
}

// dossierPeriods are the period [from, to)'s dossier figures for the
// offices, by group ("" all, "p:" procedure, with clerks "c:" clerk; only
// those named in want when any). The period's flows are summed in SQL; the
// open stock at its start and end is read from the dossiers' days; intake.Sum
// counts the figures from the two, as it does from an office's day flows.
func dossierPeriods(ctx context.Context, pool *pgxpool.Pool, ids []string, from, to time.Time, loc *time.Location, clerks bool, want ...string) (map[string]intake.Period, error) {
	first, end := from.In(loc).Format("2006-01-02"), to.In(loc).Format("2006-01-02")
	before := from.In(loc).AddDate(0, 0, -1).Format("2006-01-02")
	only := func(g string) bool {
		if strings.HasPrefix(g, "c:") && !clerks {
			return false
		}
		if len(want) == 0 {
			return true
		}
		for _, w := range want {
			if g == w {
				return true
			}
		}
		return false
	}
	flows := map[string]map[string]*intake.Flows{}
	day := func(g, d string) *intake.Flows {
		if flows[g] == nil {
			flows[g] = map[string]*intake.Flows{before: {}, first: {}}
		}
		return flows[g][d]
	}
	rows, err := pool.Query(ctx, `SELECT grp, sum(received)::int, sum(by_post)::int, sum(resolved)::int, sum(early)::int, sum(on_time)::int, sum(late)::int,
	sum(ind1)::int, sum(ind3)::int, sum(supplements)::int, sum(apologies)::int, sum(withdrawn)::int, sum(closed)::int, '{}'::jsonb, '{}'::jsonb
FROM dossier_days WHERE office = ANY($1) AND day >= $2 AND day < $3 GROUP BY grp`, ids, first, end)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var g string
		f, err := scanFlows(rows, &g)
		if err != nil {
			rows.Close()
			return nil, err
		}
		if only(g) {
			day(g, first).Add(f, 1)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = pool.Query(ctx, `SELECT d.grp, s.key, sum(s.value::int)::int FROM dossier_days d, jsonb_each_text(d.status) s
WHERE d.office = ANY($1) AND d.day >= $2 AND d.day < $3 GROUP BY 1, 2`, ids, first, end)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var g, status string
		var n int
		if err := rows.Scan(&g, &status, &n); err != nil {
			rows.Close()
			return nil, err
		}
		if only(g) && n != 0 {
			day(g, first).Add(intake.Flows{Status: map[string]int{status: n}}, 1)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// The open stock: at the start it is carried over (received before,
	// with its due days); at the end the period's flows leave it so.
	for _, at := range []string{first, end} {
		rows, err := pool.Query(ctx, `SELECT procedure, clerk, due_day, count(*)::int FROM dossiers
WHERE office = ANY($1) AND received_day < $2 AND (closed_day IS NULL OR closed_day >= $2) GROUP BY 1, 2, 3`, ids, at)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var proc, clerk, due string
			var n int
			if err := rows.Scan(&proc, &clerk, &due, &n); err != nil {
				rows.Close()
				return nil, err
			}
			for _, g := range intake.Groups(intake.Dossier{Procedure: proc, Clerk: clerk}) {
				if !only(g) {
					continue
				}
				if at == first { // carried over: into the day before, due days and all
					day(g, before).Add(intake.Flows{Received: n, Due: map[string]int{due: n}}, 1)
					day(g, first).Add(intake.Flows{Due: map[string]int{due: -n}}, 1)
				} else {
					day(g, first).Add(intake.Flows{Due: map[string]int{due: n}}, 1)
				}
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	out := map[string]intake.Period{}
	for g, days := range flows {
		out[g] = intake.Sum(days, from, to, loc)
	}
	if _, ok := out[""]; !ok {
		out[""] = intake.Sum(nil, from, to, loc)
	}
	return out, nil
}
