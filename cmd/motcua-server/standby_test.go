package main

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"motcua/internal/api"
	"motcua/internal/bolt"
	"motcua/internal/browsertest"
	"motcua/internal/catalogue"
	apiclient "motcua/internal/client"
	"motcua/internal/intake"
	"motcua/internal/queue"
	"motcua/internal/testwait"
)

// standbyKey makes a standby's key on the primary in dir (running).
func standbyKey(t testing.TB, bin, dir string) string {
	t.Helper()
	out, err := exec.Command(bin, "standby-key", "--data", dir).CombinedOutput()
	if err != nil {
		t.Fatalf("standby-key: %v\n%s", err, out)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	return lines[len(lines)-1]
}

// startStandby runs the real binary as the standby of primary.
func startStandby(t testing.TB, bin, dir, primary, key string) (*exec.Cmd, string) {
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
// deleted; the running standby is promoted from its console; on the same
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
	// A browser on the standby's board is told where the primary is, and
	// the page loads itself again.
	browserSays(t, sbase+"/board?counters=1", http.StatusServiceUnavailable, `href="`+pbase+`/board?counters=1"`, `http-equiv="refresh"`, "máy chủ dự phòng")

	services := []string{"ho_tich", "chung_thuc", "dat_dai"}
	acked := map[string]ticketOut{}
	c := &client{t: t, base: pbase, http: &http.Client{Timeout: 5 * time.Second}}
	both := pbase + "," + sbase // how the devices are given the two PCs
	// Counters 2 and 4 are given the first PC's address only (paired
	// before the second was set up): they learn the second's from the
	// primary's /healthz.
	desks := startCounters(t, func(i int) string {
		if i%2 == 0 {
			return pbase
		}
		return both
	}, 4)
	dossiers := receiveDossiers(t, both, 3)
	kiosks := startIssuing(c, services, acked, nil)
	kiosks.waitFor(t, 300)
	desks.waitFor(t, 20)
	for i, clerk := range desks.clerks {
		if got := clerk.Servers(); !slices.Contains(got, sbase) {
			t.Fatalf("counter %d knows %v, not the standby %s", i+1, got, sbase)
		}
		if kept := desks.kept(i); i%2 == 1 && !slices.Equal(kept, []string{pbase, sbase}) {
			t.Fatalf("counter %d kept %v for its next start, not both PCs", i+1, kept)
		}
	}
	if got := pairAt(t, pbase).Servers; !slices.Equal(got, []string{pbase, sbase}) {
		t.Fatalf("a device paired on the primary is given %v, not both PCs (%s, %s)", got, pbase, sbase)
	}
	primary.Process.Signal(syscall.SIGKILL)
	primary.Wait()
	kiosks.halt()
	desks.halt()
	os.RemoveAll(pdir) // the first PC's disk is gone

	// The take-over by the standby's console: an admin, with the
	// confirmation; a wrong PIN or no confirmation is refused.
	for _, f := range []url.Values{
		{"username": {"admin"}, "pin": {"9999"}, "confirm": {"1"}},
		{"username": {"quay1"}, "pin": {"1234"}, "confirm": {"1"}},
		{"username": {"admin"}, "pin": {"1234"}},
	} {
		if resp, err := http.PostForm(sbase+"/admin/standby", f); err != nil || resp.StatusCode != http.StatusForbidden {
			t.Fatalf("the take-over button with %v: %v %v", f, err, resp)
		}
	}
	if healthOf(sbase).Role != api.RoleStandby {
		t.Fatal("a refused take-over took over")
	}
	resp, err := http.PostForm(sbase+"/admin/standby", url.Values{"username": {"admin"}, "pin": {"1234"}, "confirm": {"1"}})
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("the take-over button: %v %v", err, resp)
	}
	resp.Body.Close()
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
	// Every call answered and every dossier with its scan; the counters go
	// on by themselves (their sessions came with the rest).
	for token := range desks.done {
		var got struct{ State queue.TicketState }
		if code := c.do("GET", "/api/v1/tickets/"+token, "", "", &got); code != 200 || got.State != queue.Done {
			t.Fatalf("a ticket finished at a counter is %d %q after the take-over", code, got.State)
		}
	}
	for code, sha := range dossiers {
		d, err := desks.clerks[0].Dossier(context.Background(), code)
		if err != nil || d.Documents[0].Scan == nil || d.Documents[0].Scan.SHA256 != sha {
			t.Fatalf("dossier %s after the take-over: %v", code, err)
		}
		if _, err := os.Stat(bolt.ScanPath(sdir, sha)); err != nil {
			t.Fatalf("the scan of %s is not on the second PC: %v", code, err)
		}
	}
	for n, clerk := range desks.clerks {
		// What was being served when the first PC died is finished, then
		// the next is called: on the second PC, through the same client.
		clerk.TicketAction(context.Background(), n+1, "finish", api.CounterRequest{})
		if _, _, err := clerk.Next(context.Background(), n+1); err != nil {
			t.Fatalf("counter %d after the take-over: %v", n+1, err)
		}
	}
	if out, err := exec.Command(bin, "verify", "--data", sdir).CombinedOutput(); err != nil {
		t.Errorf("the new primary's chain: %v\n%s", err, out)
	}
	t.Logf("the first PC acknowledged %d tickets, %d services finished at 4 counters, %d dossiers with their scans: all on the second after the take-over", len(acked), len(desks.done), len(dossiers))
}

