package counter

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"motcua/internal/api"
	"motcua/internal/client"
	"motcua/internal/queue"
	"motcua/internal/testserver"
	"motcua/internal/testwait"
	"motcua/internal/ui"
	"motcua/internal/uitest"
)

func office() queue.Office {
	return queue.Office{
		Name: "Bộ phận Một cửa phường Thử", AgencyCode: "XA.01",
		Services: []queue.ServiceConfig{
			{ID: "ho_tich", Name: "Hộ tịch", RangeStart: 1001, RangeEnd: 1999},
			{ID: "chung_thuc", Name: "Chứng thực", RangeStart: 2001, RangeEnd: 2999},
			{ID: "tra_ket_qua", Name: "Trả kết quả", RangeStart: 5001, RangeEnd: 5999},
		},
		Counters: []queue.CounterConfig{
			{Number: 1, Services: []string{"ho_tich", "chung_thuc", "tra_ket_qua"}},
			{Number: 2, Services: []string{"chung_thuc"}},
		},
		PriorityClasses: []queue.PriorityClass{{ID: "elderly", Name: "Người cao tuổi"}},
		Rating:          queue.RatingConfig{TimeoutSeconds: 30},
	}
}

type rig struct {
	t      *testing.T
	work   *uitest.Work // the app's background work, to wait for
	a      *App
	w      fyne.Window
	url    string
	dir    string
	stop   func()
	kiosk  *client.Client
	office queue.Office
}

func newRig(t *testing.T, o queue.Office) *rig { return newRigAt(t, o, nil) }

// newRigAt runs the server on the clock now (nil: the real one).
func newRigAt(t *testing.T, o queue.Office, now func() time.Time) *rig {
	app := test.NewApp()
	t.Cleanup(app.Quit)
	app.Settings().SetTheme(ui.CounterTheme())
	dir := t.TempDir()
	url, stop := testserver.StartClock(t, "127.0.0.1:0", dir, o, now, khaiSinh)
	w := test.NewWindow(nil)
	w.Resize(fyne.NewSize(1280, 900))
	r := &rig{t: t, w: w, url: url, dir: dir, stop: stop, kiosk: client.New(url, testserver.KioskKey), office: o, work: &uitest.Work{}}
	uitest.OnUI(func() {
		r.a = New(w, client.New(url, ""), Config{Counter: 1, Username: testserver.Clerk, UI: ui.NewBridge(uitest.OnUI, r.work.Go)})
	})
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	r.a.Start(ctx)
	return r
}

// login types the PIN on the pad and logs in.
func (r *rig) login() {
	r.t.Helper()
	for _, d := range testserver.PIN {
		r.tap(string(d))
	}
	r.tap("Đăng nhập")
	r.wait("the work screen with the feed", func() bool {
		return r.on(func() bool { return r.a.screen == "work" && r.a.live.Online && r.a.live.Snap != nil })
	})
}

// idle waits until no action is in flight: its buttons are off until it answers,
// as a clerk sees them.
func (r *rig) idle() {
	r.t.Helper()
	r.wait("the last action to answer", func() bool { return r.on(func() bool { return !r.a.busy }) })
}

// on asks the app a question on the UI goroutine, where its state lives.
func (r *rig) on(q func() bool) (yes bool) {
	uitest.OnUI(func() { yes = q() })
	return yes
}

// screen is the app's screen, read on the UI goroutine.
func (r *rig) screen() (s string) {
	uitest.OnUI(func() { s = r.a.Screen() })
	return s
}

func (r *rig) tap(prefix string) {
	r.t.Helper()
	r.idle()
	uitest.OnUI(func() {
		b := uitest.Button(r.w.Content(), prefix)
		if b == nil {
			r.t.Fatalf("no button %q among %q", prefix, uitest.Buttons(r.w.Content()))
		}
		test.Tap(b)
	})
}

func (r *rig) key(k fyne.KeyName) {
	r.t.Helper()
	r.idle()
	uitest.OnUI(func() { r.w.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: k}) })
}

