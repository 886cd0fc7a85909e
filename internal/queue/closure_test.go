package queue

import (
	"testing"
	"time"

	"motcua/internal/problem"
)

// A service closed for today refuses new tickets with the reason, keeps
// serving those waiting, opens again on command or with the next day.
func TestCloseAServiceForToday(t *testing.T) {
	h := newHarness(t)
	desk := Actor{Kind: ActorClerk, ID: "tam", Name: "Trưởng bộ phận"}
	waiting := h.issue("a", "")
	for _, c := range []struct {
		name string
		cmd  Command
		code string
	}{
		{"no reason", Command{Op: OpCloseToday, ServiceID: "a", Reason: "  "}, problem.EInvalid},
		{"unknown service", Command{Op: OpCloseToday, ServiceID: "zz", Reason: "x"}, problem.ENotFound},
		{"open while open", Command{Op: OpOpenToday, ServiceID: "a"}, problem.EConflict},
	} {
		c.cmd.Actor = desk
		if _, _, err := h.do(c.cmd); problem.CodeOf(err) != c.code {
			t.Errorf("%s: %v, want %s", c.name, err, c.code)
		}
	}
	_, evs, err := h.do(Command{Op: OpCloseToday, Actor: desk, ServiceID: "a", Reason: "Cán bộ địa chính đi họp"})
	if err != nil || len(evs) != 1 || evs[0].Type != EvServiceClosed || evs[0].Closure.Reason != "Cán bộ địa chính đi họp" || evs[0].Day != h.s.Day() {
		t.Fatalf("close: %v %+v", err, evs)
	}
	if _, _, err := h.do(Command{Op: OpCloseToday, Actor: desk, ServiceID: "a", Reason: "again"}); problem.CodeOf(err) != problem.EConflict {
		t.Errorf("closing twice: %v", err)
	}
	_, _, err = h.do(Command{Op: OpIssue, Actor: kiosk, ServiceID: "a", Token: "closed"})
	if e := problem.As(err); e.Code != problem.EClosed || e.Message != "Dịch vụ Hộ tịch tạm ngừng cấp số hôm nay: Cán bộ địa chính đi họp" {
		t.Errorf("issue while closed: %v", err)
	}
	if st := h.s.Services()[0]; !st.ClosedToday || st.ClosedReason != "Cán bộ địa chính đi họp" || st.Waiting != 1 {
		t.Errorf("the service as the kiosks see it: %+v", st)
	}
	h.issue("b", "") // the others issue as ever
	if res := h.must(Command{Op: OpNext, Counter: 1}); res.Ticket.ID != waiting.ID {
		t.Errorf("the ticket waiting before the close is not called: %+v", res.Ticket)
	}
	if _, evs, err := h.do(Command{Op: OpOpenToday, Actor: desk, ServiceID: "a"}); err != nil || evs[0].Type != EvServiceOpened {
		t.Fatalf("open: %v %+v", err, evs)
	}
	h.issue("a", "")
	h.must(Command{Op: OpCloseToday, Actor: desk, ServiceID: "a", Reason: "Mất điện"})
	h.s.Tick(t0.Add(24 * time.Hour)) // the next day
	if st := h.s.Services()[0]; st.ClosedToday {
		t.Errorf("still closed the next day: %+v", st)
	}
	h.now = t0.Add(24 * time.Hour)
	h.issue("a", "")
}