// TestThePrimaryGoesOnWithoutItsStandby: the standby SIGKILLed, the real
// primary answers within its wait and says the standby is gone; the
// standby back, it catches up and is in step again.
func TestThePrimaryGoesOnWithoutItsStandby(t *testing.T) {
	p := startPair(t, "--standby-wait", "500ms", "--metrics-from", "127.0.0.1")
	bin, sdir, pbase, key, sb := p.bin, p.sdir, p.pbase, p.key, p.standby
	gauges(t, pbase, "motcua_standby_connected 1", "motcua_standby_in_step 1", "motcua_standby_lag_changes 0", "motcua_epoch 1")
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
	gauges(t, pbase, "motcua_standby_connected 0", "motcua_standby_in_step 0")
	testwait.Until(t, 10*time.Second, func() bool {
		return strings.Contains(metricsOf(t, pbase), `motcua_alerts_total{kind="standby_behind"} `)
	},
		func() string { return "/metrics never counted the alert \"standby not keeping up\"" })
	if lag := gauge(t, pbase, "motcua_standby_lag_changes"); lag < 5 {
		t.Fatalf("5 tickets the standby lacks, and /metrics says it lags %v changes", lag)
	}
	startStandby(t, bin, sdir, pbase, key)
	inStep(t, pbase)
	gauges(t, pbase, "motcua_standby_connected 1", "motcua_standby_in_step 1", "motcua_standby_lag_changes 0")
}

// metricsOf is the server's /metrics (it was started with --metrics-from
// 127.0.0.1).
func metricsOf(t *testing.T, base string) string {
	t.Helper()
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("/metrics: %d %s", resp.StatusCode, raw)
	}
	return string(raw)
}

// gauges checks that /metrics has each line.
func gauges(t *testing.T, base string, lines ...string) {
	t.Helper()
	m := metricsOf(t, base)
	for _, l := range lines {
		if !strings.Contains(m, "\n"+l+"\n") {
			t.Errorf("/metrics lacks %q", l)
		}
	}
}

// gauge is one unlabelled gauge's value.
func gauge(t *testing.T, base, name string) float64 {
	t.Helper()
	for _, l := range strings.Split(metricsOf(t, base), "\n") {
		if v, ok := strings.CutPrefix(l, name+" "); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err == nil {
				return f
			}
		}
	}
	t.Fatalf("/metrics has no %s", name)
	return 0
}

// TestAnOldPrimaryStopsAndRejoins: the standby is promoted while the old
// primary still runs (cut off, say); a device given both addresses takes
// its tickets from the primary of the higher epoch and tells the old one,
// which checks and stops taking writes (503, and still after a restart),
// while a stranger's header alone stops nothing; a board in a browser on
// it goes to the new primary; the old one then re-joins as the new
// primary's standby with the one command.
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
	// A TV in the waiting room shows the first PC's board.
	tv := browsertest.Start(t).Open(pbase + "/board")
	tv.Wait(`document.body.dataset.online || ""`, "yes", 20*time.Second)
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
	// Its console says so, and the one command that makes it the standby.
	browserSays(t, pbase+"/admin", http.StatusServiceUnavailable, `href="`+sbase+`/admin"`, "--standby-of "+sbase, "đã được thay bằng máy chủ chính lượt 2")
	// The TV's feed from the replaced PC ends; the board goes where it says
	// the primary now is.
	tv.Wait(`location.origin + location.pathname`, sbase+"/board", 60*time.Second)
	tv.Wait(`document.body.dataset.online || ""`, "yes", 20*time.Second)
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

