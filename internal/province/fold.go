package province

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"motcua/internal/intake"
	"motcua/internal/queue"
)

// The fold turns an office's events, in seq order and each once (the
// offices.folded cursor), into what the reports read, in the transaction
// that stores them: each ticket's latest state and its day's tally (made by
// queue.Report, as the office makes its own), each dossier's latest facts and
// the day flows they add to (intake.FlowsOf, as the office counts them). A
// batch sent again folds nothing twice.

// folded is the part of an event the fold reads.
type folded struct {
	Seq     uint64             `json:"seq"`
	Type    queue.EventType    `json:"type"`
	Time    time.Time          `json:"time"`
	Ticket  *queue.Ticket      `json:"ticket"`
	Dossier *queue.DossierMark `json:"dossier"`
}

// fold folds the batch's events after the office's cursor. Events stored
// before the fold existed (a province upgraded from schema 1), or left
// behind a gap, are read from the events table first.
func fold(ctx context.Context, tx pgx.Tx, office string, evs []Event) error {
	var done int64
	var profile []byte
	if err := tx.QueryRow(ctx, `SELECT folded, profile FROM offices WHERE id = $1 FOR UPDATE`, office).Scan(&done, &profile); err != nil {
		return err
	}
	o := queue.Office{}
	if profile != nil {
		if err := json.Unmarshal(profile, &o); err != nil {
			return fmt.Errorf("office %s's settings: %w", office, err)
		}
	}
	evs = slices.SortedFunc(slices.Values(evs), func(a, b Event) int { return cmp.Compare(a.Seq, b.Seq) })
	for len(evs) > 0 && int64(evs[0].Seq) > done+1 {
		stored, err := storedEvents(ctx, tx, office, done, int64(evs[0].Seq))
		if err != nil || len(stored) == 0 {
			return err // a true gap: the events before the batch have not come yet
		}
		if done, err = foldChunk(ctx, tx, office, o, done, stored); err != nil {
			return err
		}
	}
	_, err := foldChunk(ctx, tx, office, o, done, evs)
	return err
}

// storedEvents are up to 5,000 of the office's stored events after seq
// done and before seq before.
func storedEvents(ctx context.Context, tx pgx.Tx, office string, done, before int64) ([]Event, error) {
	rows, err := tx.Query(ctx, `SELECT seq, hash, raw FROM events WHERE office = $1 AND seq > $2 AND seq < $3 ORDER BY seq LIMIT 5000`, office, done, before)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Event
	for rows.Next() {
		var e Event
		var seq int64
		if err := rows.Scan(&seq, &e.Hash, &e.Raw); err != nil {
			return nil, err
		}
		e.Seq = uint64(seq)
		out = append(out, e)
	}
	return out, rows.Err()
}

// foldChunk folds the events that follow seq done without a gap, in seq
// order, and moves the cursor; it returns where the cursor stands.
func foldChunk(ctx context.Context, tx pgx.Tx, office string, o queue.Office, done int64, evs []Event) (int64, error) {
	loc, err := o.WithDefaults().Location()
	if err != nil {
		loc = time.UTC
	}
	tickets := map[string]queue.Ticket{}
	facts := map[string]*queue.DossierFacts{}
	var order []string // dossier codes in the order they changed
	var last folded
	for _, e := range evs {
		if int64(e.Seq) != done+1 {
			if int64(e.Seq) <= done {
				continue // folded before
			}
			break // a gap: the rest waits for the events before it
		}
		var ev folded
		if err := json.Unmarshal(e.Raw, &ev); err != nil {
			return done, fmt.Errorf("event %d: %w", e.Seq, err)
		}
		if ev.Ticket != nil {
			tickets[ev.Ticket.ID] = *ev.Ticket
		}
		if ev.Type == queue.EvDossier && ev.Dossier != nil && ev.Dossier.Facts != nil {
			if _, ok := facts[ev.Dossier.Code]; !ok {
				order = append(order, ev.Dossier.Code)
			}
			facts[ev.Dossier.Code] = ev.Dossier.Facts
		}
		done, last = int64(e.Seq), ev
	}
	if last.Seq == 0 {
		return done, nil
	}
	if err := foldTickets(ctx, tx, office, o, tickets); err != nil {
		return done, err
	}
	if err := foldDossiers(ctx, tx, office, loc, order, facts); err != nil {
		return done, err
	}
	_, err = tx.Exec(ctx, `UPDATE offices SET folded = $2, last_event_at = $3 WHERE id = $1`, office, done, last.Time)
	return done, err
}

