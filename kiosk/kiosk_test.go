package kiosk

import (
	"context"
	"fmt"
	"image"
	"io"
	"net"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"motcua/internal/api"
	"motcua/internal/catalogue"
	"motcua/internal/client"
	"motcua/internal/escpos"
	"motcua/internal/printout"
	"motcua/internal/queue"
	"motcua/internal/testserver"
	"motcua/internal/testwait"
	"motcua/internal/ui"
	"motcua/internal/uitest"
)

const key = testserver.KioskKey

func office() queue.Office {
	return queue.Office{
		Name: "Trung tâm Phục vụ hành chính công phường Thử", AgencyCode: "XA.01",
		Services: []queue.ServiceConfig{
			{ID: "ho_tich", Name: "Hộ tịch", Subtitle: "Khai sinh, kết hôn, khai tử", RangeStart: 1001, RangeEnd: 1999, Procedures: []string{"Đăng ký khai sinh", "Đăng ký kết hôn"}},
			{ID: "chung_thuc", Name: "Chứng thực", RangeStart: 2001, RangeEnd: 2999},
			{ID: "tra_ket_qua", Name: "Trả kết quả", RangeStart: 5001, RangeEnd: 5999},
		},
		Counters:        []queue.CounterConfig{{Number: 1, Services: []string{"ho_tich", "chung_thuc", "tra_ket_qua"}}},
		PriorityClasses: []queue.PriorityClass{{ID: "elderly", Name: "Người cao tuổi"}},
	}
}

// procedures is the test office's catalogue.
func procedures() []catalogue.Procedure {
	return []catalogue.Procedure{{Code: "1.001193", Name: "Đăng ký khai sinh", NameEN: "Birth registration", Field: "Hộ tịch", Service: "ho_tich",
		Processing: catalogue.Duration{Unit: catalogue.SameDay}, Fees: []catalogue.Fee{{Name: "Lệ phí", Amount: 0}},
		Documents: []catalogue.Document{{Name: "Tờ khai đăng ký khai sinh", Quantity: 1, Kind: "original"}, {Name: "Giấy chứng sinh", Quantity: 1, Kind: "original"}}}}
}

// testOffice and testProcedures are what realServer serves (the screenshots use the demo's).
var (
	testOffice     = office()
	testProcedures = procedures()
)

// realServer runs the real server for these tests (see internal/testserver).
func realServer(t *testing.T, addr, dir string) (string, func()) {
	t.Helper()
	return testserver.Start(t, addr, dir, testOffice, testProcedures...)
}

// fakePrinter accepts print jobs on loopback and counts them.
func fakePrinter(t *testing.T) (string, chan []byte) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	jobs := make(chan []byte, 10)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			b, _ := io.ReadAll(c)
			c.Close()
			jobs <- b
		}
	}()
	return ln.Addr().String(), jobs
}

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

type rig struct {
	t     *testing.T
	k     *Kiosk
	w     fyne.Window
	url   string
	stop  func()
	clock *clock
}

func newRig(t *testing.T, printer printout.Printer, opts ...func(*Config)) *rig {
	url, stop := realServer(t, "127.0.0.1:0", t.TempDir())
	return newRigAt(t, url, stop, printer, opts...)
}

// newRigAt is newRig on the server at url.
func newRigAt(t *testing.T, url string, stop func(), printer printout.Printer, opts ...func(*Config)) *rig {
	a := test.NewApp()
	t.Cleanup(a.Quit)
	a.Settings().SetTheme(ui.TouchTheme())
	w := test.NewWindow(nil)
	w.Resize(fyne.NewSize(1080, 1920))
	c := &clock{t: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)}
	r := &rig{t: t, w: w, url: url, stop: stop, clock: c}
	uitest.Thread.Lock()
	cfg := Config{PublicURL: "http://192.168.1.10:8080", Printer: printer, Now: c.Now,
		ShowTicketFor: 10 * time.Second, UI: ui.NewBridge(uitest.OnUI, nil)}
	for _, o := range opts {
		o(&cfg)
	}
	r.k = New(w, client.New(url, key), cfg)
	uitest.Thread.Unlock()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	r.k.Start(ctx)
	r.waitScreen("home")
	return r
}

