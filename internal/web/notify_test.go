package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"motcua/internal/api"
	"motcua/internal/browsertest"
	"motcua/internal/client"
	"motcua/internal/gammu"
	"motcua/internal/notify"
	"motcua/internal/testserver"
	"motcua/internal/testwait"
)

// In headless Chromium, the desk head's messages page lists the last
// messages: one sent by SMS (the phone masked), one the office could not
// send (no Zalo set up, its answer shown).
func TestNotifyPageInChromium(t *testing.T) {
	cfg, _, err := gammu.FilesConfig(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	o := office()
	o.Notify = notify.Settings{Channels: []string{notify.SMS}, SMS: notify.SMSConf{GammuConfig: cfg, Unicode: true}, NearAhead: 1}
	url, _ := testserver.Start(t, "127.0.0.1:0", t.TempDir(), o)
	ctx := context.Background()
	kiosk := client.New(url, testserver.KioskKey)
	for _, p := range []string{"0912345678", "0987654321"} {
		if _, err := kiosk.IssueFor(ctx, api.IssueRequest{ServiceID: "ho_tich", Phone: p}); err != nil {
			t.Fatal(err)
		}
	}
	clerk := client.New(url, "")
	clerk.Login(ctx, testserver.Clerk, testserver.PIN)
	clerk.CounterAction(ctx, 1, "open")
	clerk.Next(ctx, 1)

	b := browsertest.Start(t)
	p := b.Open(url + "/admin/login")
	p.Wait(`document.title`, "~Đăng nhập", 10*time.Second)
	p.Eval(`(() => { document.querySelector('[name=username]').value = "` + testserver.AdminUser + `";
		document.querySelector('[name=pin]').value = "` + testserver.PIN + `";
		document.querySelector('form').submit(); return "ok" })()`)
	p.Wait(`location.pathname`, "/admin", 10*time.Second)
	var body string
	testwait.Until(t, 10*time.Second, func() bool {
		p.Eval(`(() => { location.href = "/admin/notify"; return "ok" })()`)
		p.Wait(`document.title`, "~Tin nhắn", 10*time.Second)
		body = p.Eval(`document.body.innerText`)
		return strings.Count(body, "đã gửi (sms)") == 2
	}, func() string { return fmt.Sprintf("the page:\n%s", body) })
	for _, want := range []string{"091****678", "098****321", "Được mời vào quầy", "Sắp đến lượt", "gammu-smsd: đã vào hàng gửi của modem"} {
		if !strings.Contains(body, want) {
			t.Errorf("the page lacks %q:\n%s", want, body)
		}
	}
	if strings.Contains(body, "0912345678") {
		t.Error("the page shows a whole phone number")
	}
	shot(t, p, "console-notify.png")
}