// foldTickets keeps each ticket's latest state and tallies again each day
// a ticket of the batch belongs to.
func foldTickets(ctx context.Context, tx pgx.Tx, office string, o queue.Office, tickets map[string]queue.Ticket) error {
	if len(tickets) == 0 {
		return nil
	}
	b := &pgx.Batch{}
	days := map[string]bool{}
	for _, t := range tickets {
		raw, err := json.Marshal(t)
		if err != nil {
			return err
		}
		b.Queue(`INSERT INTO tickets (office, id, day, state, queued_at, ticket) VALUES ($1, $2, $3, $4, $5, $6)
ON CONFLICT (office, id) DO UPDATE SET day = excluded.day, state = excluded.state, queued_at = excluded.queued_at, ticket = excluded.ticket`,
			office, t.ID, t.Day, string(t.State), t.QueuedAt, string(raw))
		days[t.Day] = true
	}
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return err
	}
	for _, day := range slices.Sorted(maps.Keys(days)) {
		r := queue.NewReport(o, day, day)
		rows, err := tx.Query(ctx, `SELECT ticket FROM tickets WHERE office = $1 AND day = $2`, office, day)
		if err != nil {
			return err
		}
		for rows.Next() {
			var t queue.Ticket
			if err := rows.Scan(&t); err != nil {
				rows.Close()
				return err
			}
			r.Add(t)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		sum, err := queue.EncodeSummary(r.Finish())
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO ticket_days (office, day, summary) VALUES ($1, $2, $3)
ON CONFLICT (office, day) DO UPDATE SET summary = excluded.summary`, office, day, sum); err != nil {
			return err
		}
	}
	months := map[string]bool{}
	for day := range days {
		if len(day) == 8 {
			months[day[:6]] = true
		}
	}
	for _, month := range slices.Sorted(maps.Keys(months)) {
		rows, err := tx.Query(ctx, `SELECT summary FROM ticket_days WHERE office = $1 AND day >= $2 AND day <= $3`, office, month+"01", month+"31")
		if err != nil {
			return err
		}
		var raws [][]byte
		for rows.Next() {
			var raw []byte
			if err := rows.Scan(&raw); err != nil {
				rows.Close()
				return err
			}
			raws = append(raws, raw)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		sum, err := MonthSummary(o, month, raws)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO ticket_months (office, month, summary) VALUES ($1, $2, $3)
ON CONFLICT (office, month) DO UPDATE SET summary = excluded.summary`, office, month, sum); err != nil {
			return err
		}
	}
	return nil
}

// MonthSummary is a month's ticket tally (YYYYMM) from its days' stored
// tallies, in the same stored shape (its Days keep each day's).
func MonthSummary(o queue.Office, month string, days [][]byte) ([]byte, error) {
	r := queue.NewReport(o, month+"01", month+"31")
	for _, raw := range days {
		day, ok, err := queue.DecodeSummary(raw)
		if err != nil || !ok {
			return nil, fmt.Errorf("a day's tally of %s: %v", month, err)
		}
		r.Merge(day)
	}
	return queue.EncodeSummary(r.Finish())
}

// flowKey is one group's day.
type flowKey struct{ group, day string }