// desks are counters calling and finishing tickets until halted, each a
// clerk given both addresses; done holds the tickets finished (answered),
// by token.
type desks struct {
	clerks []*apiclient.Client
	mu     sync.Mutex
	done   map[string]bool
	keeps  [][]string // what each counter's client said to keep for its next start
	stop   chan struct{}
	wg     sync.WaitGroup
}

func startCounters(t *testing.T, bases func(counter int) string, n int) *desks {
	t.Helper()
	d := &desks{done: map[string]bool{}, stop: make(chan struct{}), keeps: make([][]string, n)}
	ctx := context.Background()
	for i := 1; i <= n; i++ {
		clerk := apiclient.NewDevice(bases(i), nil, "", func(s []string) { d.mu.Lock(); d.keeps[i-1] = s; d.mu.Unlock() })
		if _, err := clerk.Login(ctx, fmt.Sprintf("quay%d", i), "1234"); err != nil {
			t.Fatal(err)
		}
		if _, err := clerk.CounterAction(ctx, i, "open"); err != nil {
			t.Fatal(err)
		}
		d.clerks = append(d.clerks, clerk)
		d.wg.Go(func() {
			for {
				select {
				case <-d.stop:
					return
				default:
				}
				tk, ok, err := clerk.Next(ctx, i)
				if err != nil || !ok {
					time.Sleep(20 * time.Millisecond)
					continue
				}
				if _, err := clerk.TicketAction(ctx, i, "start", api.CounterRequest{}); err != nil {
					continue
				}
				if _, err := clerk.TicketAction(ctx, i, "finish", api.CounterRequest{}); err == nil {
					d.mu.Lock()
					d.done[tk.Token] = true
					d.mu.Unlock()
				}
			}
		})
	}
	return d
}

func (d *desks) waitFor(t *testing.T, n int) {
	t.Helper()
	count := func() int { d.mu.Lock(); defer d.mu.Unlock(); return len(d.done) }
	testwait.Until(t, 30*time.Second, func() bool { return count() >= n }, func() string { return fmt.Sprintf("%d finished at the counters", count()) })
}

func (d *desks) halt() { close(d.stop); d.wg.Wait() }

// receiveDossiers takes n dossiers of the demo's birth registration at
// counter 5, each with its first paper scanned: code -> the scan's SHA-256.
func receiveDossiers(t *testing.T, both string, n int) map[string]string {
	t.Helper()
	ctx := context.Background()
	clerk := apiclient.New(both, "")
	if _, err := clerk.Login(ctx, "quay5", "1234"); err != nil {
		t.Fatal(err)
	}
	procs, err := clerk.Procedures(ctx)
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(procs, func(p catalogue.Procedure) bool { return p.Code == "1.001193" })
	var papers []string
	for _, d := range procs[i].Documents {
		papers = append(papers, d.Name)
	}
	out := map[string]string{}
	for k := range n {
		got, err := clerk.Intake(ctx, intake.Request{Outcome: "receive", Procedure: "1.001193", Sets: 1, Delivery: "desk",
			Applicant: intake.Applicant{Name: "Nguyễn Thị Hoa", IDNumber: fmt.Sprintf("00120300456%d", k)}, Received: papers})
		if err != nil {
			t.Fatal(err)
		}
		pdf := []byte(fmt.Sprintf("%%PDF-1.4\n%% dossier %d\n%%%%EOF\n", k))
		v, err := clerk.ScanDocument(ctx, got.Dossier.Code, 1, pdf, "scanner")
		if err != nil {
			t.Fatal(err)
		}
		out[got.Dossier.Code] = v.Documents[0].Scan.SHA256
	}
	return out
}

