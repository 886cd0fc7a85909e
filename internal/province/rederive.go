package province

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"motcua/internal/intake"
	"motcua/internal/queue"
)

// What verify re-derives: an office's folded tables — each ticket's latest
// state, the day and month tallies, each dossier's row and the day flows
// of every group — as its chain says they are, folded again in memory from
// its events with the fold's own functions, compared row by row with what
// the tables hold. A row edited, added or removed in any of them is named
// with its table and its day, ticket or dossier.

// derived is an office's events folded in memory: each ticket's latest
// state kept as its JSON until the end (a ticket is in several events; it
// is decoded once), each dossier's latest facts.
type derived struct {
	raw     map[string]json.RawMessage
	tickets map[string]queue.Ticket
	facts   map[string]*queue.DossierFacts
}

func newDerived() *derived {
	return &derived{raw: map[string]json.RawMessage{}, facts: map[string]*queue.DossierFacts{}}
}

// eventHead is the part of an event add reads before it knows what it holds.
type eventHead struct {
	Type    queue.EventType    `json:"type"`
	Ticket  json.RawMessage    `json:"ticket"`
	Dossier *queue.DossierMark `json:"dossier"`
}

// add folds one event, as foldChunk does.
func (d *derived) add(raw []byte) error {
	var ev eventHead
	if err := json.Unmarshal(raw, &ev); err != nil {
		return err
	}
	if len(ev.Ticket) > 0 && string(ev.Ticket) != "null" {
		id, ok := leadingID(ev.Ticket)
		if !ok {
			var t struct {
				ID string `json:"id"`
			}
			if err := json.Unmarshal(ev.Ticket, &t); err != nil {
				return err
			}
			id = t.ID
		}
		d.raw[id] = ev.Ticket
	}
	if ev.Type == queue.EvDossier && ev.Dossier != nil && ev.Dossier.Facts != nil {
		d.facts[ev.Dossier.Code] = ev.Dossier.Facts
	}
	return nil
}

// leadingID reads a ticket's id where the office writes it, first and
// plain ({"id":"20261203-a-1001",…}); ok is false for anything else (then
// the ticket is decoded to find it).
func leadingID(raw []byte) (string, bool) {
	const head = `{"id":"`
	if !bytes.HasPrefix(raw, []byte(head)) {
		return "", false
	}
	rest := raw[len(head):]
	end := bytes.IndexByte(rest, '"')
	if end < 0 || bytes.IndexByte(rest[:end], '\\') >= 0 {
		return "", false
	}
	return string(rest[:end]), true
}

// finish decodes each ticket's latest state.
func (d *derived) finish() error {
	d.tickets = make(map[string]queue.Ticket, len(d.raw))
	for id, raw := range d.raw {
		var t queue.Ticket
		if err := json.Unmarshal(raw, &t); err != nil {
			return fmt.Errorf("ticket %s: %w", id, err)
		}
		d.tickets[id] = t
	}
	d.raw = nil
	return nil
}

// compare reads the office's folded tables and says each row that differs
// from what its events make of them.
func (d *derived) compare(ctx context.Context, pool *pgxpool.Pool, office string, lastSeq int64) ([]string, error) {
	if err := d.finish(); err != nil {
		return nil, err
	}
	var diffs []string
	differ := func(format string, args ...any) { diffs = append(diffs, fmt.Sprintf(format, args...)) }
	var folded int64
	var profile []byte
	if err := pool.QueryRow(ctx, `SELECT folded, profile FROM offices WHERE id = $1`, office).Scan(&folded, &profile); err != nil {
		return nil, err
	}
	if folded != lastSeq {
		differ("offices: folded to seq %d, the events go to seq %d", folded, lastSeq)
	}
	o := queue.Office{}
	if profile != nil {
		if err := json.Unmarshal(profile, &o); err != nil {
			return nil, fmt.Errorf("office %s's settings: %w", office, err)
		}
	}
	loc, err := o.WithDefaults().Location()
	if err != nil {
		loc = time.UTC
	}
	for _, check := range []func() ([]string, error){
		func() ([]string, error) { return d.compareTickets(ctx, pool, office, o) },
		func() ([]string, error) { return d.compareDossiers(ctx, pool, office, loc) },
	} {
		more, err := check()
		if err != nil {
			return nil, err
		}
		diffs = append(diffs, more...)
	}
	return diffs, nil
}

