package province

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"

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
// is decoded once) with the seq and profile of its last event, each
// dossier's latest facts, and the profile in force along the way.
type derived struct {
	p    *profiles
	seen map[string]ticketSeen
	c    *touched // the tickets decoded, their days and months, the dossiers
}

type ticketSeen struct {
	raw []byte
	seq int64
	p   *inForce
}

func newDerived() *derived {
	p, _ := startProfiles(nil, 0) // a stand-in until the chain's first profile, or the stored one at the end
	return &derived{p: p, seen: map[string]ticketSeen{}, c: newTouched()}
}

// eventHead is the part of an event add reads, when members gives up.
type eventHead struct {
	Type     queue.EventType `json:"type"`
	Ticket   json.RawMessage `json:"ticket"`
	Dossier  json.RawMessage `json:"dossier"`
	Settings json.RawMessage `json:"settings"`
}

// headKeys are the members add reads; encoding/json would also take them
// in another case ("Ticket"), so a key like that sends add the slow way.
var headKeys = []string{"type", "ticket", "dossier", "settings"}

// head reads an event's type, ticket, dossier and settings members: by
// members, else by encoding/json.
func head(raw []byte) (eventHead, error) {
	var ev eventHead
	var typ []byte
	ok := members(raw, func(k, v []byte) bool {
		switch string(k) {
		case "type":
			typ = v
		case "ticket":
			ev.Ticket = v
		case "dossier":
			ev.Dossier = v
		case "settings":
			ev.Settings = v
		default:
			for _, w := range headKeys {
				if len(k) == len(w) && strings.EqualFold(string(k), w) {
					return false
				}
			}
		}
		return true
	})
	if ok && len(typ) >= 2 && typ[0] == '"' && typ[len(typ)-1] == '"' && bytes.IndexByte(typ, '\\') < 0 {
		ev.Type = queue.EventType(typ[1 : len(typ)-1])
		return ev, nil
	}
	ev = eventHead{}
	err := json.Unmarshal(raw, &ev)
	return ev, err
}

func present(v []byte) bool { return len(v) > 0 && string(v) != "null" }