func (r *rig) enabled(prefix string) bool {
	r.t.Helper()
	r.idle()
	var on bool
	uitest.OnUI(func() { on = !uitest.Button(r.w.Content(), prefix).Disabled() })
	return on
}

func (r *rig) text() string {
	var s string
	uitest.OnUI(func() { s = uitest.Text(r.w.Content()) + strings.Join(uitest.Buttons(r.w.Content()), "\n") })
	return s
}

func (r *rig) wait(what string, ok func() bool) {
	r.t.Helper()
	testwait.Until(r.t, 10*time.Second, ok, func() string { return fmt.Sprintf("waited for %s; screen shows:\n%s", what, r.text()) })
}

func (r *rig) waitText(want string) {
	r.t.Helper()
	r.wait("text "+want, func() bool { return strings.Contains(r.text(), want) })
}

func (r *rig) issue(service, priority string) api.TicketView {
	r.t.Helper()
	t, err := r.kiosk.Issue(context.Background(), service, priority)
	if err != nil {
		r.t.Fatal(err)
	}
	return t
}

func (r *rig) state() queue.Snapshot {
	r.t.Helper()
	c := client.New(r.url, "")
	if _, err := c.Login(context.Background(), testserver.Clerk, testserver.PIN); err != nil {
		r.t.Fatal(err)
	}
	s, err := c.State(context.Background())
	if err != nil {
		r.t.Fatal(err)
	}
	return s
}

func (r *rig) ticket(id string) queue.Ticket {
	r.t.Helper()
	for _, t := range r.state().Tickets {
		if t.ID == id {
			return t
		}
	}
	r.t.Fatalf("ticket %s not in play", id)
	return queue.Ticket{}
}

// current is the ticket the app shows at its counter ("" for none).
func (r *rig) current() (display string) {
	uitest.OnUI(func() {
		if v := r.a.counterView(); v.current != nil {
			display = v.current.Display
		}
	})
	return display
}

// waitCurrent waits until the app shows display at its counter and its action
// has answered (the feed can show the call before the answer arrives).
func (r *rig) waitCurrent(display string) {
	r.t.Helper()
	r.wait("current "+display, func() bool {
		return r.current() == display && r.on(func() bool { return !r.a.busy })
	})
}

func TestLoginOpensTheCounter(t *testing.T) {
	r := newRig(t, office())
	r.tap("1")
	r.tap("OK") // a wrong PIN says so and stays
	r.waitText("Sai")
	if r.screen() != "login" {
		t.Fatal("logged in with a wrong PIN")
	}
	uitest.OnUI(func() { r.a.ui.pin.SetText("") })
	r.login()
	s := r.state()
	if s.Counters[0].State != queue.CounterOpen || s.Counters[0].Clerk != testserver.Clerk {
		t.Fatalf("counter 1 after login: %+v", s.Counters[0])
	}
	r.waitText("Quầy 1 — Nguyễn Thị Lan")
	r.tap("Đăng xuất")
	r.wait("login screen", func() bool { return r.screen() == "login" })
	if s := r.state(); s.Counters[0].State != queue.CounterClosed {
		t.Fatalf("counter 1 after logout: %+v", s.Counters[0])
	}
}

func TestCallRecallNoShowRejoin(t *testing.T) {
	r := newRig(t, office())
	r.login()
	if r.enabled("Gọi lại") || r.enabled("Vắng mặt") || r.enabled("Hoàn thành") || r.enabled("Chuyển") {
		t.Fatal("ticket actions enabled with no ticket called")
	}
	first := r.issue("ho_tich", "")
	r.issue("ho_tich", "")
	r.waitText("1001 · Hộ tịch")
	r.key(fyne.KeyF1)
	r.waitCurrent("1001")
	if r.enabled("Gọi tiếp") || !r.enabled("Gọi lại") {
		t.Fatal("call next still enabled, or recall not, while 1001 is called")
	}
	r.key(fyne.KeyF2)
	r.wait("a recall", func() bool { return r.ticket(first.ID).Recalls == 1 })
	r.waitText("Đã gọi lại 1 lần")
	r.tap("Vắng mặt") // one press only asks
	r.waitText("Bấm Vắng mặt [F3] lần nữa")
	if r.ticket(first.ID).State != queue.Called {
		t.Fatal("one press of Vắng mặt marked the citizen absent")
	}
	r.key(fyne.KeyF3) // the second confirms
	r.wait("no-show", func() bool { return r.ticket(first.ID).State == queue.NoShow })
	r.waitText("Xếp lại 1001 (đến ") // with its deadline
	r.tap("Xếp lại 1001")
	r.wait("rejoin", func() bool { return r.ticket(first.ID).State == queue.Waiting })
	r.waitText("Số 1001 đã được xếp lại")
}