// screen is the kiosk's screen, read on the UI goroutine.
func (r *rig) screen() string {
	uitest.Thread.Lock()
	defer uitest.Thread.Unlock()
	return r.k.Screen()
}

func (r *rig) waitScreen(want string) {
	r.t.Helper()
	testwait.Until(r.t, 10*time.Second, func() bool { return r.screen() == want },
		func() string { return fmt.Sprintf("screen %q, want %q", r.screen(), want) })
}

// tap taps the button whose text starts with prefix, on the UI thread.
func (r *rig) tap(prefix string) {
	r.t.Helper()
	uitest.Thread.Lock()
	defer uitest.Thread.Unlock()
	test.Tap(r.button(prefix))
}

// text reads the text of the button starting with prefix, on the UI thread.
func (r *rig) text(prefix string) string {
	r.t.Helper()
	uitest.Thread.Lock()
	defer uitest.Thread.Unlock()
	text, _ := uitest.Label(r.button(prefix))
	return text
}

// button finds the button whose text starts with prefix on the window.
func (r *rig) button(prefix string) uitest.Pressable {
	r.t.Helper()
	found := uitest.Button(r.w.Content(), prefix)
	if found == nil {
		r.t.Fatalf("no button %q on screen %q", prefix, r.k.Screen())
	}
	return found
}

func (r *rig) state() queue.Snapshot {
	s, err := client.New(r.url, "").State(context.Background())
	if err != nil {
		r.t.Fatal(err)
	}
	return s
}

func TestOneTapTicketIsPrinted(t *testing.T) {
	addr, jobs := fakePrinter(t)
	r := newRig(t, thermal(addr))
	r.tap("Hộ tịch")
	r.waitScreen("ticket")
	printed(t, jobs)
	if s := r.state(); len(s.Tickets) != 1 || s.Tickets[0].Number != 1001 {
		t.Fatalf("server state after one tap: %+v", s.Tickets)
	}
	// The waiting count on the home screen comes from the feed.
	r.tap("Về trang chủ")
	r.waitScreen("home")
	testwait.Until(t, 5*time.Second, func() bool { return strings.Contains(r.text("Hộ tịch"), "1 người đang chờ") }, func() string { return fmt.Sprintf("home button says %q", r.text("Hộ tịch")) })
}

func TestPriorityInTwoTaps(t *testing.T) {
	r := newRig(t, nil)
	r.tap("Ưu tiên")
	r.waitScreen("priority")
	r.tap("Người cao tuổi")
	r.waitScreen("home")
	if got := r.labels(); !strings.Contains(got, "Đã chọn ưu tiên: Người cao tuổi — bây giờ chọn dịch vụ") {
		t.Errorf("home after the priority choice does not say what to do next:\n%s", got)
	}
	r.tap("Chứng thực")
	r.waitScreen("ticket")
	clerk := client.New(r.url, "") // the staff view says the class; the public view only that it goes ahead
	if _, err := clerk.Login(context.Background(), testserver.Clerk, testserver.PIN); err != nil {
		t.Fatal(err)
	}
	if s, err := clerk.State(context.Background()); err != nil || len(s.Tickets) != 1 || s.Tickets[0].Priority != "elderly" {
		t.Fatalf("ticket %+v (%v), want the elderly priority", s.Tickets, err)
	}
	if s := r.state(); len(s.Tickets) != 1 || s.Tickets[0].Priority != queue.PublicPriority {
		t.Fatalf("the public view's ticket %+v, want only %q", s.Tickets, queue.PublicPriority)
	}
	if got := r.labels(); !strings.Contains(got, "Ưu tiên: Người cao tuổi") {
		t.Errorf("the ticket on screen does not show its priority as the paper does:\n%s", got)
	}
	// The priority screen has a way back that chooses nothing.
	r.tap("Về trang chủ")
	r.waitScreen("home")
	r.tap("Ưu tiên")
	r.waitScreen("priority")
	r.tap("Quay lại")
	r.waitScreen("home")
}

