package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"motcua/internal/api"
	"motcua/internal/catalogue"
	"motcua/internal/gammu"
)

// BenchmarkMessageBurst: the office binary (the demo office, its logging
// and settings as shipped, SMS through the real gammu-smsd-inject into a
// files outbox) on core 1, the load on core 0. A stand-in for gammu-smsd
// and its modem moves the messages from gammu's outbox to its sent folder
// at modemRate a second. 1,000 dossiers are received with their
// applicants' consent during quiet hours that end a minute or two later,
// so their 1,000 messages fall due at once. The kiosks take 50 tickets a
// second, open loop, for 15 s before that moment (the floor: no message
// sent) and for 15 s from it (the burst draining); the ratio of their
// p99s, and how fast the messages went (the modem's rate, not ours).
func BenchmarkMessageBurst(b *testing.B) {
	if runtime.NumCPU() < 2 {
		b.Skip("two cores are needed to pin the office apart")
	}
	bin := serverBinary(b)
	self := strconv.Itoa(os.Getpid())
	exec.Command("taskset", "-a", "-p", "-c", "0", self).Run()
	defer exec.Command("taskset", "-a", "-p", "-c", fmt.Sprintf("0-%d", runtime.NumCPU()-1), self).Run()
	for _, modem := range []int{5, 40} { // a fast USB modem's messages a second; and a stress
		b.Run(fmt.Sprintf("modem=%d/s", modem), func(b *testing.B) {
			for range b.N {
				cfg, sp, err := gammu.FilesConfig(b.TempDir())
				if err != nil {
					b.Fatal(err)
				}
				burst(b, bin, cfg, sp, modem)
			}
		})
	}
}

