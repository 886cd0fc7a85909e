package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"motcua/internal/bolt"
	"motcua/internal/province"
	"motcua/internal/provincetest"
	"motcua/internal/queue"
	"motcua/internal/testwait"
)

// The real server with --sync-url and --sync-key ships its event log to the
// province's service over a real PostgreSQL; SIGKILLed in the middle of a
// stream of tickets and started again, it goes on, and at the end every
// event is in PostgreSQL exactly once and the chain checks.
func TestSyncSurvivesAKill(t *testing.T) {
	pg := provincetest.Start(t)
	target := pg.Office(t, "DEMO", "Văn phòng mẫu")
	bin := serverBinary(t)
	dir := t.TempDir()
	var answered atomic.Int64 // tickets acknowledged (201)
	issue := func(base string, n int) {
		for range n {
			req, _ := http.NewRequest("POST", base+"/api/v1/tickets", strings.NewReader(`{"service_id":"ho_tich"}`))
			req.Header.Set("Authorization", "Bearer demo-device")
			if resp, err := http.DefaultClient.Do(req); err == nil {
				if resp.StatusCode == http.StatusCreated {
					answered.Add(1)
				}
				resp.Body.Close()
			}
		}
	}
	cmd, base := startServer(t, bin, dir, "--sync-url", target.URL, "--sync-key", target.Key)
	issue(base, 40)
	done := make(chan struct{})
	go func() { issue(base, 200); close(done) }() // killed somewhere in here: after 60 more acknowledged
	testwait.Until(t, 30*time.Second, func() bool { return answered.Load() >= 100 },
		func() string {
			return fmt.Sprintf("%d tickets acknowledged, want 100 before the kill", answered.Load())
		})
	cmd.Process.Kill()
	cmd.Wait()
	<-done
	_, base = startServer(t, bin, dir, "--sync-url", target.URL, "--sync-key", target.Key)
	issue(base, 20)

	ctx := context.Background()
	pool := pg.Pool
	last := func() (seq, rows int64) {
		pool.QueryRow(ctx, `SELECT coalesce(max(seq), 0), count(*) FROM events WHERE office = 'DEMO'`).Scan(&seq, &rows)
		return
	}
	var out []byte
	testwait.Until(t, 60*time.Second, func() bool { // until what the office holds is there: its seq stops growing and matches
		out, _ = exec.Command(bin, "verify", "--data", dir).CombinedOutput()
		var n int64
		fmt.Sscanf(strings.TrimSpace(string(out[strings.LastIndex(string(out), ":")+1:])), "%d", &n)
		seq, rows := last()
		return seq == n && rows == n && n > 60
	}, func() string {
		seq, rows := last()
		return fmt.Sprintf("PostgreSQL holds seq %d in %d rows; the office %q", seq, rows, out)
	})
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

// Where the log ships is a setting: seeded from the config file's sync
// section, changed on the console's sync page while the server runs (the
// replicator follows at once), exported with the key masked, and the
// exported file imported again keeps the key; a flag overrides the setting.
// The key is in no page, export or log line.
func TestSyncSettingsFromFileAndConsole(t *testing.T) {
	pg := provincetest.Start(t)
	seeded, console, flagged := pg.Office(t, "XA.07", "Bảy"), pg.Office(t, "XA.08", "Tám"), pg.Office(t, "XA.10", "Mười")
	cfg := realConfig(t)
	cfg.Office.PublicURL = "http://127.0.0.1:8080"
	cfg.Sync = &seeded
	file := filepath.Join(t.TempDir(), "office.json")
	raw, _ := json.Marshal(cfg)
	os.WriteFile(file, raw, 0o600)
	dir := t.TempDir()
	ctx := context.Background()
	pool := pg.Pool
	runOK := func(args ...string) string {
		t.Helper()
		var out, errs strings.Builder
		if code := run(ctx, args, nil, &out, &errs); code != 0 {
			t.Fatalf("%v: exit %d\n%s%s", args, code, out.String(), errs.String())
		}
		return out.String()
	}
	// shipped waits until the province holds every event of the office under id.
	shipped := func(what, id string) {
		t.Helper()
		var n, rows int64
		testwait.Until(t, 60*time.Second, func() bool {
			verified := runOK("verify", "--data", dir)
			fmt.Sscanf(verified[strings.LastIndex(verified, ":")+1:], "%d", &n)
			pool.QueryRow(ctx, `SELECT count(DISTINCT seq) FROM events WHERE office = $1`, id).Scan(&rows)
			return n > 0 && rows == n
		}, func() string {
			return fmt.Sprintf("%s: the province holds %d of the office's %d events as %s", what, rows, n, id)
		})
	}
	start := func(extra ...string) (base string, log *lockedLog, stop func()) {
		t.Helper()
		sctx, cancel := context.WithCancel(ctx)
		pr, pw := io.Pipe()
		done := make(chan struct{})
		log = &lockedLog{}
		go func() {
			run(sctx, append([]string{"--config", file, "--data", dir, "--addr", "127.0.0.1:0"}, extra...), nil, io.MultiWriter(pw, log), log)
			pw.Close()
			close(done)
		}()
		return waitURL(t, pr), log, func() { cancel(); <-done }
	}
	keys := []string{seeded.Key, console.Key, flagged.Key}
	leaks := func(text string) bool {
		for _, k := range keys {
			if strings.Contains(text, k) {
				return true
			}
		}
		return false
	}

	base, log, stop := start()
	shipped("seeded from the file", "XA.07")
	if out := runOK("export-config", "--data", dir); leaks(out) || !strings.Contains(out, `"key": "xxxxx"`) {
		t.Errorf("the export while running:\n%s", out)
	}
	// The console's sync page, as the office's admin.
	jar, _ := cookiejar.New(nil)
	web := &http.Client{Jar: jar, Timeout: 10 * time.Second}
	if resp, err := web.PostForm(base+"/admin/login", url.Values{"username": {"admin"}, "pin": {"837261"}}); err != nil || resp.Request.URL.Path != "/admin" {
		t.Fatalf("the admin's login: %v", err)
	}
	page := func(path string) string {
		resp, err := web.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}
	form := page("/admin/sync")
	if leaks(form) || !strings.Contains(form, "<code>XA.07</code>") {
		t.Fatalf("the sync page:\n%s", form)
	}
	resp, err := web.PostForm(base+"/admin/sync", url.Values{"version": {"1"}, "url": {console.URL}, "key": {console.Key}})
	if err != nil || resp.Request.URL.RawQuery != "saved=1" {
		t.Fatalf("saving the sync page: %v %v", err, resp.Request.URL)
	}
	shipped("after the console's change", "XA.08")
	if p := page("/admin/audit"); leaks(p) || !strings.Contains(p, "sync.key") {
		t.Errorf("the audit:\n%s", p)
	}
	stop()
	if leaks(log.String()) {
		t.Errorf("a key is in the server's output:\n%s", log)
	}
	if doc, err := bolt.StoredSettings(dir); err != nil || doc.Shipping() != console {
		t.Fatalf("stored: %+v %v", doc.Sync, err)
	}

	// The export, imported again with its masked key: the key stays.
	exported := filepath.Join(t.TempDir(), "exported.json")
	runOK("export-config", "--data", dir, "--out", exported)
	raw, _ = os.ReadFile(exported)
	raw = []byte(strings.Replace(string(raw), `"key": "xxxxx"`, `"key": "xxxxx", "office": "XA.08"`, 1))
	os.WriteFile(exported, raw, 0o600)
	runOK("import-config", "--data", dir, "--file", exported)
	if doc, err := bolt.StoredSettings(dir); err != nil || doc.Shipping() != (queue.Sync{URL: console.URL, Key: console.Key, Office: "XA.08"}) {
		t.Fatalf("after importing the export: %+v %v", doc.Sync, err)
	}
	// Into another data dir, the masked key is refused, in both languages.
	var out, errs strings.Builder
	if code := run(ctx, []string{"import-config", "--data", t.TempDir(), "--file", exported}, nil, &out, &errs); code == 0 || !strings.Contains(errs.String(), "khoá") || !strings.Contains(errs.String(), "key") {
		t.Errorf("a masked key into a new data dir: exit %d\n%s%s", code, out.String(), errs.String())
	}

	// A flag wins over the setting (the office id in the settings is then
	// a claim the new key's office refutes: the flag's office too).
	_, log, stop = start("--sync-key", flagged.Key, "--sync-office", "XA.10")
	shipped("under the flag", "XA.10")
	stop()
	if !strings.Contains(log.String(), "ships to the province's service "+flagged.URL+" with the office's key") || leaks(log.String()) {
		t.Errorf("the start's sync line:\n%s", log)
	}
}

// lockedLog is a server's output, written by its goroutines and read by the test.
type lockedLog struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}
func (l *lockedLog) String() string { l.mu.Lock(); defer l.mu.Unlock(); return l.b.String() }
