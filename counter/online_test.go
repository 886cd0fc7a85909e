package counter

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"motcua/internal/catalogue"
	"motcua/internal/intake"
	"motcua/internal/uitest"
)

// The online help desk: a fully online procedure shows the help's outcome;
// "filed" needs the portal's code and prints nothing; the session counts
// as helped and filed in the day's report.
func TestOnlineHelpSession(t *testing.T) {
	saved := khaiSinh
	khaiSinh.Online = catalogue.OnlineFull
	t.Cleanup(func() { khaiSinh = saved })
	r := newRig(t, office())
	p := &printed{files: map[string][]byte{}}
	r.a.cfg.Print = p.Print
	r.openKhaiSinh()
	r.waitText("Thủ tục toàn trình: hỗ trợ nộp trực tuyến")
	uitest.OnUI(func() { r.a.ui.intake.name.SetText("Vũ Thị Em") })
	r.tap("Đã nộp trực tuyến")
	r.waitText("Cổng") // the portal's code is needed
	uitest.OnUI(func() { test.Type(r.a.ui.intake.portal, "G22.49-261207-0001") })
	r.tap("Đã nộp trực tuyến")
	r.waitText("Đã hỗ trợ nộp trực tuyến")
	if len(p.get()) != 0 {
		t.Fatalf("a help session printed %v", keys(p.get()))
	}
	c := clerkClient(t, r)
	var code string
	uitest.OnUI(func() { code = r.a.result.code })
	d, err := c.Dossier(context.Background(), code)
	if err != nil || d.Status != intake.OnlineFiled || d.PortalCode != "G22.49-261207-0001" || !strings.HasPrefix(d.Code, "XA.01-") {
		t.Fatalf("%+v %v", d, err)
	}
}