// gate is a TCP relay that can hold every byte in both directions (a
// blocked port: nothing refused, nothing through) and let them go again.
type gate struct {
	ln     net.Listener
	to     string
	mu     sync.Mutex
	held   bool
	opened chan struct{}
}

func newGate(t *testing.T, to string) *gate {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	g := &gate{ln: ln, to: strings.TrimPrefix(to, "http://"), opened: make(chan struct{})}
	close(g.opened)
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go g.relay(c)
		}
	}()
	return g
}

func (g *gate) url() string { return "http://" + g.ln.Addr().String() }

func (g *gate) hold() {
	g.mu.Lock()
	if !g.held {
		g.held, g.opened = true, make(chan struct{})
	}
	g.mu.Unlock()
}

func (g *gate) open() {
	g.mu.Lock()
	if g.held {
		g.held = false
		close(g.opened)
	}
	g.mu.Unlock()
}

func (g *gate) wait() {
	g.mu.Lock()
	ch := g.opened
	g.mu.Unlock()
	<-ch
}

func (g *gate) relay(c net.Conn) {
	defer c.Close()
	g.wait()
	up, err := net.Dial("tcp", g.to)
	if err != nil {
		return
	}
	defer up.Close()
	pipe := func(dst, src net.Conn) {
		buf := make([]byte, 32<<10)
		for {
			n, err := src.Read(buf)
			if n > 0 {
				g.wait()
				if _, werr := dst.Write(buf[:n]); werr != nil {
					return
				}
			}
			if err != nil {
				dst.Close()
				return
			}
		}
	}
	go pipe(up, c)
	pipe(c, up)
}

// TestAPartitionBetweenThePCs: the standby's way to the primary blocked
// (a port that swallows everything): the primary answers every ticket
// after at most its wait, says the standby is out of step and raises the
// alert; the standby, hearing nothing, says it is not connected; the way
// open again, it dials back, catches up and is in step — every ticket the
// primary took meanwhile on it.
func TestAPartitionBetweenThePCs(t *testing.T) {
	bin := serverBinary(t)
	pdir, sdir := t.TempDir(), t.TempDir()
	_, pbase := startServer(t, bin, pdir, "--standby-wait", "300ms")
	key := standbyKey(t, bin, pdir)
	g := newGate(t, pbase)
	_, sbase := startStandby(t, bin, sdir, g.url(), key)
	inStep(t, pbase)

	g.hold()
	c := &client{t: t, base: pbase, http: &http.Client{Timeout: 5 * time.Second}}
	for i := range 10 {
		began := time.Now()
		var tk ticketOut
		if code := c.do("POST", "/api/v1/tickets", "demo-device", `{"service_id":"ho_tich"}`, &tk); code != 201 {
			t.Fatalf("ticket %d during the partition: %d", i, code)
		}
		if took := time.Since(began); took > 3*time.Second {
			t.Fatalf("ticket %d during the partition took %s", i, took)
		}
	}
	took := healthOf(pbase).Pos // the primary's last change, the tickets in it
	if h := healthOf(pbase); h.Standby == nil || h.Standby.InStep {
		t.Fatalf("the primary says its standby is in step during the partition: %+v", h.Standby)
	}
	var alerts []queue.Raised
	admin := apiclient.New(pbase, "")
	if _, err := admin.Login(context.Background(), "admin", "1234"); err != nil {
		t.Fatal(err)
	}
	testwait.Until(t, 10*time.Second, func() bool {
		raw, err := admin.Fetch(context.Background(), api.AdminAlerts)
		alerts = nil
		json.Unmarshal(raw, &alerts)
		return err == nil && slices.ContainsFunc(alerts, func(a queue.Raised) bool { return a.Kind == queue.AlertStandby })
	}, func() string { return fmt.Sprintf("no standby alert: %+v", alerts) })
	testwait.Until(t, 30*time.Second, func() bool { h := healthOf(sbase); return h.Standby != nil && !h.Standby.Connected },
		func() string {
			return fmt.Sprintf("the standby still says it is connected: %+v", healthOf(sbase).Standby)
		})

	g.open()
	inStep(t, pbase)
	if h := healthOf(sbase); !h.Standby.Connected || h.Role != api.RoleStandby || h.Pos < took {
		t.Fatalf("the standby after the partition: %+v; the primary took the tickets by change %d", h, took)
	}
}

