package counter

import (
	"fmt"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/widget"

	"motcua/internal/ui"
	"motcua/internal/uitest"
)

// The office PCs' screens: a desktop monitor and a laptop.
var deskSizes = []fyne.Size{{Width: 1280, Height: 800}, {Width: 1366, Height: 768}}

// Every form fits the counter's window without scrolling and without
// widening it, and the ticket at the counter and its keys stay in view
// whatever is open: after a transfer, during intake, on the intake's result.
func TestFormsFitAndTheTicketStaysInView(t *testing.T) {
	for _, size := range deskSizes {
		t.Run(fmt.Sprintf("%.0fx%.0f", size.Width, size.Height), func(t *testing.T) {
			r := newRig(t, office())
			p := &printed{files: map[string][]byte{}}
			r.a.cfg.Print = p.Print
			uitest.OnUI(func() { r.w.Resize(size) })
			r.issue("ho_tich", "")
			r.openKhaiSinh() // 1001 is called, intake is open with khai sinh chosen
			r.fits("intake", size)
			r.receiveAll()
			r.fits("result", size)
			var code, pin, inForm string
			uitest.OnUI(func() {
				code, pin = r.a.result.code, r.a.result.pin
				inForm = uitest.Text(r.a.ui.formArea)
			})
			for _, want := range []string{code, pin, "-mau-01.pdf: đã gửi tới máy in"} {
				if want == "" || !strings.Contains(inForm, want) {
					t.Errorf("the result area lacks %q:\n%s", want, inForm)
				}
			}
			r.key(fyne.KeyEscape)
			r.key(fyne.KeyF8)
			r.waitText("Hồ sơ: tra cứu")
			r.fits("dossier", size)
			r.key(fyne.KeyEscape)
			r.key(fyne.KeyF4)
			r.waitText("Chuyển số 1001")
			r.fits("transfer", size)
			uitest.OnUI(func() { r.a.ui.note.SetText("cần chứng thực bản sao giấy khai sinh") })
			uitest.OnUI(func() { uitest.First[*widget.RadioGroup](r.a.ui.formArea).SetSelected("Chứng thực") })
			r.tap("Xác nhận")
			r.waitText("Đã chuyển số 1001")
			r.key(fyne.KeyF1) // 1001 again, now for Chứng thực, with the note
			r.waitCurrent("1001")
			r.fits("after the transfer", size)
		})
	}
}

// fits checks the window at size: its content asks for no more than the
// window, the open form needs no scrolling, and the current ticket's number
// and the call keys are inside the window.
func (r *rig) fits(what string, size fyne.Size) {
	r.t.Helper()
	r.idle()
	uitest.OnUI(func() {
		w := r.a.ui
		if min := r.w.Content().MinSize(); min.Width > size.Width || min.Height > size.Height {
			r.t.Errorf("%s: the screen asks for %v, more than the window's %v", what, min, size)
		}
		if w.formArea.Visible() && len(w.formBody.Objects) == 1 {
			body := w.formBody.Objects[0]
			if need := body.MinSize(); need.Height > body.Size().Height+1 {
				r.t.Errorf("%s: the form needs %.0f px, its area is %.0f px: it scrolls", what, need.Height, body.Size().Height)
			}
		}
		d := fyne.CurrentApp().Driver()
		inView := func(name string, o fyne.CanvasObject) {
			if o == nil {
				r.t.Errorf("%s: no %s on screen", what, name)
				return
			}
			pos, s := d.AbsolutePositionForObject(o), o.Size()
			if !o.Visible() || pos.X < 0 || pos.Y < 0 || pos.X+s.Width > size.Width+1 || pos.Y+s.Height > size.Height+1 {
				r.t.Errorf("%s: %s is out of view at %v %v in %v", what, name, pos, s, size)
			}
		}
		var number fyne.CanvasObject
		uitest.Walk(w.current, func(o fyne.CanvasObject) {
			if t, ok := o.(*canvas.Text); ok && t.Text == "1001" {
				number = t
			}
		})
		inView("the current number", number)
		for _, b := range []*ui.WrapButton{w.next, w.recall, w.noShow, w.transfer, w.finish, w.pause, w.intakeBtn, w.dossierBtn} {
			inView("the key "+b.Text, b)
		}
	})
}
