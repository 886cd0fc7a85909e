package server

import (
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"motcua/internal/api"
	"motcua/internal/bolt"
	"motcua/internal/catalogue"
	"motcua/internal/feed"
	"motcua/internal/queue"
)

func TestStableSurface(t *testing.T) {
	e := newEnv(t, feed.Config{})
	if code := e.call("GET", "/healthz", "", "", nil); code != 200 {
		t.Fatalf("healthz %d", code)
	}
	var procs []catalogue.Procedure
	if code := e.call("GET", "/api/v1/procedures", "", "", &procs); code != 200 || len(procs) != 1 || procs[0].Documents[0].Name != "Tờ khai" {
		t.Fatalf("procedures %d %+v", code, procs)
	}
	first := e.issue("ho_tich", "")
	elder := e.issue("ho_tich", "elderly")
	if first.Number != 1001 || first.Token == "" || first.ID == "" || first.ServiceID != "ho_tich" || first.Ahead != 0 {
		t.Errorf("first ticket %+v", first)
	}
	if elder.Ahead != 0 || elder.Priority != "elderly" {
		t.Errorf("priority ticket ahead %d priority %q", elder.Ahead, elder.Priority)
	}
	var services []queue.ServiceStatus
	e.call("GET", "/api/v1/services", "", "", &services)
	if len(services) != 2 || services[0].ID != "ho_tich" || services[0].Waiting != 2 || services[0].ETAMinutes != 12 || services[0].Name != "Hộ tịch" {
		t.Errorf("services %+v", services)
	}
	var status api.TicketView
	if code := e.call("GET", "/api/v1/tickets/"+first.Token, "", "", &status); code != 200 || status.Ahead != 1 || status.Token != "" || status.IssuedBy != "" {
		t.Errorf("public status %d %+v", code, status)
	}

	lan := e.login("lan")
	var called api.TicketView
	if code := e.call("POST", "/api/v1/counters/1/next", lan, "", &called); code != 200 || called.ID != elder.ID || called.State != queue.Called || called.Counter != 1 {
		t.Fatalf("next: %d %+v", code, called)
	}
	e.call("POST", "/api/v1/counters/1/recall", lan, "", &called)
	if called.Recalls != 1 {
		t.Errorf("recalls %d", called.Recalls)
	}
	e.call("POST", "/api/v1/counters/1/no-show", lan, "", &called)
	if called.State != queue.NoShow || called.RejoinUntil.IsZero() {
		t.Errorf("no-show %+v", called)
	}
	if code := e.call("POST", "/api/v1/tickets/"+elder.ID+"/rejoin", lan, "", &called); code != 200 || called.State != queue.Waiting {
		t.Errorf("rejoin %d %s", code, called.State)
	}
	e.call("POST", "/api/v1/counters/1/next", lan, "", &called)
	if code := e.call("POST", "/api/v1/counters/1/transfer", lan, `{"service_id":"chung_thuc","note":"thiếu bản sao"}`, &called); code != 200 || called.ServiceID != "chung_thuc" || called.Note != "thiếu bản sao" {
		t.Errorf("transfer %d %+v", code, called)
	}
	minh := e.login("minh")
	if code := e.call("POST", "/api/v1/counters/2/next", minh, "", &called); code != 200 || called.ServiceID != "chung_thuc" {
		t.Errorf("counter 2 next %d %+v", code, called)
	}
	if code := e.call("POST", "/api/v1/counters/2/finish", minh, "", &called); code != 200 || called.State != queue.Done {
		t.Errorf("finish %d %s", code, called.State)
	}
	var c queue.Counter
	if code := e.call("POST", "/api/v1/counters/2/pause", minh, "", &c); code != 200 || c.State != queue.CounterPaused {
		t.Errorf("pause %d %+v", code, c)
	}
	if code := e.call("POST", "/api/v1/counters/2/next", minh, "", nil); code != 409 {
		t.Errorf("next while paused: %d", code)
	}
	e.call("POST", "/api/v1/counters/2/resume", minh, "", &c)
	if code := e.call("POST", "/api/v1/counters/2/next", minh, "", nil); code != 204 {
		t.Errorf("next with nobody waiting: %d, want 204", code)
	}
	if code := e.call("POST", "/api/v1/counters/1/next", minh, "", nil); code != 403 {
		t.Errorf("another clerk at counter 1: %d, want 403", code)
	}
	var pub, full queue.Snapshot
	e.call("GET", "/api/v1/state", "", "", &pub)
	e.call("GET", "/api/v1/state", lan, "", &full)
	if pub.Seq == 0 || pub.Seq != full.Seq || len(pub.Tickets) != 1 {
		t.Fatalf("state seq %d/%d tickets %d", pub.Seq, full.Seq, len(pub.Tickets))
	}
	for i := range pub.Tickets {
		if pub.Tickets[i].Token != "" || full.Tickets[i].Token == "" {
			t.Errorf("public state leaks or full state lacks the token: %q %q", pub.Tickets[i].Token, full.Tickets[i].Token)
		}
	}
	if code := e.call("POST", "/api/v1/logout", lan, "", nil); code != 204 {
		t.Errorf("logout %d", code)
	}
	if code := e.call("POST", "/api/v1/counters/1/finish", lan, "", nil); code != 401 {
		t.Errorf("after logout: %d, want 401", code)
	}
}