func TestTransferWithANote(t *testing.T) {
	r := newRig(t, office())
	r.login()
	tk := r.issue("ho_tich", "")
	r.waitText("1001 · Hộ tịch")
	r.tap("Gọi tiếp")
	r.waitCurrent("1001")
	r.key(fyne.KeyF4)
	r.waitText("Chuyển số 1001 sang dịch vụ")
	uitest.OnUI(func() {
		uitest.First[*widget.RadioGroup](r.w.Content()).SetSelected("Chứng thực")
		test.Type(r.a.ui.note, "cần chứng thực 3 bản sao")
	})
	uitest.OnUI(func() { r.a.ui.note.OnSubmitted(r.a.ui.note.Text) }) // Enter in the note
	r.wait("the transfer", func() bool { return r.ticket(tk.ID).ServiceID == "chung_thuc" })
	if got := r.ticket(tk.ID); got.Note != "cần chứng thực 3 bản sao" || got.State != queue.Waiting {
		t.Fatalf("transferred ticket %+v", got)
	}
	r.waitText("Đã chuyển số 1001")
	r.waitCurrent("")
}

// A double press (and the shortcut on top) calls one ticket, not two.
func TestDoublePressCallsOne(t *testing.T) {
	r := newRig(t, office())
	r.login()
	r.issue("ho_tich", "")
	r.issue("ho_tich", "")
	r.waitText("1002 · Hộ tịch")
	uitest.OnUI(func() {
		b := uitest.Button(r.w.Content(), "Gọi tiếp")
		test.Tap(b)
		test.Tap(b)
		r.w.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyF1})
	})
	r.waitCurrent("1001")
	r.work.Wait() // every request the presses started has been answered
	called := 0
	for _, tk := range r.state().Tickets {
		if tk.State == queue.Called {
			called++
		}
	}
	if called != 1 {
		t.Fatalf("%d tickets called by a double press", called)
	}
}

// Calling out of order asks a reason; a refused one says why and calls nothing.
func TestOutOfOrderCallNeedsAReason(t *testing.T) {
	r := newRig(t, office())
	r.login()
	r.issue("ho_tich", "")
	second := r.issue("ho_tich", "")
	r.waitText("1002 · Hộ tịch")
	r.tap("1002 · Hộ tịch")
	r.waitText("Gọi số 1002 trước lượt")
	uitest.OnUI(func() { test.Type(r.a.ui.reason, "ab") })
	r.tap("Xác nhận")
	r.waitText("Không thực hiện được: Gọi số không theo thứ tự cần ghi lý do")
	if r.current() != "" {
		t.Fatal("called without a reason")
	}
	uitest.OnUI(func() { test.Type(r.a.ui.reason, "c — hẹn trước") })
	r.tap("Xác nhận")
	r.waitCurrent("1002")
	if got := r.ticket(second.ID); got.Reason != "abc — hẹn trước" {
		t.Fatalf("reason on the server %q", got.Reason)
	}
}

