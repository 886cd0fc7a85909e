package main

import (
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
	"motcua/internal/testwait"
)

// standbyKey makes a standby's key on the primary in dir (running).
func standbyKey(t *testing.T, bin, dir string) string {
	t.Helper()
	out, err := exec.Command(bin, "standby-key", "--data", dir).CombinedOutput()
	if err != nil {
		t.Fatalf("standby-key: %v\n%s", err, out)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	return lines[len(lines)-1]
}

// startStandby runs the real binary as the standby of primary.
func startStandby(t *testing.T, bin, dir, primary, key string) (*exec.Cmd, string) {
	t.Helper()
	return startBinary(t, bin, "--data", dir, "--addr", "127.0.0.1:0", "--standby-of", primary, "--standby-key", key)
}

func healthOf(base string) api.Health {
	var h api.Health
	c := http.Client{Timeout: 2 * time.Second}
	if resp, err := c.Get(base + api.Healthz); err == nil {
		json.NewDecoder(resp.Body).Decode(&h)
		resp.Body.Close()
	}
	return h
}

// TestTheStandbyTakesOver: a standby follows the real primary while 16
// kiosks take tickets; the primary is SIGKILLed and its data directory
// deleted; the running standby is promoted with the command; on the same
// address it is the primary of the next epoch, every ticket a kiosk was
// answered for is there with its number, numbering goes on above them, and
// its chain verifies. Before that, the standby refuses a write with the
// primary's address.
func TestTheStandbyTakesOver(t *testing.T) {
	bin := serverBinary(t)
	pdir, sdir := t.TempDir(), t.TempDir()
	primary, pbase := startServer(t, bin, pdir)
	key := standbyKey(t, bin, pdir)
	_, sbase := startStandby(t, bin, sdir, pbase, key)
	testwait.Until(t, 20*time.Second, func() bool { h := healthOf(pbase); return h.Standby != nil && h.Standby.InStep },
		func() string { return fmt.Sprintf("the primary never had its standby in step: %+v", healthOf(pbase)) })
	if h := healthOf(sbase); h.Role != api.RoleStandby || h.Epoch != 1 || h.Primary != pbase {
		t.Fatalf("the standby's health: %+v", h)
	}
	req, _ := http.NewRequest("POST", sbase+api.Tickets, strings.NewReader(`{"service_id":"ho_tich"}`))
	req.Header.Set("Authorization", "Bearer demo-device")
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("X-Motcua-Primary") != pbase {
		t.Fatalf("a write to the standby: %v %+v", err, resp)
	}

	services := []string{"ho_tich", "chung_thuc", "dat_dai"}
	acked := map[string]ticketOut{}
	c := &client{t: t, base: pbase, http: &http.Client{Timeout: 5 * time.Second}}
	kiosks := startIssuing(c, services, acked, nil)
	kiosks.waitFor(t, 300)
	primary.Process.Signal(syscall.SIGKILL)
	primary.Wait()
	kiosks.halt()
	os.RemoveAll(pdir) // the first PC's disk is gone

	if out, err := exec.Command(bin, "promote", "--data", sdir).CombinedOutput(); err != nil {
		t.Fatalf("promote: %v\n%s", err, out)
	}
	testwait.Until(t, 30*time.Second, func() bool { h := healthOf(sbase); return h.Role == api.RolePrimary && h.Epoch == 2 },
		func() string { return fmt.Sprintf("the standby never became the primary: %+v", healthOf(sbase)) })
	c = &client{t: t, base: sbase, http: &http.Client{Timeout: 5 * time.Second}}
	for tok, want := range acked {
		var got ticketOut
		if code := c.do("GET", "/api/v1/tickets/"+tok, "", "", &got); code != 200 || got.ID != want.ID || got.Number != want.Number {
			t.Fatalf("acknowledged ticket %s (%d) lost in the take-over: %d %+v", want.ID, want.Number, code, got)
		}
	}
	numberingGoesOn(t, c, services, acked, "after the take-over")
	if out, err := exec.Command(bin, "verify", "--data", sdir).CombinedOutput(); err != nil {
		t.Errorf("the new primary's chain: %v\n%s", err, out)
	}
	t.Logf("%d tickets acknowledged by the first PC, all on the second after the take-over", len(acked))
}

// TestThePrimaryGoesOnWithoutItsStandby: the standby SIGKILLed, the real
// primary answers within its wait and says the standby is gone; the
// standby back, it catches up and is in step again.
func TestThePrimaryGoesOnWithoutItsStandby(t *testing.T) {
	bin := serverBinary(t)
	pdir, sdir := t.TempDir(), t.TempDir()
	_, pbase := startServer(t, bin, pdir, "--standby-wait", "500ms")
	key := standbyKey(t, bin, pdir)
	sb, _ := startStandby(t, bin, sdir, pbase, key)
	testwait.Until(t, 20*time.Second, func() bool { h := healthOf(pbase); return h.Standby != nil && h.Standby.InStep },
		func() string { return "the standby never got in step" })
	sb.Process.Signal(syscall.SIGKILL)
	sb.Wait()
	c := &client{t: t, base: pbase, http: &http.Client{Timeout: 5 * time.Second}}
	for i := range 5 {
		var tk ticketOut
		if code := c.do("POST", "/api/v1/tickets", "demo-device", `{"service_id":"ho_tich"}`, &tk); code != 201 {
			t.Fatalf("ticket %d without the standby: %d", i, code)
		}
	}
	if h := healthOf(pbase); h.Standby == nil || h.Standby.Connected || h.Standby.InStep {
		t.Fatalf("the primary's health without its standby: %+v", h.Standby)
	}
	_, _ = startStandby(t, bin, sdir, pbase, key)
	testwait.Until(t, 20*time.Second, func() bool { h := healthOf(pbase); return h.Standby != nil && h.Standby.InStep },
		func() string { return fmt.Sprintf("the standby never caught up: %+v", healthOf(pbase).Standby) })
}