// pairAt pairs a kiosk on the server at base through its console (the
// demo's admin) and returns what the kiosk is given.
func pairAt(t *testing.T, base string) api.PairedAnswer {
	t.Helper()
	ctx := context.Background()
	dev := apiclient.New(base, "")
	ask, err := dev.Pair(ctx)
	if err != nil {
		t.Fatal(err)
	}
	jar, _ := cookiejar.New(nil)
	web := &http.Client{Jar: jar, Timeout: 10 * time.Second}
	if resp, err := web.PostForm(base+"/admin/login", url.Values{"username": {"admin"}, "pin": {"1234"}}); err != nil {
		t.Fatal(err)
	} else {
		resp.Body.Close()
	}
	resp, err := web.PostForm(base+"/admin/devices", url.Values{"version": {"0"}, "action": {"pair"}, "code": {ask.Code}, "id": {"kiosk-moi"}, "kind": {"kiosk"}})
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("pairing in the console: %v %v", resp, err)
	}
	resp.Body.Close()
	got, ok, err := dev.Paired(ctx, ask.Token)
	if !ok || err != nil {
		t.Fatalf("the paired kiosk's answer: %v %v", ok, err)
	}
	return got
}

// TestABoardInABrowserFollowsTheTakeOver: the waiting room's TV shows the
// board from the first PC in real Chromium; that PC dies and the second
// takes over: the board moves to the second PC's address by itself and
// is live again there (a ticket called on the second PC is on the TV).
func TestABoardInABrowserFollowsTheTakeOver(t *testing.T) {
	p := startPair(t)
	b := browsertest.Start(t)
	tv := b.Open(p.pbase + "/board")
	tv.Wait(`document.body.dataset.online || ""`, "yes", 20*time.Second)
	p.primary.Process.Signal(syscall.SIGKILL)
	p.primary.Wait()
	tv.Wait(`document.body.dataset.online || ""`, "no", 20*time.Second)
	if out, err := exec.Command(p.bin, "promote", "--data", p.sdir).CombinedOutput(); err != nil {
		t.Fatalf("promote: %v\n%s", err, out)
	}
	took := tv.Wait(`location.origin + location.pathname`, p.sbase+"/board", 90*time.Second)
	tv.Wait(`document.body.dataset.online || ""`, "yes", 20*time.Second)
	t.Logf("the board was on the second PC %s after the take-over", took.Round(time.Second))
	// Live there: a ticket called on the second PC is on the TV.
	c := &client{t: t, base: p.sbase, http: &http.Client{Timeout: 5 * time.Second}}
	var tk ticketOut
	if code := c.do("POST", "/api/v1/tickets", "demo-device", `{"service_id":"ho_tich"}`, &tk); code != 201 {
		t.Fatalf("a ticket on the new primary: %d", code)
	}
	ctx := context.Background()
	clerk := apiclient.New(p.sbase, "")
	if _, err := clerk.Login(ctx, "quay1", "1234"); err != nil {
		t.Fatal(err)
	}
	if _, err := clerk.CounterAction(ctx, 1, "open"); err != nil {
		t.Fatal(err)
	}
	called, ok, err := clerk.Next(ctx, 1)
	if !ok || err != nil {
		t.Fatalf("calling on the new primary: %v %v", ok, err)
	}
	tv.Wait(`document.body.innerText.indexOf("`+called.Display+`") >= 0 ? "shown" : ""`, "shown", 10*time.Second)
}

// browserSays GETs address as a browser does and checks the page's status
// and words.
func browserSays(t *testing.T, address string, status int, words ...string) {
	t.Helper()
	req, _ := http.NewRequest("GET", address, nil)
	req.Header.Set("Accept", "text/html,application/xhtml+xml,*/*;q=0.8")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	page := html.UnescapeString(string(raw))
	if resp.StatusCode != status || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("%s: %d %s\n%s", address, resp.StatusCode, resp.Header.Get("Content-Type"), page)
	}
	for _, w := range words {
		if !strings.Contains(page, w) {
			t.Errorf("%s lacks %q:\n%s", address, w, page)
		}
	}
}

// kept is what counter i+1's client last said to keep.
func (d *desks) kept(i int) []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.keeps[i]
}
