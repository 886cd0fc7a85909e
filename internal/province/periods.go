package province

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"motcua/internal/intake"
)

// scope is what a dossier report groups by besides the procedures.
type scope int

const (
	// oneOffice: one office's report, by clerk too.
	oneOffice scope = iota
	// acrossOffices: a group's or the province's, by office too (no clerks:
	// they are each office's own).
	acrossOffices
)

// dossierPeriods are the dossier figures of the period bounds[0] …
// bounds[len-1] for the offices together (key "") and, across offices, for
// each office (key its id), by group ("" all, "p:" procedure, for one office
// "c:" clerk); and the whole's for each segment bounds[i] … bounds[i+1] (the
// months). The flows are summed in SQL by segment; the open stock at each
// bound is read from the dossiers' days in the same scan; intake.Sum counts
// the figures from the two, as it does from an office's day flows.
func dossierPeriods(ctx context.Context, pool *pgxpool.Pool, ids []string, bounds []time.Time, loc *time.Location, sc scope) (map[string]map[string]intake.Period, []intake.Period, error) {
	pf := newPeriodFlows(bounds, loc, sc)
	for _, read := range []func(context.Context, *pgxpool.Pool, []string) error{pf.readDays, pf.readFilings, pf.readStock} {
		if err := read(ctx, pool, ids); err != nil {
			return nil, nil, err
		}
	}
	out, months := pf.periods()
	return out, months, nil
}

// periodFlows gathers the day flows of the dossiers by key (office or ""
// for all, group) and segment (the months; segment n is the whole period),
// each segment's days as intake.Sum reads them.
type periodFlows struct {
	n      int
	bounds []time.Time
	days   []string // the bounds' days, YYYY-MM-DD
	loc    *time.Location
	sc     scope
	flows  map[[2]string][]map[string]*intake.Flows
}

func newPeriodFlows(bounds []time.Time, loc *time.Location, sc scope) *periodFlows {
	pf := &periodFlows{n: len(bounds) - 1, bounds: bounds, days: make([]string, len(bounds)), loc: loc, sc: sc,
		flows: map[[2]string][]map[string]*intake.Flows{}}
	for i, b := range bounds {
		pf.days[i] = b.In(loc).Format("2006-01-02")
	}
	return pf
}

// dayBefore is the day before bound i.
func (pf *periodFlows) dayBefore(i int) string {
	return pf.bounds[i].In(pf.loc).AddDate(0, 0, -1).Format("2006-01-02")
}

// on is the day a segment's flows are put on: its first (segment n, the
// whole, from the period's first).
func (pf *periodFlows) on(seg int) string { return pf.days[seg%pf.n] }

// add puts f on day of segment seg, for the offices together and, across
// offices, for office.
func (pf *periodFlows) add(office, g string, seg int, day string, f intake.Flows) {
	if strings.HasPrefix(g, "c:") && pf.sc != oneOffice {
		return
	}
	keys := [][2]string{{"", g}}
	if pf.sc == acrossOffices {
		keys = append(keys, [2]string{office, g})
	}
	for _, k := range keys {
		if pf.flows[k] == nil {
			pf.flows[k] = make([]map[string]*intake.Flows, pf.n+1)
			for i := range pf.n + 1 {
				start := i
				if i == pf.n {
					start = 0
				}
				pf.flows[k][i] = map[string]*intake.Flows{pf.dayBefore(start): {}, pf.days[start]: {}}
			}
		}
		if pf.flows[k][seg][day] == nil {
			pf.flows[k][seg][day] = &intake.Flows{}
		}
		pf.flows[k][seg][day].Add(f, 1)
	}
}

// whole and bySegment are the queries' arguments: the offices, the
// period, and for bySegment the segments' first days ($4).
func (pf *periodFlows) whole(ids []string) []any { return []any{ids, pf.days[0], pf.days[pf.n]} }
func (pf *periodFlows) bySegment(ids []string) []any {
	return []any{ids, pf.days[0], pf.days[pf.n], pf.days[:pf.n]}
}

// segment is the SQL of the segment a day column falls in.
func segment(column string) string { return `width_bucket(` + column + `, $4::text[]) - 1` }

// readDays reads the folded day flows twice: by group for the whole period
// (segment n, on its first day), and for all the offices' dossiers by
// segment (the months, each on its first day).
func (pf *periodFlows) readDays(ctx context.Context, pool *pgxpool.Pool, ids []string) error {
	sums := `sum(received)::int, sum(by_post)::int, sum(resolved)::int, sum(early)::int, sum(on_time)::int, sum(late)::int,
	sum(ind1)::int, sum(ind3)::int, sum(supplements)::int, sum(apologies)::int, sum(withdrawn)::int, sum(closed)::int,
	sum(online_helped)::int, sum(online_filed)::int, sum(fee_dossiers)::int, sum(fees_due)::bigint, sum(fees_paid)::int,
	sum(fees_collected)::bigint, sum(cashless)::int, sum(cashless_amount)::bigint`
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`SELECT office, grp, ` + fmt.Sprint(pf.n) + `, ` + sums + ` FROM dossier_days WHERE office = ANY($1) AND day >= $2 AND day < $3 GROUP BY 1, 2`, pf.whole(ids)},
		{`SELECT office, grp, ` + segment("day") + `, ` + sums + ` FROM dossier_days WHERE office = ANY($1) AND day >= $2 AND day < $3 AND grp = '' GROUP BY 1, 2, 3`, pf.bySegment(ids)},
	} {
		if err := scan(ctx, pool, q.sql, q.args, func(rows pgx.Rows) error {
			var office, g string
			var seg int
			f, err := scanFlows(rows, &office, &g, &seg)
			if err == nil {
				pf.add(office, g, seg, pf.on(seg), f)
			}
			return err
		}); err != nil {
			return err
		}
	}
	return nil
}

