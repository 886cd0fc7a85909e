package queue

import (
	"testing"
	"time"
)

// The live room by hand: a counter's served, mean service and idle time
// today, its current ticket and for how long; a service's longest wait.
func TestRoom(t *testing.T) {
	h := newHarness(t)
	h.must(Command{Op: OpOpen, Counter: 1})
	h.issue("a", "")
	second := h.issue("a", "")
	h.issue("a", "")
	h.at(10 * time.Minute).must(Command{Op: OpNext, Counter: 1})
	h.at(16 * time.Minute).must(Command{Op: OpFinish, Counter: 1})
	h.at(20 * time.Minute).must(Command{Op: OpNext, Counter: 1}) // 4 idle minutes
	r := h.s.Room(t0.Add(27 * time.Minute))
	c := r.Counters[0]
	if !c.Busy || c.Current != second.Display || c.ForMinutes != 7 || c.ServedToday != 1 || c.ServiceMeanMinutes != 6 || c.IdleMinutes != 4 || c.ClerkName != "Cán bộ 1" {
		t.Errorf("counter 1: %+v", c)
	}
	if s := r.Services[0]; s.Waiting != 1 || s.LongestWaitMinutes != 27 {
		t.Errorf("service a: %+v", s)
	}
	if c := r.Counters[1]; c.Busy || c.State != CounterClosed || c.ServedToday != 0 {
		t.Errorf("counter 2: %+v", c)
	}
}
