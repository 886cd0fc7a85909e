package standby

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"motcua/internal/bolt"
	"motcua/internal/queue"
	"motcua/internal/testwait"
)

func office() queue.Office {
	return queue.Office{Name: "UBND phường Thử", Services: []queue.ServiceConfig{{ID: "a", Name: "Hộ tịch", RangeStart: 1001, RangeEnd: 1999}},
		Counters: []queue.CounterConfig{{Number: 1, Services: []string{"a"}}}}
}

var tokens int

var kiosk = queue.Actor{Kind: queue.ActorDevice, ID: "kiosk-1"}

// lags records what the hub said of its standby.
type lags struct {
	mu  sync.Mutex
	got []bool
}

func (l *lags) add(lagging bool, _ string) {
	l.mu.Lock()
	l.got = append(l.got, lagging)
	l.mu.Unlock()
}
func (l *lags) last() (bool, int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.got) == 0 {
		return false, 0
	}
	return l.got[len(l.got)-1], len(l.got)
}

func issue(t *testing.T, s *bolt.Store, n int) {
	t.Helper()
	for range n {
		tokens++
		if _, err := s.Do(context.Background(), queue.Command{Op: queue.OpIssue, Actor: kiosk, ServiceID: "a", Token: fmt.Sprintf("tok-%d", tokens)}); err != nil {
			t.Fatal(err)
		}
	}
}