// readFilings reads the filings by their status now, by when they were filed.
func (pf *periodFlows) readFilings(ctx context.Context, pool *pgxpool.Pool, ids []string) error {
	for _, q := range []struct {
		sql   string
		args  []any
		whole bool
	}{
		{`SELECT office, procedure, clerk, status, ` + fmt.Sprint(pf.n) + `, count(*)::int FROM dossiers WHERE office = ANY($1) AND filed_day >= $2 AND filed_day < $3 GROUP BY 1, 2, 3, 4`, pf.whole(ids), true},
		{`SELECT office, '', '', status, ` + segment("filed_day") + `, count(*)::int FROM dossiers WHERE office = ANY($1) AND filed_day >= $2 AND filed_day < $3 GROUP BY 1, 2, 3, 4, 5`, pf.bySegment(ids), false},
	} {
		if err := scan(ctx, pool, q.sql, q.args, func(rows pgx.Rows) error {
			var office, proc, clerk, status string
			var seg, count int
			if err := rows.Scan(&office, &proc, &clerk, &status, &seg, &count); err != nil {
				return err
			}
			for _, g := range intake.Groups(intake.Dossier{Procedure: proc, Clerk: clerk}) {
				if q.whole || g == "" {
					pf.add(office, g, seg, pf.on(seg), intake.Flows{Status: map[string]int{status: count}})
				}
			}
			return nil
		}); err != nil {
			return err
		}
	}
	return nil
}

// readStock reads the open stock at the bounds (received before it, not
// closed before it), and the overdue part of it (due before the day before
// it, the last day of the segment it ends): at a segment's start it is
// carried over; at its end Sum counts it open, within the deadline or
// overdue — all it reads of the due days. By group at the period's two
// ends; for all the offices' dossiers at every bound.
func (pf *periodFlows) readStock(ctx context.Context, pool *pgxpool.Pool, ids []string) error {
	every := make([]int, pf.n+1)
	for i := range every {
		every[i] = i
	}
	for _, q := range []struct {
		at    []int // the bounds (indexes) the query counts the stock at
		whole bool
	}{{[]int{0, pf.n}, true}, {every, false}} {
		args := pf.whole(ids)
		var cols strings.Builder
		for _, i := range q.at {
			args = append(args, pf.days[i], pf.dayBefore(i))
			fmt.Fprintf(&cols, `, (count(*) FILTER (WHERE received_day < $%[1]d AND coalesce(closed_day, '9999-99-99') >= $%[1]d))::int,
	(count(*) FILTER (WHERE received_day < $%[1]d AND coalesce(closed_day, '9999-99-99') >= $%[1]d AND due_day < $%[2]d))::int`, len(args)-1, len(args))
		}
		keys, group := "office, procedure, clerk", "1, 2, 3"
		if !q.whole {
			keys, group = "office, '', ''", "1"
		}
		if err := scan(ctx, pool, `SELECT `+keys+cols.String()+` FROM dossiers
WHERE office = ANY($1) AND coalesce(closed_day, '9999-99-99') >= $2 AND received_day < $3 GROUP BY `+group, args, func(rows pgx.Rows) error {
			return pf.addStock(rows, q.at, q.whole)
		}); err != nil {
			return err
		}
	}
	return nil
}

// addStock puts one row of readStock's counts (open, overdue at each bound
// of at) on the segments between those bounds.
func (pf *periodFlows) addStock(rows pgx.Rows, at []int, whole bool) error {
	var office, proc, clerk string
	stock := make([]int, 2*len(at))
	dest := []any{&office, &proc, &clerk}
	for i := range stock {
		dest = append(dest, &stock[i])
	}
	if err := rows.Scan(dest...); err != nil {
		return err
	}
	for _, g := range intake.Groups(intake.Dossier{Procedure: proc, Clerk: clerk}) {
		if !whole && g != "" {
			continue
		}
		for k := 0; k+1 < len(at); k++ {
			seg, a, b := k, at[k], at[k+1]
			if whole {
				seg = pf.n
			}
			open, overdue := stock[2*k+2], stock[2*k+3]
			pf.add(office, g, seg, pf.dayBefore(a), intake.Flows{Received: stock[2*k]})
			pf.add(office, g, seg, pf.days[a], intake.Flows{Due: map[string]int{"0000-00-00": overdue, pf.dayBefore(b): open - overdue}})
		}
	}
	return nil
}

// periods sums the flows: each key's whole period, and the offices
// together's months.
func (pf *periodFlows) periods() (map[string]map[string]intake.Period, []intake.Period) {
	n, bounds, loc := pf.n, pf.bounds, pf.loc
	out := map[string]map[string]intake.Period{"": {"": intake.Sum(nil, bounds[0], bounds[n], loc)}}
	months := make([]intake.Period, n)
	for i := range months {
		months[i] = intake.Sum(nil, bounds[i], bounds[i+1], loc)
	}
	for k, segs := range pf.flows {
		if out[k[0]] == nil {
			out[k[0]] = map[string]intake.Period{}
		}
		out[k[0]][k[1]] = intake.Sum(segs[n], bounds[0], bounds[n], loc)
		if k == [2]string{"", ""} {
			for i := range months {
				months[i] = intake.Sum(segs[i], bounds[i], bounds[i+1], loc)
			}
		}
	}
	return out, months
}