// compareTickets compares the tickets, ticket_days and ticket_months rows.
func (d *derived) compareTickets(ctx context.Context, pool *pgxpool.Pool, office string, o queue.Office) ([]string, error) {
	var diffs []string
	stored := map[string]bool{}
	byDay := map[string][]queue.Ticket{}
	for _, t := range d.tickets {
		byDay[t.Day] = append(byDay[t.Day], t)
	}
	if err := scan(ctx, pool, `SELECT id, day, state, ticket FROM tickets WHERE office = $1`, []any{office}, func(rows pgx.Rows) error {
		var id, day, state string
		var t queue.Ticket
		if err := rows.Scan(&id, &day, &state, &t); err != nil {
			return err
		}
		stored[id] = true
		want, ok := d.tickets[id]
		switch {
		case !ok:
			diffs = append(diffs, fmt.Sprintf("tickets %s (day %s): in no event", id, day))
		case day != want.Day || state != string(want.State) || !sameJSON(t, want):
			diffs = append(diffs, fmt.Sprintf("tickets %s (day %s): differs from the events (%s, not %s)", id, want.Day, state, want.State))
		}
		return nil
	}); err != nil {
		return nil, err
	}
	for _, id := range slices.Sorted(maps.Keys(d.tickets)) {
		if !stored[id] {
			diffs = append(diffs, fmt.Sprintf("tickets %s (day %s): missing", id, d.tickets[id].Day))
		}
	}
	days := map[string][]byte{}
	for day, ts := range byDay {
		r := queue.NewReport(o, day, day)
		slices.SortFunc(ts, func(a, b queue.Ticket) int { return strings.Compare(a.ID, b.ID) }) // as the fold adds them
		for _, t := range ts {
			r.Add(t)
		}
		sum, err := queue.EncodeSummary(r.Finish())
		if err != nil {
			return nil, err
		}
		days[day] = sum
	}
	months := map[string][][]byte{}
	for _, day := range slices.Sorted(maps.Keys(days)) {
		if len(day) == 8 {
			months[day[:6]] = append(months[day[:6]], days[day])
		}
	}
	wantMonths := map[string][]byte{}
	for month, sums := range months {
		sum, err := MonthSummary(o, month, sums)
		if err != nil {
			return nil, err
		}
		wantMonths[month] = sum
	}
	for _, t := range []struct {
		table, key string
		want       map[string][]byte
	}{{"ticket_days", "day", days}, {"ticket_months", "month", wantMonths}} {
		more, err := compareTallies(ctx, pool, office, t.table, t.key, t.want)
		if err != nil {
			return nil, err
		}
		diffs = append(diffs, more...)
	}
	return diffs, nil
}

// compareTallies compares a table of stored tallies (summary by day or month).
func compareTallies(ctx context.Context, pool *pgxpool.Pool, office, table, key string, want map[string][]byte) ([]string, error) {
	var diffs []string
	seen := map[string]bool{}
	if err := scan(ctx, pool, `SELECT `+key+`, summary FROM `+table+` WHERE office = $1`, []any{office}, func(rows pgx.Rows) error {
		var k string
		var sum []byte
		if err := rows.Scan(&k, &sum); err != nil {
			return err
		}
		seen[k] = true
		w, ok := want[k]
		switch {
		case !ok:
			diffs = append(diffs, fmt.Sprintf("%s %s %s: no ticket of the events is on it", table, key, k))
		case !sameTally(sum, w):
			diffs = append(diffs, fmt.Sprintf("%s %s %s: the tally differs from the events'", table, key, k))
		}
		return nil
	}); err != nil {
		return nil, err
	}
	for _, k := range slices.Sorted(maps.Keys(want)) {
		if !seen[k] {
			diffs = append(diffs, fmt.Sprintf("%s %s %s: missing", table, key, k))
		}
	}
	return diffs, nil
}

