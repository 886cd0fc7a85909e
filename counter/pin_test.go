package counter

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"fyne.io/fyne/v2"

	"motcua/internal/testserver"
	"motcua/internal/uitest"
)

// consolePost posts a form to the console as the test office's admin and
// returns the answer page.
func consolePost(t *testing.T, base, path string, form url.Values) string {
	t.Helper()
	resp, err := http.Post(base+"/api/v1/login", "application/json", strings.NewReader(`{"username":"`+testserver.AdminUser+`","pin":"`+testserver.PIN+`"}`))
	if err != nil {
		t.Fatal(err)
	}
	var login struct{ Token string }
	json.NewDecoder(resp.Body).Decode(&login)
	resp.Body.Close()
	form.Set("version", "0")
	req, _ := http.NewRequest("POST", base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", base)
	req.AddCookie(&http.Cookie{Name: "motcua_admin", Value: login.Token})
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 && resp.StatusCode != 303 {
		t.Fatalf("%s %v: %d\n%s", path, form, resp.StatusCode, page)
	}
	return string(page)
}

// resetPIN has the admin reset username's PIN on the console's staff page
// and returns the one-time code the page shows.
func resetPIN(t *testing.T, base, username string) string {
	t.Helper()
	page := consolePost(t, base, "/admin/users", url.Values{"action": {"reset"}, "username": {username}})
	m := regexp.MustCompile(`class="code">(\d{6})<`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no one-time code on the staff page:\n%s", page)
	}
	return m[1]
}

// A clerk whose PIN the admin reset types the one-time code; the login
// screen then asks for her own PIN twice, on the same keypad, and logs her
// in with it; the next login takes that PIN.
func TestFirstLoginChoosesThePIN(t *testing.T) {
	r := newRig(t, office())
	code := resetPIN(t, r.url, testserver.Clerk)
	pad := func(digits string) {
		for _, d := range digits {
			r.tap(string(d))
		}
	}
	pad(code)
	r.tap("Đăng nhập")
	r.waitText("hãy chọn mã PIN mới")
	if !r.on(func() bool { return r.a.choosing && r.a.ui.newPIN.Visible() && r.a.ui.again.Visible() }) || strings.Contains(r.text(), "Không thực hiện được") {
		t.Fatalf("the login screen does not ask for the new PIN, or calls it a failure:\n%s", r.text())
	}
	if got := r.on(func() bool { return r.a.ui.pin.Text == code }); !got {
		t.Fatal("the code typed was lost when the screen asked for the new PIN")
	}
	pad("159374")
	// All of it fits a 1280×720 screen, the hint too (it was cut at 800).
	uitest.OnUI(func() {
		r.w.Resize(fyne.NewSize(1280, 720))
		hint := r.a.ui.hint
		bottom := fyne.CurrentApp().Driver().AbsolutePositionForObject(hint).Y + hint.MinSize().Height
		if !hint.Visible() || bottom > 720 {
			t.Errorf("the set-PIN hint ends at %.0f of a 720-high window", bottom)
		}
		uitest.ShotIfAsked(t, r.w.Canvas(), "counter-first-login.png")
	})
	r.tap("OK") // to the second box
	pad("159375")
	r.tap("Đăng nhập")
	r.waitText("không khớp")
	uitest.OnUI(func() { r.a.ui.newPIN.SetText(""); r.a.ui.again.SetText(""); r.a.ui.padAt = 1 })
	pad("159374")
	r.tap("OK")
	pad("159374")
	r.tap("OK") // at the last box OK logs in
	r.wait("the work screen with the feed", func() bool {
		return r.on(func() bool { return r.a.screen == "work" && r.a.live.Online && r.a.live.Snap != nil })
	})
	r.tap("Đăng xuất")
	r.wait("login screen", func() bool { return r.screen() == "login" })
	if r.on(func() bool { return r.a.choosing }) || strings.Contains(r.text(), "Bàn phím số điền lần lượt") {
		t.Fatal("the login screen still asks for a new PIN after one was chosen")
	}
	pad("159374")
	r.tap("Đăng nhập")
	r.wait("the work screen with the chosen PIN", func() bool { return r.screen() == "work" })
}