func burst(b *testing.B, bin, cfg string, sp gammu.Spool, modemRate int) {
	cmd := exec.Command("taskset", "-c", "1", bin, "--demo", "--data", b.TempDir(), "--addr", "127.0.0.1:0", "--sms-gammu-config", cfg)
	out, _ := cmd.StdoutPipe()
	cmd.Stderr = io.Discard
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	listening := regexp.MustCompile(`listening on (http://[0-9.:]+)`)
	var base string
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		if m := listening.FindStringSubmatch(sc.Text()); m != nil {
			base = m[1]
			break
		}
	}
	go io.Copy(io.Discard, out)
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 256}, Timeout: time.Minute}
	do := func(method, path, auth, body string, v any) int {
		req, _ := http.NewRequest(method, base+path, strings.NewReader(body))
		if auth != "" {
			req.Header.Set("Authorization", "Bearer "+auth)
		}
		resp, err := hc.Do(req)
		if err != nil {
			return 0
		}
		defer resp.Body.Close()
		if v != nil {
			json.NewDecoder(resp.Body).Decode(v)
		}
		return resp.StatusCode
	}
	var admin, clerk struct{ Token string }
	do("POST", "/api/v1/login", "", `{"username":"admin","pin":"1234"}`, &admin)
	do("POST", "/api/v1/login", "", `{"username":"quay1","pin":"1234"}`, &clerk)
	// Quiet hours from two hours ago to two minutes on (the office's time).
	loc, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	now := time.Now().In(loc)
	release := now.Truncate(time.Minute).Add(2 * time.Minute)
	var doc map[string]any
	do("GET", api.AdminSettings, admin.Token, "", &doc)
	doc["notify"] = map[string]any{"channels": []string{"sms"}, "sms": map[string]any{"unicode": true},
		"quiet": map[string]any{"from": now.Add(-2 * time.Hour).Format("15:04"), "to": release.Format("15:04")}}
	raw, _ := json.Marshal(doc)
	if code := do("PUT", api.AdminSettings, admin.Token, string(raw), nil); code != 200 {
		b.Fatalf("settings: %d", code)
	}
	var procs []catalogue.Procedure
	do("GET", api.Procedures, "", "", &procs)
	i := slices.IndexFunc(procs, func(p catalogue.Procedure) bool { return p.Code == "1.001193" })
	var papers []string
	for _, d := range procs[i].Documents {
		papers = append(papers, d.Name)
	}
	const dossiers = 1000
	var wg sync.WaitGroup
	sem := make(chan struct{}, 8)
	for n := range dossiers {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			body, _ := json.Marshal(map[string]any{"outcome": "receive", "procedure": "1.001193", "notify": true, "sets": 1, "delivery": "desk",
				"applicant": map[string]any{"name": "Nguyễn Văn A", "phone": fmt.Sprintf("0912%06d", n)}, "received": papers})
			if code := do("POST", "/api/v1/dossiers", clerk.Token, string(body), nil); code != 201 {
				b.Errorf("dossier %d: %d", n, code)
			}
		})
	}
	wg.Wait()
	if time.Until(release) < 20*time.Second {
		b.Fatalf("the dossiers took too long: %s left before the quiet hours end", time.Until(release))
	}
	services := []string{"ho_tich", "chung_thuc", "dat_dai", "kinh_doanh", "tra_ket_qua", "khac"}
	const rate, phase = 50, 15 * time.Second
	var turn int
	issue := func() []time.Duration {
		var mu sync.Mutex
		var took []time.Duration
		var wg sync.WaitGroup
		start, period := time.Now(), time.Second/rate
		for i := range int(phase / period) {
			time.Sleep(time.Until(start.Add(time.Duration(i) * period)))
			turn++
			svc := services[turn%6]
			wg.Go(func() {
				began := time.Now()
				if code := do("POST", api.Tickets, "demo-device", `{"service_id":"`+svc+`"}`, nil); code != 201 {
					b.Errorf("ticket: %d", code)
					return
				}
				mu.Lock()
				took = append(took, time.Since(began))
				mu.Unlock()
			})
		}
		wg.Wait()
		return took
	}
	pct := func(d []time.Duration, p float64) float64 {
		slices.Sort(d)
		return float64(d[int(p*float64(len(d)-1))]) / 1e6
	}
	time.Sleep(time.Until(release.Add(-phase - 2*time.Second)))
	if n := len(sp.Files(time.Time{})); n != 0 {
		b.Fatalf("%d messages went during the quiet hours", n)
	}
	floor := issue()
	time.Sleep(time.Until(release))
	// The modem: one message every 1/modemRate s from gammu's outbox to
	// its sent folder; done when all are sent (counted by names: reading
	// the files every tick would take the load generator's core).
	stop := make(chan struct{})
	modemDone := make(chan struct{})
	go func() {
		defer close(modemDone)
		tick := time.NewTicker(time.Second / time.Duration(modemRate))
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
			}
			if names, _ := sp.Waiting(); len(names) > 0 {
				os.Rename(sp.Outbox+names[0], sp.Sent+names[0])
			}
		}
	}()
	during := issue()
	sentNames, _ := os.ReadDir(sp.Sent)
	took := time.Since(release)
	close(stop)
	<-modemDone
	waiting, _ := sp.Waiting()
	seen := map[string]bool{}
	for _, f := range sp.Files(time.Time{}) {
		if seen[f.Number] {
			b.Fatalf("%s got two messages", f.Number)
		}
		seen[f.Number] = true
	}
	b.ReportMetric(pct(floor, 0.5), "floor-p50-ms")
	b.ReportMetric(pct(floor, 0.99), "floor-p99-ms")
	b.ReportMetric(pct(during, 0.5), "burst-p50-ms")
	b.ReportMetric(pct(during, 0.99), "burst-p99-ms")
	b.ReportMetric(pct(during, 0.99)/pct(floor, 0.99), "p99-ratio")
	b.ReportMetric(float64(len(sentNames))/took.Seconds(), "sent/s")
	b.ReportMetric(float64(len(waiting)), "in-gammu-outbox")
}
