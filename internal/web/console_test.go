package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	neturl "net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"motcua/assets"
	"motcua/internal/api"
	"motcua/internal/browsertest"
	"motcua/internal/calendar"
	"motcua/internal/catalogue"
	"motcua/internal/client"
	"motcua/internal/intake"
	"motcua/internal/problem"
	"motcua/internal/queue"
	"motcua/internal/testserver"

	"github.com/xuri/excelize/v2"
)

// In headless Chromium, an admin logs in to the console, renames a service
// and adds one: a kiosk following the feed gets both in a fresh snapshot, no
// restart; a form that does not check comes back with the reason and what
// was typed; the audit page lists both changes. With $MOTCUA_SCREENSHOTS set
// the pages are drawn at 1366×768.
func TestConsoleInChromium(t *testing.T) {
	url, _ := testserver.Start(t, "127.0.0.1:0", t.TempDir(), office())
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	snaps := make(chan queue.Snapshot, 1) // the latest only: each holds all before it
	var live api.Live                     // as the kiosk keeps it: each snapshot, and each event applied to it
	go client.New(url, testserver.KioskKey).Subscribe(ctx, func(u api.Update) {
		live.Apply(u)
		if live.Snap == nil {
			return
		}
		var copied queue.Snapshot // the kiosk goes on applying to its own
		raw, _ := json.Marshal(live.Snap)
		json.Unmarshal(raw, &copied)
		select {
		case snaps <- copied:
		default:
			select {
			case <-snaps:
			default:
			}
			snaps <- copied
		}
	})
	<-snaps // the kiosk is on the feed
	kioskSees := func(what string, ok func(queue.Snapshot) bool) {
		t.Helper()
		for {
			select {
			case s := <-snaps:
				if ok(s) {
					return
				}
			case <-time.After(10 * time.Second):
				t.Fatalf("the kiosk's feed never showed %s", what)
			}
		}
	}

	b := browsertest.Start(t)
	p := b.Open(url + "/admin/login")
	p.Wait(`document.title`, "~Đăng nhập", 10*time.Second)
	p.Eval(`(() => { document.querySelector('[name=username]').value = "` + testserver.AdminUser + `";
		document.querySelector('[name=pin]').value = "` + testserver.PIN + `";
		document.querySelector('form').submit(); return "ok" })()`)
	p.Wait(`location.pathname + " " + document.title`, "/admin Văn phòng — Quản trị motcua", 10*time.Second)
	shot(t, p, "console-office.png")

	p.Eval(`(() => { location.href = "/admin/services"; return "ok" })()`)
	p.Wait(`document.title`, "~Dịch vụ", 10*time.Second)
	p.Eval(`(() => { document.querySelector('form.row [name=name]').value = "Hộ tịch – Khai sinh, kết hôn";
		document.querySelector('form.row [name=procedures]').value = " Đăng ký khai sinh;Đăng ký kết hôn ; ;Đăng ký khai sinh";
		document.querySelector('form.row button[value=save]').click(); return "ok" })()`)
	p.Wait(`document.querySelector('.notice') ? document.querySelector('.notice').textContent : ""`, "~Đã lưu", 10*time.Second)
	kioskSees("the renamed service and the procedures it covers", func(s queue.Snapshot) bool {
		return s.Services[0].Name == "Hộ tịch – Khai sinh, kết hôn" && slices.Equal(s.Services[0].Procedures, []string{"Đăng ký khai sinh", "Đăng ký kết hôn"})
	})

	add := func(id, name, from, to string) {
		p.Eval(`(() => { var f = document.querySelector('form.card');
			f.querySelector('[name=id]').value = "` + id + `"; f.querySelector('[name=name]').value = "` + name + `";
			f.querySelector('[name=range_start]').value = "` + from + `"; f.querySelector('[name=range_end]').value = "` + to + `";
			f.submit(); return "ok" })()`)
	}
	add("dat_dai", "Đất đai", "1500", "2500") // overlaps Hộ tịch's 1001–1999
	p.Wait(`document.querySelector('.error') ? "shown" : "none"`, "shown", 10*time.Second)
	if got := p.Eval(`document.querySelector('form.card [name=id]').value + "|" + document.querySelector('form.card [name=name]').value`); got != "dat_dai|Đất đai" {
		t.Errorf("the refused form lost what was typed: %q", got)
	}
	if n := p.Eval(`document.querySelectorAll('form.row').length`); n != "1" {
		t.Errorf("after the refused add the list shows %s services, want the 1 in force", n)
	}
	shot(t, p, "console-services-error.png")
	add("dat_dai", "Đất đai", "3001", "3999")
	p.Wait(`document.querySelector('.notice') ? document.querySelector('.notice').textContent : ""`, "~Đã lưu", 10*time.Second)
	kioskSees("the new service", func(s queue.Snapshot) bool {
		return slices.ContainsFunc(s.Services, func(x queue.ServiceStatus) bool { return x.ID == "dat_dai" })
	})
	// Closed for today: the kiosks' feed says so with the reason; the page too.
	p.Eval(`(() => { var f = [...document.querySelectorAll('form.inline-form')].find(f => f.querySelector('[name=id]').value == "dat_dai");
		f.querySelector('[name=reason]').value = "Cán bộ địa chính đi họp"; f.querySelector('button[value=close]').click(); return "ok" })()`)
	p.Wait(`document.querySelector('.notice') ? document.querySelector('.notice').textContent : ""`, "~Đã tạm ngừng Đất đai", 10*time.Second)
	kioskSees("the service closed today", func(s queue.Snapshot) bool {
		return slices.ContainsFunc(s.Services, func(x queue.ServiceStatus) bool {
			return x.ID == "dat_dai" && x.ClosedToday && x.ClosedReason == "Cán bộ địa chính đi họp"
		})
	})
	if _, err := client.New(url, testserver.KioskKey).Issue(ctx, "dat_dai", ""); problem.CodeOf(err) != problem.EClosed {
		t.Errorf("a kiosk issued for a service closed today: %v", err)
	}
	shot(t, p, "console-services.png")
	p.Eval(`(() => { var f = [...document.querySelectorAll('form.inline-form')].find(f => f.querySelector('[name=id]').value == "dat_dai");
		f.querySelector('button[value=open]').click(); return "ok" })()`)
	p.Wait(`document.querySelector('.notice') ? document.querySelector('.notice').textContent : ""`, "~Đã mở lại Đất đai", 10*time.Second)

	// A counter for the new service: the kiosks' feed has it at once.
	p.Eval(`(() => { location.href = "/admin/counters"; return "ok" })()`)
	p.Wait(`document.title`, "~Quầy", 10*time.Second)
	p.Eval(`(() => { var f = document.querySelector('form.card');
		f.querySelector('[name=number]').value = "3";
		f.querySelectorAll('[name=service]').forEach(c => { c.checked = c.value == "dat_dai" || c.value == "ho_tich"; });
		f.submit(); return "ok" })()`)
	p.Wait(`document.querySelector('.notice') ? document.querySelector('.notice').textContent : ""`, "~Đã lưu", 10*time.Second)
	shot(t, p, "console-counters.png") // each counter's services ticked from the office's own
	kioskSees("the new counter", func(s queue.Snapshot) bool {
		return slices.ContainsFunc(s.Counters, func(c queue.Counter) bool {
			return c.Number == 3 && slices.Equal(c.Services, []string{"ho_tich", "dat_dai"}) // ticked, in the office's order
		})
	})
	if got := p.Eval(`document.querySelectorAll('form.row')[2].textContent`); !strings.Contains(got, "đóng / closed") {
		t.Errorf("the new counter's row does not say it is closed: %q", got)
	}
	shot(t, p, "console-counters.png")

	// A clerk added: the code shown once lets her choose her PIN at the
	// first login (here on the console's login page, as at an office PC);
	// that PIN then logs her in at a counter.
	p.Eval(`(() => { location.href = "/admin/users"; return "ok" })()`)
	p.Wait(`document.title`, "~Cán bộ", 10*time.Second)
	p.Eval(`(() => { var f = document.querySelector('form.card');
		f.querySelector('[name=username]').value = "hoa.nt"; f.querySelector('[name=name]').value = "Nguyễn Thị Hoa";
		f.submit(); return "ok" })()`)
	p.Wait(`document.querySelector('.pin .code') ? document.querySelector('.pin .code').textContent.length : 0`, "6", 10*time.Second)
	code := p.Eval(`document.querySelector('.pin .code') ? document.querySelector('.pin .code').textContent : ""`)
	if !strings.Contains(p.Eval(`document.body.textContent`), "chờ đặt PIN") {
		t.Error("the staff page does not say hoa.nt has not chosen a PIN yet")
	}
	shot(t, p, "console-users.png")
	if _, err := client.New(url, "").Login(ctx, "hoa.nt", code); problem.CodeOf(err) != problem.ESetPIN {
		t.Errorf("the one-time code alone (%q): %v, want set_pin", code, err)
	}
	p.Eval(`(() => { location.href = "/admin/login"; return "ok" })()`)
	p.Wait(`document.querySelector('[name=pin]') ? "form" : ""`, "form", 10*time.Second)
	p.Eval(`(() => { var f = document.querySelector('form.card');
		f.querySelector('[name=username]').value = "hoa.nt"; f.querySelector('[name=pin]').value = "` + code + `";
		f.submit(); return "ok" })()`)
	p.Wait(`document.querySelector('[name=new_pin2]') ? "asks" : ""`, "asks", 10*time.Second)
	shot(t, p, "console-first-login.png")
	p.Eval(`(() => { var f = document.querySelector('form.card');
		f.querySelector('[name=pin]').value = "` + code + `";
		f.querySelector('[name=new_pin]').value = "583920"; f.querySelector('[name=new_pin2]').value = "583920";
		f.submit(); return "ok" })()`)
	p.Wait(`document.querySelector('[role=status]') ? document.querySelector('[role=status]').textContent : ""`, "~Đã đặt mã PIN mới của hoa.nt", 10*time.Second)
	if _, err := client.New(url, "").Login(ctx, "hoa.nt", "583920"); err != nil {
		t.Errorf("the clerk cannot log in with the PIN she chose: %v", err)
	}

	// A board added: its key, shown once, opens the staff feed's door (a device).
	p.Eval(`(() => { location.href = "/admin/devices"; return "ok" })()`)
	p.Wait(`document.title`, "~Thiết bị", 10*time.Second)
	p.Eval(`(() => { var f = document.querySelector('form#add-device');
		f.querySelector('[name=id]').value = "tv-sanh"; f.querySelector('[name=kind]').value = "display";
		f.submit(); return "ok" })()`)
	p.Wait(`document.querySelector('.pin .code') ? "shown" : "none"`, "shown", 10*time.Second)
	key := p.Eval(`document.querySelector('.pin .code').textContent`)
	req, _ := http.NewRequest("GET", url+api.Me, nil)
	req.Header.Set("Authorization", "Bearer "+key)
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 200 {
		t.Errorf("the new board's key is refused: %v %v", resp, err)
	} else {
		resp.Body.Close()
	}
	// The second PC's key, from the same form: it opens the standby's
	// stream (the board's does not), and there is one at a time.
	p.Eval(`(() => { var f = document.querySelector('form#add-device');
		f.querySelector('[name=id]').value = "may-du-phong"; f.querySelector('[name=kind]').value = "standby";
		f.submit(); return "ok" })()`)
	p.Wait(`(() => { var c = document.querySelector('.pin .code'); return c && c.textContent !== "`+key+`" ? "new" : "" })()`, "new", 10*time.Second)
	standbyKey := p.Eval(`document.querySelector('.pin .code').textContent`)
	for k, want := range map[string]int{standbyKey: http.StatusBadRequest, key: http.StatusForbidden} {
		req, _ := http.NewRequest("GET", url+"/api/v1/standby/stream", nil) // not a websocket: the door only
		req.Header.Set("Authorization", "Bearer "+k)
		if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != want {
			t.Errorf("the standby's stream with a key of the console: %v %v, want %d", resp, err, want)
		} else {
			resp.Body.Close()
		}
	}
	shot(t, p, "console-devices.png")
	p.Eval(`(() => { var f = document.querySelector('form#add-device');
		f.querySelector('[name=id]').value = "may-thu-ba"; f.querySelector('[name=kind]').value = "standby";
		f.submit(); return "ok" })()`)
	p.Wait(`document.querySelector('[role=alert]') ? document.querySelector('[role=alert]').textContent : ""`, "~chỉ một máy dự phòng", 10*time.Second)

	p.Eval(`(() => { location.href = "/admin/calendar"; return "ok" })()`)
	p.Wait(`document.title`, "~Lịch", 10*time.Second)
	if n := p.Eval(`document.querySelectorAll('table.list tbody tr').length`); n == "0" || n == "" {
		t.Errorf("the calendar page lists no days")
	}
	shot(t, p, "console-calendar.png")

	p.Eval(`(() => { location.href = "/admin/catalogue"; return "ok" })()`)
	p.Wait(`document.title`, "~Thủ tục", 10*time.Second)
	shot(t, p, "console-catalogue.png")

	p.Eval(`(() => { location.href = "/admin/audit"; return "ok" })()`)
	p.Wait(`document.title`, "~Nhật ký", 10*time.Second)
	text := p.Eval(`document.querySelector('table.audit').textContent`)
	for _, want := range []string{"Hộ tịch – Khai sinh, kết hôn", "dat_dai", testserver.AdminUser} {
		if !strings.Contains(text, want) {
			t.Errorf("the audit page lacks %q:\n%s", want, text)
		}
	}
	shot(t, p, "console-audit.png")
}

