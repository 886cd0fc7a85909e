package bolt

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	bbolt "go.etcd.io/bbolt"

	"motcua/internal/queue"
)

func office() queue.Office {
	return queue.Office{
		Name: "UBND phường Thử",
		Services: []queue.ServiceConfig{
			{ID: "a", Name: "Hộ tịch", RangeStart: 1001, RangeEnd: 1999},
			{ID: "b", Name: "Chứng thực", RangeStart: 2001, RangeEnd: 2999},
		},
		Counters: []queue.CounterConfig{
			{Number: 1, Services: []string{"a", "b"}}, {Number: 2, Services: []string{"a", "b"}},
			{Number: 3, Services: []string{"a"}}, {Number: 4, Services: []string{"b", "a"}},
		},
	}
}

// clock is a settable fake clock, safe for the writer goroutine.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }
func newClock() *clock           { return &clock{t: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)} }
func open(t *testing.T, dir string, c *clock) *Store {
	t.Helper()
	s, err := Open(dir, office(), Options{Now: c.Now, TickEvery: 5 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

var kiosk = queue.Actor{Kind: queue.ActorDevice, ID: "kiosk-1"}

func issue(t *testing.T, s *Store, svc string, tok string) queue.Ticket {
	t.Helper()
	res, err := s.Do(context.Background(), queue.Command{Op: queue.OpIssue, Actor: kiosk, ServiceID: svc, Token: tok})
	if err != nil {
		t.Fatal(err)
	}
	return *res.Ticket
}

func TestReopenKeepsEverything(t *testing.T) {
	dir, c := t.TempDir(), newClock()
	s := open(t, dir, c)
	var published []queue.Event
	s.SetPublisher(func(evs []queue.Event) { published = append(published, evs...) })
	a := issue(t, s, "a", "t1")
	issue(t, s, "a", "t2")
	clerk := queue.Actor{Kind: queue.ActorClerk, ID: "quay1", Name: "Chị Lan"}
	if _, err := s.Do(context.Background(), queue.Command{Op: queue.OpNext, Counter: 1, Actor: clerk}); err != nil {
		t.Fatal(err)
	}
	before := s.Snapshot()
	if before.Seq != uint64(len(published))+1 || published[len(published)-1].Seq != before.Seq { // +1: the settings seeded at seq 1
		t.Fatalf("snapshot seq %d, published %d events", before.Seq, len(published))
	}
	s.Close()

	s = open(t, dir, c)
	defer s.Close()
	after := s.Snapshot()
	if after.Seq != before.Seq || len(after.Tickets) != 2 || after.Counters[0].Current != a.ID || after.Counters[0].ClerkName != "Chị Lan" {
		t.Fatalf("after reopen: seq %d tickets %d counter %+v", after.Seq, len(after.Tickets), after.Counters[0])
	}
	if got := issue(t, s, "a", "t3").Number; got != 1003 {
		t.Errorf("number after reopen = %d, want 1003", got)
	}
	if n, err := s.Verify(); err != nil || n != after.Seq+1 {
		t.Errorf("verify: %d events, %v", n, err)
	}
	if tk, ok, err := s.TicketByToken("t1"); err != nil || !ok || tk.ID != a.ID {
		t.Errorf("token lookup: %v %v %v", tk.ID, ok, err)
	}
}

func TestConcurrentIssueAndCallNeverDuplicate(t *testing.T) {
	s := open(t, t.TempDir(), newClock())
	defer s.Close()
	ctx := context.Background()
	var mu sync.Mutex
	numbers := map[string]bool{}
	var wg sync.WaitGroup
	for k := range 32 {
		wg.Go(func() {
			for i := range 10 {
				svc := []string{"a", "b"}[(k+i)%2]
				res, err := s.Do(ctx, queue.Command{Op: queue.OpIssue, Actor: kiosk, ServiceID: svc, Token: fmt.Sprintf("k%d-%d", k, i)})
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				if numbers[res.Ticket.Display] {
					t.Errorf("number %s issued twice", res.Ticket.Display)
				}
				numbers[res.Ticket.Display] = true
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if len(numbers) != 320 {
		t.Fatalf("issued %d distinct numbers, want 320", len(numbers))
	}
	called := map[string]int{}
	for n := 1; n <= 4; n++ {
		wg.Go(func() {
			clerk := queue.Actor{Kind: queue.ActorClerk, ID: fmt.Sprintf("quay%d", n)}
			for {
				res, err := s.Do(ctx, queue.Command{Op: queue.OpNext, Counter: n, Actor: clerk})
				if err == queue.ErrNoneWaiting {
					return
				}
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				called[res.Ticket.ID]++
				mu.Unlock()
				if _, err := s.Do(ctx, queue.Command{Op: queue.OpFinish, Counter: n, Actor: clerk}); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	if len(called) != 320 {
		t.Errorf("called %d distinct tickets, want 320", len(called))
	}
	for id, n := range called {
		if n != 1 {
			t.Errorf("ticket %s called %d times", id, n)
		}
	}
	if _, err := s.Verify(); err != nil {
		t.Error(err)
	}
}

func TestMidnightTickStartsNewDay(t *testing.T) {
	c := newClock()
	s := open(t, t.TempDir(), c)
	defer s.Close()
	got := make(chan queue.Event, 16)
	s.SetPublisher(func(evs []queue.Event) {
		for _, e := range evs {
			got <- e
		}
	})
	issue(t, s, "a", "x")
	<-got
	c.Set(time.Date(2026, 11, 23, 17, 0, 1, 0, time.UTC))                         // 00:00:01 in Hà Nội
	for _, want := range []queue.EventType{queue.EvExpired, queue.EvDayStarted} { // the waiting ticket expires, then the day starts
		select {
		case e := <-got:
			if e.Type != want || want == queue.EvDayStarted && e.Day != "20261124" || want == queue.EvExpired && e.Ticket.State != queue.Expired {
				t.Errorf("got %s %q, want %s", e.Type, e.Day, want)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("no %s event after midnight", want)
		}
	}
	if snap := s.Snapshot(); snap.Day != "20261124" || len(snap.Tickets) != 0 {
		t.Errorf("after midnight day %s with %d tickets", snap.Day, len(snap.Tickets))
	}
	if tk, ok, _ := s.TicketByToken("x"); !ok || tk.Day != "20261123" || tk.State != queue.Expired {
		t.Errorf("yesterday's ticket lookup: %v %+v", ok, tk)
	}
}

func TestTamperIsDetected(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir, newClock())
	issue(t, s, "a", "t1")
	issue(t, s, "a", "t2")
	s.Close()
	db, err := bbolt.Open(filepath.Join(dir, FileName), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	db.Update(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bEvents)
		v := b.Get(u64(1))
		altered := []byte(string(v))
		for i := range altered {
			if altered[i] == '1' && i > 40 { // change one digit inside the event body
				altered[i] = '9'
				break
			}
		}
		return b.Put(u64(1), altered)
	})
	db.Close()
	if _, err := VerifyFile(filepath.Join(dir, FileName)); err == nil {
		t.Fatal("an altered event passed verification")
	}
}

func TestBackupWhileServingAndRestore(t *testing.T) {
	dir, c := t.TempDir(), newClock()
	s := open(t, dir, c)
	issue(t, s, "a", "t1")
	// Keep writing while the backup runs.
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := range 500 {
			select {
			case <-stop:
				return
			default:
				s.Do(context.Background(), queue.Command{Op: queue.OpIssue, Actor: kiosk, ServiceID: "b", Token: fmt.Sprintf("w%d", i)})
			}
		}
	})
	backup := filepath.Join(t.TempDir(), "backup.db")
	if _, err := s.BackupFile(backup); err != nil {
		t.Fatal(err)
	}
	close(stop)
	wg.Wait()
	n, err := VerifyFile(backup)
	if err != nil || n == 0 {
		t.Fatalf("backup verify: %d %v", n, err)
	}
	if _, err := Restore(dir, backup, c.Now()); err != ErrLocked {
		t.Errorf("restore under a running server: got %v, want ErrLocked", err)
	}
	issue(t, s, "a", "after-backup")
	s.Close()

	kept, err := Restore(dir, backup, c.Now())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(kept); err != nil {
		t.Errorf("previous database not kept: %v", err)
	}
	s = open(t, dir, c)
	defer s.Close()
	if _, ok, _ := s.TicketByToken("t1"); !ok {
		t.Error("restored database lacks the ticket issued before the backup")
	}
	if _, ok, _ := s.TicketByToken("after-backup"); ok {
		t.Error("restored database has a ticket issued after the backup")
	}
	if got, _ := s.Verify(); got != n {
		t.Errorf("restored chain has %d events, backup had %d", got, n)
	}
	bad := filepath.Join(t.TempDir(), "bad.db")
	os.WriteFile(bad, []byte("not a database"), 0o600)
	if _, err := Restore(t.TempDir(), bad, c.Now()); err == nil {
		t.Error("a garbage file was restored")
	}
}

func TestSecondOpenIsRefused(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir, newClock())
	defer s.Close()
	if _, err := Open(dir, office(), Options{}); err != ErrLocked {
		t.Errorf("second open: got %v, want ErrLocked", err)
	}
	if _, err := BackupOffline(dir, filepath.Join(t.TempDir(), "x")); err != ErrLocked {
		t.Errorf("offline backup of a served dir: got %v, want ErrLocked", err)
	}
}

func TestSessions(t *testing.T) {
	c := newClock()
	s := open(t, t.TempDir(), c)
	defer s.Close()
	now := c.Now()
	s.PutSession("secret", "quay1", 7, now.Add(time.Hour))
	s.PutSession("old", "quay2", 0, now.Add(-time.Hour))
	if user, cred, ok := s.Session("secret", now); !ok || user != "quay1" || cred != 7 {
		t.Errorf("session: %v %q %d", ok, user, cred)
	}
	if _, _, ok := s.Session("old", now); ok {
		t.Error("expired session accepted")
	}
	s.DeleteSession("secret", now)
	if _, _, ok := s.Session("secret", now); ok {
		t.Error("deleted session accepted")
	}
}
