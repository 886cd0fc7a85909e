package main

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"motcua/internal/bolt"
	"motcua/internal/pgtest"
	"motcua/internal/province"
	"motcua/internal/queue"
	"motcua/internal/replicate"
	"motcua/internal/testwait"
)

// The province's service SIGKILLed while an office ships to it, then
// started again: the office retries, and at the end every event is stored
// once and the chain and folded tables verify.
func TestUplinkSurvivesTheProvinceKilled(t *testing.T) {
	pg := pgtest.Start(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	bin := buildProvince(t)
	var out, errs = &lineLog{}, &lineLog{}
	if code := run([]string{"migrate", "--dsn", pg.DSN}, out, errs); code != 0 {
		t.Fatalf("migrate: %s", errs)
	}
	key, err := province.AddOffice(ctx, pg.Pool(t), "test", "XA.11", "UBND xã Mười Một")
	if err != nil {
		t.Fatal(err)
	}
	port := freePort(t)
	start := func() *exec.Cmd { return startService(t, bin, pg.DSN, port) }
	province1 := start()
	s, issue := issuingOffice(t, "UBND xã Mười Một")
	issue(3000)
	r := &replicate.Replicator{Source: s, Target: replicate.Fixed(queue.Sync{URL: fmt.Sprintf("http://127.0.0.1:%d", port), Key: key}), Batch: 50, Idle: 10 * time.Millisecond}
	go r.Run(ctx)
	testwait.Until(t, 30*time.Second, func() bool { return r.Status().Shipped >= 500 },
		func() string { return fmt.Sprintf("before the kill: %+v", r.Status()) })
	province1.Process.Kill() // mid-stream: a batch may be cut anywhere
	province1.Wait()
	issue(200)
	start()
	testwait.Until(t, 120*time.Second, func() bool { return r.Status().Shipped == s.Snapshot().Seq },
		func() string { return fmt.Sprintf("after the restart: %+v of %d", r.Status(), s.Snapshot().Seq) })
	var rows, distinct int64
	pg.Pool(t).QueryRow(ctx, `SELECT count(*), count(DISTINCT seq) FROM events WHERE office = 'XA.11'`).Scan(&rows, &distinct)
	chains, err := province.Verify(ctx, pg.Pool(t))
	if last := int64(s.Snapshot().Seq); rows != last || distinct != last || err != nil || len(chains) != 1 || chains[0].Fault != "" {
		t.Fatalf("%d rows, %d seqs of %d; verify %+v %v", rows, distinct, last, chains, err)
	}
}

// issuingOffice is an office's store, closed after the test, with one
// service, and a kiosk issuing n tickets into it.
func issuingOffice(t testing.TB, name string) (*bolt.Store, func(n int)) {
	t.Helper()
	o := queue.Office{Name: name, Services: []queue.ServiceConfig{{ID: "a", Name: "Hộ tịch", RangeStart: 1, RangeEnd: 99999}},
		Counters: []queue.CounterConfig{{Number: 1, Services: []string{"a"}}}}
	s, err := bolt.Open(t.TempDir(), o, bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	issued := 0
	return s, func(n int) {
		for range n {
			issued++
			if _, err := s.Do(context.Background(), queue.Command{Op: queue.OpIssue, Actor: queue.Actor{Kind: queue.ActorDevice, ID: "k"}, ServiceID: "a", Token: fmt.Sprintf("t-%d", issued)}); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// lineLog collects a command's output.
type lineLog struct{ b []byte }

func (l *lineLog) Write(p []byte) (int, error) { l.b = append(l.b, p...); return len(p), nil }
func (l *lineLog) String() string              { return string(l.b) }

// freePort is a loopback port free now (the service is started on it twice:
// the office's address stays the same).
func freePort(t testing.TB) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// buildProvince builds this command for a test that runs it.
func buildProvince(t testing.TB) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "motcua-province")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	return bin
}

// startService starts motcua-province serve on port, behind the command
// prefix given (taskset -c 1), and waits until it serves; it is killed when
// the test ends.
func startService(t testing.TB, bin, dsn string, port int, prefix ...string) *exec.Cmd {
	t.Helper()
	args := append(prefix, bin, "serve", "--dsn", dsn, "--listen", fmt.Sprintf("127.0.0.1:%d", port))
	cmd := exec.Command(args[0], args[1:]...)
	stdout, _ := cmd.StdoutPipe()
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	serving := regexp.MustCompile(`serving http://`)
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		if serving.MatchString(sc.Text()) {
			go func() {
				for sc.Scan() {
				}
			}()
			return cmd
		}
	}
	t.Fatal("the province's service did not start")
	return nil
}
