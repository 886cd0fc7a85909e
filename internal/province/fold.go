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
	Seq      uint64             `json:"seq"`
	Type     queue.EventType    `json:"type"`
	Time     time.Time          `json:"time"`
	Ticket   json.RawMessage    `json:"ticket"` // kept as written: the tickets table stores it so
	Dossier  *queue.DossierMark `json:"dossier"`
	Settings *struct {
		Office json.RawMessage `json:"office"`
	} `json:"settings"`
}

// fold folds the batch's events after the office's cursor. Events stored
// before the fold existed (a province upgraded from schema 1), or left
// behind a gap, are read from the events table first.
func fold(ctx context.Context, tx pgx.Tx, office string, evs []Event) error {
	var done int64
	var profile []byte
	var profileSeq *int64
	if err := tx.QueryRow(ctx, `SELECT folded, profile, profile_seq FROM offices WHERE id = $1 FOR UPDATE`, office).Scan(&done, &profile, &profileSeq); err != nil {
		return err
	}
	p, err := startProfiles(profile, cmp.Or(deref(profileSeq), 0))
	if err != nil {
		return fmt.Errorf("office %s's settings: %w", office, err)
	}
	evs = slices.SortedFunc(slices.Values(evs), func(a, b Event) int { return cmp.Compare(a.Seq, b.Seq) })
	for len(evs) > 0 && int64(evs[0].Seq) > done+1 {
		stored, err := storedEvents(ctx, tx, office, done, int64(evs[0].Seq))
		if err != nil || len(stored) == 0 {
			return err // a true gap: the events before the batch have not come yet
		}
		if done, err = foldChunk(ctx, tx, office, p, done, stored); err != nil {
			return err
		}
	}
	_, err = foldChunk(ctx, tx, office, p, done, evs)
	return err
}

func deref(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
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

// touched is what a chunk's events changed, each with the profile in
// force at the last event that touched it (profile.go).
type touched struct {
	tickets  map[string]queue.Ticket
	raw      map[string][]byte // each ticket's JSON as its last event wrote it
	days     map[string]*inForce
	months   map[string]*inForce
	facts    map[string]*queue.DossierFacts
	zones    map[string]*inForce // each dossier's
	dossiers []string            // dossier codes in the order they changed
}

func newTouched() *touched {
	return &touched{tickets: map[string]queue.Ticket{}, raw: map[string][]byte{}, days: map[string]*inForce{}, months: map[string]*inForce{},
		facts: map[string]*queue.DossierFacts{}, zones: map[string]*inForce{}}
}

// ticket notes a ticket's latest state (raw, as its event wrote it), its
// day and month.
func (c *touched) ticket(t queue.Ticket, raw []byte, p *inForce) {
	c.tickets[t.ID], c.raw[t.ID] = t, raw
	c.days[t.Day] = p
	if len(t.Day) == 8 {
		c.months[t.Day[:6]] = p
	}
}

// dossier notes a dossier's latest facts.
func (c *touched) dossier(code string, f *queue.DossierFacts, p *inForce) {
	if _, ok := c.facts[code]; !ok {
		c.dossiers = append(c.dossiers, code)
	}
	c.facts[code], c.zones[code] = f, p
}

// foldChunk folds the events that follow seq done without a gap, in seq
// order, and moves the cursor; it returns where the cursor stands.
func foldChunk(ctx context.Context, tx pgx.Tx, office string, p *profiles, done int64, evs []Event) (int64, error) {
	c := newTouched()
	p.first, p.changed = false, false
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
		if ev.Type == queue.EvSettings && ev.Settings != nil && len(ev.Settings.Office) > 0 && string(ev.Settings.Office) != "null" {
			if err := p.settings(int64(e.Seq), ev.Settings.Office); err != nil {
				return done, fmt.Errorf("event %d: the office's profile: %w", e.Seq, err)
			}
		}
		if present(ev.Ticket) {
			var t queue.Ticket
			if err := json.Unmarshal(ev.Ticket, &t); err != nil {
				return done, fmt.Errorf("event %d: %w", e.Seq, err)
			}
			c.ticket(t, ev.Ticket, p.cur)
		}
		if ev.Type == queue.EvDossier && ev.Dossier != nil && ev.Dossier.Facts != nil {
			c.dossier(ev.Dossier.Code, ev.Dossier.Facts, p.cur)
		}
		done, last = int64(e.Seq), ev
	}
	if last.Seq == 0 {
		return done, nil
	}
	var first *inForce
	if p.first { // what was folded by a shipped profile is tallied again by the chain's first
		first = p.start
	}
	if err := foldTickets(ctx, tx, office, c, first); err != nil {
		return done, err
	}
	if err := foldDossiers(ctx, tx, office, c); err != nil {
		return done, err
	}
	if p.changed {
		if _, err := tx.Exec(ctx, `UPDATE offices SET profile = $2, profile_seq = $3 WHERE id = $1`, office, string(p.cur.raw), p.cur.seq); err != nil {
			return done, err
		}
	}
	_, err := tx.Exec(ctx, `UPDATE offices SET folded = $2, last_event_at = $3 WHERE id = $1`, office, done, last.Time)
	return done, err
}

