package kiosk

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"

	"motcua/internal/client"
	"motcua/internal/gammu"
	"motcua/internal/notify"
	"motcua/internal/testserver"
	"motcua/internal/testwait"
	"motcua/internal/uitest"
)

// After the ticket printed, a citizen gives a mobile number on the big
// keys; a wrong one is said in words; when a clerk calls the ticket, the
// message goes to that number through the modem. An office that sends no
// messages offers nothing.
func TestPhoneAtTheKiosk(t *testing.T) {
	cfg, sp, err := gammu.FilesConfig(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	o := office()
	o.Notify = notify.Settings{Channels: []string{notify.SMS}, SMS: notify.SMSConf{GammuConfig: cfg, Unicode: true}}
	saved := testOffice
	testOffice = o
	t.Cleanup(func() { testOffice = saved })
	r := newRig(t, nil)
	r.tap("Hộ tịch")
	r.waitScreen("ticket")
	r.tap("Nhắn tin cho tôi")
	r.waitScreen("phone")
	for _, d := range "09123" {
		r.tap(string(d))
	}
	r.tap("Gửi")
	said := func() string { uitest.Thread.Lock(); defer uitest.Thread.Unlock(); return r.k.phone.msg }
	if !strings.Contains(said(), "10 chữ số") {
		t.Fatalf("five digits: %q", said())
	}
	for _, d := range "45678" {
		r.tap(string(d))
	}
	if dir := os.Getenv("MOTCUA_SCREENSHOTS"); dir != "" {
		uitest.Thread.Lock()
		r.w.Resize(fyne.NewSize(1080, 1400))
		uitest.Shot(t, r.w.Canvas(), dir, "kiosk-phone.png")
		uitest.Thread.Unlock()
	}
	r.tap("Gửi")
	testwait.Until(t, 10*time.Second, func() bool { return strings.Contains(said(), "Đã ghi số") },
		func() string { return fmt.Sprintf("sent: %q", said()) })
	uitest.Thread.Lock()
	ticket := *r.k.last
	uitest.Thread.Unlock()

	ctx := context.Background()
	clerk := client.New(r.url, "")
	if _, err := clerk.Login(ctx, testserver.Clerk, testserver.PIN); err != nil {
		t.Fatal(err)
	}
	clerk.CounterAction(ctx, 1, "open")
	if _, ok, err := clerk.Next(ctx, 1); err != nil || !ok {
		t.Fatal(ok, err)
	}
	testwait.Until(t, 10*time.Second, func() bool {
		for _, f := range sp.Files(time.Time{}) {
			if f.Number == "0912345678" && strings.Contains(strings.Join(f.Parts, ""), "mời số "+ticket.Display+" đến quầy 1") {
				return true
			}
		}
		return false
	}, func() string { return fmt.Sprintf("no SMS; the outbox: %+v", sp.Files(time.Time{})) })
	// Back home, the digits are forgotten.
	r.k.cfg.UI.Post(r.k.Home)
	r.waitScreen("home")
	if d := func() string { uitest.Thread.Lock(); defer uitest.Thread.Unlock(); return r.k.phone.digits }(); d != "" {
		t.Fatalf("the phone stays on the kiosk: %q", d)
	}
}

// An office that tells nobody offers no phone.
func TestNoPhoneOfferWithoutMessages(t *testing.T) {
	r := newRig(t, nil)
	r.tap("Hộ tịch")
	r.waitScreen("ticket")
	uitest.Thread.Lock()
	b := uitest.Button(r.w.Content(), "Nhắn tin cho tôi")
	uitest.Thread.Unlock()
	if b != nil {
		t.Fatal("a phone offered by an office that sends no messages")
	}
}
