// Package province is the province's copy of every office's event log, on
// PostgreSQL (pgx): the schema and its versioned migrations, the idempotent
// ingest of an office's chained events, and the check that each office's
// chain there is complete and unaltered (docs/PROVINCE.md).
package province

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"motcua/internal/chain"
)

// migrations are the schema's versions, applied in order, each once. The
// events table is partitioned by month (created as events arrive).
var migrations = []string{
	1: `CREATE TABLE offices (id text PRIMARY KEY, first_seen timestamptz NOT NULL DEFAULT now());
CREATE TABLE events (
	office text NOT NULL REFERENCES offices(id),
	seq bigint NOT NULL,
	time timestamptz NOT NULL,
	type text NOT NULL,
	hash bytea NOT NULL,
	raw bytea NOT NULL,
	body jsonb NOT NULL,
	PRIMARY KEY (office, seq, time)
) PARTITION BY RANGE (time);
CREATE INDEX events_office_time ON events (office, time);`,
}

// Migrate brings the schema to the latest version, recording each in
// schema_migrations; it returns the version.
func Migrate(ctx context.Context, pool *pgxpool.Pool) (int, error) {
	if _, err := pool.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version int PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`); err != nil {
		return 0, err
	}
	var have int
	if err := pool.QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&have); err != nil {
		return 0, err
	}
	for v := have + 1; v < len(migrations); v++ {
		err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, migrations[v]); err != nil {
				return fmt.Errorf("migration %d: %w", v, err)
			}
			_, err := tx.Exec(ctx, `INSERT INTO schema_migrations (version) VALUES ($1)`, v)
			return err
		})
		if err != nil {
			return have, err
		}
		have = v
	}
	return have, nil
}

// Event is one chained event of an office as shipped: seq, chain hash and
// the stored JSON itself (the hash covers it byte for byte).
type Event struct {
	Seq  uint64
	Hash []byte
	Raw  []byte
}

// Ingest stores an office's events, each once however often it is sent
// (primary key office, seq and the event's time), in one transaction.
func Ingest(ctx context.Context, pool *pgxpool.Pool, office string, evs []Event) error {
	type row struct {
		seq  uint64
		at   time.Time
		kind string
		ev   Event
	}
	rows := make([]row, 0, len(evs))
	months := map[time.Time]bool{}
	for _, e := range evs {
		var head struct {
			Type string    `json:"type"`
			Time time.Time `json:"time"`
		}
		if err := json.Unmarshal(e.Raw, &head); err != nil {
			return fmt.Errorf("event %d: %w", e.Seq, err)
		}
		at := head.Time.UTC()
		rows = append(rows, row{e.Seq, at, head.Type, e})
		months[time.Date(at.Year(), at.Month(), 1, 0, 0, 0, 0, time.UTC)] = true
	}
	return pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO offices (id) VALUES ($1) ON CONFLICT DO NOTHING`, office); err != nil {
			return err
		}
		for m := range months {
			name := "events_" + m.Format("200601")
			if _, err := tx.Exec(ctx, fmt.Sprintf(`CREATE TABLE IF NOT EXISTS %s PARTITION OF events FOR VALUES FROM ('%s') TO ('%s')`,
				name, m.Format(time.RFC3339), m.AddDate(0, 1, 0).Format(time.RFC3339))); err != nil {
				return err
			}
		}
		batch := &pgx.Batch{}
		for _, r := range rows {
			batch.Queue(`INSERT INTO events (office, seq, time, type, hash, raw, body) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
				office, int64(r.seq), r.at, r.kind, r.ev.Hash, r.ev.Raw, string(r.ev.Raw))
		}
		return tx.SendBatch(ctx, batch).Close()
	})
}

// Chain is an office's chain as the province holds it.
type Chain struct {
	Office  string
	Events  int64
	LastSeq int64
	Fault   string // "" when complete and unaltered
}

// Verify walks each office's events in seq order: seqs 1, 2, 3 … with no gap
// or repeat, each hash the chain of the one before and the event's own JSON.
func Verify(ctx context.Context, pool *pgxpool.Pool) ([]Chain, error) {
	rows, err := pool.Query(ctx, `SELECT office, seq, hash, raw FROM events ORDER BY office, seq`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Chain
	var cur *Chain
	prev := make([]byte, chain.Size)
	for rows.Next() {
		var office string
		var seq int64
		var hash, raw []byte
		if err := rows.Scan(&office, &seq, &hash, &raw); err != nil {
			return nil, err
		}
		if cur == nil || cur.Office != office {
			out = append(out, Chain{Office: office})
			cur, prev = &out[len(out)-1], make([]byte, chain.Size)
		}
		if cur.Fault != "" {
			continue
		}
		switch want := chain.Hash(prev, raw); {
		case seq != cur.LastSeq+1:
			cur.Fault = fmt.Sprintf("seq %d after %d: a gap or a repeat", seq, cur.LastSeq)
		case hex.EncodeToString(want) != hex.EncodeToString(hash):
			cur.Fault = fmt.Sprintf("seq %d: the hash does not chain (the row was edited, or the one before it)", seq)
		}
		cur.Events, cur.LastSeq, prev = cur.Events+1, seq, hash
	}
	return out, rows.Err()
}