func TestPrintFailureCancelsTheTicket(t *testing.T) {
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close() // nothing listens: the printer is off
	r := newRig(t, thermal(addr))
	r.tap("Hộ tịch")
	r.waitScreen("error")
	if s := r.state(); len(s.Tickets) != 0 || s.Services[0].Waiting != 0 {
		t.Fatalf("a ticket that never printed is still in the queue: %+v", s.Tickets)
	}
	// The log holds the issue, the cancel, the printer's report and the
	// supervisors' alert made of it (exactly four events after the settings
	// seeded at seq 1: no counter moved).
	if s := r.state(); s.Seq != 5 {
		t.Errorf("seq %d, want 5: the settings, the issue, the cancel, the printer's report and its alert", s.Seq)
	}
	uitest.Thread.Lock()
	msg := r.k.ui.err.Text
	uitest.Thread.Unlock()
	if !strings.Contains(msg, "liên hệ cán bộ") {
		t.Errorf("error text %q does not send the citizen to staff", msg)
	}
	// The devices page knows the printer does not answer, and which program
	// the kiosk runs.
	admin := client.New(r.url, "")
	if _, err := admin.Login(context.Background(), testserver.AdminUser, testserver.PIN); err != nil {
		t.Fatal(err)
	}
	devices, err := admin.Devices(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(devices, func(d api.DeviceView) bool { return d.Kind == "kiosk" && d.Printer != "" })
	if i < 0 || devices[i].Printer != "printer_offline" || !strings.HasPrefix(devices[i].Agent, "motcua-kiosk") || !devices[i].Online {
		t.Errorf("the server's view of the kiosk: %+v", devices)
	}
}

func TestIdleReturnsHome(t *testing.T) {
	r := newRig(t, nil)
	r.tap("Hộ tịch")
	r.waitScreen("ticket")
	r.clock.Add(9 * time.Second)
	r.k.cfg.UI.Post(r.k.Tick)
	if r.screen() != "ticket" {
		t.Fatal("left the ticket screen too early")
	}
	r.clock.Add(2 * time.Second)
	r.k.cfg.UI.Post(r.k.Tick)
	if r.screen() != "home" {
		t.Errorf("screen %q after the ticket time, want home", r.screen())
	}
}

func TestIdlePriorityIsForgotten(t *testing.T) {
	r := newRig(t, nil)
	r.tap("Ưu tiên")
	r.waitScreen("priority")
	r.tap("Người cao tuổi")
	r.waitScreen("home")
	r.clock.Add(31 * time.Second)
	r.k.cfg.UI.Post(r.k.Tick)
	if got := r.text("Ưu tiên"); !strings.HasPrefix(got, "Ưu tiên (") {
		t.Errorf("after 31 s idle the priority button says %q; the choice should be gone", got)
	}
	r.tap("Ưu tiên")
	r.waitScreen("priority")
	r.clock.Add(31 * time.Second)
	r.k.cfg.UI.Post(r.k.Tick)
	r.waitScreen("home")
}

func TestOfflineAndRecovery(t *testing.T) {
	r := newRig(t, nil)
	addr := strings.TrimPrefix(r.url, "http://")
	r.stop()
	r.waitScreen("offline")
	realServer(t, addr, t.TempDir())
	r.waitScreen("home")
}

// printed waits for the next job on the fake printer and decodes its raster.
func printed(t *testing.T, jobs chan []byte) *image.Gray {
	t.Helper()
	select {
	case job := <-jobs:
		img, err := escpos.Decode(trimStatus(job))
		if err != nil {
			t.Fatalf("printed job: %v", err)
		}
		return img
	case <-time.After(5 * time.Second):
		t.Fatal("nothing printed")
	}
	return nil
}

func thermal(addr string) printout.Printer {
	return printout.Thermal{Port: escpos.TCP{Addr: addr, Timeout: 300 * time.Millisecond}}
}

func trimStatus(job []byte) []byte {
	for len(job) >= 3 && job[0] == 0x10 && job[1] == 0x04 {
		job = job[3:]
	}
	return job
}

// TestSearchWithoutMarksOnTheKeyboard types "khai sinh" on the on-screen
// keyboard (no marks) and takes a ticket from the result: Hộ tịch.
func TestSearchWithoutMarksOnTheKeyboard(t *testing.T) {
	r := newRig(t, nil)
	r.tap("Tìm thủ tục")
	r.waitScreen("search")
	for _, k := range "khai sinh" {
		if k == ' ' {
			r.tap("Dấu cách")
			continue
		}
		r.tap(strings.ToUpper(string(k)))
	}
	r.tap("Đăng ký khai sinh")
	r.waitScreen("guide")
	r.tap("Lấy số thứ tự")
	r.waitScreen("ticket")
	if s := r.state(); len(s.Tickets) != 1 || s.Tickets[0].ServiceID != "ho_tich" {
		t.Fatalf("search result gave %+v, want a Hộ tịch ticket", s.Tickets)
	}
}

func TestSearchTable(t *testing.T) {
	snap := &queue.Snapshot{Services: []queue.ServiceStatus{
		{ID: "ho_tich", Name: "Hộ tịch", Procedures: []string{"Đăng ký khai sinh", "Đăng ký kết hôn"}},
		{ID: "chung_thuc", Name: "Chứng thực", Procedures: []string{"Chứng thực bản sao từ bản chính"}},
	}}
	for _, tc := range []struct {
		query string
		want  []string
	}{
		{"khai sinh", []string{"Đăng ký khai sinh"}},
		{"KHAI SINH", []string{"Đăng ký khai sinh"}},
		{"khai sinh", []string{"Đăng ký khai sinh"}},
		{"dang ky", []string{"Đăng ký khai sinh", "Đăng ký kết hôn"}},
		{"chung thuc", []string{"Chứng thực", "Chứng thực bản sao từ bản chính"}},
		{"ban sao", []string{"Chứng thực bản sao từ bản chính"}},
		{"xyz", nil},
		{"", nil},
	} {
		var got []string
		for _, h := range search(snap, nil, tc.query) {
			got = append(got, h.Title)
		}
		if strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("search %q = %q, want %q", tc.query, got, tc.want)
		}
	}
}