// foldTickets keeps each ticket's latest state and tallies again each day
// a ticket of the chunk belongs to — its tickets added in the order of
// their ids, a month's days in their order, so that verify, tallying the
// same way, finds the very same bytes — then each month of those days.
// first, when the chunk brought the chain's first profile, tallies again
// by it every other day and month of the office.
func foldTickets(ctx context.Context, tx pgx.Tx, office string, c *touched, first *inForce) error {
	if len(c.tickets) == 0 && first == nil {
		return nil
	}
	b := &pgx.Batch{}
	for _, t := range c.tickets {
		b.Queue(`INSERT INTO tickets (office, id, day, state, queued_at, ticket) VALUES ($1, $2, $3, $4, $5, $6)
ON CONFLICT (office, id) DO UPDATE SET day = excluded.day, state = excluded.state, queued_at = excluded.queued_at, ticket = excluded.ticket`,
			office, t.ID, t.Day, string(t.State), t.QueuedAt, string(c.raw[t.ID]))
	}
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return err
	}
	days, months := c.days, c.months
	if first != nil {
		days, months = maps.Clone(days), maps.Clone(months)
		for _, t := range []struct {
			sql string
			to  map[string]*inForce
		}{{`SELECT day FROM ticket_days WHERE office = $1`, days}, {`SELECT month FROM ticket_months WHERE office = $1`, months}} {
			if err := scan(ctx, tx, t.sql, []any{office}, func(rows pgx.Rows) error {
				var k string
				err := rows.Scan(&k)
				if _, ok := t.to[k]; !ok {
					t.to[k] = first
				}
				return err
			}); err != nil {
				return err
			}
		}
	}
	for _, day := range slices.Sorted(maps.Keys(days)) {
		if err := tallyDay(ctx, tx, office, days[day].office, day); err != nil {
			return err
		}
	}
	for _, month := range slices.Sorted(maps.Keys(months)) {
		if err := tallyMonth(ctx, tx, office, months[month].office, month); err != nil {
			return err
		}
	}
	return nil
}

// tallyDay tallies a day's tickets again by profile o.
func tallyDay(ctx context.Context, tx pgx.Tx, office string, o queue.Office, day string) error {
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
	_, err = tx.Exec(ctx, `INSERT INTO ticket_days (office, day, summary) VALUES ($1, $2, $3)
ON CONFLICT (office, day) DO UPDATE SET summary = excluded.summary`, office, day, sum)
	return err
}

// tallyMonth merges a month's stored day tallies again by profile o.
func tallyMonth(ctx context.Context, tx pgx.Tx, office string, o queue.Office, month string) error {
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
	_, err = tx.Exec(ctx, `INSERT INTO ticket_months (office, month, summary) VALUES ($1, $2, $3)
ON CONFLICT (office, month) DO UPDATE SET summary = excluded.summary`, office, month, sum)
	return err
}

// MonthSummary is a month's ticket tally (YYYYMM) from its days' stored
// tallies, in the same stored shape (its Days keep each day's).
func MonthSummary(o queue.Office, month string, days [][]byte) ([]byte, error) {
	reports := make([]*queue.Report, len(days))
	for i, raw := range days {
		day, ok, err := queue.DecodeSummary(raw)
		if err != nil || !ok {
			return nil, fmt.Errorf("a day's tally of %s: %v", month, err)
		}
		reports[i] = day
	}
	return monthOf(o, month, reports)
}

