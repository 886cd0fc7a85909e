package web_test

import (
	"context"
	"testing"
	"time"

	"motcua/internal/browsertest"
	"motcua/internal/client"
	"motcua/internal/intake"
	"motcua/internal/testserver"
)

// Every page a citizen or a clerk opens passes WCAG 2.1 AA in real Chromium
// with axe-core: no serious or critical finding, and a main landmark and
// one heading of level one — the citizen's pages at a phone's size.
func TestPagesPassWCAG(t *testing.T) {
	axe := browsertest.AxeSource(t)
	url, _ := testserver.Start(t, "127.0.0.1:0", t.TempDir(), lookupOffice(), khaiSinh)
	ctx := context.Background()
	tk, err := client.New(url, testserver.KioskKey).Issue(ctx, "ho_tich", "")
	if err != nil {
		t.Fatal(err)
	}
	clerk := client.New(url, "")
	if _, err := clerk.Login(ctx, testserver.Clerk, testserver.PIN); err != nil {
		t.Fatal(err)
	}
	got, err := clerk.Intake(ctx, intake.Request{Outcome: "receive", Procedure: khaiSinh.Code, Applicant: intake.Applicant{Name: "Nguyễn Văn A"},
		Received: []string{"Tờ khai"}, Sets: 1, Delivery: "desk"})
	if err != nil {
		t.Fatal(err)
	}
	check := func(p *browsertest.Page, name string) {
		t.Helper()
		p.PassesWCAG(axe, name)
	}
	b := browsertest.Start(t)
	for _, c := range []struct {
		path, ready, want string
	}{
		{"/", `document.querySelector("h1") ? "yes" : ""`, "yes"},
		{"/t/" + tk.Token, `document.getElementById("number").textContent`, tk.Display},
		{"/tra-cuu?ma=" + got.Dossier.Code + "&pin=" + got.Dossier.LookupPIN, `document.body.dataset.status`, "received"},
		{"/cong-khai", `document.querySelector("h1") ? "yes" : ""`, "yes"},
	} {
		p := b.Open(url + c.path)
		p.Screenshot(390, 844) // a phone's viewport
		p.Wait(c.ready, c.want, 20*time.Second)
		check(p, c.path)
		if c.path == "/cong-khai" {
			continue // a page of tables, read on a desk's screen too
		}
		// Text an elderly citizen reads on a phone: 16 px at least.
		if small := p.Eval(`[...document.querySelectorAll("body *")].filter(e => [...e.childNodes].some(n => n.nodeType == 3 && n.textContent.trim()) &&
			getComputedStyle(e).display != "none" && parseFloat(getComputedStyle(e).fontSize) < 16).map(e => e.id || e.className || e.tagName).join(", ")`); small != "" {
			t.Errorf("%s: text under 16 px: %s", c.path, small)
		}
	}
	// A missed turn's status, white on red, reads too.
	missed := b.Open(url + "/t/" + tk.Token)
	missed.Wait(`document.getElementById("number").textContent`, tk.Display, 20*time.Second)
	missed.Eval(`(() => { var s = document.getElementById("status"); s.className = "status missed"; s.textContent = "Bạn đã lỡ lượt gọi."; return "ok" })()`)
	check(missed, "/t/ (missed)")
	board := b.Open(url + "/board")
	board.Screenshot(1920, 1080)
	board.Wait(`document.body.dataset.online`, "yes", 20*time.Second)
	check(board, "/board")

	admin := consoleLogin(t, url, testserver.AdminUser)
	admin.Wait(`location.pathname`, "/admin", 10*time.Second)
	admin.Screenshot(1366, 768) // the office PC's screen
	for _, page := range []string{"/admin", "/admin/services", "/admin/counters", "/admin/users", "/admin/devices", "/admin/catalogue", "/admin/notify", "/admin/payments", "/admin/reports", "/admin/live"} {
		admin.Eval(`(() => { location.href = "` + page + `"; return "ok" })()`)
		admin.Wait(`location.pathname + " " + document.readyState`, page+" complete", 10*time.Second)
		check(admin, page)
	}
	login := b.Open(url + "/admin/login")
	login.Screenshot(1366, 768)
	login.Wait(`document.readyState`, "complete", 10*time.Second)
	check(login, "/admin/login")
}