// shot draws the page at 1366×768 into $MOTCUA_SCREENSHOTS, when set.
// consoleLogin opens the console's login in Chromium and logs in as user.
func consoleLogin(t *testing.T, url, user string) *browsertest.Page {
	t.Helper()
	p := browsertest.Start(t).Open(url + "/admin/login")
	p.Wait(`document.title`, "~Đăng nhập", 10*time.Second)
	p.Eval(`(() => { document.querySelector('[name=username]').value = "` + user + `";
		document.querySelector('[name=pin]').value = "` + testserver.PIN + `";
		document.querySelector('form').submit(); return "ok" })()`)
	return p
}

func shot(t *testing.T, p *browsertest.Page, name string) {
	dir := os.Getenv("MOTCUA_SCREENSHOTS")
	if dir == "" {
		return
	}
	if err := os.WriteFile(filepath.Join(dir, name), p.Screenshot(1366, 768), 0o644); err != nil {
		t.Fatal(err)
	}
}

// A holiday added in the console moves the return date of the next dossier:
// the intake counts working days by the calendar in force, no restart.
func TestConsoleCalendarMovesDue(t *testing.T) {
	proc := catalogue.Procedure{Code: "1.001193", Name: "Đăng ký khai sinh", Service: "ho_tich",
		Processing: catalogue.Duration{Amount: 3, Unit: catalogue.WorkingDays}, Documents: []catalogue.Document{{Name: "Tờ khai", Quantity: 1}}}
	o := office()
	o.AgencyCode = "XA.01"
	url, _ := testserver.Start(t, "127.0.0.1:0", t.TempDir(), o, proc)
	ctx := context.Background()
	clerk := client.New(url, "")
	if _, err := clerk.Login(ctx, testserver.Clerk, testserver.PIN); err != nil {
		t.Fatal(err)
	}
	due := func() time.Time {
		t.Helper()
		got, err := clerk.Intake(ctx, intake.Request{Outcome: "receive", Procedure: proc.Code, Applicant: intake.Applicant{Name: "Lê Văn A"},
			Received: []string{"Tờ khai"}, Sets: 1, Delivery: "desk"})
		if err != nil {
			t.Fatal(err)
		}
		return got.Dossier.DueAt
	}
	before := due()
	// A holiday on the first working day before the due date.
	loc, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	shipped, _ := calendar.ParseYears(assets.Calendars, "calendar/*.json")
	cal, _ := calendar.New(loc, calendar.DefaultHours(), shipped...)
	day := before.In(loc).AddDate(0, 0, -1)
	for !cal.Working(day) { // a weekend or a day the calendar already closes
		day = day.AddDate(0, 0, -1)
	}
	jar, _ := cookiejar.New(nil)
	web := &http.Client{Jar: jar, Timeout: 10 * time.Second}
	if resp, err := web.PostForm(url+"/admin/login", neturl.Values{"username": {testserver.AdminUser}, "pin": {testserver.PIN}}); err != nil || resp.Request.URL.Path != "/admin" {
		t.Fatalf("console login: %v %v", resp, err)
	}
	resp, err := web.PostForm(url+"/admin/calendar", neturl.Values{"version": {"0"}, "action": {"add"}, "date": {day.Format("2006-01-02")}, "kind": {"holiday"}, "name": {"Nghỉ đột xuất"}})
	if err != nil || resp.Request.URL.RawQuery != "saved=1" {
		t.Fatalf("adding the holiday: %v %v", resp, err)
	}
	resp.Body.Close()
	after := due()
	if !after.After(before) {
		t.Errorf("with a holiday on %s the due date stays %v (was %v)", day.Format("02/01"), after, before)
	}

	// A year's file imported replaces that year: one with an error names the
	// date and changes nothing; a good one with one more day off moves the
	// next due date again.
	year := day.Year()
	i := slices.IndexFunc(shipped, func(y calendar.Year) bool { return y.Year == year })
	if i < 0 {
		t.Fatalf("no shipped calendar for %d", year)
	}
	file := shipped[i]
	file.Entries = append(slices.Clone(file.Entries), calendar.Entry{Date: day.Format("2006-01-02"), Kind: calendar.Holiday, Name: "Nghỉ đột xuất"})
	next := after.In(loc).AddDate(0, 0, -1)
	for !cal.Working(next) || next.Format("2006-01-02") == day.Format("2006-01-02") {
		next = next.AddDate(0, 0, -1)
	}
	upload := func(y calendar.Year) (int, string) {
		raw, _ := json.Marshal(y)
		var body bytes.Buffer
		m := multipart.NewWriter(&body)
		m.WriteField("version", "0")
		m.WriteField("action", "import")
		fw, _ := m.CreateFormFile("upload", fmt.Sprintf("vn-%d.json", y.Year))
		fw.Write(raw)
		m.Close()
		resp, err := web.Post(url+"/admin/calendar", m.FormDataContentType(), &body)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		page, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(page)
	}
	broken := file
	broken.Entries = append(slices.Clone(file.Entries), calendar.Entry{Date: next.Format("2006-01-02"), Kind: calendar.MakeUp, Name: "Làm bù"})
	if code, page := upload(broken); code != 400 || !strings.Contains(page, next.Format("2006-01-02")) {
		t.Errorf("a make-up day on a weekday: %d, the date not named", code)
	}
	if got := due(); !got.Equal(after) {
		t.Errorf("a refused file moved the due date: %v, was %v", got, after)
	}
	file.Entries = append(file.Entries, calendar.Entry{Date: next.Format("2006-01-02"), Kind: calendar.Holiday, Name: "Nghỉ bù theo thông báo"})
	slices.SortFunc(file.Entries, func(a, b calendar.Entry) int { return strings.Compare(a.Date, b.Date) })
	if code, page := upload(file); code != 200 || !strings.Contains(page, fmt.Sprintf("Đã nhập lịch năm %d", year)) || !strings.Contains(page, "Nghỉ bù theo thông báo") {
		t.Fatalf("importing the year: %d\n%s", code, page)
	}
	if got := due(); !got.After(after) {
		t.Errorf("with the imported day off on %s the due date stays %v", next.Format("02/01"), got)
	}
}

