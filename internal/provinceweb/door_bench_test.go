package provinceweb_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"motcua/internal/api"
	apiclient "motcua/internal/client"
	"motcua/internal/province"
	"motcua/internal/provincetest"
	"motcua/internal/provinceweb"
	"motcua/internal/queue"
	"motcua/internal/testwait"
)

// BenchmarkRemoteTicket (make bench): 150 offices connected to the
// province's service over their uplinks — one the office binary, pinned to
// a core of its own, the rest answering at once as an office's door does — and citizens asking
// for remote numbers at 100 a second across them, each from its own
// address, for 10 s. Measured: a remote number from the citizen's request
// to the number given (p50, p99), against the uplink's bare round trip (an
// office's GET cursor: its key checked, one query) under the same load;
// and the real office's kiosks issuing 50 tickets a second (more than a
// morning's rush), with no load, with the load going to the other offices (the
// floor), and while a tenth of the remote requests go to it (p99 ratio to
// the floor; the target 1.2×), and against the same load with as many
// tickets more taken at the office (what the door itself costs).
func BenchmarkRemoteTicket(b *testing.B) {
	if runtime.NumCPU() < 2 {
		b.Skip("two cores are needed to pin the office apart")
	}
	if _, err := exec.LookPath("taskset"); err != nil {
		b.Fatal("taskset (util-linux) is needed")
	}
	pg := provincetest.Start(b)
	// The office binary on core 1, everything else — PostgreSQL, the
	// province's service, the other offices, the citizens and the kiosks'
	// load — on core 0: the ratios say what remote numbers cost the office,
	// not what programs sharing two cores cost each other.
	pin := func(cores, pid string, threads bool) {
		args := []string{"-p", "-c", cores, pid}
		if threads {
			args = append([]string{"-a"}, args...)
		}
		if out, err := exec.Command("taskset", args...).CombinedOutput(); err != nil {
			b.Fatalf("taskset %v: %v %s", args, err, out)
		}
	}
	pids, err := pg.Server.PIDs()
	if err != nil {
		b.Fatal(err)
	}
	for _, pid := range pids {
		pin("0", strconv.Itoa(pid), false)
	}
	self := strconv.Itoa(os.Getpid())
	pin("0", self, true)
	defer pin(fmt.Sprintf("0-%d", runtime.NumCPU()-1), self, true)
	ctx, cancel := context.WithCancel(context.Background())
	srv := httptest.NewServer((&provinceweb.Server{Pool: pg.Pool, TrustedProxies: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}}).Handler())
	b.Cleanup(func() { cancel(); srv.Close() }) // after the office's own: the polls end with ctx
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 512, MaxConnsPerHost: 1024}, Timeout: time.Minute}
	const offices = 150
	keys := make([]string, offices)
	for i := range offices {
		k, err := province.AddOffice(ctx, pg.Pool, "bench", fmt.Sprintf("B.%03d", i), fmt.Sprintf("Văn phòng %d", i))
		if err != nil {
			b.Fatal(err)
		}
		keys[i] = k
	}
	// Office 0 is the real one: the office binary, the demo office (six
	// services taking remote numbers), in a process of its own, shipping to
	// the province with its key.
	real := startOffice(b, srv.URL, keys[0])
	services := []string{"ho_tich", "chung_thuc", "dat_dai", "kinh_doanh", "tra_ket_qua", "khac"}
	o := queue.Office{Name: "Văn phòng", TimeZone: "Asia/Ho_Chi_Minh",
		Services: []queue.ServiceConfig{{ID: "a", Name: "Hộ tịch", RangeStart: 1, RangeEnd: 999999, Remote: true}},
		Counters: []queue.CounterConfig{{Number: 1, Services: []string{"a"}}}}
	testwait.Until(b, 30*time.Second, func() bool { n, _ := province.Folded(ctx, pg.Pool, "B.000"); return n > 0 },
		func() string { return "the real office never shipped" })
	// The others answer at once, as an office's door does.
	profile, _ := json.Marshal(o)
	var numbers atomic.Int64
	for i := 1; i < offices; i++ {
		batch, _ := json.Marshal(api.UplinkBatch{Profile: profile, Events: []api.UplinkEvent{}})
		call(ctx, client, "POST", srv.URL+api.UplinkEvents, keys[i], batch, nil) // its settings: its services
		go func() {
			for ctx.Err() == nil {
				var reqs []api.DoorRequest
				if call(ctx, client, "GET", srv.URL+api.UplinkRequests+"?wait=25", keys[i], nil, &reqs) != nil || len(reqs) == 0 {
					continue
				}
				answers := make([]api.DoorAnswer, len(reqs))
				for j, q := range reqs {
					n := numbers.Add(1)
					answers[j] = api.DoorAnswer{ID: q.ID, Status: http.StatusCreated, Ticket: &api.RemoteTicket{Number: int(n), Display: fmt.Sprint(n), ServiceID: q.ServiceID,
						Token: fmt.Sprintf("t%d-%d", i, n), CheckIn: fmt.Sprint(100000 + n%400000), State: queue.Waiting, Away: true}}
				}
				raw, _ := json.Marshal(answers)
				call(ctx, client, "POST", srv.URL+api.UplinkAnswers, keys[i], raw, nil)
			}
		}()
	}
	time.Sleep(2 * time.Second) // every office's first poll is in

	// The office's kiosks at a morning's rush, and then some: kioskRate
	// tickets a second across them, each at its time (an open loop, as
	// citizens come).
	const kioskRate, phase = 50, 20 * time.Second
	kiosk := apiclient.New(real, "demo-device")
	var turn atomic.Int64 // the services in turn: each has 999 numbers a day
	issue := func(d time.Duration) []time.Duration {
		var mu sync.Mutex
		var out []time.Duration
		var wg sync.WaitGroup
		start, period := time.Now(), time.Second/kioskRate
		for i := range int(d / period) {
			time.Sleep(time.Until(start.Add(time.Duration(i) * period)))
			wg.Go(func() {
				began := time.Now()
				if _, err := kiosk.Issue(ctx, services[turn.Add(1)%6], ""); err != nil {
					b.Error(err)
					return
				}
				mu.Lock()
				out = append(out, time.Since(began))
				mu.Unlock()
			})
		}
		wg.Wait()
		return out
	}
	var phone atomic.Int64
	remote := func(office int) (time.Duration, error) {
		n := phone.Add(1)
		svc := "a"
		if office == 0 {
			svc = services[n%6] // the demo's cap: 100 remote numbers a service a day
		}
		body, _ := json.Marshal(api.RemoteTicketRequest{Office: fmt.Sprintf("B.%03d", office), ServiceID: svc, Phone: fmt.Sprintf("09%08d", n)})
		req, _ := http.NewRequest("POST", srv.URL+api.PublicRemoteTickets, bytes.NewReader(body))
		req.Header.Set("X-Forwarded-For", fmt.Sprintf("10.%d.%d.%d", n>>16&255, n>>8&255, n&255))
		start := time.Now()
		resp, err := client.Do(req)
		if err != nil {
			return 0, err
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusCreated {
			return 0, fmt.Errorf("office %d: %s", office, resp.Status)
		}
		return time.Since(start), nil
	}
	bare := func(office int) (time.Duration, error) {
		start := time.Now()
		err := call(ctx, client, "GET", srv.URL+api.UplinkCursor, keys[office], nil, &api.UplinkAnswer{})
		return time.Since(start), err
	}
	// load sends rate requests a second for d, each at its time (an open
	// loop: a slow answer does not hold the next), a tenth to the real
	// office when toReal.
	load := func(d time.Duration, rate int, toReal bool, ask func(int) (time.Duration, error)) []time.Duration {
		var mu sync.Mutex
		var out []time.Duration
		var wg sync.WaitGroup
		start, period := time.Now(), time.Second/time.Duration(rate)
		for i := range int(d / period) {
			time.Sleep(time.Until(start.Add(time.Duration(i) * period)))
			office := 1 + i%(offices-1)
			if toReal && i%10 == 0 {
				office = 0
			}
			wg.Go(func() {
				took, err := ask(office)
				if err != nil {
					b.Error(err)
					return
				}
				mu.Lock()
				out = append(out, took)
				mu.Unlock()
			})
		}
		wg.Wait()
		return out
	}
	// while runs the kiosks beside a load; with local, a second kiosk takes
	// as many tickets as the remote requests the real office would get.
	local := apiclient.New(real, "demo-device")
	while := func(d time.Duration, toReal, extra bool) (kiosks, answers []time.Duration) {
		done := make(chan struct{})
		go func() { kiosks = issue(d); close(done) }()
		if extra {
			go func() {
				for end := time.Now().Add(d); time.Now().Before(end); time.Sleep(100 * time.Millisecond) {
					local.Issue(ctx, services[turn.Add(1)%6], "")
				}
			}()
		}
		answers = load(d, 100, toReal, remote)
		<-done
		return kiosks, answers
	}
	for range b.N {
		idle := issue(5 * time.Second)
		// The three loads in turns of a quarter of the phase, their order
		// reversed each round: the office's day grows as the run goes (more
		// tickets to count past), and a load run last would pay for it.
		var floor, same, busy, remotes []time.Duration
		for round := range 4 {
			steps := []func(){
				func() { k, _ := while(phase/4, false, false); floor = append(floor, k...) }, // the same load, none of it to the real office
				func() { k, _ := while(phase/4, false, true); same = append(same, k...) },    // … and as many tickets more, taken at the office
				func() { k, a := while(phase/4, true, false); busy, remotes = append(busy, k...), append(remotes, a...) },
			}
			if round%2 == 1 {
				slices.Reverse(steps)
			}
			for _, step := range steps {
				step()
			}
		}
		bares := load(10*time.Second, 100, true, bare)
		b.ReportMetric(ms(pct(remotes, 0.5)), "remote-p50-ms")
		b.ReportMetric(ms(pct(remotes, 0.99)), "remote-p99-ms")
		b.ReportMetric(ms(pct(bares, 0.5)), "bare-p50-ms")
		b.ReportMetric(ms(pct(bares, 0.99)), "bare-p99-ms")
		b.ReportMetric(float64(len(remotes)), "remote-requests")
		b.ReportMetric(ms(pct(idle, 0.99)), "kiosk-idle-p99-ms")
		b.ReportMetric(ms(pct(floor, 0.99)), "kiosk-floor-p99-ms")
		b.ReportMetric(ms(pct(busy, 0.99)), "kiosk-busy-p99-ms")
		b.ReportMetric(ms(pct(same, 0.99)), "kiosk-same-p99-ms")
		b.ReportMetric(pct(busy, 0.99).Seconds()/pct(floor, 0.99).Seconds(), "kiosk-p99-ratio")
		b.ReportMetric(pct(busy, 0.99).Seconds()/pct(same, 0.99).Seconds(), "kiosk-p99-vs-same")
	}
}

