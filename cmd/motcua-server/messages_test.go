package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"motcua/internal/api"
	"motcua/internal/gammu"
	"motcua/internal/notify"
	"motcua/internal/testwait"
	"motcua/internal/zalo"
)

// TestMessagesSurviveAKill: the demo office with gammu's files outbox
// tells 42 citizens at once (a call: "called" to one, "near" to the 41
// with at most 40 ahead),
// is SIGKILLed while it hands them to gammu, and restarts: every message
// reaches the modem's outbox exactly once, and the chain verifies. The
// phones are in no log line.
func TestMessagesSurviveAKill(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills a real server")
	}
	bin := serverBinary(t)
	dir := t.TempDir()
	cfg, sp, err := gammu.FilesConfig(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	// gammu-smsd and its modem, stood in for: each message leaves gammu's
	// outbox for its sent folder a moment after it came (the office hands
	// gammu no more than 20 waiting).
	modem := make(chan struct{})
	t.Cleanup(func() { close(modem) })
	go func() {
		for {
			select {
			case <-modem:
				return
			case <-time.After(10 * time.Millisecond):
			}
			if names, _ := sp.Waiting(); len(names) > 0 { // as gammu-smsd: OUT… files only
				os.Rename(sp.Outbox+names[0], sp.Sent+names[0])
			}
		}
	}()
	logs := &lockedLog{}
	start := func() (*exec.Cmd, *client) {
		cmd := exec.Command(bin, "--demo", "--data", dir, "--addr", "127.0.0.1:0", "--sms-gammu-config", cfg)
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		cmd.Stderr = logs
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
		return cmd, &client{t: t, base: waitURL(t, out), http: &http.Client{Timeout: 10 * time.Second}}
	}
	cmd, c := start()
	var login struct{ Token string }
	if code := c.do("POST", "/api/v1/login", "", `{"username":"admin","pin":"1234"}`, &login); code != 200 {
		t.Fatalf("admin login: %d", code)
	}
	var doc map[string]any
	c.do("GET", "/api/v1/admin/settings", login.Token, "", &doc)
	doc["notify"] = map[string]any{"channels": []string{"sms"}, "sms": map[string]any{"unicode": true}, "near_ahead": 40}
	raw, _ := json.Marshal(doc)
	if code := c.do("PUT", "/api/v1/admin/settings", login.Token, string(raw), nil); code != 200 {
		t.Fatalf("settings: %d", code)
	}
	phone := func(i int) string { return fmt.Sprintf("09120%05d", i) }
	var tickets []ticketOut
	for i := range 45 {
		var tk ticketOut
		if code := c.do("POST", "/api/v1/tickets", "demo-device", fmt.Sprintf(`{"service_id":"dat_dai","phone":%q}`, phone(i)), &tk); code != 201 {
			t.Fatalf("ticket %d: %d", i, code)
		}
		tickets = append(tickets, tk)
	}
	var clerk struct{ Token string }
	c.do("POST", "/api/v1/login", "", `{"username":"quay4","pin":"1234"}`, &clerk)
	c.do("POST", "/api/v1/counters/4/open", clerk.Token, "", nil)
	if code := c.do("POST", "/api/v1/counters/4/next", clerk.Token, "", nil); code != 200 {
		t.Fatalf("next: %d", code)
	}
	// Killed once the modem's outbox holds a few of the 41.
	testwait.Until(t, 20*time.Second, func() bool { return len(sp.Files(time.Time{})) >= 3 }, func() string { return "no SMS came" })
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	atKill := len(sp.Files(time.Time{}))

	_, c = start()
	c.do("POST", "/api/v1/login", "", `{"username":"quay4","pin":"1234"}`, &clerk)
	ended := func() (sent, other int, states string) {
		for _, tk := range tickets {
			var msgs []api.MessageView
			c.do("GET", api.Messages+"?ticket="+tk.ID, clerk.Token, "", &msgs)
			for _, m := range msgs {
				if m.State == notify.Sent {
					sent++
				} else {
					other++
					states += " " + m.ID + ":" + string(m.State)
				}
			}
		}
		return
	}
	testwait.Until(t, 60*time.Second, func() bool { s, o, _ := ended(); return s == 42 && o == 0 }, func() string {
		s, o, st := ended()
		return fmt.Sprintf("%d sent, %d not:%s", s, o, st)
	})
	files := map[string]int{}
	for _, f := range sp.Files(time.Time{}) {
		files[f.Number]++
	}
	for i := range 45 {
		want := 1
		if i > 41 { // 42 told: the one called, the next 41 (0 to 40 ahead)
			want = 0
		}
		if files[phone(i)] != want {
			t.Errorf("%s (ticket %d) got %d SMS, want %d", phone(i), i, files[phone(i)], want)
		}
	}
	settled := ""
	for _, l := range strings.Split(logs.String(), "\n") {
		if strings.Contains(l, "cut short") {
			settled = l
		}
	}
	t.Logf("%d of 42 SMS in the modem's outbox at the kill, 42 after the restart, none twice; %s", atKill, settled)
	if out, err := exec.Command(bin, "verify", "--data", dir).CombinedOutput(); err != nil {
		t.Fatalf("verify after the kill: %v\n%s", err, out)
	}
	if l := logs.String(); strings.Contains(l, phone(0)[1:]) || strings.Contains(l, phone(7)[1:]) {
		t.Fatalf("a phone in the server's log")
	}
}

// The office's own OA: zalo-token keeps the refresh token in the data
// directory (0600), where the server's ZNS channel reads it.
func TestZaloTokenKeepsTheRefreshToken(t *testing.T) {
	dir := t.TempDir()
	var out, errs strings.Builder
	if code := run(context.Background(), []string{"zalo-token", "--data", dir}, strings.NewReader("  abc-refresh-123\n"), &out, &errs); code != 0 {
		t.Fatalf("exit %d: %s", code, errs.String())
	}
	got, err := (zalo.FileTokens{Path: zaloTokenFile(dir)}).Load(context.Background())
	if err != nil || got.Refresh != "abc-refresh-123" || got.Access != "" {
		t.Fatalf("kept %+v %v", got, err)
	}
	if st, err := os.Stat(zaloTokenFile(dir)); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("the token file: %v %v", st.Mode(), err)
	}
	if code := run(context.Background(), []string{"zalo-token", "--data", dir}, strings.NewReader(""), &out, &errs); code != 2 {
		t.Fatalf("no token: exit %d", code)
	}
}
