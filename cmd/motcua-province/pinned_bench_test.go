package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"motcua/internal/pgtest"
	"motcua/internal/province"
	"motcua/internal/queue"
	"motcua/internal/replicate"
)

// BenchmarkIssuePinnedApart: an office's ticket issue, 32 kiosks, with its
// uplink stopped and then shipping to the province's service — the office
// (this process: store and replicator as shipped) on core 0, the province
// (motcua-province serve and its PostgreSQL) on core 1, pinned by taskset,
// so that the ratio says what shipping costs the office and not what two
// programs sharing two cores cost each other (make bench; the target: the
// p99 shipping within 1.2× of it stopped).
func BenchmarkIssuePinnedApart(b *testing.B) {
	if runtime.NumCPU() < 2 {
		b.Skip("two cores are needed to pin the office and the province apart")
	}
	if _, err := exec.LookPath("taskset"); err != nil {
		b.Fatal("taskset (util-linux) is needed")
	}
	pin := func(cores, pid string, threads bool) { // threads: every thread of pid, not its first only
		b.Helper()
		args := []string{"-p", "-c", cores, pid}
		if threads {
			args = append([]string{"-a"}, args...)
		}
		if out, err := exec.Command("taskset", args...).CombinedOutput(); err != nil {
			b.Fatalf("taskset %v: %v %s", args, err, out)
		}
	}
	pg := pgtest.Start(b)
	pids, err := pg.PIDs()
	if err != nil {
		b.Fatal(err)
	}
	for _, pid := range pids { // its backends, forked later, inherit it
		pin("1", strconv.Itoa(pid), false)
	}
	self := strconv.Itoa(os.Getpid())
	pin("0", self, true) // every thread of this process; new ones inherit
	defer pin(fmt.Sprintf("0-%d", runtime.NumCPU()-1), self, true)
	bin := buildProvince(b)
	var out, errs = &lineLog{}, &lineLog{}
	if code := run([]string{"migrate", "--dsn", pg.DSN}, out, errs); code != 0 {
		b.Fatalf("migrate: %s", errs)
	}
	port := freePort(b)
	startService(b, bin, pg.DSN, port, "taskset", "-c", "1")
	pool := pg.Pool(b)
	ctx := context.Background()
	ratio := map[bool]float64{}
	for _, shipping := range []bool{false, true} {
		b.Run(fmt.Sprintf("shipping=%v", shipping), func(b *testing.B) {
			s, _ := issuingOffice(b, "Bench")
			rctx, stop := context.WithCancel(ctx)
			defer stop()
			if shipping {
				id := fmt.Sprintf("PIN-%d", time.Now().UnixNano())
				key, err := province.AddOffice(ctx, pool, "bench", id, "Bench")
				if err != nil {
					b.Fatal(err)
				}
				go (&replicate.Replicator{Source: s, Target: replicate.Fixed(queue.Sync{URL: fmt.Sprintf("http://127.0.0.1:%d", port), Key: key})}).Run(rctx) // production settings
			}
			kiosk := queue.Actor{Kind: queue.ActorDevice, ID: "k"}
			var mu sync.Mutex
			var lat []time.Duration
			b.ResetTimer()
			for n := range b.N {
				var wg sync.WaitGroup
				for k := range 32 {
					wg.Go(func() {
						for i := range 60 {
							t0 := time.Now()
							if _, err := s.Do(ctx, queue.Command{Op: queue.OpIssue, Actor: kiosk, ServiceID: "a", Token: fmt.Sprintf("%d-%d-%d", n, k, i)}); err != nil {
								b.Error(err)
								return
							}
							mu.Lock()
							lat = append(lat, time.Since(t0))
							mu.Unlock()
						}
					})
				}
				wg.Wait()
			}
			slices.Sort(lat)
			p99 := float64(lat[len(lat)*99/100].Microseconds()) / 1000
			ratio[shipping] = p99
			b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(p99, "p99-ms")
		})
	}
	if ratio[false] > 0 && ratio[true] > 0 {
		b.Logf("p99 shipping / stopped: %.2f×", ratio[true]/ratio[false])
	}
}