func TestEnglishToggle(t *testing.T) {
	r := newRig(t, nil)
	r.tap("English")
	if got := r.text("Search"); got != "Search a procedure" {
		t.Errorf("English search button %q", got)
	}
	r.tap("Priority")
	r.waitScreen("priority")
	r.tap("No priority")
	r.waitScreen("home")
	r.tap("Tiếng Việt")
	if got := r.text("Tìm thủ tục"); !strings.HasPrefix(got, "Tìm thủ tục") {
		t.Errorf("back in Vietnamese: %q", got)
	}
	// The next citizen starts in Vietnamese: idle resets the language.
	r.tap("English")
	r.tap("Priority")
	r.clock.Add(31 * time.Second)
	r.k.cfg.UI.Post(r.k.Tick)
	r.waitScreen("home")
	r.text("Tìm thủ tục")
}

// A server restored from an older backup (here: an empty one) hears from the
// kiosk, when it reconnects, the last numbers it printed today, and does not
// issue them again.
func TestKioskTellsTheServerWhatItPrinted(t *testing.T) {
	r := newRig(t, nil)
	for range 3 {
		r.tap("Hộ tịch")
		r.waitScreen("ticket")
		r.tap("Về trang chủ")
		r.waitScreen("home")
	}
	addr := strings.TrimPrefix(r.url, "http://")
	r.stop()
	r.waitScreen("offline")
	realServer(t, addr, t.TempDir())
	r.waitScreen("home")
	// the kiosk's report is the new server's first event after the settings seeded at 1
	testwait.Until(t, 10*time.Second, func() bool { return r.state().Seq > 1 }, func() string { return "the kiosk did not report what it printed" })
	r.tap("Hộ tịch")
	r.waitScreen("ticket")
	uitest.Thread.Lock()
	got := r.k.last.Display
	uitest.Thread.Unlock()
	if got != "1004" {
		t.Errorf("the first number after the restore: %s, want 1004 (1001–1003 are in citizens' hands)", got)
	}
}