func TestBadRequests(t *testing.T) {
	e := newEnv(t, feed.Config{})
	lan := e.login("lan")
	tests := []struct {
		name, method, path, auth, body string
		want                           int
	}{
		{"issue without key", "POST", "/api/v1/tickets", "", `{"service_id":"ho_tich"}`, 401},
		{"issue by a display", "POST", "/api/v1/tickets", "tv-key-1234567890", `{"service_id":"ho_tich"}`, 403},
		{"bad key", "POST", "/api/v1/tickets", "nope", `{"service_id":"ho_tich"}`, 401},
		{"unknown service", "POST", "/api/v1/tickets", kioskKey, `{"service_id":"x"}`, 404},
		{"unknown priority", "POST", "/api/v1/tickets", kioskKey, `{"service_id":"ho_tich","priority":"vip"}`, 400},
		{"unknown field", "POST", "/api/v1/tickets", kioskKey, `{"service_id":"ho_tich","extra":1}`, 400},
		{"wrong type", "POST", "/api/v1/tickets", kioskKey, `{"service_id":7}`, 400},
		{"malformed", "POST", "/api/v1/tickets", kioskKey, `{"service_id":`, 400},
		{"two objects", "POST", "/api/v1/tickets", kioskKey, `{"service_id":"ho_tich"}{}`, 400},
		{"empty body", "POST", "/api/v1/tickets", kioskKey, ``, 400},
		{"too large", "POST", "/api/v1/tickets", kioskKey, `{"service_id":"` + strings.Repeat("a", 20000) + `"}`, 413},
		{"unknown ticket token", "GET", "/api/v1/tickets/nope", "", "", 404},
		{"bad counter", "POST", "/api/v1/counters/abc/next", lan, "", 400},
		{"unknown counter", "POST", "/api/v1/counters/99/next", lan, "", 404},
		{"unknown action", "POST", "/api/v1/counters/1/dance", lan, "", 404},
		{"counter by kiosk", "POST", "/api/v1/counters/1/next", kioskKey, "", 403},
		{"finish with nothing called", "POST", "/api/v1/counters/1/finish", lan, "", 409},
		{"call without reason", "POST", "/api/v1/counters/1/call", lan, `{"ticket_id":"x"}`, 400},
		{"transfer nothing", "POST", "/api/v1/counters/1/transfer", lan, `{"service_id":"chung_thuc"}`, 409},
		{"wrong pin", "POST", "/api/v1/login", "", `{"username":"lan","pin":"0000"}`, 401},
		{"unknown user", "POST", "/api/v1/login", "", `{"username":"ghost","pin":"0000"}`, 401},
		{"backup by clerk", "GET", "/api/v1/admin/backup", lan, "", 403},
		{"unknown path", "GET", "/api/v2/nothing", "", "", 404},
		{"not a bearer", "GET", "/api/v1/me", "", "", 401},
		{"alert by a clerk", "POST", "/api/v1/devices/alerts", lan, `{"code":"printer_paper_out"}`, 403},
		{"alert without code", "POST", "/api/v1/devices/alerts", kioskKey, `{"message":"x"}`, 400},
		{"alert with a bad code", "POST", "/api/v1/devices/alerts", kioskKey, `{"code":"Hết giấy"}`, 400},
	}
	for _, tc := range tests {
		if code := e.call(tc.method, tc.path, tc.auth, tc.body, nil); code != tc.want {
			t.Errorf("%s: got %d, want %d", tc.name, code, tc.want)
		}
	}
}

func TestAdminBackup(t *testing.T) {
	e := newEnv(t, feed.Config{})
	e.issue("ho_tich", "")
	boss := e.login("boss")
	out := filepath.Join(t.TempDir(), "b.db")
	f, _ := os.Create(out)
	resp, err := e.http.Client().Do(mustReq(t, "GET", e.http.URL+"/api/v1/admin/backup", boss))
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("backup: %v %v", err, resp.Status)
	}
	f.ReadFrom(resp.Body)
	resp.Body.Close()
	f.Close()
	if n, err := bolt.VerifyFile(out); err != nil || n != 2 { // the settings seeded, the ticket
		t.Errorf("backup from the endpoint: %d events, %v", n, err)
	}
}