func call(ctx context.Context, c *http.Client, method, url, key string, body []byte, out any) error {
	req, _ := http.NewRequestWithContext(ctx, method, url, bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+key)
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		return fmt.Errorf("%s %s: %s", method, url, resp.Status)
	}
	if out != nil && resp.StatusCode == http.StatusOK {
		return json.NewDecoder(resp.Body).Decode(out)
	}
	return nil
}

func pct(d []time.Duration, p float64) time.Duration {
	if len(d) == 0 {
		return 0
	}
	s := slices.Clone(d)
	slices.Sort(s)
	return s[min(len(s)-1, int(p*float64(len(s))))]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// startOffice builds and starts the office binary with the demo office,
// shipping to the province at url with key; it answers the office's
// address and is killed when the bench ends.
func startOffice(b *testing.B, url, key string) string {
	bin := filepath.Join(b.TempDir(), "motcua-server")
	if out, err := exec.Command("go", "build", "-o", bin, "motcua/cmd/motcua-server").CombinedOutput(); err != nil {
		b.Fatalf("build: %v\n%s", err, out)
	}
	cmd := exec.Command("taskset", "-c", "1", bin, "--demo", "--data", b.TempDir(), "--addr", "127.0.0.1:0", "--sync-url", url, "--sync-key", key)
	out, _ := cmd.StdoutPipe()
	cmd.Stderr = io.Discard
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	listening := regexp.MustCompile(`listening on (http://[0-9.:]+)`)
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		if m := listening.FindStringSubmatch(sc.Text()); m != nil {
			go io.Copy(io.Discard, out)
			return m[1]
		}
	}
	b.Fatal("the office did not start")
	return ""
}
