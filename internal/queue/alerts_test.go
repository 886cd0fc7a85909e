package queue

import (
	"slices"
	"testing"
	"time"

	"motcua/internal/problem"
)

// A scripted day on the harness's clock raises each alert once for its
// cause, however often the tick looks; an acknowledgement is kept once.
func TestAlertsOfAScriptedDay(t *testing.T) {
	h := newHarness(t)
	var raised []Raised
	tick := func(m int) {
		h.now = t0.Add(time.Duration(m) * time.Minute)
		for _, ev := range h.s.Tick(h.now) {
			if ev.Type == EvAlert {
				raised = append(raised, *ev.Raised)
			}
		}
	}
	kinds := func() (out []string) {
		for _, a := range raised {
			out = append(out, a.Kind+" "+a.Key)
		}
		return out
	}
	b1 := h.issue("b", "") // counters 2 and 3 serve b; none is open
	tick(1)
	if len(raised) != 0 {
		t.Fatalf("an alert a minute after the first ticket: %q", kinds())
	}
	tick(5)
	if got := kinds(); !slices.Equal(got, []string{AlertNoCounter + " nocounter:b:" + b1.ID}) {
		t.Fatalf("after five minutes: %q", got)
	}
	tick(6) // the same cause: nothing new
	h.must(Command{Op: OpOpen, Counter: 1})
	a1 := h.issue("a", "")
	tick(31) // b1 has waited 31 min, a1 25
	if got := kinds(); len(got) != 2 || got[1] != AlertWait+" wait:"+b1.ID {
		t.Fatalf("at 31 min: %q", got)
	}
	tick(36) // a1 reaches 30: its own alert, once
	tick(37)
	tick(40)
	if got := kinds(); len(got) != 3 || got[2] != AlertWait+" wait:"+a1.ID {
		t.Fatalf("at 40 min: %q", got)
	}
	h.must(Command{Op: OpNext, Counter: 1}) // a1 at counter 1
	h.must(Command{Op: OpPause, Counter: 1, Reason: "họp"})
	tick(56) // paused 16 min: the ticket at the counter is now slow too (16 min ≥ 3 × 5 and 10)
	tick(57)
	h.must(Command{Op: OpResume, Counter: 1})
	h.must(Command{Op: OpFinish, Counter: 1})
	h.must(Command{Op: OpRate, Counter: 1, Actor: Actor{Kind: ActorDevice, ID: "rating-1"}, TicketID: a1.ID, Option: "unsatisfied", Reasons: []string{"slow"}})
	for _, a := range h.s.Alerts() {
		if !slices.ContainsFunc(raised, func(r Raised) bool { return r.Key == a.Key }) {
			raised = append(raised, a) // the rating's came with the command
		}
	}
	var got []string
	for _, a := range raised {
		got = append(got, a.Kind)
	}
	want := []string{AlertNoCounter, AlertWait, AlertWait, AlertPaused, AlertSlow, AlertUnsatisfied}
	if !slices.Equal(got, want) {
		t.Fatalf("the day's alerts %q, want %q", got, want)
	}
	if n := len(h.s.Alerts()); n != len(want) {
		t.Errorf("the state keeps %d alerts", n)
	}
	desk := Actor{Kind: ActorClerk, ID: "tam"}
	key := raised[0].Key
	if _, _, err := h.do(Command{Op: OpAck, Actor: desk, Note: key, Reason: " "}); problem.CodeOf(err) != problem.EInvalid {
		t.Errorf("an ack without a note: %v", err)
	}
	_, evs, err := h.do(Command{Op: OpAck, Actor: desk, Note: key, Reason: "Đã mở quầy 3"})
	if err != nil || len(evs) != 1 || evs[0].Type != EvAlertAck || evs[0].Raised.AckBy != "tam" || evs[0].Raised.AckNote != "Đã mở quầy 3" {
		t.Fatalf("ack: %v %+v", err, evs)
	}
	if _, _, err := h.do(Command{Op: OpAck, Actor: desk, Note: key, Reason: "again"}); problem.CodeOf(err) != problem.EConflict {
		t.Errorf("a second ack: %v", err)
	}
	if _, _, err := h.do(Command{Op: OpAck, Actor: desk, Note: "wait:nothing", Reason: "x"}); problem.CodeOf(err) != problem.ENotFound {
		t.Errorf("an ack of no alert: %v", err)
	}
	tick(24 * 60) // the next day: a fresh list
	if n := len(h.s.Alerts()); n != 0 {
		t.Errorf("%d alerts carried into the next day", n)
	}
}
