package provinceweb_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	neturl "net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"motcua/internal/bolt"
	"motcua/internal/browsertest"
	"motcua/internal/intake"
	"motcua/internal/province"
	"motcua/internal/provincetest"
	"motcua/internal/provinceweb"
	"motcua/internal/queue"
	"motcua/internal/replicate"
	"motcua/internal/testwait"
)

// ship runs an office for a morning on a real store and ships it to the
// province: tickets issued, some served and rated, some still waiting, and
// dossiers received and resolved.
func ship(t *testing.T, pg *provincetest.Province, id, name string, served int) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	o := queue.Office{Name: name, TimeZone: "Asia/Ho_Chi_Minh",
		Services: []queue.ServiceConfig{{ID: "a", Name: "Hộ tịch", RangeStart: 1001, RangeEnd: 1999}},
		Counters: []queue.CounterConfig{{Number: 1, Services: []string{"a"}}}}
	s, err := bolt.Open(t.TempDir(), o, bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	do := func(cmd queue.Command) queue.Result {
		res, err := s.Do(ctx, cmd)
		if err != nil {
			t.Fatalf("%s: %v", cmd.Op, err)
		}
		return res
	}
	clerk := queue.Actor{Kind: queue.ActorClerk, ID: "lan"}
	do(queue.Command{Op: queue.OpOpen, Counter: 1, Actor: clerk})
	for i := range served + 3 {
		do(queue.Command{Op: queue.OpIssue, Actor: queue.Actor{Kind: queue.ActorDevice, ID: "k"}, ServiceID: "a", Token: fmt.Sprintf("%s-%d", id, i)})
	}
	for i := range served {
		do(queue.Command{Op: queue.OpNext, Counter: 1, Actor: clerk})
		done := do(queue.Command{Op: queue.OpFinish, Counter: 1, Actor: clerk})
		do(queue.Command{Op: queue.OpRate, Counter: 1, Actor: queue.Actor{Kind: queue.ActorDevice, ID: "r"}, TicketID: done.Ticket.ID,
			Option: []string{"very_satisfied", "satisfied", "unsatisfied"}[i%3], Reasons: []string{"slow"}})
	}
	now := time.Now()
	d, err := s.CreateDossier(intake.Dossier{Agency: id, Procedure: "1.001", Clerk: "lan", Status: intake.Received, ReceivedAt: now, DueAt: now, Sets: 1, Delivery: "desk",
		Applicant: intake.Applicant{Name: "Phạm Văn Kín", IDNumber: "001099000111"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpdateDossier(d.Code, clerk, "status", func(d *intake.Dossier) error { return d.Move(intake.Ready, now, "lan", "") }); err != nil {
		t.Fatal(err)
	}
	r := &replicate.Replicator{Source: s, Target: replicate.Fixed(pg.Office(t, id, name)), Idle: 10 * time.Millisecond}
	go r.Run(ctx)
	testwait.Until(t, 30*time.Second, func() bool { return r.Status().Shipped == s.Snapshot().Seq }, func() string { return fmt.Sprintf("%s shipped %+v", id, r.Status()) })
}

// login is an HTTP client logged in as the user.
func login(t *testing.T, url, user, password string) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	resp, err := c.PostForm(url+"/dang-nhap", neturl.Values{"username": {user}, "password": {password}})
	if err != nil || resp.Request.URL.Path != "/" {
		t.Fatalf("login as %s: %v %v", user, resp, err)
	}
	resp.Body.Close()
	return c
}

func get(t *testing.T, c *http.Client, url string) (int, string) {
	t.Helper()
	resp, err := c.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// The province's staff see every office on the dashboard, the rankings
// and a report of two as XLSX; an office's head sees their own office and
// nothing of another's; nobody sees anything without logging in; no
// applicant's detail is on any page. The dashboard is drawn in Chromium.
func TestProvinceService(t *testing.T) {
	pg := provincetest.Start(t)
	ship(t, pg, "XA.01", "UBND xã Thanh Bình", 6)
	ship(t, pg, "XA.02", "UBND phường Hòa An", 3)
	ctx := context.Background()
	pool := pg.Pool
	admin, err := province.AddUser(ctx, pool, "test", province.User{Username: "sotinh", Name: "Sở Nội vụ", Role: province.RoleProvince})
	if err != nil {
		t.Fatal(err)
	}
	head, err := province.AddUser(ctx, pool, "test", province.User{Username: "truong.xa01", Name: "Trưởng bộ phận", Role: province.RoleOffice, Office: "XA.01"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := province.AddUser(ctx, pool, "test", province.User{Username: "x", Role: province.RoleOffice}); err == nil {
		t.Error("an office head without an office was added")
	}
	srv := httptest.NewServer((&provinceweb.Server{Pool: pool}).Handler())
	defer srv.Close()

	anon := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	if code, _ := get(t, anon, srv.URL+"/"); code != http.StatusSeeOther {
		t.Errorf("anonymous dashboard: %d", code)
	}
	if code, _ := get(t, anon, srv.URL+"/api/v1/report"); code != http.StatusUnauthorized {
		t.Errorf("anonymous report: %d", code)
	}
	for i := range 6 {
		resp, _ := anon.PostForm(srv.URL+"/dang-nhap", neturl.Values{"username": {"ai.do"}, "password": {"sai"}})
		resp.Body.Close()
		if want := map[bool]int{true: http.StatusTooManyRequests, false: http.StatusUnauthorized}[i >= 5]; resp.StatusCode != want {
			t.Errorf("wrong password %d: %d, want %d", i+1, resp.StatusCode, want)
		}
	}

	staff := login(t, srv.URL, "truong.xa01", head)
	_, page := get(t, staff, srv.URL+"/")
	if !strings.Contains(page, "UBND xã Thanh Bình") || strings.Contains(page, "Hòa An") {
		t.Errorf("the office head's dashboard shows other offices or not theirs")
	}
	if code, _ := get(t, staff, srv.URL+"/bao-cao?office=XA.02"); code != http.StatusForbidden {
		t.Errorf("the head of XA.01 asked for XA.02's report: %d", code)
	}
	if code, _ := get(t, staff, srv.URL+"/api/v1/report?office=XA.01,XA.02"); code != http.StatusForbidden {
		t.Errorf("the head of XA.01 asked for both: %d", code)
	}

	// The province's staff: the sum of the two, and each.
	c := login(t, srv.URL, "sotinh", admin)
	code, body := get(t, c, srv.URL+"/api/v1/report?office=XA.01,XA.02")
	if code != http.StatusOK || !strings.Contains(body, `"issued":15`) || !strings.Contains(body, `"served":9`) {
		t.Errorf("the two offices' report: %d %.300s", code, body)
	}
	_, dash := get(t, c, srv.URL+"/api/v1/dashboard")
	if !strings.Contains(dash, `"waiting":3`) || !strings.Contains(dash, `"resolved":1`) || strings.Contains(dash, `"stopped_syncing":true`) {
		t.Errorf("dashboard: %s", dash)
	}
	_, rank := get(t, c, srv.URL+"/xep-hang?sort=satisfied")
	if !strings.Contains(rank, "Thanh Bình") || !strings.Contains(rank, "Hòa An") {
		t.Errorf("rankings lack an office")
	}
	resp, err := c.Get(srv.URL + "/bao-cao?format=xlsx")
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("xlsx: %v %v", resp, err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	book, err := excelize.OpenReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := book.GetRows("Đơn vị")
	if len(rows) < 3 || !strings.Contains(fmt.Sprint(rows), "UBND phường Hòa An (XA.02)") {
		t.Errorf("the workbook's offices sheet: %v (sheets %v)", rows, book.GetSheetList())
	}
	if code, _ := get(t, c, srv.URL+"/bao-cao?from=2026-13-01"); code != http.StatusBadRequest {
		t.Errorf("a bad date: %d", code)
	}
	for _, p := range []string{"/", "/xep-hang", "/bao-cao", "/api/v1/report", "/api/v1/dashboard"} {
		if _, body := get(t, c, srv.URL+p); strings.Contains(body, "Kín") || strings.Contains(body, "001099000111") {
			t.Errorf("%s shows the applicant", p)
		}
	}

	// In Chromium, as the province's staff.
	b := browsertest.Start(t)
	p := b.Open(srv.URL + "/dang-nhap")
	p.Wait(`document.title`, "~Đăng nhập", 10*time.Second)
	p.Eval(`(() => { document.querySelector('[name=username]').value = "sotinh";
		document.querySelector('[name=password]').value = "` + admin + `";
		document.querySelector('form').submit(); return "ok" })()`)
	p.Wait(`document.title`, "~Toàn tỉnh hôm nay", 10*time.Second)
	if got := p.Eval(`document.querySelectorAll("table tr").length.toString()`); got != "3" {
		t.Errorf("the dashboard's table has %s rows, want a header and two offices", got)
	}
	if dir := os.Getenv("MOTCUA_SCREENSHOTS"); dir != "" {
		if err := os.WriteFile(filepath.Join(dir, "province-dashboard.png"), p.Screenshot(1366, 768), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
