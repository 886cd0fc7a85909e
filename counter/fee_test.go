package counter

import (
	"os"
	"testing"

	"fyne.io/fyne/v2"

	"motcua/internal/catalogue"
	"motcua/internal/uitest"
	"motcua/internal/vietqr"
)

// A dossier with a fee: the result shows its VietQR and amount; the clerk
// takes cash and the result says paid.
func TestFeeOnTheResult(t *testing.T) {
	saved := khaiSinh
	khaiSinh.Fees = []catalogue.Fee{{Name: "Lệ phí đăng ký", Amount: 8000}}
	t.Cleanup(func() { khaiSinh = saved })
	o := office()
	o.Payment = vietqr.Account{BankBIN: "970436", Account: "0011001234567", Name: "UBND PHUONG THU"}
	r := newRig(t, o)
	p := &printed{files: map[string][]byte{}}
	r.a.cfg.Print = p.Print
	r.openKhaiSinh()
	r.receiveAll()
	r.waitText("Phí, lệ phí phải nộp: 8.000 đồng")
	if dir := os.Getenv("MOTCUA_SCREENSHOTS"); dir != "" {
		uitest.OnUI(func() { r.w.Resize(fyne.NewSize(1280, 800)) })
		uitest.OnUI(func() { uitest.Shot(t, r.w.Canvas(), dir, "counter-fee.png") })
	}
	r.tap("Đã thu tiền mặt")
	r.waitText("Phí, lệ phí 8.000 đồng: đã nộp (tiền mặt)")
	// The dossier panel (F8) says so too.
	var code string
	uitest.OnUI(func() { code = r.a.result.code })
	r.key(fyne.KeyEscape)
	r.key(fyne.KeyF8)
	r.waitText("Hồ sơ: tra cứu")
	uitest.OnUI(func() { r.a.ui.panel.code.OnSubmitted(code) })
	r.waitText("Phí, lệ phí 8.000 đồng: đã nộp (tiền mặt)")
}
