package main

import (
	"bytes"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"motcua/internal/bolt"
)

// BenchmarkStandby: the office binary as shipped (the demo office, its
// logging), alone and then with a synchronous standby (the same binary,
// --standby-of) on the same machine, in turns: ticket issue over HTTP, p50
// and p99, at 1 kiosk and at 32 at once; then the standby stopped while
// catchUp tickets are taken (a big centre takes 1,000 a day) and started
// again: how long until it is in step, and its RSS then.
func BenchmarkStandby(b *testing.B) {
	bin := serverBinary(b)
	const catchUp = 1000 // a big centre's day; the demo office has 999 numbers a service a day, 6 services
	for range b.N {
		var alone, paired [2][]time.Duration // [1 kiosk, 32 kiosks]
		for round := range 4 {
			withStandby := round%2 == 1
			pdir := b.TempDir()
			primary, pbase := startServer(b, bin, pdir)
			var sb *exec.Cmd
			if withStandby {
				key := standbyKey(b, bin, pdir)
				sb, _ = startStandby(b, bin, b.TempDir(), pbase, key)
				waitInStep(b, pbase)
			}
			one := issueAt(b, pbase, 1, 1000)
			many := issueAt(b, pbase, 32, 2400)
			if withStandby {
				paired[0], paired[1] = append(paired[0], one...), append(paired[1], many...)
			} else {
				alone[0], alone[1] = append(alone[0], one...), append(alone[1], many...)
			}
			if withStandby && round == 3 {
				sb.Process.Signal(syscall.SIGTERM)
				sb.Wait()
				issueAt(b, pbase, 32, catchUp)
				sdir := b.TempDir()
				key := standbyKey(b, bin, pdir)
				began := time.Now()
				sb, _ = startStandby(b, bin, sdir, pbase, key) // a new PC: the whole file
				waitInStep(b, pbase)
				b.ReportMetric(time.Since(began).Seconds(), "whole-file-catch-up-s")
				if st, err := os.Stat(filepath.Join(pdir, bolt.FileName)); err == nil {
					b.ReportMetric(float64(st.Size())/(1<<20), "file-MB")
				}
				// … and one that was away: the changes from memory.
				sb.Process.Signal(syscall.SIGTERM)
				sb.Wait()
				away := issueAt(b, pbase, 32, catchUp)
				b.ReportMetric(float64(len(away)), "tickets-away")
				began = time.Now()
				sb, _ = startStandby(b, bin, sdir, pbase, key)
				waitInStep(b, pbase)
				b.ReportMetric(time.Since(began).Seconds(), "catch-up-s")
				b.ReportMetric(float64(rss(sb.Process.Pid))/1024, "standby-rss-MB")
				b.ReportMetric(float64(rss(primary.Process.Pid))/1024, "primary-rss-MB")
			}
			primary.Process.Kill()
			primary.Wait()
			if sb != nil {
				sb.Process.Kill()
				sb.Wait()
			}
		}
		for i, kiosks := range []string{"1", "32"} {
			b.ReportMetric(pctMs(alone[i], 0.5), "alone-"+kiosks+"-p50-ms")
			b.ReportMetric(pctMs(alone[i], 0.99), "alone-"+kiosks+"-p99-ms")
			b.ReportMetric(pctMs(paired[i], 0.5), "standby-"+kiosks+"-p50-ms")
			b.ReportMetric(pctMs(paired[i], 0.99), "standby-"+kiosks+"-p99-ms")
			b.ReportMetric(pctMs(paired[i], 0.99)/pctMs(alone[i], 0.99), "p99-ratio-"+kiosks)
		}
	}
}

func waitInStep(b *testing.B, base string) {
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		if h := healthOf(base); h.Standby != nil && h.Standby.InStep {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	b.Fatalf("the standby of %s never got in step", base)
}

// issueAt takes n tickets at base from kiosks at once, each as fast as it
// is answered; it returns each one's time.
func issueAt(b *testing.B, base string, kiosks, n int) []time.Duration {
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: kiosks}, Timeout: 30 * time.Second}
	services := []string{"ho_tich", "chung_thuc", "dat_dai", "kinh_doanh", "tra_ket_qua", "khac"}
	var mu sync.Mutex
	var out []time.Duration
	var wg sync.WaitGroup
	for k := range kiosks {
		wg.Go(func() {
			for i := range n / kiosks {
				body := fmt.Sprintf(`{"service_id":%q}`, services[(k+i)%len(services)])
				req, _ := http.NewRequest("POST", base+"/api/v1/tickets", bytes.NewReader([]byte(body)))
				req.Header.Set("Authorization", "Bearer demo-device")
				began := time.Now()
				resp, err := hc.Do(req)
				if err != nil {
					b.Error(err)
					return
				}
				resp.Body.Close()
				if resp.StatusCode != 201 {
					continue // a service's numbers for the day ran out: not timed
				}
				mu.Lock()
				out = append(out, time.Since(began))
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return out
}

func pctMs(d []time.Duration, p float64) float64 {
	if len(d) == 0 {
		return 0
	}
	d = slices.Clone(d)
	slices.Sort(d)
	return float64(d[int(p*float64(len(d)-1))]) / 1e6
}

// rss is a process's resident memory in KiB.
func rss(pid int) int {
	raw, _ := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	for _, l := range strings.Split(string(raw), "\n") {
		if f := strings.Fields(l); len(f) >= 2 && f[0] == "VmRSS:" {
			n, _ := strconv.Atoi(f[1])
			return n
		}
	}
	return 0
}
