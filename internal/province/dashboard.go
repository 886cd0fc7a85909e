package province

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"motcua/internal/queue"
)

// Silent is how long an office may go without shipping (its replicator
// touches the province every minute, events or not) before the dashboard
// says it stopped syncing.
const Silent = 15 * time.Minute

// OfficeNow is one office's line on the province's dashboard.
type OfficeNow struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// Waiting now (today's tickets still waiting, by the latest events) and
	// the longest of their waits so far, in minutes.
	Waiting            int     `json:"waiting"`
	LongestWaitMinutes float64 `json:"longest_wait_minutes"`
	// Today: tickets issued and served, mean wait of those called.
	Today queue.Tally `json:"today"`
	// This month: tickets' satisfaction and the dossiers' on-time rate
	// (resolved early or on time ÷ resolved), with their counts.
	Month          queue.Tally `json:"month"`
	Resolved       int         `json:"resolved"`
	ResolvedInTime int         `json:"resolved_in_time"`
	OnTimeRate     float64     `json:"on_time_rate"`
	LastEvent      time.Time   `json:"last_event,omitzero"`
	LastIngest     time.Time   `json:"last_ingest,omitzero"`
	StoppedSyncing bool        `json:"stopped_syncing"`
	EventsFolded   int64       `json:"events"`
}

// Dashboard is each office's line at now.
func Dashboard(ctx context.Context, pool *pgxpool.Pool, offices []Office, now time.Time) ([]OfficeNow, error) {
	loc := Zone(offices)
	local := now.In(loc)
	today := queue.DayOf(local, loc)
	month := time.Date(local.Year(), local.Month(), 1, 0, 0, 0, 0, loc)
	ids := make([]string, len(offices))
	out := make([]OfficeNow, len(offices))
	index := map[string]int{}
	for i, o := range offices {
		ids[i], index[o.ID] = o.ID, i
		out[i] = OfficeNow{ID: o.ID, Name: o.Name(), EventsFolded: o.Folded, LastEvent: o.LastEvent, LastIngest: o.LastIngest,
			StoppedSyncing: now.Sub(o.LastIngest) > Silent}
	}
	if err := scan(ctx, pool, `SELECT office, count(*)::int, min(queued_at) FROM tickets WHERE day = $1 AND state = 'waiting' AND office = ANY($2) GROUP BY office`, []any{today, ids}, func(rows pgx.Rows) error {
		var office string
		var n int
		var oldest time.Time
		err := rows.Scan(&office, &n, &oldest)
		out[index[office]].Waiting, out[index[office]].LongestWaitMinutes = n, max(0, now.Sub(oldest).Minutes())
		return err
	}); err != nil {
		return nil, err
	}
	monthly, err := ticketReports(ctx, pool, offices, queue.DayOf(month, loc), queue.DayOf(month.AddDate(0, 1, -1), loc)) // the month so far: its own tally
	if err != nil {
		return nil, err
	}
	daily, err := ticketReports(ctx, pool, offices, today, today)
	if err != nil {
		return nil, err
	}
	for i := range out {
		out[i].Month, out[i].Today = monthly[i].Total, daily[i].Total
	}
	err = scan(ctx, pool, `SELECT office, sum(resolved)::int, sum(early + on_time)::int FROM dossier_days
WHERE grp = '' AND day >= $1 AND day <= $2 AND office = ANY($3) GROUP BY office`, []any{month.Format("2006-01-02"), local.Format("2006-01-02"), ids}, func(rows pgx.Rows) error {
		var office string
		var resolved, inTime int
		if err := rows.Scan(&office, &resolved, &inTime); err != nil {
			return err
		}
		o := &out[index[office]]
		o.Resolved, o.ResolvedInTime = resolved, inTime
		if resolved > 0 {
			o.OnTimeRate = float64(inTime) / float64(resolved)
		}
		return nil
	})
	return out, err
}

// Touch notes that the office is there (its replicator, with nothing new
// to ship).
func Touch(ctx context.Context, pool *pgxpool.Pool, office string) error {
	_, err := pool.Exec(ctx, `UPDATE offices SET last_ingest_at = now() WHERE id = $1`, office)
	return err
}
