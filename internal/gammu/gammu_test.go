package gammu

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"motcua/internal/notify"
	"motcua/internal/testwait"
)

const long = "Hồ sơ 000.00.18.H56-261207-0001 của ông/bà đã có kết quả. Mời ông/bà đến Bộ phận Một cửa UBND phường Bến Nghé nhận kết quả trong giờ hành chính. Tra cứu: https://tinh.example.vn/tra-cuu?ma=X&pin=123456"

// texts are the cases both ways of handing a message over are held to:
// one part, a long one of three, a GSM one with the extension table's
// two-septet characters at a part's edge, and a text exactly one part long.
var texts = []struct {
	phone, text string
	unicode     bool
}{
	{"0912345678", "Mời số 1024 đến quầy 3.", true},
	{"0987654321", long, true},
	{"0356789012", long, false},
	{"0356789013", strings.Repeat("a", 150) + "[x]{y}|€", false},
	{"0356789014", strings.Repeat("ơ", 70), true},
	{"+84912345678", strings.Repeat("Sổ ", 50), true},
}

func needGammu(t *testing.T, prog string) {
	t.Helper()
	if _, err := exec.LookPath(prog); err != nil {
		t.Fatalf("%s is not installed (make test installs Debian's gammu-smsd): %v", prog, err)
	}
}

// sections reads a .smsbackup file's sections as their fields (comments
// and the fields that differ by the moment or the message — the time and
// the concatenation reference — left out).
func sections(t *testing.T, path string) []map[string]string {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]string
	sc := bufio.NewScanner(strings.NewReader(string(raw)))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "[") {
			out = append(out, map[string]string{"section": line})
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok || strings.HasPrefix(line, ";") {
			continue
		}
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		switch k {
		case "DateTime":
			v = "(time)"
		case "UDH":
			v = v[:6] + "rr" + v[8:]
		}
		out[len(out)-1][k] = v
	}
	return out
}

func only(t *testing.T, dir string) string {
	t.Helper()
	names, _ := filepath.Glob(filepath.Join(dir, "OUT*"))
	if len(names) != 1 {
		t.Fatalf("%s: %d files, want 1", dir, len(names))
	}
	return names[0]
}

