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
	apiclient "motcua/internal/client"
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

// postTicket asks base for a ticket with the demo kiosk's key.
func postTicket(t *testing.T, base string) *http.Response {
	t.Helper()
	req, _ := http.NewRequest("POST", base+api.Tickets, strings.NewReader(`{"service_id":"ho_tich"}`))
	req.Header.Set("Authorization", "Bearer demo-device")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}

// pair is the real primary (the demo office) and its standby, in step.
type pair struct {
	bin, pdir, sdir, pbase, sbase, key string
	primary, standby                   *exec.Cmd
}

func startPair(t *testing.T, extra ...string) pair {
	t.Helper()
	p := pair{bin: serverBinary(t), pdir: t.TempDir(), sdir: t.TempDir()}
	p.primary, p.pbase = startServer(t, p.bin, p.pdir, extra...)
	p.key = standbyKey(t, p.bin, p.pdir)
	p.standby, p.sbase = startStandby(t, p.bin, p.sdir, p.pbase, p.key)
	inStep(t, p.pbase)
	return p
}

// inStep waits until the primary at base has its standby in step.
func inStep(t *testing.T, base string) {
	t.Helper()
	testwait.Until(t, 20*time.Second, func() bool { h := healthOf(base); return h.Standby != nil && h.Standby.InStep },
		func() string { return fmt.Sprintf("the primary never had its standby in step: %+v", healthOf(base)) })
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
	p := startPair(t)
	bin, pdir, sdir, primary, pbase, sbase := p.bin, p.pdir, p.sdir, p.primary, p.pbase, p.sbase
	if h := healthOf(sbase); h.Role != api.RoleStandby || h.Epoch != 1 || h.Primary != pbase {
		t.Fatalf("the standby's health: %+v", h)
	}
	if resp := postTicket(t, sbase); resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get(api.PrimaryHeader) != pbase {
		t.Fatalf("a write to the standby: %d %v", resp.StatusCode, resp.Header)
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
	p := startPair(t, "--standby-wait", "500ms")
	bin, sdir, pbase, key, sb := p.bin, p.sdir, p.pbase, p.key, p.standby
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
	startStandby(t, bin, sdir, pbase, key)
	inStep(t, pbase)
}

// TestAnOldPrimaryStopsAndRejoins: the standby is promoted while the old
// primary still runs (cut off, say); a device given both addresses takes
// its tickets from the primary of the higher epoch and tells the old one,
// which checks and stops taking writes (503, and still after a restart),
// while a stranger's header alone stops nothing; the old one then re-joins
// as the new primary's standby with the one command.
func TestAnOldPrimaryStopsAndRejoins(t *testing.T) {
	p := startPair(t)
	bin, pdir, sdir, old, pbase, sbase := p.bin, p.pdir, p.sdir, p.primary, p.pbase, p.sbase

	// A stranger's word alone stops nothing.
	req, _ := http.NewRequest("GET", pbase+api.Healthz, nil)
	req.Header.Set(api.EpochHeader, "99")
	req.Header.Set(api.PrimaryHeader, sbase)
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
	}
	if out, err := exec.Command(bin, "promote", "--data", sdir).CombinedOutput(); err != nil {
		t.Fatalf("promote: %v\n%s", err, out)
	}
	testwait.Until(t, 30*time.Second, func() bool { return healthOf(sbase).Epoch == 2 }, func() string { return "no take-over" })
	if h := healthOf(pbase); h.Role != api.RolePrimary {
		t.Fatalf("a stranger's header fenced the primary: %+v", h)
	}

	kiosk := apiclient.New(pbase+","+sbase, "demo-device")
	tk, err := kiosk.Issue(context.Background(), "ho_tich", "")
	if err != nil {
		t.Fatal(err)
	}
	var on ticketOut
	c := &client{t: t, base: sbase, http: &http.Client{Timeout: 5 * time.Second}}
	if code := c.do("GET", "/api/v1/tickets/"+tk.Token, "", "", &on); code != 200 || kiosk.Epoch() != 2 {
		t.Fatalf("the device's ticket is not on the primary of epoch 2: %d (its epoch %d)", code, kiosk.Epoch())
	}
	testwait.Until(t, 10*time.Second, func() bool { return healthOf(pbase).Role == api.RoleFenced },
		func() string { return fmt.Sprintf("the old primary never stopped: %+v", healthOf(pbase)) })
	if resp := postTicket(t, pbase); resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get(api.PrimaryHeader) != sbase {
		t.Fatalf("a write to the old primary: %d %v", resp.StatusCode, resp.Header)
	}
	// Restarted, it stays stopped; then it re-joins as the standby.
	old.Process.Signal(syscall.SIGTERM)
	old.Wait()
	old, pbase = startBinary(t, bin, "--data", pdir, "--addr", "127.0.0.1:0")
	if resp := postTicket(t, pbase); resp.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("the old primary restarted took a write: %d", resp.StatusCode)
	}
	old.Process.Signal(syscall.SIGTERM)
	old.Wait()
	newKey := standbyKey(t, bin, sdir)
	_, rejoined := startStandby(t, bin, pdir, sbase, newKey)
	inStep(t, sbase)
	if h := healthOf(rejoined); h.Role != api.RoleStandby || h.Epoch != 2 {
		t.Fatalf("the re-joined PC: %+v", h)
	}
}
