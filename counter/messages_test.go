package counter

import (
	"context"
	"os"
	"strings"
	"testing"

	"fyne.io/fyne/v2"

	"motcua/internal/gammu"
	"motcua/internal/notify"
	"motcua/internal/uitest"
)

// The applicant's consent ticked at intake: the dossier's messages go to
// the phone, and the clerk who opens the dossier (F8) sees each one: what,
// by which channel, when, to which number (masked).
func TestDossierMessagesAtTheCounter(t *testing.T) {
	cfg, _, err := gammu.FilesConfig(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	o := office()
	o.Notify = notify.Settings{Channels: []string{notify.SMS}, SMS: notify.SMSConf{GammuConfig: cfg, Unicode: true}}
	r := newRig(t, o)
	p := &printed{files: map[string][]byte{}}
	r.a.cfg.Print = p.Print
	r.openKhaiSinh()
	uitest.OnUI(func() {
		f := r.a.ui.intake
		f.phone.SetText("0912 345 678")
		f.notify.SetChecked(true)
	})
	r.receiveAll()
	code := strings.TrimSuffix(strings.Join(keys(p.get()), ""), "-mau-01.pdf")
	c := clerkClient(t, r)
	r.wait("the message sent", func() bool {
		d, err := c.Dossier(context.Background(), code)
		return err == nil && len(d.Messages) == 1 && d.Messages[0].State == notify.Sent
	})
	r.key(fyne.KeyEscape)
	r.key(fyne.KeyF8)
	r.waitText("Hồ sơ: tra cứu")
	uitest.OnUI(func() { r.a.ui.panel.code.OnSubmitted(code) })
	r.waitText("Tin nhắn «Đã tiếp nhận hồ sơ»: đã gửi (sms)")
	r.waitText("· 091****678")
	// The next message shows on the open panel as it goes: queued, then
	// sent (the feed's message.changed), without opening the dossier again.
	r.tap("Đã có kết quả")
	r.waitText("Tin nhắn «Đã có kết quả»: đã gửi (sms)")
	if dir := os.Getenv("MOTCUA_SCREENSHOTS"); dir != "" {
		uitest.OnUI(func() { uitest.Shot(t, r.w.Canvas(), dir, "counter-dossier-messages.png") })
	}
}