// The desk head's reports page in Chromium: the supervisor logs in and lands
// on it; this month's figures, four charts, the files; the settings' pages
// are not hers. The workbook behind the link has the page's totals.
func TestReportsInChromium(t *testing.T) {
	url, _ := testserver.Start(t, "127.0.0.1:0", t.TempDir(), office())
	ctx := context.Background()
	kiosk, clerk, rater := client.New(url, testserver.KioskKey), client.New(url, ""), client.New(url, testserver.RatingKey)
	ratingScreen(t, url)
	if _, err := clerk.Login(ctx, testserver.Clerk, testserver.PIN); err != nil {
		t.Fatal(err)
	}
	clerk.CounterAction(ctx, 1, "open")
	for i := range 4 {
		tk, err := kiosk.Issue(ctx, "ho_tich", "")
		if err != nil {
			t.Fatal(err)
		}
		if i == 3 {
			break // one still waits
		}
		clerk.Next(ctx, 1)
		clerk.TicketAction(ctx, 1, "finish", api.CounterRequest{})
		if i < 2 {
			if _, err := rater.Rate(ctx, 1, tk.ID, []string{"very_satisfied", "unsatisfied"}[i], []string{"slow"}[:i]); err != nil {
				t.Fatal(err)
			}
		}
	}
	p := consoleLogin(t, url, testserver.Supervisor)
	p.Wait(`location.pathname + " " + document.title`, "/admin/reports Báo cáo — Quản trị motcua", 10*time.Second)
	if n := p.Eval(`document.querySelectorAll('svg.chart').length + " " + document.querySelectorAll('svg.chart rect').length`); n != "5 4" { // arrivals (1 hour), served (counter 1), ratings (2 levels); the waits round to 0,0 and no dossier is due: no column
		t.Errorf("charts and columns: %s", n)
	}
	issued := p.Eval(`[...document.querySelectorAll('table.report')][0].querySelector('tbody td:nth-child(2)').textContent`)
	served := p.Eval(`[...document.querySelectorAll('table.report')][0].querySelector('tbody td:nth-child(3)').textContent`)
	if issued != "4" || served != "3" {
		t.Errorf("the page's total: issued %q served %q", issued, served)
	}
	if nav := p.Eval(`document.querySelector('nav').textContent`); strings.Contains(nav, "Văn phòng") || !strings.Contains(nav, "Báo cáo") {
		t.Errorf("the supervisor's menu: %q", nav)
	}
	shot(t, p, "console-reports.png")
	p.Eval(`(() => { [...document.querySelectorAll('.presets a')].find(a => a.textContent.startsWith("Quý ")).click(); return "ok" })()`)
	p.Wait(`document.querySelector('.presets a.on') ? document.querySelector('.presets a.on').textContent : ""`, "~Quý ", 10*time.Second)
	shot(t, p, "console-reports-quarter.png")
	p.Eval(`(() => { location.href = "/admin/users"; return "ok" })()`)
	p.Wait(`document.title`, "~Không được phép", 10*time.Second)

	// The workbook behind the page's link, fetched with the page's cookie.
	p.Eval(`(() => { location.href = "/admin/reports"; return "ok" })()`)
	p.Wait(`document.title`, "~Báo cáo", 10*time.Second)
	link := p.Eval(`[...document.querySelectorAll('p.files a')].find(a => a.textContent.startsWith("Excel")).getAttribute('href')`)
	jar, _ := cookiejar.New(nil)
	web := &http.Client{Jar: jar, Timeout: 10 * time.Second}
	if _, err := web.PostForm(url+"/admin/login", neturl.Values{"username": {testserver.Supervisor}, "pin": {testserver.PIN}}); err != nil {
		t.Fatal(err)
	}
	resp, err := web.Get(url + link)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("the workbook: %v %v", resp, err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	f, err := excelize.OpenReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if v, _ := f.GetCellValue("Tổng hợp", "B4"); v != issued {
		t.Errorf("the workbook's issued %q, the page's %q", v, issued)
	}
}

// /cong-khai, for anyone: this month's on-time rate by field, the overdue,
// the satisfaction and today's wait — and nothing of the applicant (name,
// ID number, phone, address) nor of the clerk.
func TestPublicPageInChromium(t *testing.T) {
	proc := catalogue.Procedure{Code: "1.001193", Name: "Đăng ký khai sinh", Field: "Hộ tịch", Service: "ho_tich",
		Processing: catalogue.Duration{Amount: 3, Unit: catalogue.WorkingDays}, Documents: []catalogue.Document{{Name: "Tờ khai", Quantity: 1}}}
	o := office()
	o.AgencyCode = "XA.01"
	url, _ := testserver.Start(t, "127.0.0.1:0", t.TempDir(), o, proc)
	ctx := context.Background()
	clerk := client.New(url, "")
	if _, err := clerk.Login(ctx, testserver.Clerk, testserver.PIN); err != nil {
		t.Fatal(err)
	}
	secret := intake.Applicant{Name: "Trần Thị Bí Mật", IDNumber: "079123456789", Phone: "0912345678", Address: "Số 7 ngõ Kín, phường Riêng"}
	got, err := clerk.Intake(ctx, intake.Request{Outcome: "receive", Procedure: proc.Code, Applicant: secret, Received: []string{"Tờ khai"}, Sets: 1, Delivery: "desk"})
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range []intake.Status{intake.Processing, intake.Ready} {
		if _, err := clerk.SetDossierStatus(ctx, got.Dossier.Code, st, ""); err != nil {
			t.Fatal(err)
		}
	}
	resp, err := http.Get(url + "/cong-khai")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("/cong-khai: %v %v", resp, err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	page := string(raw)
	for _, leak := range []string{secret.Name, secret.IDNumber, secret.Phone, secret.Address, "079", "0912", "Nguyễn Thị Lan", got.Dossier.Code} {
		if strings.Contains(page, leak) {
			t.Errorf("the public page shows %q", leak)
		}
	}
	loc, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	now := time.Now().In(loc)
	for _, want := range []string{"Hộ tịch", fmt.Sprintf("Tháng %d/%d", now.Month(), now.Year()), "100,0%", "hồ sơ đang quá hạn"} {
		if !strings.Contains(page, want) {
			t.Errorf("the public page lacks %q", want)
		}
	}
	// The period's data as CSV rows for the desk head: the dossier and the
	// ticket are there, the applicant is not.
	head := client.New(url, "")
	if _, err := head.Login(ctx, testserver.Supervisor, testserver.PIN); err != nil {
		t.Fatal(err)
	}
	day := now.Format("2006-01-02")
	for what, want := range map[string]string{"dossiers": got.Dossier.Code + ",1.001193,Đăng ký khai sinh,ho_tich,lan", "tickets": "id,day,number"} {
		raw, err := head.Fetch(ctx, "/api/v1/admin/export?what="+what+"&from="+day+"&to="+day)
		if err != nil || !strings.Contains(string(raw), want) {
			t.Errorf("the %s export: %v\n%s", what, err, raw)
		}
		for _, leak := range []string{secret.Name, secret.IDNumber, secret.Phone, secret.Address} {
			if strings.Contains(string(raw), leak) {
				t.Errorf("the %s export shows %q", what, leak)
			}
		}
	}
	if _, err := clerk.Fetch(ctx, "/api/v1/admin/export?what=tickets&from="+day+"&to="+day); err == nil {
		t.Error("a clerk exported the tickets")
	}
	b := browsertest.Start(t)
	p := b.Open(url + "/cong-khai")
	p.Wait(`document.title`, "~Công khai", 10*time.Second)
	if n := p.Eval(`document.querySelectorAll('table.report tbody tr').length`); n != "4" { // Hộ tịch and the total, this month and this quarter
		t.Errorf("%s rows", n)
	}
	shot(t, p, "cong-khai.png")
}

// The live room in Chromium follows the feed without a reload: a ticket
// issued shows in its service's queue, a call at counter 1 on its row, an
// unsatisfied rating as an alert, which the supervisor acknowledges.
func TestLiveRoomInChromium(t *testing.T) {
	url, _ := testserver.Start(t, "127.0.0.1:0", t.TempDir(), office())
	ctx := context.Background()
	kiosk, clerk, rater := client.New(url, testserver.KioskKey), client.New(url, ""), client.New(url, testserver.RatingKey)
	ratingScreen(t, url)
	if _, err := clerk.Login(ctx, testserver.Clerk, testserver.PIN); err != nil {
		t.Fatal(err)
	}
	p := consoleLogin(t, url, testserver.Supervisor)
	p.Wait(`location.pathname`, "/admin/reports", 10*time.Second)
	p.Eval(`(() => { location.href = "/admin/live"; return "ok" })()`)
	p.Wait(`document.getElementById('live-state') ? document.getElementById('live-state').textContent : ""`, "~đang theo dõi", 10*time.Second)
	waiting := `document.querySelector('tr[data-service=ho_tich] .waiting').textContent`
	if got := p.Eval(waiting); got != "0" {
		t.Fatalf("waiting before: %q", got)
	}
	tk, err := kiosk.Issue(ctx, "ho_tich", "")
	if err != nil {
		t.Fatal(err)
	}
	p.Wait(waiting, "1", 10*time.Second) // redrawn from the feed, no reload
	clerk.CounterAction(ctx, 1, "open")
	clerk.Next(ctx, 1)
	p.Wait(`document.querySelector('tr[data-counter="1"] .current').textContent`, tk.Display, 10*time.Second)
	if got := p.Eval(`document.querySelector('tr[data-counter="1"] .state').textContent`); got != "đang phục vụ / serving" {
		t.Errorf("counter 1's state: %q", got)
	}
	clerk.TicketAction(ctx, 1, "finish", api.CounterRequest{})
	if _, err := rater.Rate(ctx, 1, tk.ID, "unsatisfied", []string{"slow"}); err != nil {
		t.Fatal(err)
	}
	p.Wait(`document.querySelectorAll('table.alerts tr.open').length`, "1", 10*time.Second)
	p.Wait(`document.querySelector('tr[data-counter="1"] .served').textContent`, "1", 10*time.Second)
	shot(t, p, "console-live.png")
	p.Eval(`(() => { var f = document.querySelector('table.alerts form'); f.querySelector('[name=note]').value = "Đã gặp công dân, xin lỗi";
		f.submit(); return "ok" })()`)
	p.Wait(`document.querySelector('.notice') ? document.querySelector('.notice').textContent : ""`, "~Đã xác nhận", 10*time.Second)
	if got := p.Eval(`document.querySelector('table.alerts tr.acked td:last-child').textContent`); !strings.Contains(got, "tam") || !strings.Contains(got, "Đã gặp công dân") {
		t.Errorf("the acknowledged alert: %q", got)
	}
}

// ratingScreen puts counter 1's rating screen on the feed, as the tablet
// follows it, until the test ends: a finish there asks the citizen's
// rating only while a screen is there to ask it.
func ratingScreen(t testing.TB, url string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	synced := make(chan struct{})
	var once sync.Once
	go client.New(url, testserver.RatingKey).Subscribe(ctx, func(u api.Update) {
		if u.Snapshot != nil {
			once.Do(func() { close(synced) })
		}
	})
	select {
	case <-synced:
	case <-time.After(10 * time.Second):
		t.Fatal("the rating screen did not get on the feed")
	}
}
