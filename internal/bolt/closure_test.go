package bolt

import (
	"context"
	"testing"
	"time"

	"motcua/internal/problem"
	"motcua/internal/queue"
)

// A service closed for today stays closed when the server restarts that day
// (the reason too), opens again after a restart once it was opened, and is
// open the next day.
func TestClosedForTodaySurvivesARestart(t *testing.T) {
	dir, c := t.TempDir(), newClock()
	s := open(t, dir, c)
	desk := queue.Actor{Kind: queue.ActorClerk, ID: "tam"}
	ctx := context.Background()
	issue(t, s, "a", "t1")
	if _, err := s.Do(ctx, queue.Command{Op: queue.OpCloseToday, Actor: desk, ServiceID: "a", Reason: "Mất mạng liên thông"}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s = open(t, dir, c)
	if _, err := s.Do(ctx, queue.Command{Op: queue.OpIssue, Actor: kiosk, ServiceID: "a", Token: "t2"}); problem.CodeOf(err) != problem.EClosed {
		t.Fatalf("issue after the restart: %v", err)
	}
	if st := s.Snapshot().Services[0]; !st.ClosedToday || st.ClosedReason != "Mất mạng liên thông" || st.Waiting != 1 {
		t.Fatalf("after the restart: %+v", st)
	}
	if _, err := s.Do(ctx, queue.Command{Op: queue.OpOpenToday, Actor: desk, ServiceID: "a"}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s = open(t, dir, c)
	issue(t, s, "a", "t3")
	if _, err := s.Do(ctx, queue.Command{Op: queue.OpCloseToday, Actor: desk, ServiceID: "b", Reason: "Nghỉ"}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	c.Set(c.Now().AddDate(0, 0, 1))
	s = open(t, dir, c)
	defer s.Close()
	issue(t, s, "b", "t4")
	if n, err := s.Verify(); err != nil {
		t.Errorf("verify: %d %v", n, err)
	}
}

// The day's alerts survive a restart: not raised again for the same cause,
// and an acknowledgement stays.
func TestAlertsSurviveARestart(t *testing.T) {
	dir, c := t.TempDir(), newClock()
	s := open(t, dir, c)
	ctx := context.Background()
	issue(t, s, "a", "t1") // no counter open for it
	c.Set(c.Now().Add(6 * time.Minute))
	issue(t, s, "b", "t2") // the command's tick raises the alert
	alerts := s.Alerts()
	if len(alerts) != 1 || alerts[0].Kind != queue.AlertNoCounter {
		t.Fatalf("alerts %+v", alerts)
	}
	desk := queue.Actor{Kind: queue.ActorClerk, ID: "tam"}
	if _, err := s.Do(ctx, queue.Command{Op: queue.OpAck, Actor: desk, Note: alerts[0].Key, Reason: "Đã gọi cán bộ"}); err != nil {
		t.Fatal(err)
	}
	seq := s.Snapshot().Seq
	s.Close()
	s = open(t, dir, c)
	defer s.Close()
	issue(t, s, "b", "t3") // a tick after the restart: the same cause is not raised again
	if got := s.Alerts(); len(got) < 1 || got[0].AckNote != "Đã gọi cán bộ" || got[0].Key != alerts[0].Key {
		t.Fatalf("after the restart: %+v", got)
	}
	if s.Snapshot().Seq != seq+1 {
		t.Errorf("the restart raised something again: seq %d after %d", s.Snapshot().Seq, seq)
	}
}