// With no counter open for a service the kiosk promises no wait: it says so,
// on the button and on the ticket; once a clerk opens a counter it estimates.
func TestNoCounterOpenPromisesNothing(t *testing.T) {
	r := newRig(t, nil)
	if got := r.text("Hộ tịch"); !strings.Contains(got, "Chưa có quầy mở — vui lòng chờ") || strings.Contains(got, "không phải chờ") {
		t.Fatalf("home button with no counter open: %q", got)
	}
	r.tap("Hộ tịch")
	r.waitScreen("ticket")
	if got := r.labels(); !strings.Contains(got, "Chưa có quầy mở") {
		t.Errorf("ticket screen with no counter open:\n%s", got)
	}
	r.tap("Về trang chủ")
	r.waitScreen("home")
	clerk := client.New(r.url, "")
	if _, err := clerk.Login(context.Background(), testserver.Clerk, testserver.PIN); err != nil {
		t.Fatal(err)
	}
	if _, err := clerk.CounterAction(context.Background(), 1, "open"); err != nil {
		t.Fatal(err)
	}
	testwait.Until(t, 5*time.Second, func() bool { return !strings.Contains(r.text("Hộ tịch"), "Chưa có quầy mở") }, func() string {
		return fmt.Sprintf("still no counter open on the button after counter 1 opened: %q", r.text("Hộ tịch"))
	})
}

// Times are the office's (Asia/Ho_Chi_Minh, from the server's snapshot), not
// the PC's (UTC on this machine): the clock, and the time printed on a ticket.
func TestOfficeTimeOnAUTCMachine(t *testing.T) {
	r := newRig(t, nil) // its clock: 09:00 UTC on 23/11/2026, 16:00 in the office
	uitest.Thread.Lock()
	r.k.Tick()
	clock := r.k.ui.clock.Text
	paper := r.k.paper(nil)(api.TicketView{Ticket: queue.Ticket{IssuedAt: r.clock.Now()}})
	uitest.Thread.Unlock()
	if clock != "16:00  23/11/2026" {
		t.Errorf("kiosk clock %q, want the office's 16:00  23/11/2026", clock)
	}
	if got := paper.IssuedAt.Format("15:04"); got != "16:00" {
		t.Errorf("the ticket prints %s, want the office's 16:00", got)
	}
}

// A service's subtitle says in plain words what it is for, under its name.
func TestServiceSubtitle(t *testing.T) {
	r := newRig(t, nil)
	if got := r.text("Hộ tịch"); !strings.Contains(got, "Hộ tịch\nKhai sinh, kết hôn, khai tử\n") {
		t.Errorf("the button says %q", got)
	}
}

// A service the desk head closed for today shows why on its button, which
// does nothing; opened again, it issues.
func TestServiceClosedForToday(t *testing.T) {
	r := newRig(t, nil)
	admin := client.New(r.url, "")
	ctx := context.Background()
	if _, err := admin.Login(ctx, testserver.AdminUser, testserver.PIN); err != nil {
		t.Fatal(err)
	}
	if _, err := admin.ServiceToday(ctx, "ho_tich", api.ActCloseToday, "Cán bộ hộ tịch đi tập huấn"); err != nil {
		t.Fatal(err)
	}
	waitButton := func(want string) {
		t.Helper()
		testwait.Until(t, 5*time.Second, func() bool { return strings.Contains(r.text("Hộ tịch"), want) }, func() string { return fmt.Sprintf("the button says %q, want %q", r.text("Hộ tịch"), want) })
	}
	waitButton("Tạm ngừng cấp số hôm nay\nCán bộ hộ tịch đi tập huấn")
	r.tap("Hộ tịch")
	if r.screen() != "home" || len(r.state().Tickets) != 0 {
		t.Fatalf("a tap on the closed service did something: screen %q", r.screen())
	}
	if _, err := admin.ServiceToday(ctx, "ho_tich", api.ActOpenToday, ""); err != nil {
		t.Fatal(err)
	}
	waitButton("người đang chờ")
	r.tap("Hộ tịch")
	r.waitScreen("ticket")
}