// monthOf merges a month's days (as DecodeSummary reads them), in order.
func monthOf(o queue.Office, month string, days []*queue.Report) ([]byte, error) {
	r := queue.NewReport(o, month+"01", month+"31")
	for _, day := range days {
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
// the day flows and adds what its new ones do, in every group it counts in,
// both by the zone in force at its last event (a zone changed between two
// events of one dossier would move its old flows' days: Vietnam keeps one).
func foldDossiers(ctx context.Context, tx pgx.Tx, office string, c *touched) error {
	codes := c.dossiers
	if len(codes) == 0 {
		return nil
	}
	delta := map[flowKey]*intake.Flows{}
	if err := scan(ctx, tx, `SELECT code, facts FROM dossiers WHERE office = $1 AND code = ANY($2)`, []any{office, codes}, func(rows pgx.Rows) error {
		var code string
		var old queue.DossierFacts
		err := rows.Scan(&code, &old)
		addDossier(delta, intake.FromFacts(code, old), c.zones[code].loc, -1)
		return err
	}); err != nil {
		return err
	}
	b := &pgx.Batch{}
	for _, code := range codes {
		d := intake.FromFacts(code, *c.facts[code])
		loc := c.zones[code].loc
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
		b.Queue(`INSERT INTO dossier_days (office, grp, day, `+flowColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15,
	$16, $17, $18, $19, $20, $21, $22, $23)
ON CONFLICT (office, grp, day) DO UPDATE SET received = dossier_days.received + excluded.received, by_post = dossier_days.by_post + excluded.by_post,
	resolved = dossier_days.resolved + excluded.resolved, early = dossier_days.early + excluded.early, on_time = dossier_days.on_time + excluded.on_time,
	late = dossier_days.late + excluded.late, ind1 = dossier_days.ind1 + excluded.ind1, ind3 = dossier_days.ind3 + excluded.ind3,
	supplements = dossier_days.supplements + excluded.supplements, apologies = dossier_days.apologies + excluded.apologies,
	withdrawn = dossier_days.withdrawn + excluded.withdrawn, closed = dossier_days.closed + excluded.closed,
	online_helped = dossier_days.online_helped + excluded.online_helped, online_filed = dossier_days.online_filed + excluded.online_filed,
	fee_dossiers = dossier_days.fee_dossiers + excluded.fee_dossiers, fees_due = dossier_days.fees_due + excluded.fees_due,
	fees_paid = dossier_days.fees_paid + excluded.fees_paid, fees_collected = dossier_days.fees_collected + excluded.fees_collected,
	cashless = dossier_days.cashless + excluded.cashless, cashless_amount = dossier_days.cashless_amount + excluded.cashless_amount`,
			append([]any{office, k.group, k.day}, flowValues(*f)...)...)
	}
	return tx.SendBatch(ctx, b).Close()
}

// flowColumns are intake.Flows's counts, in flowValues's and scanFlows's
// order (the due days and statuses are read from the dossiers' rows).
const flowColumns = `received, by_post, resolved, early, on_time, late, ind1, ind3, supplements, apologies, withdrawn, closed,
	online_helped, online_filed, fee_dossiers, fees_due, fees_paid, fees_collected, cashless, cashless_amount`

func flowValues(f intake.Flows) []any {
	return []any{f.Received, f.ByPost, f.Resolved, f.Early, f.OnTime, f.Late, f.Ind1, f.Ind3, f.Supplements, f.Apologies, f.Withdrawn, f.Closed,
		f.OnlineHelped, f.OnlineFiled, f.FeeDossiers, f.FeesDue, f.FeesPaid, f.FeesCollected, f.Cashless, f.CashlessAmount}
}

// scanFlows reads a row of the leading columns then flowColumns.
func scanFlows(rows pgx.Rows, lead ...any) (intake.Flows, error) {
	var f intake.Flows
	err := rows.Scan(append(lead, &f.Received, &f.ByPost, &f.Resolved, &f.Early, &f.OnTime, &f.Late, &f.Ind1, &f.Ind3,
		&f.Supplements, &f.Apologies, &f.Withdrawn, &f.Closed,
		&f.OnlineHelped, &f.OnlineFiled, &f.FeeDossiers, &f.FeesDue, &f.FeesPaid, &f.FeesCollected, &f.Cashless, &f.CashlessAmount)...)
	return f, err
}