func TestPauseAndResume(t *testing.T) {
	r := newRig(t, office())
	r.login()
	r.key(fyne.KeyF6)
	r.waitText("ĐANG TẠM NGHỈ")
	if r.enabled("Gọi tiếp") || !r.enabled("Tiếp tục") {
		t.Fatal("a paused counter can call, or cannot resume")
	}
	if s := r.state(); s.Counters[0].State != queue.CounterPaused {
		t.Fatalf("server counter %+v", s.Counters[0])
	}
	r.tap("Tiếp tục")
	r.wait("resume", func() bool { return r.enabled("Gọi tiếp") })
}

// The connection drops: a banner, actions off; the server returns: resynced.
func TestReconnectShowsAndResyncs(t *testing.T) {
	r := newRig(t, office())
	r.login()
	r.issue("ho_tich", "")
	r.waitText("1001 · Hộ tịch")
	r.tap("Gọi tiếp")
	r.waitCurrent("1001")
	addr := strings.TrimPrefix(r.url, "http://")
	r.stop()
	r.waitText("MẤT KẾT NỐI MÁY CHỦ")
	if r.enabled("Hoàn thành") || r.enabled("Gọi lại") {
		t.Fatal("actions enabled while offline")
	}
	testserver.Start(t, addr, r.dir, r.office)
	r.wait("the banner to go", func() bool { return !strings.Contains(r.text(), "MẤT KẾT NỐI") })
	r.waitCurrent("1001")
	if !r.enabled("Hoàn thành") {
		t.Fatal("finish still disabled after the reconnect")
	}
}

// The server no longer knows the session (its data was replaced): the app goes
// back to the login screen and says why.
func TestExpiredSessionReturnsToLogin(t *testing.T) {
	r := newRig(t, office())
	r.login()
	addr := strings.TrimPrefix(r.url, "http://")
	r.stop()
	testserver.Start(t, addr, t.TempDir(), r.office) // a fresh store: no sessions
	r.wait("the login screen", func() bool { return r.screen() == "login" })
	r.waitText("Phiên đăng nhập đã hết hạn")
	r.login()
}

// A kiosk's printer trouble reaches the clerks as a banner.
func TestDeviceAlertShown(t *testing.T) {
	r := newRig(t, office())
	r.login()
	if err := r.kiosk.Alert(context.Background(), "printer_paper_out", "Máy in hết giấy"); err != nil {
		t.Fatal(err)
	}
	r.waitText("Báo lỗi thiết bị:")
	r.waitText("Máy in hết giấy (printer_paper_out)")
	r.tap("Đã xem")
	r.wait("the banner to go", func() bool { return !strings.Contains(r.text(), "Báo lỗi thiết bị") })
}

// The call order says minutes in words, not with a prime.
func TestCallOrderSaysMinutes(t *testing.T) {
	r := newRig(t, office())
	r.login()
	r.issue("ho_tich", "")
	r.waitText("1001 · Hộ tịch · 0 phút")
}

// The function keys and Escape work with the cursor in a field: F1 from the
// dossier panel's code field calls the next citizen; Esc in the transfer note
// leaves the form.
func TestFunctionKeysFromAField(t *testing.T) {
	r := newRig(t, office())
	r.login()
	r.issue("ho_tich", "")
	r.waitText("1001 · Hộ tịch")
	r.key(fyne.KeyF8)
	r.idle()
	if r.enabled("Đang xử lý") {
		t.Error("a status button is on before any dossier is open")
	}
	press := func(k fyne.KeyName) {
		uitest.OnUI(func() {
			f := r.w.Canvas().Focused()
			if f == nil {
				r.t.Fatalf("no field has the focus")
			}
			f.TypedKey(&fyne.KeyEvent{Name: k})
		})
	}
	uitest.OnUI(func() { r.w.Canvas().Focus(r.a.ui.panel.code) })
	press(fyne.KeyF1)
	r.waitCurrent("1001")
	r.key(fyne.KeyF4)
	r.idle()
	uitest.OnUI(func() { r.w.Canvas().Focus(r.a.ui.note) })
	press(fyne.KeyEscape)
	if mode := r.on(func() bool { return r.a.mode == "" }); !mode {
		t.Error("Esc in the transfer note did not leave the form")
	}
}