// foldDossiers takes back what each changed dossier's old facts added to
// the day flows and adds what its new ones do, in every group it counts in.
func foldDossiers(ctx context.Context, tx pgx.Tx, office string, loc *time.Location, codes []string, facts map[string]*queue.DossierFacts) error {
	if len(codes) == 0 {
		return nil
	}
	delta := map[flowKey]*intake.Flows{}
	add := func(d intake.Dossier, sign int) {
		for _, g := range intake.Groups(d) {
			for day, f := range intake.FlowsOf(d, loc) {
				k := flowKey{g, day}
				if delta[k] == nil {
					delta[k] = &intake.Flows{}
				}
				delta[k].Add(f, sign)
			}
		}
	}
	rows, err := tx.Query(ctx, `SELECT code, facts FROM dossiers WHERE office = $1 AND code = ANY($2)`, office, codes)
	if err != nil {
		return err
	}
	for rows.Next() {
		var code string
		var old queue.DossierFacts
		if err := rows.Scan(&code, &old); err != nil {
			rows.Close()
			return err
		}
		add(intake.FromFacts(code, old), -1)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	b := &pgx.Batch{}
	for _, code := range codes {
		d := intake.FromFacts(code, *facts[code])
		add(d, 1)
		raw, err := json.Marshal(facts[code])
		if err != nil {
			return err
		}
		received, due, closed := intake.Span(d, loc)
		b.Queue(`INSERT INTO dossiers (office, code, procedure, clerk, status, filed_day, received_day, due_day, closed_day, facts) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
ON CONFLICT (office, code) DO UPDATE SET procedure = excluded.procedure, clerk = excluded.clerk, status = excluded.status, filed_day = excluded.filed_day,
	received_day = excluded.received_day, due_day = excluded.due_day, closed_day = excluded.closed_day, facts = excluded.facts`,
			office, code, d.Procedure, d.Clerk, string(d.Status), d.ReceivedAt.In(loc).Format("2006-01-02"),
			nilIfEmpty([]byte(received)), nilIfEmpty([]byte(due)), nilIfEmpty([]byte(closed)), string(raw))
	}
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return err
	}
	return addFlows(ctx, tx, office, delta)
}

// addFlows adds the deltas to the stored day flows (read, added in Go by
// intake's own rules, written back).
func addFlows(ctx context.Context, tx pgx.Tx, office string, delta map[flowKey]*intake.Flows) error {
	groups, days := make([]string, 0, len(delta)), make([]string, 0, len(delta))
	for k := range delta {
		groups, days = append(groups, k.group), append(days, k.day)
	}
	rows, err := tx.Query(ctx, `SELECT grp, day, `+flowColumns+` FROM dossier_days
WHERE office = $1 AND (grp, day) IN (SELECT * FROM unnest($2::text[], $3::text[]))`, office, groups, days)
	if err != nil {
		return err
	}
	for rows.Next() {
		var k flowKey
		f, err := scanFlows(rows, &k.group, &k.day)
		if err != nil {
			rows.Close()
			return err
		}
		delta[k].Add(f, 1)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	b := &pgx.Batch{}
	for k, f := range delta {
		due, _ := json.Marshal(nonNil(f.Due))
		status, _ := json.Marshal(nonNil(f.Status))
		b.Queue(`INSERT INTO dossier_days (office, grp, day, `+flowColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
ON CONFLICT (office, grp, day) DO UPDATE SET received = excluded.received, by_post = excluded.by_post, resolved = excluded.resolved,
	early = excluded.early, on_time = excluded.on_time, late = excluded.late, ind1 = excluded.ind1, ind3 = excluded.ind3,
	supplements = excluded.supplements, apologies = excluded.apologies, withdrawn = excluded.withdrawn, closed = excluded.closed,
	due = excluded.due, status = excluded.status`,
			office, k.group, k.day, f.Received, f.ByPost, f.Resolved, f.Early, f.OnTime, f.Late, f.Ind1, f.Ind3,
			f.Supplements, f.Apologies, f.Withdrawn, f.Closed, string(due), string(status))
	}
	return tx.SendBatch(ctx, b).Close()
}

// flowColumns are intake.Flows's, in scanFlows's order.
const flowColumns = `received, by_post, resolved, early, on_time, late, ind1, ind3, supplements, apologies, withdrawn, closed, due, status`

// scanFlows reads a row of the leading columns then flowColumns.
func scanFlows(rows pgx.Rows, lead ...any) (intake.Flows, error) {
	var f intake.Flows
	err := rows.Scan(append(lead, &f.Received, &f.ByPost, &f.Resolved, &f.Early, &f.OnTime, &f.Late, &f.Ind1, &f.Ind3,
		&f.Supplements, &f.Apologies, &f.Withdrawn, &f.Closed, &f.Due, &f.Status)...)
	return f, err
}

func nonNil(m map[string]int) map[string]int {
	if m == nil {
		return map[string]int{}
	}
	return m
}
