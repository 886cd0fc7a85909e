package main

import (
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"
)

// startServer runs the real binary on a free loopback port.
func startServer(t testing.TB, bin, dir string, extra ...string) (*exec.Cmd, string) {
	t.Helper()
	return startBinary(t, bin, append([]string{"--demo", "--data", dir, "--addr", "127.0.0.1:0"}, extra...)...)
}

// startBinary runs the real binary with args until the test ends; it
// returns once the binary says where it listens.
func startBinary(t testing.TB, bin string, args ...string) (*exec.Cmd, string) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	return cmd, waitURL(t, out)
}

// TestCrashKeepsEveryAcknowledgedTicket SIGKILLs the real server in the middle of
// a stream of ticket requests from 16 kiosks, restarts it, and checks that every
// ticket a kiosk got a 201 for is there, that no number was given twice, and that
// numbering goes on after the highest one. Three rounds.
func TestCrashKeepsEveryAcknowledgedTicket(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills a real server")
	}
	bin := serverBinary(t)
	dir := t.TempDir()
	services := []string{"ho_tich", "chung_thuc", "dat_dai"}
	acked := map[string]ticketOut{} // token -> ticket as acknowledged
	seen := map[string]string{}     // service/number -> token

	for round := range 3 {
		cmd, base := startServer(t, bin, dir)
		c := &client{t: t, base: base, http: &http.Client{Timeout: 5 * time.Second}}
		// Everything acknowledged before this start must be there.
		for tok, want := range acked {
			var got ticketOut
			if code := c.do("GET", "/api/v1/tickets/"+tok, "", "", &got); code != 200 || got.ID != want.ID || got.Number != want.Number {
				t.Fatalf("round %d: acknowledged ticket %s (%d) lost after kill -9: status %d, got %+v", round, want.ID, want.Number, code, got)
			}
		}
		kiosks := startIssuing(c, services, acked, func(tk ticketOut) {
			key := fmt.Sprintf("%s/%d", tk.ServiceID, tk.Number)
			if other, dup := seen[key]; dup {
				t.Errorf("number %s given twice (tokens %s and %s)", key, other, tk.Token)
			}
			seen[key] = tk.Token
		})
		kiosks.waitFor(t, (round+1)*150) // kill once this round has acknowledged a good stream of tickets
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		kiosks.halt()
	}
	if len(acked) < 300 {
		t.Fatalf("only %d tickets acknowledged across three rounds", len(acked))
	}

	_, base := startServer(t, bin, dir)
	c := &client{t: t, base: base, http: &http.Client{Timeout: 5 * time.Second}}
	for tok, want := range acked {
		var got ticketOut
		if code := c.do("GET", "/api/v1/tickets/"+tok, "", "", &got); code != 200 || got.Number != want.Number {
			t.Fatalf("acknowledged ticket %s lost: %d", want.ID, code)
		}
	}
	numberingGoesOn(t, c, services, acked, "after restarts")
	out, err := exec.Command(bin, "verify", "--data", dir).CombinedOutput()
	if err != nil {
		t.Errorf("event chain after kills: %v\n%s", err, out)
	}
	t.Logf("%d tickets acknowledged across 3 kills, all found", len(acked))
}

// numberingGoesOn takes a ticket of each service and checks that its number
// is above every one acknowledged (no printed number given again).
func numberingGoesOn(t *testing.T, c *client, services []string, acked map[string]ticketOut, when string) {
	t.Helper()
	for _, svc := range services {
		high := 0
		for _, tk := range acked {
			if tk.ServiceID == svc {
				high = max(high, tk.Number)
			}
		}
		var tk ticketOut
		if code := c.do("POST", "/api/v1/tickets", "demo-device", fmt.Sprintf(`{"service_id":%q}`, svc), &tk); code != 201 || tk.Number <= high {
			t.Errorf("%s %s: number %d (status %d), highest acknowledged %d", svc, when, tk.Number, code, high)
		}
	}
}
