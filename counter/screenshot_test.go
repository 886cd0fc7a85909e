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
	r.w.Resize(fyne.NewSize(1280, 800)) // the counter's window
	shot := func(w fyne.Window, name string) { uitest.OnUI(func() { uitest.Shot(t, w.Canvas(), dir, name) }) }
	r.waitText("Đăng nhập")
	uitest.OnUI(func() { r.a.ui.pin.SetText("12") })
	shot(r.w, "counter-login.png")
	uitest.OnUI(func() { r.a.ui.pin.SetText("") })
	r.login()
	for _, s := range []struct{ svc, prio string }{{"ho_tich", ""}, {"chung_thuc", "elderly"}, {"ho_tich", ""}, {"chung_thuc", ""}, {"ho_tich", "disabled"}} {
		r.issue(s.svc, s.prio)
	}
	r.waitText("1003 · Hộ tịch")
	r.key(fyne.KeyF1)
	r.wait("a call", func() bool { return r.current() != "" })
	shot(r.w, "counter-work.png")
	r.key(fyne.KeyF4)
	r.waitText("Chuyển số")
	shot(r.w, "counter-transfer.png")
	r.key(fyne.KeyEscape)
	r.key(fyne.KeyF5)
	r.ratingScreen("ask")
	shot(r.rw, "counter-rating.png")
	r.tapRating("Không hài lòng")
	r.ratingScreen("reasons")
	r.tapRating("Chờ đợi")
	shot(r.rw, "counter-rating-reasons.png")
}

// TestScreenshotIntake draws the intake form filled in from an ID card's QR.
func TestScreenshotIntake(t *testing.T) {
	dir := uitest.ShotsDir(t)
	r := newRig(t, uitest.DemoOffice(t))
	r.w.Resize(fyne.NewSize(1366, 768))                                                              // an office laptop
	r.a.cfg.Print = func(name string, _ []byte) (Printed, error) { return Printed{File: name}, nil } // make run: kept, no printer
	r.openKhaiSinh()
	uitest.OnUI(func() {
		f := r.a.ui.intake
		f.cccd.OnSubmitted("001203004567|123456789|Nguyễn Thị Hoa|15081990|Nữ|Số 5 ngõ 12 phường Hòa Bình|01072021")
		f.phone.SetText("0912 345 678")
		for _, c := range f.checks[:2] {
			c.SetChecked(true)
		}
	})
	uitest.OnUI(func() { uitest.Shot(t, r.w.Canvas(), dir, "counter-intake.png") })
	uitest.OnUI(func() {
		for _, c := range r.a.ui.intake.checks {
			c.SetChecked(true)
		}
	})
	r.tap("Tiếp nhận — in Mẫu 01")
	r.waitText("Đã tiếp nhận hồ sơ")
	uitest.OnUI(func() { uitest.Shot(t, r.w.Canvas(), dir, "counter-intake-done.png") })
}

// TestScreenshotScan draws the scan step: the first paper scanned, the
// second being scanned with its page shown.
func TestScreenshotScan(t *testing.T) {
	dir := uitest.ShotsDir(t)
	r := newRig(t, uitest.DemoOffice(t))
	r.w.Resize(fyne.NewSize(1366, 768))
	receiveForScan(t, r)
	r.key(fyne.KeyF9)
	r.key(fyne.KeyF9)
	r.tap("Lưu bản quét (2 trang)")
	r.waitText("✓ đã số hóa (2 trang)")
	r.key(fyne.KeyF9)
	r.waitText("Đã quét trang 1")
	uitest.OnUI(func() { uitest.Shot(t, r.w.Canvas(), dir, "counter-scan.png") })
}