// TestWriteIsWhatInjectWrites: the file Write puts in gammu's outbox has
// the sections and fields gammu-smsd-inject writes for the same text, part
// for part (the real tool, run beside it).
func TestWriteIsWhatInjectWrites(t *testing.T) {
	needGammu(t, Inject)
	for _, c := range texts {
		cfg, theirs, err := FilesConfig(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		_, ours, _ := FilesConfig(t.TempDir())
		text := SMSText(c.text, c.unicode)
		n, err := inject(context.Background(), cfg, c.phone, text, c.unicode)
		if err != nil {
			t.Fatal(err)
		}
		m, err := ours.Write("d:1/received", c.phone, text, c.unicode, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if m != n || n != len(Parts(text, c.unicode)) {
			t.Fatalf("%s: Write %d parts, inject %d, Parts %d", c.phone, m, n, len(Parts(text, c.unicode)))
		}
		want, got := sections(t, only(t, theirs.Outbox)), sections(t, only(t, ours.Outbox))
		if len(want) != len(got) {
			t.Fatalf("%s: %d sections, gammu-smsd-inject %d", c.phone, len(got), len(want))
		}
		for i := range want {
			for k, v := range want[i] {
				if got[i][k] != v {
					t.Fatalf("%s part %d: %s = %q, gammu-smsd-inject %q", c.phone, i, k, got[i][k], v)
				}
			}
			if len(got[i]) != len(want[i]) {
				t.Fatalf("%s part %d: fields %v, gammu-smsd-inject %v", c.phone, i, got[i], want[i])
			}
		}
		f, err := ReadFile(only(t, ours.Outbox))
		if err != nil || strings.Join(f.Parts, "") != text || f.Number != c.phone {
			t.Fatalf("%s: read back %+v, %v", c.phone, f, err)
		}
	}
}

// TestGammuSmsdSendsWhatWeWrite: the real gammu-smsd, over its files
// service with gammu's dummy phone in place of a modem, takes every message
// Send wrote, whole (each part found, the long ones as one message), and
// moves it to its sent folder; nothing lands in its error folder.
func TestGammuSmsdSendsWhatWeWrite(t *testing.T) {
	needGammu(t, "gammu-smsd")
	dir := t.TempDir()
	cfg, sp, err := FilesConfig(dir)
	if err != nil {
		t.Fatal(err)
	}
	phone := filepath.Join(dir, "phone")
	os.MkdirAll(phone, 0o750)
	logf := filepath.Join(dir, "smsd.log")
	raw, _ := os.ReadFile(cfg)
	conf := strings.Replace(string(raw), "device = /dev/null\nconnection = at\n", "device = "+phone+"\nconnection = none\nmodel = dummy\n", 1) +
		"logfile = " + logf + "\ndebuglevel = 1\nloopsleep = 1\nstatusfrequency = 0\nreceive = 0\ncheckbattery = 0\ncheckSignal = 0\n"
	if err := os.WriteFile(cfg, []byte(conf), 0o640); err != nil {
		t.Fatal(err)
	}
	c := Channel{Config: func(notify.Settings) string { return cfg }}
	for i, x := range texts {
		s := notify.Settings{Channels: []string{notify.SMS}, SMS: notify.SMSConf{Unicode: x.unicode}}
		out := c.Send(context.Background(), notify.Message{ID: "t:" + x.phone, Phone: x.phone, Text: x.text}, s)
		if !out.Sent || out.Parts != len(Parts(SMSText(x.text, x.unicode), x.unicode)) {
			t.Fatalf("case %d: %+v", i, out)
		}
	}
	smsd := exec.Command("gammu-smsd", "-c", cfg)
	smsd.Env = append(os.Environ(), "LC_ALL=C.UTF-8")
	if err := smsd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { smsd.Process.Signal(syscall.SIGTERM); smsd.Wait() }()
	sent := func() []string { n, _ := filepath.Glob(filepath.Join(sp.Sent, "OUT*")); return n }
	testwait.Until(t, time.Minute, func() bool { return len(sent()) == len(texts) }, func() string {
		l, _ := os.ReadFile(logf)
		return "gammu-smsd sent " + strings.Join(sent(), ", ") + "\n" + string(l)
	})
	l, _ := os.ReadFile(logf)
	log := string(l)
	if errs, _ := filepath.Glob(filepath.Join(sp.Error, "OUT*")); len(errs) > 0 {
		t.Fatalf("gammu-smsd refused %v:\n%s", errs, log)
	}
	for _, x := range texts {
		n := len(Parts(SMSText(x.text, x.unicode), x.unicode))
		if !strings.Contains(log, fmt.Sprintf("(total: %d) to %s, message reference", n, x.phone)) {
			t.Fatalf("%s: not transmitted in %d parts:\n%s", x.phone, n, log)
		}
		if !c.WentOut(notify.Message{ID: "t:" + x.phone}, time.Time{}, notify.Settings{}) {
			t.Fatalf("%s: WentOut does not find it in the sent folder", x.phone)
		}
	}
}

func TestSendAndWentOut(t *testing.T) {
	needGammu(t, Inject)
	cfg, sp, err := FilesConfig(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	c := Channel{Config: func(notify.Settings) string { return cfg }}
	start := time.Now()
	for _, x := range texts[:3] {
		s := notify.Settings{Channels: []string{notify.SMS}, SMS: notify.SMSConf{Unicode: x.unicode}}
		m := notify.Message{ID: "d:" + x.phone, Phone: x.phone, Text: x.text}
		out := c.Send(context.Background(), m, s)
		if !out.Sent || strings.Contains(out.Answer, x.phone) {
			t.Fatalf("%s: %+v", x.phone, out)
		}
		if f, err := ReadFile(only(t, sp.Outbox)); err != nil || (!x.unicode && strings.ContainsAny(strings.Join(f.Parts, ""), "ồơưà")) {
			t.Fatalf("%s: %+v %v (no marks in a GSM message)", x.phone, f, err)
		}
		if !c.WentOut(m, start, s) {
			t.Fatalf("%s: WentOut does not find it", x.phone)
		}
		if c.WentOut(notify.Message{ID: m.ID + "x", Phone: m.Phone, Text: m.Text + " (khác)"}, start, s) {
			t.Fatalf("%s: WentOut finds a message never sent", x.phone)
		}
		os.Rename(only(t, sp.Outbox), filepath.Join(sp.Sent, filepath.Base(only(t, sp.Outbox))))
	}
	// A file gammu-smsd-inject wrote (an office before this version) is
	// known by its number and text.
	if _, err := inject(context.Background(), cfg, "0911111111", "Mời số 7 đến quầy 1.", true); err != nil {
		t.Fatal(err)
	}
	old := notify.Message{ID: "t:old", Phone: "0911111111", Text: "Mời số 7 đến quầy 1."}
	if !c.WentOut(old, start, notify.Settings{SMS: notify.SMSConf{Unicode: true}}) {
		t.Fatal("WentOut does not find inject's file")
	}
	if out := (Channel{Config: func(notify.Settings) string { return "" }}).Send(context.Background(), notify.Message{Phone: "0912345678", Text: "x"}, notify.Settings{}); out.Sent || !out.Permanent {
		t.Fatalf("no config: %+v", out)
	}
	bad := Channel{Config: func(notify.Settings) string { return "/nonexistent/smsdrc" }}
	if out := bad.Send(context.Background(), notify.Message{Phone: "0912345678", Text: "x"}, notify.Settings{}); out.Sent || out.Permanent || strings.Contains(out.Answer, "0912345678") {
		t.Fatalf("a bad config: %+v", out)
	}
	os.RemoveAll(sp.Outbox)
	if out := c.Send(context.Background(), notify.Message{ID: "x", Phone: "0912345678", Text: "x"}, notify.Settings{}); out.Sent || out.Permanent || strings.Contains(out.Answer, "0912345678") {
		t.Fatalf("the outbox gone: %+v", out)
	}
	// A number that is no number never names a file.
	for _, p := range []string{"../../etc/passwd", "09123/45678", "", "0912345678\n"} {
		if _, err := sp.Write("x", p, "x", true, time.Now()); err == nil {
			t.Fatalf("Write took %q", p)
		}
	}
}
