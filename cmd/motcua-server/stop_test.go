package main

import (
	"bytes"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// SIGTERM in the middle of a stream of ticket issues: the real server tells
// systemd it is ready and then stopping (over $NOTIFY_SOCKET), finishes what
// is in flight and exits 0; started again, it holds exactly the tickets it
// answered — every acknowledged one, and none that nobody was told of.
func TestSIGTERMStopsCleanly(t *testing.T) {
	bin := serverBinary(t)
	sock := filepath.Join(t.TempDir(), "notify.sock")
	notify, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: sock, Net: "unixgram"})
	if err != nil {
		t.Fatal(err)
	}
	defer notify.Close()
	said := func(want string) {
		t.Helper()
		notify.SetReadDeadline(time.Now().Add(30 * time.Second))
		buf := make([]byte, 512)
		n, err := notify.Read(buf)
		if err != nil || !strings.Contains(string(buf[:n]), want) {
			t.Fatalf("systemd was told %q (%v), want %q", buf[:n], err, want)
		}
	}
	dir := t.TempDir()
	cmd := exec.Command(bin, "--demo", "--data", dir, "--addr", "127.0.0.1:0")
	cmd.Env = append(os.Environ(), "NOTIFY_SOCKET="+sock)
	out, _ := cmd.StdoutPipe()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	base := waitURL(t, out)
	said("READY=1")

	c := &client{t: t, base: base, http: &http.Client{Timeout: 10 * time.Second}}
	acked := map[string]ticketOut{}
	kiosks := startIssuing(c, []string{"ho_tich", "chung_thuc", "dat_dai"}, acked, nil)
	kiosks.waitFor(t, 150)
	cmd.Process.Signal(syscall.SIGTERM)
	said("STOPPING=1")
	err = cmd.Wait()
	kiosks.halt()
	if err != nil {
		t.Fatalf("the server's exit after SIGTERM: %v\n%s", err, stderr.String())
	}
	if len(acked) < 150 {
		t.Fatalf("only %d tickets answered before the SIGTERM", len(acked))
	}

	_, base = startServer(t, bin, dir)
	c.base = base
	for tok, want := range acked {
		var got ticketOut
		if code := c.do("GET", "/api/v1/tickets/"+tok, "", "", &got); code != 200 || got.Number != want.Number {
			t.Fatalf("answered ticket %s is not stored after the SIGTERM: %d", want.ID, code)
		}
	}
	var state struct {
		Tickets []ticketOut `json:"tickets"`
	}
	c.do("GET", "/api/v1/state", "demo-device", "", &state)
	if len(state.Tickets) != len(acked) {
		t.Errorf("%d tickets stored, %d answered: a request was cut mid-commit", len(state.Tickets), len(acked))
	}
}
