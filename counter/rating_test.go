package counter

import (
	"context"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"motcua/counter/rating"
	"motcua/internal/api"
	"motcua/internal/client"
	"motcua/internal/queue"
	"motcua/internal/testserver"
	"motcua/internal/ui"
	"motcua/internal/uitest"
)

// ratingRig adds the citizen's rating screen, paired to counter 1, to a rig.
type ratingRig struct {
	*rig
	rt    *rating.Screen
	rw    fyne.Window
	clock *testserver.Clock // the server's and the rating screen's
}

func newRatingRig(t *testing.T, o queue.Office) *ratingRig {
	clock := testserver.NewClock(time.Now())
	r := &ratingRig{rig: newRigAt(t, o, clock.Now), clock: clock}
	r.rw = test.NewWindow(nil)
	r.rw.Resize(fyne.NewSize(900, 700))
	uitest.OnUI(func() {
		r.rt = rating.New(r.rw, client.New(r.url, testserver.RatingKey), rating.Config{Counter: 1, ThanksFor: 200 * time.Millisecond,
			Now: clock.Now, UI: ui.NewBridge(uitest.OnUI, r.work.Go), Theme: ui.TouchTheme()})
	})
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	r.rt.Start(ctx)
	return r
}

func (r *ratingRig) tapRating(prefix string) {
	r.t.Helper()
	uitest.OnUI(func() {
		b := uitest.Button(r.rw.Content(), prefix)
		if b == nil {
			r.t.Fatalf("no button %q on the rating screen: %q", prefix, uitest.Buttons(r.rw.Content()))
		}
		test.Tap(b)
	})
}

func (r *ratingRig) ratingScreen(want string) {
	r.t.Helper()
	r.wait("rating screen "+want, func() bool { return r.showing() == want })
}

// showing is what the rating screen shows, read on the UI goroutine.
func (r *ratingRig) showing() (s string) {
	uitest.OnUI(func() { s = r.rt.Showing() })
	return s
}

// finishOne calls and finishes one ticket at counter 1 through the app.
func (r *ratingRig) finishOne() api.TicketView {
	r.t.Helper()
	tk := r.issue("ho_tich", "")
	r.waitText(tk.Display + " · Hộ tịch")
	r.key(fyne.KeyF1)
	r.waitCurrent(tk.Display)
	r.key(fyne.KeyF5)
	r.waitCurrent("")
	return tk
}

func TestFinishThenRating(t *testing.T) {
	r := newRatingRig(t, office())
	r.login()
	r.ratingScreen("idle")
	tk := r.finishOne()
	r.ratingScreen("ask")
	var shown string
	uitest.OnUI(func() { shown = uitest.Text(r.rw.Content()) })
	if !strings.Contains(shown, "Quầy 1 — Cán bộ Nguyễn Thị Lan") || !strings.Contains(shown, "Số 1001") {
		t.Fatalf("rating screen shows:\n%s", shown)
	}
	// Only the citizen's choices (and the language) are on it: nothing to close or skip.
	var buttons []string
	uitest.OnUI(func() { buttons = uitest.Buttons(r.rw.Content()) })
	slices.Sort(buttons)
	if want := []string{"English", "Hài lòng", "Không hài lòng", "Rất hài lòng"}; !slices.Equal(buttons, want) {
		t.Fatalf("rating buttons %q, want %q", buttons, want)
	}
	r.ratingFits("ask")
	r.waitText("Công dân đang đánh giá số 1001") // the clerk sees it waiting, with no control over it
	r.tapRating("Không hài lòng")
	r.ratingScreen("reasons")
	r.tapRating("Gửi đánh giá")
	r.wait("the reason prompt", func() bool {
		var s string
		uitest.OnUI(func() { s = uitest.Text(r.rw.Content()) })
		return strings.Contains(s, "Vui lòng chọn ít nhất một lý do")
	})
	r.tapRating("Chờ đợi")
	uitest.OnUI(func() { shown = uitest.Text(r.rw.Content()) })
	if strings.Contains(shown, "Vui lòng chọn ít nhất một lý do") {
		t.Error("the reason prompt stays after a reason was picked")
	}
	// The citizen may go back and change the answer, then come back to it.
	r.tapRating("Quay lại")
	r.ratingScreen("ask")
	r.tapRating("Không hài lòng")
	r.ratingScreen("reasons")
	r.ratingFits("reasons")
	r.tapRating("Chờ đợi")
	r.tapRating("Gửi đánh giá")
	r.ratingScreen("thanks")
	r.ratingFits("thanks")
	got, err := r.kiosk.TicketStatus(context.Background(), tk.Token)
	if err != nil {
		t.Fatal(err)
	}
	if rt := got.Rating; rt == nil || rt.Option != "unsatisfied" || !slices.Equal(rt.Reasons, []string{"slow"}) || rt.Clerk != testserver.Clerk || rt.Counter != 1 {
		t.Fatalf("stored rating %+v", got.Rating)
	}
	// "Không hài lòng" is the supervisors' alert, and this counter's: its
	// screen shows it too.
	r.waitText("không hài lòng với quầy 1")
	r.clock.Add(time.Second) // the thank-you has been shown long enough
	r.ratingScreen("idle")
	r.ratingFits("idle")
}

