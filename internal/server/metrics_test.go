package server

import (
	"net/http"
	"net/netip"
	"strings"
	"testing"

	"motcua/internal/feed"
)

// scrape is /metrics as the holder of auth reads it: the status and the text.
func (e *env) scrape(auth string) (int, string) {
	e.t.Helper()
	code, raw := e.raw("GET", "/metrics", auth, "")
	return code, string(raw)
}

// After a scripted morning, /metrics counts what happened; it is refused to
// anyone without a login and to a clerk, open to a configured scraper.
func TestMetrics(t *testing.T) {
	e := newEnv(t, feed.Config{})
	clerk := e.login("lan")
	for range 4 {
		e.issue("ho_tich", "")
	}
	e.issue("chung_thuc", "")
	step := func(action string) {
		t.Helper()
		if code := e.call("POST", "/api/v1/counters/1/"+action, clerk, "", nil); code != 200 {
			t.Fatalf("%s: %d", action, code)
		}
	}
	step("next")
	step("start")
	step("finish")
	step("next")
	step("no-show")
	f := e.dial("") // a board on the public feed
	f.next()

	if code, _ := e.scrape(""); code != http.StatusUnauthorized {
		t.Errorf("anonymous: %d, want 401", code)
	}
	if code, _ := e.scrape(clerk); code != http.StatusForbidden {
		t.Errorf("a clerk: %d, want 403", code)
	}
	code, text := e.scrape(e.login("tam"))
	if code != http.StatusOK {
		t.Fatalf("the desk head: %d", code)
	}
	for _, want := range []string{
		`motcua_tickets_total{outcome="issued",service="ho_tich"} 4`,
		`motcua_tickets_total{outcome="issued",service="chung_thuc"} 1`,
		`motcua_tickets_total{outcome="served",service="ho_tich"} 1`,
		`motcua_tickets_total{outcome="no_show",service="ho_tich"} 1`,
		`motcua_waiting{service="ho_tich"} 2`,
		`motcua_waiting{service="chung_thuc"} 1`,
		`motcua_wait_seconds_count{service="ho_tich"} 2`,
		`motcua_service_seconds_count{service="ho_tich"} 1`,
		`motcua_feed_clients 1`,
		`motcua_devices_seen 1`, // the kiosk
		"motcua_commit_seconds_bucket",
		"motcua_store_write_seconds_total",
	} {
		if !strings.Contains(text, want+"\n") && !strings.Contains(text, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	if strings.Contains(text, "motcua_sync_lag_events") {
		t.Error("the sync lag is there, but nothing ships")
	}
	// The commits: as many as the commands, at least, in batches of one or more.
	if !strings.Contains(text, "motcua_commit_commands_count ") || strings.Contains(text, "motcua_commit_commands_count 0\n") {
		t.Errorf("no commit counted:\n%s", grep(text, "motcua_commit_commands"))
	}

	e.srv.metricsFrom, _ = ParseScrapers("10.9.9.9, 127.0.0.0/8")
	if code, _ := e.scrape(""); code != http.StatusOK {
		t.Errorf("a configured scraper: %d, want 200", code)
	}
	if got, err := ParseScrapers("10.0.0.1,192.168.1.0/24"); err != nil || len(got) != 2 || !got[1].Contains(netip.MustParseAddr("192.168.1.77")) {
		t.Errorf("ParseScrapers: %v %v", got, err)
	}
	if _, err := ParseScrapers("tinh.example"); err == nil {
		t.Error("a host name was taken as a scraper's address")
	}
}

func grep(text, prefix string) string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if strings.HasPrefix(l, prefix) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