// A standby follows a primary that was working before it came: it gets
// the whole file, then each change and each scan as they come, each
// acknowledged before the primary's command is answered; stopped, the
// primary waits at most Wait, goes on alone and says so; back, it catches
// up from memory and the primary says it is in step again; its copy's
// chain verifies and holds every ticket and scan.
func TestAStandbyFollowsItsPrimary(t *testing.T) {
	pdir := t.TempDir()
	s, err := bolt.Open(pdir, office(), bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	issue(t, s, 5) // before any standby
	hub := NewHub(s)
	hub.Wait = 300 * time.Millisecond
	var said lags
	hub.Lag = said.add
	s.SetShipper(hub)
	s.SetScanShipper(hub.ShipScan)
	srv := httptest.NewServer(http.HandlerFunc(hub.Serve))
	defer srv.Close()

	sdir := t.TempDir()
	copyOf, err := bolt.OpenFollower(sdir)
	if err != nil {
		t.Fatal(err)
	}
	f := &Follower{Copy: copyOf, URL: srv.URL}
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { f.Run(ctx); close(done) }()
	testwait.Until(t, 10*time.Second, func() bool { return hub.Following().InStep }, func() string { return "the standby never caught up" })
	if lagging, _ := said.last(); lagging {
		t.Fatal("the hub says the standby lags once it is in step")
	}
	// In step: a command is answered once the standby holds it.
	issue(t, s, 1)
	if f.Copy.Pos() != s.Pos() {
		t.Fatalf("answered before the standby had it: copy at %d, primary at %d", f.Copy.Pos(), s.Pos())
	}
	pdf := []byte("%PDF-1.4 a scan\n%%EOF\n")
	sha, _, err := s.ReceiveScan(bytes.NewReader(pdf), ioDiscard{}, func() error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	if got, err := os.ReadFile(bolt.ScanPath(sdir, sha)); err != nil || !bytes.Equal(got, pdf) {
		t.Fatalf("the scan on the standby before its change: %v", err)
	}

	// The standby stops: commands go on after at most Wait, and the hub says so.
	stop()
	<-done
	began := time.Now()
	issue(t, s, 3)
	if took := time.Since(began); took > 5*time.Second {
		t.Fatalf("three tickets without the standby took %s", took)
	}
	testwait.Until(t, 5*time.Second, func() bool { l, _ := said.last(); return l }, func() string { return "no alert when the standby stopped" })
	other := []byte("%PDF-1.4 another scan\n%%EOF\n")
	if _, _, err := s.ReceiveScan(bytes.NewReader(other), ioDiscard{}, func() error { return nil }); err != nil {
		t.Fatal(err)
	}

	// Back: it catches up (the changes from memory, the scan it missed).
	ctx, stop = context.WithCancel(context.Background())
	done = make(chan struct{})
	go func() { f.Run(ctx); close(done) }()
	testwait.Until(t, 10*time.Second, func() bool { l, _ := said.last(); return !l && f.Copy.Pos() == s.Pos() },
		func() string { return "the standby never caught up again" })
	sum := sha256.Sum256(other)
	testwait.Until(t, 5*time.Second, func() bool { _, err := os.Stat(bolt.ScanPath(sdir, hex.EncodeToString(sum[:]))); return err == nil },
		func() string { return "the scan made while it was away never reached it" })
	stop()
	<-done
	f.Copy.Close()
	n, err := bolt.VerifyFile(filepath.Join(sdir, bolt.FileName))
	if err != nil || n != s.Snapshot().Seq {
		t.Fatalf("the standby's chain: %d events (the primary %d), %v", n, s.Snapshot().Seq, err)
	}
}

type ioDiscard struct{}

func (ioDiscard) Write(b []byte) (int, error) { return len(b), nil }

// A standby that holds a change the primary never committed — sent before
// the primary's own commit, which then failed, or lost with the primary's
// crash — is not resumed on a history that is not the primary's: with the
// same position but another hash it takes the whole file, and then holds
// exactly what the primary holds.
func TestAStandbyWithAChangeThePrimaryLostTakesTheWholeFile(t *testing.T) {
	s, err := bolt.Open(t.TempDir(), office(), bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	issue(t, s, 3)
	hub := NewHub(s)
	s.SetShipper(hub)
	srv := httptest.NewServer(http.HandlerFunc(hub.Serve))
	defer srv.Close()
	copyOf, err := bolt.OpenFollower(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer copyOf.Close()
	f := &Follower{Copy: copyOf, URL: srv.URL}
	run := func() (stop func()) {
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { f.Run(ctx); close(done) }()
		return func() { cancel(); <-done }
	}
	stop := run()
	issue(t, s, 2)
	testwait.Until(t, 10*time.Second, func() bool { return hub.Following().InStep && copyOf.Pos() == s.Pos() },
		func() string { return "the standby never caught up" })
	stop()

	// The change the primary lost: the same office's next ticket, made on
	// a copy of its file, written by the standby alone.
	gdir := t.TempDir()
	out, err := os.Create(filepath.Join(gdir, bolt.FileName))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.CopyTo(out); err != nil {
		t.Fatal(err)
	}
	out.Close()
	ghost, err := bolt.Open(gdir, office(), bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var lost []bolt.Change
	ghost.SetShipper(capture{&lost})
	issue(t, ghost, 1)
	ghost.Close()
	if len(lost) != 1 || lost[0].Pos != s.Pos()+1 {
		t.Fatalf("the lost change: %d changes", len(lost))
	}
	if err := copyOf.Apply(lost[0]); err != nil {
		t.Fatal(err)
	}
	issue(t, s, 1) // what the primary did instead, at the same position
	if copyOf.Pos() != s.Pos() {
		t.Fatalf("positions: standby %d, primary %d", copyOf.Pos(), s.Pos())
	}
	stop = run()
	defer stop()
	issue(t, s, 1)
	testwait.Until(t, 10*time.Second, func() bool {
		pos, hash := s.History()
		return hub.Following().InStep && copyOf.Pos() == pos && bytes.Equal(copyOf.PosHash(), hash)
	}, func() string {
		pos, hash := s.History()
		return fmt.Sprintf("the standby holds %d %x, the primary %d %x", copyOf.Pos(), copyOf.PosHash(), pos, hash)
	})
	if copyOf.Seq() != s.Snapshot().Seq {
		t.Fatalf("events: standby %d, primary %d", copyOf.Seq(), s.Snapshot().Seq)
	}
}

// capture keeps the changes shipped to it.
type capture struct{ got *[]bolt.Change }

func (c capture) Ship(ch bolt.Change) { *c.got = append(*c.got, ch) }
func (capture) Committed(uint64)      {}
func (capture) Abandon(uint64)        {}
