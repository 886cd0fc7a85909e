package province

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
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
	var out []Event
	err := scan(ctx, tx, `SELECT seq, hash, raw FROM events WHERE office = $1 AND seq > $2 AND seq < $3 ORDER BY seq LIMIT 5000`, []any{office, done, before}, func(rows pgx.Rows) error {
		var e Event
		var seq int64
		err := rows.Scan(&seq, &e.Hash, &e.Raw)
		e.Seq = uint64(seq)
		out = append(out, e)
		return err
	})
	return out, err
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
// a ticket of the batch belongs to — its tickets added in the order of
// their ids, a month's days in their order, so that verify, tallying the
// same way, finds the very same bytes.
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
		if err := scan(ctx, tx, `SELECT ticket FROM tickets WHERE office = $1 AND day = $2 ORDER BY id`, []any{office, day}, func(rows pgx.Rows) error {
			var t queue.Ticket
			err := rows.Scan(&t)
			r.Add(t)
			return err
		}); err != nil {
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
		var raws [][]byte
		if err := scan(ctx, tx, `SELECT summary FROM ticket_days WHERE office = $1 AND day >= $2 AND day <= $3 ORDER BY day`, []any{office, month + "01", month + "31"}, func(rows pgx.Rows) error {
			var raw []byte
			err := rows.Scan(&raw)
			raws = append(raws, raw)
			return err
		}); err != nil {
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

// addDossier adds what d adds to each day of each group it counts in to
// flows, times sign (-1 takes a dossier's old flows back).
func addDossier(flows map[flowKey]*intake.Flows, d intake.Dossier, loc *time.Location, sign int) {
	for _, g := range intake.Groups(d) {
		for day, f := range intake.FlowsOf(d, loc) {
			k := flowKey{g, day}
			if flows[k] == nil {
				flows[k] = &intake.Flows{}
			}
			flows[k].Add(f, sign)
		}
	}
}

// dossierRow is a dossier's row in the dossiers table (after office, code).
func dossierRow(d intake.Dossier, loc *time.Location) ([]any, error) {
	raw, err := json.Marshal(d.Facts())
	if err != nil {
		return nil, err
	}
	received, due, closed := intake.Span(d, loc)
	return []any{d.Procedure, d.Clerk, string(d.Status), d.ReceivedAt.In(loc).Format("2006-01-02"),
		nilIfEmpty([]byte(received)), nilIfEmpty([]byte(due)), nilIfEmpty([]byte(closed)), string(raw)}, nil
}

// dossierColumns are dossierRow's, after office and code.
var dossierColumns = []string{"procedure", "clerk", "status", "filed_day", "received_day", "due_day", "closed_day", "facts"}

// foldDossiers takes back what each changed dossier's old facts added to
// the day flows and adds what its new ones do, in every group it counts in.
func foldDossiers(ctx context.Context, tx pgx.Tx, office string, loc *time.Location, codes []string, facts map[string]*queue.DossierFacts) error {
	if len(codes) == 0 {
		return nil
	}
	delta := map[flowKey]*intake.Flows{}
	if err := scan(ctx, tx, `SELECT code, facts FROM dossiers WHERE office = $1 AND code = ANY($2)`, []any{office, codes}, func(rows pgx.Rows) error {
		var code string
		var old queue.DossierFacts
		err := rows.Scan(&code, &old)
		addDossier(delta, intake.FromFacts(code, old), loc, -1)
		return err
	}); err != nil {
		return err
	}
	b := &pgx.Batch{}
	for _, code := range codes {
		d := intake.FromFacts(code, *facts[code])
		addDossier(delta, d, loc, 1)
		row, err := dossierRow(d, loc)
		if err != nil {
			return err
		}
		b.Queue(`INSERT INTO dossiers (office, code, `+strings.Join(dossierColumns, ", ")+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
ON CONFLICT (office, code) DO UPDATE SET procedure = excluded.procedure, clerk = excluded.clerk, status = excluded.status, filed_day = excluded.filed_day,
	received_day = excluded.received_day, due_day = excluded.due_day, closed_day = excluded.closed_day, facts = excluded.facts`,
			append([]any{office, code}, row...)...)
	}
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return err
	}
	// The deltas are added where they are stored.
	b = &pgx.Batch{}
	for k, f := range delta {
		b.Queue(`INSERT INTO dossier_days (office, grp, day, `+flowColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
ON CONFLICT (office, grp, day) DO UPDATE SET received = dossier_days.received + excluded.received, by_post = dossier_days.by_post + excluded.by_post,
	resolved = dossier_days.resolved + excluded.resolved, early = dossier_days.early + excluded.early, on_time = dossier_days.on_time + excluded.on_time,
	late = dossier_days.late + excluded.late, ind1 = dossier_days.ind1 + excluded.ind1, ind3 = dossier_days.ind3 + excluded.ind3,
	supplements = dossier_days.supplements + excluded.supplements, apologies = dossier_days.apologies + excluded.apologies,
	withdrawn = dossier_days.withdrawn + excluded.withdrawn, closed = dossier_days.closed + excluded.closed`,
			append([]any{office, k.group, k.day}, flowValues(*f)...)...)
	}
	return tx.SendBatch(ctx, b).Close()
}

// flowColumns are intake.Flows's counts, in flowValues's and scanFlows's
// order (the due days and statuses are read from the dossiers' rows).
const flowColumns = `received, by_post, resolved, early, on_time, late, ind1, ind3, supplements, apologies, withdrawn, closed`

func flowValues(f intake.Flows) []any {
	return []any{f.Received, f.ByPost, f.Resolved, f.Early, f.OnTime, f.Late, f.Ind1, f.Ind3, f.Supplements, f.Apologies, f.Withdrawn, f.Closed}
}

// scanFlows reads a row of the leading columns then flowColumns.
func scanFlows(rows pgx.Rows, lead ...any) (intake.Flows, error) {
	var f intake.Flows
	err := rows.Scan(append(lead, &f.Received, &f.ByPost, &f.Resolved, &f.Early, &f.OnTime, &f.Late, &f.Ind1, &f.Ind3,
		&f.Supplements, &f.Apologies, &f.Withdrawn, &f.Closed)...)
	return f, err
}