// compareDossiers compares the dossiers and dossier_days rows.
func (d *derived) compareDossiers(ctx context.Context, pool *pgxpool.Pool, office string, loc *time.Location) ([]string, error) {
	var diffs []string
	flows := map[flowKey]*intake.Flows{}
	rows := map[string][]any{}
	for code, f := range d.facts {
		dos := intake.FromFacts(code, *f)
		addDossier(flows, dos, loc, 1)
		row, err := dossierRow(dos, loc)
		if err != nil {
			return nil, err
		}
		rows[code] = row
	}
	stored := map[string]bool{}
	if err := scan(ctx, pool, `SELECT code, procedure, clerk, status, filed_day, received_day, due_day, closed_day, facts FROM dossiers WHERE office = $1`, []any{office}, func(r pgx.Rows) error {
		var code, procedure, clerk, status, filed string
		var received, due, closed *string
		var facts queue.DossierFacts
		if err := r.Scan(&code, &procedure, &clerk, &status, &filed, &received, &due, &closed, &facts); err != nil {
			return err
		}
		stored[code] = true
		want, ok := rows[code]
		got := []any{procedure, clerk, status, filed, orNil(received), orNil(due), orNil(closed)}
		switch {
		case !ok:
			diffs = append(diffs, fmt.Sprintf("dossiers %s: in no event", code))
		case fmt.Sprint(got) != fmt.Sprint(want[:7]) || !sameJSON(facts, *d.facts[code]):
			diffs = append(diffs, fmt.Sprintf("dossiers %s (filed %s): differs from the events", code, want[3]))
		}
		return nil
	}); err != nil {
		return nil, err
	}
	for _, code := range slices.Sorted(maps.Keys(rows)) {
		if !stored[code] {
			diffs = append(diffs, fmt.Sprintf("dossiers %s: missing", code))
		}
	}
	seen := map[flowKey]bool{}
	if err := scan(ctx, pool, `SELECT grp, day, `+flowColumns+` FROM dossier_days WHERE office = $1`, []any{office}, func(r pgx.Rows) error {
		var k flowKey
		f, err := scanFlows(r, &k.group, &k.day)
		if err != nil {
			return err
		}
		seen[k] = true
		want := intake.Flows{}
		if w := flows[k]; w != nil {
			want = *w
		}
		if fmt.Sprint(flowValues(f)) != fmt.Sprint(flowValues(want)) {
			diffs = append(diffs, fmt.Sprintf("dossier_days day %s group %q: differs from the events", k.day, k.group))
		}
		return nil
	}); err != nil {
		return nil, err
	}
	for k, f := range flows {
		if !seen[k] && fmt.Sprint(flowValues(*f)) != fmt.Sprint(flowValues(intake.Flows{})) {
			diffs = append(diffs, fmt.Sprintf("dossier_days day %s group %q: missing", k.day, k.group))
		}
	}
	slices.Sort(diffs)
	return diffs, nil
}

// sameJSON says whether a and b encode alike (a row read back from jsonb
// against the event's value).
func sameJSON(a, b any) bool {
	x, err1 := json.Marshal(a)
	y, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && bytes.Equal(x, y)
}

// sameTally says whether two stored tallies hold the same figures. The fold
// adds a day's tickets in the order of their ids, as verify does, and the
// two are then the same bytes; a fold of an earlier version added them in
// the order the database gave: its lists of services, counters and clerks
// came in the order they were met, and its means are float sums that agree
// to a few parts in a billion — so those are compared in a canonical order,
// the numbers to a relative 1e-9.
func sameTally(a, b []byte) bool {
	if bytes.Equal(a, b) { // folded in the same order as verify tallies
		return true
	}
	x, okx, err1 := queue.DecodeSummary(a)
	y, oky, err2 := queue.DecodeSummary(b)
	if err1 != nil || err2 != nil || okx != oky {
		return false
	}
	var vx, vy any
	jx, _ := json.Marshal(x)
	jy, _ := json.Marshal(y)
	return json.Unmarshal(jx, &vx) == nil && json.Unmarshal(jy, &vy) == nil && closeEnough(canon(vx), canon(vy))
}

// identity are the fields that name an element of a tally's lists.
var identity = []string{"id", "number", "username", "day", "month", "hour", "option", "code"}

// canon sorts each list of objects in v by the fields that name them (by
// its JSON when none does); lists of plain values keep their order.
func canon(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = canon(e)
		}
	case []any:
		keys := make([]string, len(x))
		objects := true
		for i, e := range x {
			x[i] = canon(e)
			m, ok := x[i].(map[string]any)
			if !ok {
				objects = false
				break
			}
			for _, f := range identity {
				if id, ok := m[f]; ok {
					keys[i] += fmt.Sprintf("%s=%v;", f, id)
				}
			}
			if keys[i] == "" {
				raw, _ := json.Marshal(m)
				keys[i] = string(raw)
			}
		}
		if objects {
			idx := make([]int, len(x))
			for i := range idx {
				idx[i] = i
			}
			slices.SortStableFunc(idx, func(a, b int) int { return strings.Compare(keys[a], keys[b]) })
			sorted := make([]any, len(x))
			for i, j := range idx {
				sorted[i] = x[j]
			}
			return sorted
		}
	}
	return v
}

// closeEnough compares decoded JSON values, numbers to a relative 1e-9.
func closeEnough(a, b any) bool {
	switch x := a.(type) {
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, v := range x {
			if w, ok := y[k]; !ok || !closeEnough(v, w) {
				return false
			}
		}
		return true
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !closeEnough(x[i], y[i]) {
				return false
			}
		}
		return true
	case float64:
		y, ok := b.(float64)
		return ok && math.Abs(x-y) <= 1e-9*max(1, math.Abs(x), math.Abs(y))
	}
	return a == b
}

func orNil(s *string) any {
	if s == nil {
		return nil
	}
	return *s
}
