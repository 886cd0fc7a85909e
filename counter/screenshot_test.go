package counter

import (
	"testing"

	"fyne.io/fyne/v2"

	"motcua/internal/uitest"
)

// TestScreenshots writes the counter's login, work and rating screens, drawn by
// Fyne's software painter against the demo office on a real in-process server,
// to $MOTCUA_SCREENSHOTS (`make screenshots`). Skipped otherwise.
func TestScreenshots(t *testing.T) {
	dir := uitest.ShotsDir(t)
	r := newRatingRig(t, uitest.DemoOffice(t))
	shot := func(w fyne.Window, name string) { onUI(func() { uitest.Shot(t, w.Canvas(), dir, name) }) }
	r.waitText("Đăng nhập")
	onUI(func() { r.a.ui.pin.SetText("12") })
	shot(r.w, "counter-login.png")
	onUI(func() { r.a.ui.pin.SetText("") })
	r.login()
	for _, s := range []struct{ svc, prio string }{{"ho_tich", ""}, {"chung_thuc", "elderly"}, {"ho_tich", ""}, {"chung_thuc", ""}, {"ho_tich", "disabled"}} {
		r.issue(s.svc, s.prio)
	}
	r.waitText("1003 · Hộ tịch")
	r.key(fyne.KeyF1)
	r.wait("a call", func() bool { return r.current() != "" })
	shot(r.w, "counter-work.png")
	r.key(fyne.KeyF5)
	r.ratingScreen("ask")
	shot(r.rw, "counter-rating.png")
	r.tapRating("Không hài lòng")
	r.ratingScreen("reasons")
	r.tapRating("Chờ đợi")
	shot(r.rw, "counter-rating-reasons.png")
}