// add folds one event, as foldChunk does.
func (d *derived) add(seq int64, raw []byte) error {
	ev, err := head(raw)
	if err != nil {
		return err
	}
	if ev.Type == queue.EvSettings && present(ev.Settings) {
		var mark struct {
			Office json.RawMessage `json:"office"`
		}
		if err := json.Unmarshal(ev.Settings, &mark); err != nil {
			return err
		}
		if present(mark.Office) {
			if err := d.p.settings(seq, mark.Office); err != nil {
				return err
			}
		}
	}
	if present(ev.Ticket) {
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
		old := d.seen[id].raw // its room reused: a ticket is in several events, the last kept
		d.seen[id] = ticketSeen{raw: append(old[:0], ev.Ticket...), seq: seq, p: d.p.cur}
	}
	if ev.Type == queue.EvDossier && present(ev.Dossier) {
		var mark queue.DossierMark
		if err := json.Unmarshal(ev.Dossier, &mark); err != nil {
			return err
		}
		if mark.Facts != nil {
			d.c.dossier(mark.Code, mark.Facts, d.p.cur)
		}
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

// finish decodes each ticket's latest state, in the order of the events
// that left them so (a day and a month take the profile of the last), and
// puts the stored profile in for a chain that has carried none.
func (d *derived) finish(stored []byte) error {
	if d.p.standIn && stored != nil {
		var o queue.Office
		if err := json.Unmarshal(stored, &o); err != nil {
			return err
		}
		*d.p.start = *newInForce(o, stored, 0)
	}
	ids := slices.SortedFunc(maps.Keys(d.seen), func(a, b string) int { return cmp.Compare(d.seen[a].seq, d.seen[b].seq) })
	for _, id := range ids {
		var t queue.Ticket
		if err := json.Unmarshal(d.seen[id].raw, &t); err != nil {
			return fmt.Errorf("ticket %s: %w", id, err)
		}
		d.c.ticket(t, d.seen[id].raw, d.seen[id].p)
	}
	return nil
}

// compare reads the office's folded tables and says each row that differs
// from what its events make of them.
func (d *derived) compare(ctx context.Context, pool *pgxpool.Pool, office string, lastSeq int64) ([]string, error) {
	var diffs []string
	differ := func(format string, args ...any) { diffs = append(diffs, fmt.Sprintf(format, args...)) }
	var folded int64
	var profile []byte
	var profileSeq *int64
	if err := pool.QueryRow(ctx, `SELECT folded, profile, profile_seq FROM offices WHERE id = $1`, office).Scan(&folded, &profile, &profileSeq); err != nil {
		return nil, err
	}
	if folded != lastSeq {
		differ("offices: folded to seq %d, the events go to seq %d", folded, lastSeq)
	}
	if !d.p.standIn { // the chain has spoken: the stored profile is its latest
		var o queue.Office
		err := json.Unmarshal(profile, &o)
		if err != nil || deref(profileSeq) != d.p.cur.seq || !sameJSON(o, d.p.cur.office) {
			differ("offices: the profile (settings) differs from the one of seq %d", d.p.cur.seq)
		}
	} else if profileSeq != nil {
		differ("offices: the profile is said to come from seq %d, which carries none", *profileSeq)
	}
	if err := d.finish(profile); err != nil {
		return nil, err
	}
	for _, check := range []func() ([]string, error){
		func() ([]string, error) { return d.compareTickets(ctx, pool, office) },
		func() ([]string, error) { return d.compareDossiers(ctx, pool, office) },
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
func (d *derived) compareTickets(ctx context.Context, pool *pgxpool.Pool, office string) ([]string, error) {
	var diffs []string
	tickets := d.c.tickets
	stored := make(map[string]bool, len(tickets))
	byDay := map[string][]queue.Ticket{}
	for _, t := range tickets {
		byDay[t.Day] = append(byDay[t.Day], t)
	}
	if err := scan(ctx, pool, `SELECT id, day, state, ticket FROM tickets WHERE office = $1`, []any{office}, func(rows pgx.Rows) error {
		var id, day, state string
		var t []byte
		if err := rows.Scan(&id, &day, &state, &t); err != nil {
			return err
		}
		stored[id] = true
		want, ok := tickets[id]
		switch {
		case !ok:
			diffs = append(diffs, fmt.Sprintf("tickets %s (day %s): in no event", id, day))
		case day != want.Day || state != string(want.State) || !sameTicket(t, d.seen[id].raw, want):
			diffs = append(diffs, fmt.Sprintf("tickets %s (day %s): differs from the events (%s, not %s)", id, want.Day, state, want.State))
		}
		return nil
	}); err != nil {
		return nil, err
	}
	for _, id := range slices.Sorted(maps.Keys(tickets)) {
		if !stored[id] {
			diffs = append(diffs, fmt.Sprintf("tickets %s (day %s): missing", id, tickets[id].Day))
		}
	}
	days := map[string][]byte{}
	summarised := map[string]*queue.Report{} // each day as the month merges it
	for day, ts := range byDay {
		r := queue.NewReport(d.c.days[day].office, day, day)
		slices.SortFunc(ts, func(a, b queue.Ticket) int { return strings.Compare(a.ID, b.ID) }) // as the fold adds them
		for _, t := range ts {
			r.Add(t)
		}
		r.Finish()
		sum, err := queue.EncodeSummary(r)
		if err != nil {
			return nil, err
		}
		days[day], summarised[day] = sum, queue.Summarised(r)
	}
	months := map[string][]*queue.Report{}
	for _, day := range slices.Sorted(maps.Keys(days)) {
		if len(day) == 8 {
			months[day[:6]] = append(months[day[:6]], summarised[day])
		}
	}
	wantMonths := map[string][]byte{}
	for month, reports := range months {
		sum, err := monthOf(d.c.months[month].office, month, reports)
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

// sameTicket says whether a ticket's row is the one its last event
// carried: the very bytes (the fold stores them so), else — a row folded
// before schema 5 kept jsonb's rewriting of them — the same once decoded.
func sameTicket(stored, raw []byte, want queue.Ticket) bool {
	if bytes.Equal(stored, raw) {
		return true
	}
	var t queue.Ticket
	return json.Unmarshal(stored, &t) == nil && sameJSON(t, want)
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
func (d *derived) compareDossiers(ctx context.Context, pool *pgxpool.Pool, office string) ([]string, error) {
	var diffs []string
	flows := map[flowKey]*intake.Flows{}
	rows := map[string][]any{}
	for code, f := range d.c.facts {
		dos := intake.FromFacts(code, *f)
		loc := d.c.zones[code].loc
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
		case !equalValues(got, want[:7]) || !sameJSON(facts, *d.c.facts[code]):
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
		if !equalValues(flowValues(f), flowValues(want)) {
			diffs = append(diffs, fmt.Sprintf("dossier_days day %s group %q: differs from the events", k.day, k.group))
		}
		return nil
	}); err != nil {
		return nil, err
	}
	for k, f := range flows {
		if !seen[k] && !equalValues(flowValues(*f), flowValues(intake.Flows{})) {
			diffs = append(diffs, fmt.Sprintf("dossier_days day %s group %q: missing", k.day, k.group))
		}
	}
	slices.Sort(diffs)
	return diffs, nil
}

// equalValues compares two rows of plain values (strings, numbers, nil).
func equalValues(a, b []any) bool {
	return slices.EqualFunc(a, b, func(x, y any) bool { return x == y })
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
