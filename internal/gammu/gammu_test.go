package gammu

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"motcua/internal/notify"
)

func TestTheModemsOutboxHoldsWhatWeSent(t *testing.T) {
	if _, err := exec.LookPath(Inject); err != nil {
		t.Fatalf("%s is not installed (make test installs Debian's gammu-smsd): %v", Inject, err)
	}
	cfg, sp, err := FilesConfig(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	c := Channel{Config: func(notify.Settings) string { return cfg }}
	long := "Hồ sơ 000.00.18.H56-261207-0001 của ông/bà đã có kết quả. Mời ông/bà đến Bộ phận Một cửa UBND phường Bến Nghé nhận kết quả trong giờ hành chính. Tra cứu: https://tinh.example.vn/tra-cuu?ma=X&pin=123456"
	start := time.Now()
	for _, c2 := range []struct {
		phone, text string
		unicode     bool
	}{
		{"0912345678", "Mời số 1024 đến quầy 3.", true},
		{"0987654321", long, true},
		{"0356789012", long, false},
	} {
		s := notify.Settings{Channels: []string{notify.SMS}, SMS: notify.SMSConf{Unicode: c2.unicode}}
		m := notify.Message{ID: "x", Phone: c2.phone, Text: c2.text}
		out := c.Send(context.Background(), m, s)
		want := Parts(SMSText(c2.text, c2.unicode), c2.unicode)
		if !out.Sent || out.Parts != len(want) {
			t.Fatalf("%s: %+v, want %d parts", c2.phone, out, len(want))
		}
		if strings.Contains(out.Answer, c2.phone) {
			t.Fatalf("the answer names the phone: %q", out.Answer)
		}
		var f *File
		for _, x := range sp.Files(start.Add(-time.Second)) {
			if x.Number == c2.phone {
				f = &x
			}
		}
		if f == nil {
			t.Fatalf("%s: not in gammu's outbox", c2.phone)
		}
		if len(f.Parts) != len(want) {
			t.Fatalf("%s: gammu made %d parts, notify.Parts %d", c2.phone, len(f.Parts), len(want))
		}
		for i := range want {
			if f.Parts[i] != want[i] {
				raw, _ := os.ReadFile(f.Path)
				t.Fatalf("%s part %d: gammu %q, ours %q\n%s", c2.phone, i, f.Parts[i], want[i], raw)
			}
		}
		if !c2.unicode && strings.ContainsAny(strings.Join(f.Parts, ""), "ồơưà") {
			t.Fatalf("marks kept in a GSM message: %q", f.Parts)
		}
		if !c.WentOut(m, start, s) {
			t.Fatalf("%s: WentOut does not find it", c2.phone)
		}
		m.Text += " (khác)"
		if c.WentOut(m, start, s) {
			t.Fatalf("%s: WentOut finds a message never sent", c2.phone)
		}
	}
	if out := (Channel{Config: func(notify.Settings) string { return "" }}).Send(context.Background(), notify.Message{Phone: "0912345678", Text: "x"}, notify.Settings{}); out.Sent || !out.Permanent {
		t.Fatalf("no config: %+v", out)
	}
	bad := Channel{Config: func(notify.Settings) string { return "/nonexistent/smsdrc" }}
	if out := bad.Send(context.Background(), notify.Message{Phone: "0912345678", Text: "x"}, notify.Settings{}); out.Sent || out.Permanent || strings.Contains(out.Answer, "0912345678") {
		t.Fatalf("a bad config: %+v", out)
	}
}
