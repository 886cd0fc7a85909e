package main

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"

	"motcua/internal/api"
)

// The binary an office runs, in the morning rush: `motcua-server --demo`
// built as it ships (its logging, metrics and settings), a child process;
// 600 tickets wait when the phones connect (n of them, from many loopback
// addresses, as phones on the office's Wi-Fi); then, each round, a burst of
// 300 issues from 8 kiosks and at once a call at counter 1 — the FIRST call
// after the burst is what is timed, until every phone has read it. The
// server's RSS is read with the phones connected and its high-water mark at
// the end; the bare gorilla broadcast to as many phones is the floor, in
// the same run.

const (
	rushWaiting = 600
	rushBurst   = 300
	demoKiosk   = "demo-device"
)

var demoServices = []string{"ho_tich", "chung_thuc", "dat_dai", "kinh_doanh", "tra_ket_qua", "khac"}

// shippedRush runs the rush; it returns the server's RSS with the phones
// connected and its high-water mark, in KiB.
func shippedRush(dir string, n, rounds int, row func(string, sample)) (rssKB, hwmKB int, err error) {
	bin := filepath.Join(dir, "motcua-server")
	if out, err := exec.Command("go", "build", "-o", bin, "./cmd/motcua-server").CombinedOutput(); err != nil {
		return 0, 0, fmt.Errorf("build motcua-server: %v\n%s", err, out)
	}
	logFile, err := os.Create(filepath.Join(dir, "shipped.log")) // as a service writes its log: somewhere, in full
	if err != nil {
		return 0, 0, err
	}
	defer logFile.Close()
	cmd := exec.Command(bin, "--demo", "--data", filepath.Join(dir, "shipped"), "--addr", "127.0.0.1:0")
	cmd.Stderr = logFile
	out, err := cmd.StdoutPipe()
	if err != nil {
		return 0, 0, err
	}
	if err := cmd.Start(); err != nil {
		return 0, 0, err
	}
	defer stopChild(cmd)
	base, err := listeningOn(bufio.NewScanner(out))
	if err != nil {
		return 0, 0, err
	}
	t := &target{base: base}
	var login api.LoginAnswer
	if err := t.post(api.Login, "", `{"username":"quay1","pin":"1234"}`, &login, 200); err != nil {
		return 0, 0, err
	}
	t.clerk = login.Token
	if err := t.post(api.Path(api.CounterAction, 1, api.ActOpen), t.clerk, "", nil, 200); err != nil {
		return 0, 0, err
	}
	if err := t.burst(rushWaiting); err != nil {
		return 0, 0, err
	}
	rep, ph, err := phones(n, "ws"+strings.TrimPrefix(base, "http")+api.Feed+"?issued=short") // as the phone's page asks
	if err != nil {
		return 0, 0, err
	}
	defer stopChild(ph)
	if rssKB, err = procStatus(cmd.Process.Pid, "VmRSS:"); err != nil {
		return 0, 0, err
	}
	calls := make(sample, 0, rounds)
	for range rounds {
		if err := t.burst(rushBurst); err != nil {
			return 0, 0, err
		}
		var called api.TicketView
		start := time.Now()
		if err := t.post(api.Path(api.CounterAction, 1, api.ActNext), t.clerk, "", &called, 200); err != nil {
			return 0, 0, err
		}
		at, err := rep.calledAt(called.ID)
		if err != nil {
			return 0, 0, err
		}
		calls = append(calls, at.Sub(start))
		if err := t.post(api.Path(api.CounterAction, 1, api.ActFinish), t.clerk, "", nil, 200); err != nil {
			return 0, 0, err
		}
	}
	if hwmKB, err = procStatus(cmd.Process.Pid, "VmHWM:"); err != nil {
		return 0, 0, err
	}
	stayed := rep.alive
	stopChild(ph)
	stopChild(cmd)
	floor, err := bareMany(n, rounds)
	if err != nil {
		return 0, 0, err
	}
	row(fmt.Sprintf("floor: bare gorilla broadcast to %d", n), floor)
	row(fmt.Sprintf("shipped, rush: first call -> all %d", n), calls)
	fmt.Printf("%-44s %10d\n", fmt.Sprintf("  phones of %d still connected at the end", n), stayed)
	return rssKB, hwmKB, nil
}

// listeningOn reads the server's start-up lines for its address; the rest
// of its output is drained.
func listeningOn(sc *bufio.Scanner) (string, error) {
	re := regexp.MustCompile(`listening on (\S+)`)
	for sc.Scan() {
		if m := re.FindStringSubmatch(sc.Text()); m != nil {
			go func() {
				for sc.Scan() {
				}
			}()
			return m[1], nil
		}
	}
	return "", fmt.Errorf("motcua-server --demo said no address")
}

// burst issues n tickets from 8 kiosks at once, over the demo's services.
func (e *target) burst(n int) error {
	var wg sync.WaitGroup
	var mu sync.Mutex
	var first error
	for k := range 8 {
		wg.Go(func() {
			for i := k; i < n; i += 8 {
				body := `{"service_id":"` + demoServices[i%len(demoServices)] + `"}`
				if err := e.post(api.Tickets, demoKiosk, body, nil, 201); err != nil {
					mu.Lock()
					first = err
					mu.Unlock()
					return
				}
			}
		})
	}
	wg.Wait()
	return first
}
