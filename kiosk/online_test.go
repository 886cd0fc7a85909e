package kiosk

import (
	"os"
	"strings"
	"testing"

	"fyne.io/fyne/v2"

	"motcua/internal/catalogue"
	"motcua/internal/uitest"
)

// A procedure the office takes no paper for: its guide says it is filed
// online with staff's help, and the number taken from it is the online
// help desk's; one still taken on paper keeps its own service.
func TestOnlineOnlyGoesToTheHelpDesk(t *testing.T) {
	o := office()
	o.Rules.OnlineHelpService = "chung_thuc" // the office's help desk serves here
	procs := procedures()
	online := procs[0]
	online.Code, online.Name, online.Online = "1.004", "Cấp bản sao trích lục hộ tịch", catalogue.OnlineFull
	procs = append(procs, online)
	savedO, savedP := testOffice, testProcedures
	testOffice, testProcedures = o, procs
	t.Cleanup(func() { testOffice, testProcedures = savedO, savedP })
	r := newRig(t, nil)
	r.waitProcedures()
	r.k.cfg.UI.Post(func() { r.k.OpenGuide("1.004") })
	r.waitScreen("guide")
	page := func() string {
		uitest.Thread.Lock()
		defer uitest.Thread.Unlock()
		return uitest.Text(r.w.Content())
	}
	if p := page(); !strings.Contains(p, "Thủ tục này nộp trực tuyến — cán bộ sẽ hỗ trợ bạn nộp") || !strings.Contains(p, "Chứng thực") {
		t.Fatalf("the guide:\n%s", p)
	}
	if dir := os.Getenv("MOTCUA_SCREENSHOTS"); dir != "" {
		uitest.Thread.Lock()
		r.w.Resize(fyne.NewSize(1080, 1400))
		uitest.Shot(t, r.w.Canvas(), dir, "kiosk-online-only.png")
		uitest.Thread.Unlock()
	}
	r.tap("Lấy số")
	r.waitScreen("ticket")
	uitest.Thread.Lock()
	got := *r.k.last
	uitest.Thread.Unlock()
	if got.ServiceID != "chung_thuc" {
		t.Fatalf("the online-only procedure's number is %s's", got.ServiceID)
	}
	// A paper procedure keeps its service.
	r.k.cfg.UI.Post(func() { r.k.OpenGuide("1.001193") })
	r.waitScreen("guide")
	if p := page(); strings.Contains(p, "nộp trực tuyến") {
		t.Fatalf("a paper procedure's guide says online:\n%s", p)
	}
	r.tap("Lấy số")
	testwaitTicket(t, r, "ho_tich")
}

// testwaitTicket waits for a ticket of service on the kiosk's screen.
func testwaitTicket(t *testing.T, r *rig, service string) {
	t.Helper()
	r.waitScreen("ticket")
	uitest.Thread.Lock()
	defer uitest.Thread.Unlock()
	if r.k.last.ServiceID != service {
		t.Fatalf("a ticket of %s, want %s", r.k.last.ServiceID, service)
	}
}
