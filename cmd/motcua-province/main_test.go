package main

import (
	"bytes"
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"motcua/internal/chain"
	"motcua/internal/pgtest"
	"motcua/internal/province"
)

// events are n chained events of an office, seq 1 … n.
func events(n int) []province.Event {
	var out []province.Event
	prev := make([]byte, chain.Size)
	for i := 1; i <= n; i++ {
		raw := []byte(`{"seq":` + strconv.Itoa(i) + `,"type":"ticket.issued","time":"` + time.Date(2026, 11, 2, 8, i, 0, 0, time.UTC).Format(time.RFC3339) + `"}`)
		h := chain.Hash(prev, raw)
		out, prev = append(out, province.Event{Seq: uint64(i), Hash: h, Raw: raw}), h
	}
	return out
}

// verify prints a line per office and exits non-zero when one chain is
// broken (a gap here).
func TestVerify(t *testing.T) {
	pg := pgtest.Start(t)
	ctx := context.Background()
	pool := pg.Pool(t)
	if _, err := province.Migrate(ctx, pool); err != nil {
		t.Fatal(err)
	}
	if err := province.Ingest(ctx, pool, "XA.01", nil, events(5)); err != nil {
		t.Fatal(err)
	}
	gap := events(5)
	if err := province.Ingest(ctx, pool, "XA.02", nil, append(gap[:2:2], gap[3:]...)); err != nil {
		t.Fatal(err)
	}
	var out, errs bytes.Buffer
	if code := run([]string{"verify", "--dsn", pg.DSN}, &out, &errs); code != 1 {
		t.Errorf("exit %d with a broken chain", code)
	}
	text := out.String()
	if !strings.Contains(text, "XA.01\t5 events\tlast seq 5\tnguyên vẹn") || !strings.Contains(text, "XA.02\t") || !strings.Contains(text, "seq 4 after 2") {
		t.Errorf("verify says:\n%s%s", text, errs.String())
	}
	if code := run([]string{"verify"}, &out, &errs); code != 2 {
		t.Errorf("no --dsn: exit %d", code)
	}
}
