package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"motcua/internal/pgtest"
	"motcua/internal/province"
)

// The real server with --sync-dsn ships its event log to a real PostgreSQL;
// SIGKILLed in the middle of a stream of tickets and started again, it goes
// on, and at the end every event is in PostgreSQL exactly once and the
// chain checks.
func TestSyncSurvivesAKill(t *testing.T) {
	pg := pgtest.Start(t)
	bin := filepath.Join(t.TempDir(), "motcua-server")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	dir := t.TempDir()
	issue := func(base string, n int) {
		for range n {
			req, _ := http.NewRequest("POST", base+"/api/v1/tickets", strings.NewReader(`{"service_id":"ho_tich"}`))
			req.Header.Set("Authorization", "Bearer demo-device")
			if resp, err := http.DefaultClient.Do(req); err == nil {
				resp.Body.Close()
			}
		}
	}
	cmd, base := startServer(t, bin, dir, "--sync-dsn", pg.DSN, "--sync-office", "DEMO")
	issue(base, 40)
	done := make(chan struct{})
	go func() { issue(base, 200); close(done) }() // killed somewhere in here
	time.Sleep(150 * time.Millisecond)
	cmd.Process.Kill()
	cmd.Wait()
	<-done
	_, base = startServer(t, bin, dir, "--sync-dsn", pg.DSN, "--sync-office", "DEMO")
	issue(base, 20)

	ctx := context.Background()
	pool, err := pgxpool.New(ctx, pg.DSN)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	last := func() (seq, rows int64) {
		pool.QueryRow(ctx, `SELECT coalesce(max(seq), 0), count(*) FROM events WHERE office = 'DEMO'`).Scan(&seq, &rows)
		return
	}
	deadline := time.Now().Add(60 * time.Second)
	for { // until what the office holds is there: its seq stops growing and matches
		out, _ := exec.Command(bin, "verify", "--data", dir).CombinedOutput()
		var n int64
		fmt.Sscanf(strings.TrimSpace(string(out[strings.LastIndex(string(out), ":")+1:])), "%d", &n)
		if seq, rows := last(); seq == n && rows == n && n > 60 {
			break
		}
		if time.Now().After(deadline) {
			seq, rows := last()
			t.Fatalf("PostgreSQL holds seq %d in %d rows; the office %q", seq, rows, out)
		}
		time.Sleep(100 * time.Millisecond)
	}
	chains, err := province.Verify(ctx, pool)
	if err != nil || len(chains) != 1 || chains[0].Fault != "" {
		t.Fatalf("the province's check: %v %+v", err, chains)
	}
	// Folded once, through the kill: one ticket per ticket.issued, and the
	// province's report counts them all.
	var issued, tickets, folded int64
	pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM events WHERE type = 'ticket.issued'), (SELECT count(*) FROM tickets), (SELECT folded FROM offices WHERE id = 'DEMO')`).Scan(&issued, &tickets, &folded)
	offices, err := province.Offices(ctx, pool, nil)
	if err != nil || len(offices) != 1 {
		t.Fatalf("offices: %v %+v", err, offices)
	}
	loc := province.Zone(offices)
	today := time.Now().In(loc)
	day := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, loc)
	rep, err := province.Report(ctx, pool, offices, day.AddDate(0, 0, -1), day.AddDate(0, 0, 2), time.Now()) // around today: a run at midnight stays whole
	if err != nil || issued < 60 || tickets != issued || folded != chains[0].LastSeq || int64(rep.Figures.Total.Issued) != issued {
		t.Errorf("%d issued, %d tickets folded, folded to %d of %d, the report counts %d (%v)", issued, tickets, folded, chains[0].LastSeq, rep.Figures.Total.Issued, err)
	}
	// The desk head's live page says how the shipping stands.
	jar, _ := cookiejar.New(nil)
	web := &http.Client{Jar: jar, Timeout: 10 * time.Second}
	if _, err := web.PostForm(base+"/admin/login", url.Values{"username": {"truongbp"}, "pin": {"1234"}}); err != nil {
		t.Fatal(err)
	}
	resp, err := web.Get(base + "/admin/live")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(page), "shipping to the province") || !strings.Contains(string(page), "<code>DEMO</code>") || strings.Contains(string(page), "lỗi / error") {
		t.Errorf("the live page's sync line:\n%s", page)
	}
}