// ratingFits checks that the rating screen asks for no more than its 900×700
// window: a screen that does makes the window grow under the citizen's finger.
func (r *ratingRig) ratingFits(what string) {
	r.t.Helper()
	uitest.OnUI(func() {
		size := fyne.NewSize(900, 700)
		if min := r.rw.Content().MinSize(); min.Width > size.Width || min.Height > size.Height {
			r.t.Errorf("rating %s: the screen asks for %v, the window is %v", what, min, size)
		}
		if got := r.rw.Canvas().Size(); got != size {
			r.t.Errorf("rating %s: the window became %v", what, got)
		}
	})
}

// No answer in time: the screen goes back to idle and the server records "no rating".
func TestRatingTimesOutAsNoRating(t *testing.T) {
	o := office()
	o.Rating.TimeoutSeconds = 1
	r := newRatingRig(t, o)
	r.login()
	tk := r.finishOne()
	r.ratingScreen("ask")
	r.clock.Add(1100 * time.Millisecond) // past the deadline, on the server and the screen
	r.ratingScreen("idle")
	r.issue("chung_thuc", "") // any command runs the store's tick at once
	r.wait("no rating recorded", func() bool {
		got, err := r.kiosk.TicketStatus(context.Background(), tk.Token)
		return err == nil && got.Rating != nil && got.Rating.Option == ""
	})
}

// A rating tablet started without a key shows a pairing code; paired in the
// console for counter 1, it gets its key and its counter from the pairing,
// and asks the citizen once the clerk there finishes a ticket.
func TestRatingTabletPairs(t *testing.T) {
	r := newRig(t, office())
	rw := test.NewWindow(nil)
	rw.Resize(fyne.NewSize(900, 700))
	bridge := ui.NewBridge(uitest.OnUI, r.work.Go)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	paired := make(chan api.PairedAnswer, 1)
	var rt *rating.Screen
	uitest.OnUI(func() {
		ui.Device{Win: rw, Prefs: fyne.CurrentApp().Preferences(), Pairer: client.New(r.url, ""), Bridge: bridge, Poll: 20 * time.Millisecond}.Run(ctx,
			func(ctx context.Context, dev api.PairedAnswer, refused func()) {
				rt = rating.New(rw, client.New(r.url, dev.Key), rating.Config{Counter: dev.Counter, UI: bridge, Theme: ui.TouchTheme(), Refused: refused})
				rt.Start(ctx)
				paired <- dev
			})
	})
	var code string
	r.wait("a pairing code", func() bool { uitest.OnUI(func() { code = uitest.PairingCode(rw.Content()) }); return code != "" })
	consolePost(t, r.url, "/admin/devices", url.Values{"action": {"pair"}, "code": {code}, "id": {"danh-gia-quay-1"}, "kind": {"rating"}, "counter": {"1"}})
	select {
	case dev := <-paired:
		if dev.Counter != 1 || dev.Key == "" {
			t.Fatalf("the pairing gave %+v", dev)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the tablet never got its key")
	}
	r.login()
	r.wait("the tablet idle", func() bool { return r.on(func() bool { return rt.Showing() == "idle" }) })
	// Its heartbeat: the console knows the tablet, its program, and that it prints nothing.
	admin := client.New(r.url, "")
	if _, err := admin.Login(context.Background(), testserver.AdminUser, testserver.PIN); err != nil {
		t.Fatal(err)
	}
	r.wait("the tablet's heartbeat", func() bool {
		devices, err := admin.Devices(context.Background())
		return err == nil && slices.ContainsFunc(devices, func(d api.DeviceView) bool {
			return d.ID == "danh-gia-quay-1" && d.Printer == "none" && strings.HasPrefix(d.Agent, "motcua-")
		})
	})
	tk := r.issue("ho_tich", "")
	r.waitText(tk.Display + " · Hộ tịch")
	r.key(fyne.KeyF1)
	r.waitCurrent(tk.Display)
	r.key(fyne.KeyF5)
	r.wait("the tablet asks", func() bool { return r.on(func() bool { return rt.Showing() == "ask" }) })
}
