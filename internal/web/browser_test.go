package web_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"motcua/internal/api"
	"motcua/internal/browsertest"
	"motcua/internal/calendar"
	"motcua/internal/catalogue"
	"motcua/internal/client"
	"motcua/internal/intake"
	"motcua/internal/queue"
	"motcua/internal/testserver"
)

func office() queue.Office {
	return queue.Office{
		Name:     "Bộ phận Một cửa phường Thử",
		Services: []queue.ServiceConfig{{ID: "ho_tich", Name: "Hộ tịch", RangeStart: 1001, RangeEnd: 1999}},
		Counters: []queue.CounterConfig{{Number: 1, Services: []string{"ho_tich"}}, {Number: 2, Services: []string{"ho_tich"}}},
		Display:  queue.DisplayConfig{Ticker: "Tra cứu hồ sơ: quét mã QR trên phiếu hẹn"},
	}
}

// In headless Chromium: the board and the citizen's page show a call within a
// second; the board shows it lost the server, recovers by itself, and does not
// show the old call as new.
func TestBoardAndTicketPagesInChromium(t *testing.T) {
	dir := t.TempDir()
	url, stop := testserver.Start(t, "127.0.0.1:0", dir, office())
	ctx := context.Background()
	kiosk := client.New(url, testserver.KioskKey)
	tk, err := kiosk.Issue(ctx, "ho_tich", "")
	if err != nil {
		t.Fatal(err)
	}
	second, err := kiosk.Issue(ctx, "ho_tich", "")
	if err != nil {
		t.Fatal(err)
	}

	b := browsertest.Start(t)
	board := b.Open(url + "/board")
	phone := b.Open(url + "/t/" + tk.Token)
	phone2 := b.Open(url + "/t/" + second.Token)
	phone2.Wait(`document.getElementById("status").textContent`, "Còn 1 người trước bạn · chưa có quầy mở — vui lòng chờ", 20*time.Second)
	board.Wait(`document.body.dataset.online`, "yes", 20*time.Second)
	board.Wait(`document.getElementById("office").textContent`, "Bộ phận Một cửa phường Thử", 5*time.Second)
	// No counter is open yet: the phones promise nothing.
	phone.Wait(`document.getElementById("status").textContent`, "Chưa có quầy mở — vui lòng chờ", 20*time.Second)
	if got := board.Eval(`document.getElementById("waiting").textContent`); got != "Hộ tịch: 2 người chờ" {
		t.Errorf("board waiting %q", got)
	}
	loc, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	board.Wait(`document.getElementById("clock").textContent.slice(-10)`, time.Now().In(loc).Format("02/01/2006"), 5*time.Second) // the office's date, 01/12/2026

	clerk := client.New(url, "")
	if _, err := clerk.Login(ctx, testserver.Clerk, testserver.PIN); err != nil {
		t.Fatal(err)
	}
	if _, _, err := clerk.Next(ctx, 2); err != nil {
		t.Fatal(err)
	}
	onBoard := board.Wait(`document.getElementById("hero-number").textContent + " " + document.getElementById("hero").className`, "1001 panel hero new", 5*time.Second)
	onPhone := phone.Wait(`document.getElementById("status").textContent`, "Đến lượt bạn — mời đến quầy 2", 5*time.Second)
	t.Logf("the call reached the board in %s and the phone in %s", onBoard, onPhone)
	if onBoard > time.Second || onPhone > time.Second {
		t.Errorf("the call took %s (board) and %s (phone); want within a second", onBoard, onPhone)
	}
	// The second phone worked out that it is next, from the feed alone: each
	// page fetched its ticket once, when it connected, and never per event.
	phone2.Wait(`document.getElementById("status").textContent`, "~Bạn là người kế tiếp", 5*time.Second)
	fetches := `String(performance.getEntriesByType("resource").filter(function (e) { return e.name.indexOf("/api/v1/tickets/") >= 0; }).length)`
	if got, got2 := phone.Eval(fetches), phone2.Eval(fetches); got != "1" || got2 != "1" {
		t.Errorf("the phones fetched their tickets %s and %s times; want once each (the feed says the rest)", got, got2)
	}
	if got := board.Eval(`document.getElementById("caption").textContent`); got != "Mời công dân có số thứ tự 1001 đến quầy số 2" {
		t.Errorf("caption %q", got)
	}
	if got := board.Eval(`document.getElementById("waiting").textContent`); got != "Hộ tịch: 1 người chờ" {
		t.Errorf("board waiting after the call %q", got)
	}

	// Kill the server: the board says so; bring it back: it recovers alone.
	addr := strings.TrimPrefix(url, "http://")
	stop()
	board.Wait(`document.body.dataset.online`, "no", 10*time.Second)
	if got := board.Eval(`document.getElementById("banner").className`); got != "banner" {
		t.Errorf("banner hidden while offline: %q", got)
	}
	testserver.Start(t, addr, dir, office())
	board.Wait(`document.body.dataset.online`, "yes", 20*time.Second)
	if got := board.Eval(`document.getElementById("hero-number").textContent + " " + document.getElementById("hero").className + " " + document.getElementById("hero-label").textContent`); got != "1001 panel hero VỪA GỌI" {
		t.Errorf("after the restart the board shows %q; the old call must not be new", got)
	}
	phone.Wait(`document.getElementById("status").textContent`, "Đến lượt bạn — mời đến quầy 2", 10*time.Second)
}

