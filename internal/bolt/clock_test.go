package bolt

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"motcua/internal/queue"
)

// Issue 1001–1003 just after midnight, step the clock back 40 s, restart, let
// it pass midnight again and issue: the new tickets go on from 1004, the old
// tokens still open the old tickets, the chain verifies, and the step is seen.
func TestClockSteppingBackNeverOverwritesATicket(t *testing.T) {
	dir, c := t.TempDir(), newClock()
	loc, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	c.Set(time.Date(2026, 11, 24, 0, 0, 10, 0, loc))
	// No tick of its own: the step back is to be seen at the restart, as
	// when a PC boots with a slow clock.
	open := func(t *testing.T, dir string, c *clock) *Store {
		s, err := Open(dir, office(), Options{Now: c.Now, TickEvery: time.Hour})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	s := open(t, dir, c)
	var first []queue.Ticket
	for _, tok := range []string{"old-1", "old-2", "old-3"} {
		first = append(first, issue(t, s, "a", tok))
	}
	if first[0].Number != 1001 || first[2].Number != 1003 {
		t.Fatalf("numbers %d…%d", first[0].Number, first[2].Number)
	}
	c.Set(c.Now().Add(-40 * time.Second)) // 23:59:30 the day before
	s.Close()

	s = open(t, dir, c)
	defer s.Close()
	if got := s.ClockStepsBack(); got.Count != 1 || got.LastSeconds < 30 {
		t.Errorf("the step back at start: %+v, want one of about 40 s", got)
	}
	c.Set(time.Date(2026, 11, 24, 0, 0, 20, 0, loc)) // past midnight again
	var again []queue.Ticket
	for _, tok := range []string{"new-1", "new-2", "new-3"} {
		again = append(again, issue(t, s, "a", tok))
	}
	if again[0].Number != 1004 || again[2].Number != 1006 {
		t.Fatalf("after the clock came back: numbers %d…%d, want 1004…1006", again[0].Number, again[2].Number)
	}
	for i, tok := range []string{"old-1", "old-2", "old-3"} {
		if tk, ok, err := s.TicketByToken(tok); err != nil || !ok || tk.ID != first[i].ID {
			t.Errorf("token %s opens %+v (%v), want %s", tok, tk, err, first[i].ID)
		}
	}
	if _, err := s.Verify(); err != nil {
		t.Error(err)
	}
}

// A step back while running is logged, counted and raised as an alert on the feed.
func TestClockStepBackWhileRunningIsAnAlert(t *testing.T) {
	c := newClock()
	s := open(t, t.TempDir(), c)
	defer s.Close()
	var alerts []queue.Event
	s.SetPublisher(func(evs []queue.Event) {
		for _, e := range evs {
			if e.Type == queue.EvDevice {
				alerts = append(alerts, e)
			}
		}
	})
	issue(t, s, "a", "x1")
	c.Set(c.Now().Add(-2 * time.Minute))
	issue(t, s, "a", "x2")
	if got := s.ClockStepsBack(); got.Count != 1 {
		t.Fatalf("steps %+v", got)
	}
	if len(alerts) != 1 || alerts[0].Alert.Code != "clock_step_back" {
		t.Fatalf("alerts %+v", alerts)
	}
	c.Set(c.Now().Add(time.Second)) // going on from there is no new step
	issue(t, s, "a", "x3")
	if got := s.ClockStepsBack(); got.Count != 1 {
		t.Errorf("a clock going forward again counted as a step: %+v", got)
	}
}

// The last guard: an issue whose ticket id is already stored fails and the
// next issue goes on after it.
func TestIssueNeverOverwritesAStoredTicket(t *testing.T) {
	dir, c := t.TempDir(), newClock()
	s := open(t, dir, c)
	issue(t, s, "a", "t1")
	s.Close()
	// Forge the situation: the file holds 1002 that the state does not know.
	s = open(t, dir, c)
	defer s.Close()
	tk := issue(t, s, "a", "t2")
	s.mu.Lock()
	st, err := queue.NewState(s.office, c.Now(), nil, nil) // a state that forgot today's tickets
	if err != nil {
		t.Fatal(err)
	}
	s.state = st
	s.mu.Unlock()
	if _, err := s.Do(t.Context(), queue.Command{Op: queue.OpIssue, Actor: kiosk, ServiceID: "a", Token: "t3"}); err == nil {
		t.Fatal("an issue over a stored ticket was accepted")
	}
	next := issue(t, s, "a", "t4")
	if next.Number != tk.Number+1 {
		t.Errorf("after the refusal: number %d, want %d (the state reloaded from the file)", next.Number, tk.Number+1)
	}
	if got, ok, _ := s.TicketByToken("t2"); !ok || got.ID != tk.ID {
		t.Errorf("the stored ticket was replaced: %+v", got)
	}
}

// A server restored from this morning's backup, then told by a kiosk the last
// number it printed since, never issues that number again; across a restart
// too. Without a kiosk, restore's skip does the same for every service.
func TestNumbersAfterARestore(t *testing.T) {
	dir, c := t.TempDir(), newClock()
	s := open(t, dir, c)
	issue(t, s, "a", "m1")
	backup := filepath.Join(t.TempDir(), "morning.db")
	if _, err := WriteAtomic(backup, s.WriteBackup); err != nil {
		t.Fatal(err)
	}
	for i := range 4 {
		issue(t, s, "a", fmt.Sprint("later-", i)) // 1002…1005, printed after the backup
	}
	s.Close()
	restored := t.TempDir()
	if _, err := Restore(restored, backup, c.Now()); err != nil {
		t.Fatal(err)
	}
	s = open(t, restored, c)
	if got := issue(t, s, "a", "x"); got.Number != 1002 {
		t.Fatalf("the restore's first number %d: the test's premise is that it repeats 1002", got.Number)
	}
	loc, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	today := queue.DayOf(c.Now(), loc)
	if _, err := s.Do(t.Context(), queue.Command{Op: queue.OpFloor, Actor: kiosk, Day: today, Floors: map[string]int{"a": 1005}}); err != nil {
		t.Fatal(err)
	}
	if got := issue(t, s, "a", "y"); got.Number != 1006 {
		t.Errorf("after the kiosk's report: %d, want 1006", got.Number)
	}
	if _, err := s.Do(t.Context(), queue.Command{Op: queue.OpFloor, Actor: kiosk, Day: today, Floors: map[string]int{"a": 1003}}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s = open(t, restored, c)
	if got := issue(t, s, "a", "z"); got.Number != 1007 {
		t.Errorf("after a restart: %d, want 1007 (the floor is kept; a lower report changes nothing)", got.Number)
	}
	s.Close()
	floors, err := SkipNumbers(restored, 50, c.Now)
	if err != nil || floors["a"] != 1057 || floors["b"] != 2050 {
		t.Fatalf("skip 50: %v %v, want a 1057 (after 1007), b 2050 (none issued)", floors, err)
	}
	s = open(t, restored, c)
	defer s.Close()
	if got := issue(t, s, "b", "w"); got.Number != 2051 {
		t.Errorf("after the skip: %d, want 2051", got.Number)
	}
	if _, err := s.Verify(); err != nil {
		t.Error(err)
	}
}
