package province_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"motcua/internal/chain"
	"motcua/internal/pgtest"
	"motcua/internal/province"
	"motcua/internal/queue"
)

// tickets are n chained ticket.issued events from seq 1 (one ticket each).
func tickets(n int) []province.Event {
	var out []province.Event
	prev := make([]byte, chain.Size)
	for i := 1; i <= n; i++ {
		at := time.Date(2026, 11, 2, 1, i, 0, 0, time.UTC)
		tk := queue.Ticket{ID: fmt.Sprintf("20261102-a-%d", 1000+i), Day: "20261102", Number: 1000 + i, ServiceID: "a", FirstServiceID: "a",
			State: queue.Waiting, IssuedAt: at, QueuedAt: at}
		raw, _ := json.Marshal(queue.Event{Seq: uint64(i), Type: queue.EvIssued, Time: at, Ticket: &tk})
		h := chain.Hash(prev, raw)
		out, prev = append(out, province.Event{Seq: uint64(i), Hash: h, Raw: raw}), h
	}
	return out
}

// A province on the schema's first version, with events stored, migrates
// to the latest: its events stay, and the next batch folds the old events
// too (they were stored before the fold existed). Migrating from empty
// gives the same tables.
func TestMigrateFromThePreviousVersion(t *testing.T) {
	pg := pgtest.Start(t)
	ctx := context.Background()
	pool := pg.Pool(t)
	if v, err := province.MigrateTo(ctx, pool, 1); err != nil || v != 1 {
		t.Fatalf("to version 1: %d %v", v, err)
	}
	evs := tickets(30)
	// Version 1's ingest: the rows only.
	pool.Exec(ctx, `INSERT INTO offices (id) VALUES ('XA.01')`)
	pool.Exec(ctx, `CREATE TABLE events_202611 PARTITION OF events FOR VALUES FROM ('2026-11-01') TO ('2026-12-01')`)
	for _, e := range evs[:20] {
		if _, err := pool.Exec(ctx, `INSERT INTO events (office, seq, time, type, hash, raw, body) VALUES ('XA.01', $1, '2026-11-02T01:00:00Z', 'ticket.issued', $2, $3, $4)`,
			int64(e.Seq), e.Hash, e.Raw, string(e.Raw)); err != nil {
			t.Fatal(err)
		}
	}
	if v, err := province.Migrate(ctx, pool); err != nil || v != province.Latest {
		t.Fatalf("to the latest: %d %v", v, err)
	}
	if err := province.Ingest(ctx, pool, "XA.01", []byte(`{"name":"UBND xã Một","services":[{"id":"a","name":"Hộ tịch","range_start":1001,"range_end":1999}],"counters":[]}`), evs[20:]); err != nil {
		t.Fatal(err)
	}
	var stored, tickets, folded int
	pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM tickets), (SELECT folded FROM offices WHERE id = 'XA.01')`).Scan(&stored, &tickets, &folded)
	if stored != 30 || tickets != 30 || folded != 30 {
		t.Errorf("after the upgrade: %d events, %d tickets, folded to %d; want 30 of each", stored, tickets, folded)
	}
	chains, err := province.Verify(ctx, pool)
	if err != nil || len(chains) != 1 || chains[0].Fault != "" {
		t.Errorf("verify after the upgrade: %+v %v", chains, err)
	}
	loc, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	offices, _ := province.Offices(ctx, pool, nil)
	rep, err := province.Report(ctx, pool, offices, time.Date(2026, 11, 1, 0, 0, 0, 0, loc), time.Date(2026, 12, 1, 0, 0, 0, 0, loc), time.Now())
	if err != nil || rep.Figures.Total.Issued != 30 || rep.Figures.Services[0].Issued != 30 {
		t.Errorf("the month's report after the upgrade: %+v %v", rep.Figures.Total, err)
	}

	// From empty: the same tables as the upgraded one.
	tables := func(schema string) []string {
		rows, _ := pool.Query(ctx, `SELECT table_name || '.' || column_name || ' ' || data_type FROM information_schema.columns WHERE table_schema = $1 AND table_name NOT LIKE 'events\_%' ORDER BY 1`, schema)
		defer rows.Close()
		var out []string
		for rows.Next() {
			var s string
			rows.Scan(&s)
			out = append(out, s)
		}
		return out
	}
	upgraded := tables("public")
	pool.Exec(ctx, `CREATE SCHEMA fresh`)
	fresh, err := pgxpool.New(ctx, pg.DSN+"&search_path=fresh")
	if err != nil {
		t.Fatal(err)
	}
	defer fresh.Close()
	if v, err := province.Migrate(ctx, fresh); err != nil || v != province.Latest {
		t.Fatalf("from empty: %d %v", v, err)
	}
	if got := tables("fresh"); fmt.Sprint(got) != fmt.Sprint(upgraded) {
		t.Errorf("from empty\n %v\nupgraded\n %v", got, upgraded)
	}
}