func TestUnknownTicketPage(t *testing.T) {
	url, _ := testserver.Start(t, "127.0.0.1:0", t.TempDir(), office())
	resp, err := http.Get(url + "/t/khong-co-phieu-nay")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 404 || !strings.Contains(string(body), "Không tìm thấy phiếu này") || !strings.Contains(resp.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("unknown ticket: %d %s\n%s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
}

// The receipt's QR opens /tra-cuu on a phone: the dossier's status, no personal data.
func TestLookupPage(t *testing.T) {
	url, _ := testserver.Start(t, "127.0.0.1:0", t.TempDir(), lookupOffice(), khaiSinh)
	ctx := context.Background()
	clerk := client.New(url, "")
	if _, err := clerk.Login(ctx, testserver.Clerk, testserver.PIN); err != nil {
		t.Fatal(err)
	}
	got, err := clerk.Intake(ctx, intake.Request{Outcome: "receive", Procedure: khaiSinh.Code, Applicant: intake.Applicant{Name: "Nguyễn Văn Bí Mật"},
		Received: []string{"Tờ khai"}, Sets: 1, Delivery: "desk"})
	if err != nil {
		t.Fatal(err)
	}
	// The paper handed in is scanned: the page says "đã số hóa" for it.
	if _, err := clerk.ScanDocument(ctx, got.Dossier.Code, 1, []byte("%PDF-1.4\n/Type /Page \n%%EOF\n"), "folder"); err != nil {
		t.Fatal(err)
	}
	b := browsertest.Start(t)
	page := b.Open(url + "/tra-cuu?ma=" + got.Dossier.Code + "&pin=" + got.Dossier.LookupPIN)
	page.Wait(`document.body.dataset.status`, "received", 20*time.Second)
	if txt := page.Eval(`document.getElementById("papers").innerText`); txt != "Tờ khai — đã số hóa / digitised" {
		t.Errorf("papers %q", txt)
	}
	if txt := page.Eval(`document.body.innerText`); !strings.Contains(txt, "Đăng ký khai sinh") || strings.Contains(txt, "Bí Mật") {
		t.Fatalf("lookup page:\n%s", txt)
	}
	// The appointment in the office's time, whatever the browser's zone
	// (this machine's is UTC): "10:30 02/12/2026", no seconds.
	loc, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	if txt, want := page.Eval(`document.getElementById("due").textContent`), "Hẹn trả / Due: "+got.Dossier.DueAt.In(loc).Format("15:04 02/01/2006"); txt != want {
		t.Errorf("due %q, want %q", txt, want)
	}
	wrong := b.Open(url + "/tra-cuu?ma=" + got.Dossier.Code + "&pin=x")
	wrong.Wait(`document.getElementById("status").textContent`, "~Không tìm thấy hồ sơ", 20*time.Second)
}

func lookupOffice() queue.Office {
	o := office()
	o.AgencyCode = "XA.01"
	return o
}

var khaiSinh = catalogue.Procedure{Code: "1.001193", Name: "Đăng ký khai sinh", Service: "ho_tich",
	Processing: catalogue.Duration{Amount: 3, Unit: catalogue.WorkingDays}, Documents: []catalogue.Document{{Name: "Tờ khai", Quantity: 1}}}

// A ticket still waiting when the day ends expires, and its page says so
// instead of "you are next" for ever.
func TestExpiredTicketPage(t *testing.T) {
	loc, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	clock := testserver.NewClock(time.Date(2026, 11, 23, 16, 30, 0, 0, loc))
	url, _ := testserver.StartClock(t, "127.0.0.1:0", t.TempDir(), office(), clock.Now)
	ctx := context.Background()
	kiosk := client.New(url, testserver.KioskKey)
	tk, err := kiosk.Issue(ctx, "ho_tich", "")
	if err != nil {
		t.Fatal(err)
	}
	b := browsertest.Start(t)
	phone := b.Open(url + "/t/" + tk.Token)
	// No counter is open yet: the phones promise nothing.
	phone.Wait(`document.getElementById("status").textContent`, "Chưa có quầy mở — vui lòng chờ", 20*time.Second)
	clock.Add(8 * time.Hour)                                   // 00:30 the next day
	if _, err := kiosk.Issue(ctx, "ho_tich", ""); err != nil { // the command's tick starts the day
		t.Fatal(err)
	}
	phone.Wait(`document.getElementById("status").textContent`, "~Phiếu đã hết hạn", 10*time.Second)
	if got, err := kiosk.TicketStatus(ctx, tk.Token); err != nil || got.State != queue.Expired || got.Ahead != 0 {
		t.Errorf("the expired ticket over the API: %+v %v", got, err)
	}
}

// A burst of issues reaches the pages in short (an issued frame): the
// board's waiting count takes the tickets counted but not listed, and each
// leaves it when called; a priority ticket in the burst is listed, so a
// phone counts it ahead; the phone's own place holds.
func TestBurstsOfIssuesInChromium(t *testing.T) {
	o := office()
	o.PriorityClasses = []queue.PriorityClass{{ID: "elderly", Name: "Người cao tuổi"}}
	url, _ := testserver.Start(t, "127.0.0.1:0", t.TempDir(), o)
	ctx := context.Background()
	kiosk := client.New(url, testserver.KioskKey)
	mine, err := kiosk.Issue(ctx, "ho_tich", "")
	if err != nil {
		t.Fatal(err)
	}
	b := browsertest.Start(t)
	board := b.Open(url + "/board")
	phone := b.Open(url + "/t/" + mine.Token)
	board.Wait(`document.getElementById("waiting").textContent`, "Hộ tịch: 1 người chờ", 20*time.Second)
	phone.Wait(`document.getElementById("status").textContent`, "Chưa có quầy mở — vui lòng chờ", 20*time.Second)
	for i := range 7 {
		priority := ""
		if i == 3 {
			priority = "elderly"
		}
		if _, err := kiosk.Issue(ctx, "ho_tich", priority); err != nil {
			t.Fatal(err)
		}
	}
	board.Wait(`document.getElementById("waiting").textContent`, "Hộ tịch: 8 người chờ", 10*time.Second)
	if got := board.Eval(`document.body.dataset.bursts`); got == "" || got == "0" {
		t.Errorf("the board took no issued frame (%q): the burst came as events", got)
	}
	phone.Wait(`document.getElementById("status").textContent`, "Còn 1 người trước bạn · chưa có quầy mở — vui lòng chờ", 10*time.Second)
	clerk := client.New(url, "")
	if _, err := clerk.Login(ctx, testserver.Clerk, testserver.PIN); err != nil {
		t.Fatal(err)
	}
	for i, want := range []struct{ board, phone string }{
		{"Hộ tịch: 7 người chờ", "~Bạn là người kế tiếp"},           // the priority ticket
		{"Hộ tịch: 6 người chờ", "Đến lượt bạn — mời đến quầy 1"},   // mine
		{"Hộ tịch: 5 người chờ", "Đã phục vụ xong. Cảm ơn Ông/Bà!"}, // one counted, not listed
	} {
		if i > 0 {
			if _, err := clerk.TicketAction(ctx, 1, "finish", api.CounterRequest{}); err != nil {
				t.Fatal(err)
			}
		}
		if _, _, err := clerk.Next(ctx, 1); err != nil {
			t.Fatal(err)
		}
		board.Wait(`document.getElementById("waiting").textContent`, want.board, 5*time.Second)
		phone.Wait(`document.getElementById("status").textContent`, want.phone, 5*time.Second)
	}
}

// The board posts the working hours the office keeps — its settings', the
// ones its due dates count and its services issue in — beside the office's
// own words, never typed twice; an office without them (the demo) issues
// at any hour and its board says so.
func TestBoardPostsTheKeptHours(t *testing.T) {
	o := office()
	url, _ := testserver.Start(t, "127.0.0.1:0", t.TempDir(), o)
	b := browsertest.Start(t)
	board := b.Open(url + "/board")
	board.Wait(`document.getElementById("ticker").textContent`, "Giờ làm việc / Hours: 7:30–11:30, 13:30–17:30 · Cấp số cả ngày / Tickets at any hour · Tra cứu hồ sơ: quét mã QR trên phiếu hẹn", 20*time.Second)
	o.Hours = calendar.Hours{Weekday: []calendar.Session{{Start: "07:00", End: "11:30"}, {Start: "13:00", End: "17:00"}}, Saturday: []calendar.Session{{Start: "07:30", End: "11:30"}}}
	url, _ = testserver.Start(t, "127.0.0.1:0", t.TempDir(), o)
	board = b.Open(url + "/board")
	board.Wait(`document.getElementById("ticker").textContent`, "Giờ làm việc / Hours: 7:00–11:30, 13:00–17:00; thứ Bảy / Sat 7:30–11:30 · Tra cứu hồ sơ: quét mã QR trên phiếu hẹn", 20*time.Second)
}