func TestReportEndpoint(t *testing.T) {
	e := newEnv(t, feed.Config{})
	e.issue("ho_tich", "")
	clerk, admin := e.login("lan"), e.login("boss")
	e.call("POST", "/api/v1/counters/1/next", clerk, "", nil)
	e.call("POST", "/api/v1/counters/1/finish", clerk, "", nil)
	day := time.Now().In(mustLoc(t)).Format("2006-01-02")
	if code := e.call("GET", "/api/v1/admin/report?from="+day+"&to="+day, clerk, "", nil); code != 403 {
		t.Fatalf("a clerk read the report: %d", code)
	}
	var rep queue.Report
	if code := e.call("GET", "/api/v1/admin/report?from="+day+"&to="+day, admin, "", &rep); code != 200 || rep.Total.Issued != 1 || rep.Total.Served != 1 {
		t.Fatalf("report %d %+v", code, rep.Total)
	}
	if code := e.call("GET", "/api/v1/admin/report?from=hôm-qua&to="+day, admin, "", nil); code != 400 {
		t.Fatalf("bad date: %d", code)
	}
	// The same figures as files, for the supervisor too.
	supervisor := e.login("tam")
	for format, want := range map[string]string{"csv": "text/csv; charset=utf-8", "pdf": "application/pdf",
		"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"} {
		req, _ := http.NewRequest("GET", e.http.URL+"/api/v1/admin/report?from="+day+"&to="+day+"&format="+format, nil)
		req.Header.Set("Authorization", "Bearer "+supervisor)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		compact := strings.ReplaceAll(day, "-", "")
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != want || len(body) < 100 ||
			resp.Header.Get("Content-Disposition") != `attachment; filename="bao-cao-`+compact+"-"+compact+"."+format+`"` {
			t.Errorf("format %s: %d %q %q, %d bytes", format, resp.StatusCode, resp.Header.Get("Content-Type"), resp.Header.Get("Content-Disposition"), len(body))
		}
	}
	if code := e.call("GET", "/api/v1/admin/report?from="+day+"&to="+day+"&format=docx", admin, "", nil); code != 400 {
		t.Errorf("an unknown format: %d", code)
	}
	if code := e.call("GET", "/api/v1/admin/report?from=2020-01-01&to=2026-01-01", admin, "", nil); code != 400 {
		t.Errorf("six years at once: %d", code)
	}
}

func mustLoc(t *testing.T) *time.Location {
	loc, err := testOffice().Location()
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// Text that is not valid UTF-8 (raw bytes, or a lone surrogate escape) is
// refused, not stored as U+FFFD; a counter number below 1 is refused; a token
// in the URL is taken by the feed only.
func TestBadTextAndTokensInURLs(t *testing.T) {
	e := newEnv(t, feed.Config{})
	lan := e.login("lan")
	for _, body := range []string{"{\"service_id\":\"ho_tich\",\"note\":\"\xff\xfe\"}", `{"service_id":"ho_tich","note":"a\ud800b"}`, `{"service_id":"ho_tich","note":"\udc00"}`} {
		if code := e.call("POST", "/api/v1/counters/1/transfer", lan, body, nil); code != 400 {
			t.Errorf("body %q: %d, want 400", body, code)
		}
	}
	if code := e.call("POST", "/api/v1/counters/1/call", lan, `{"ticket_id":"x","reason":"cụ già 😀 \ud83d\ude00"}`, nil); code == 400 {
		t.Error("a proper surrogate pair was refused")
	}
	if code := e.call("GET", "/api/v1/me?access_token="+lan, "", "", nil); code != 401 {
		t.Errorf("a token in an API URL: %d, want 401", code)
	}
}

// Only a kiosk reports what it printed; a report raises numbering, never lowers it.
func TestPrintedNumbers(t *testing.T) {
	e := newEnv(t, feed.Config{})
	day := e.issue("ho_tich", "").Day
	body := `{"day":"` + day + `","last":{"ho_tich":1040}}`
	for _, c := range []struct {
		name, auth, body string
		want             int
	}{
		{"anonymous", "", body, 401},
		{"a board", "tv-key-1234567890", body, 403},
		{"a clerk", e.login("lan"), body, 403},
		{"a bad day", kioskKey, `{"day":"2026","last":{}}`, 400},
		{"an unknown service", kioskKey, `{"day":"` + day + `","last":{"khong_co":5}}`, 404},
		{"the kiosk", kioskKey, body, 204},
		{"a lower number", kioskKey, `{"day":"` + day + `","last":{"ho_tich":1010}}`, 204},
		{"another day", kioskKey, `{"day":"20200101","last":{"ho_tich":1990}}`, 204},
	} {
		if code := e.call("POST", "/api/v1/devices/printed", c.auth, c.body, nil); code != c.want {
			t.Errorf("%s: %d, want %d", c.name, code, c.want)
		}
	}
	if got := e.issue("ho_tich", ""); got.Number != 1041 {
		t.Errorf("after the reports: %d, want 1041", got.Number)
	}
}
