package queue

import (
	"fmt"
	"testing"
	"time"
)

// testOffice has two services and three counters: 1 serves a, 2 serves b then a,
// 3 serves b.
func testOffice() Office {
	return Office{
		Name: "UBND phường Thử",
		Services: []ServiceConfig{
			{ID: "a", Name: "Hộ tịch", RangeStart: 1001, RangeEnd: 1999, MinutesPerTicket: 5},
			{ID: "b", Name: "Chứng thực", RangeStart: 2001, RangeEnd: 2003},
		},
		Counters: []CounterConfig{
			{Number: 1, Services: []string{"a"}},
			{Number: 2, Services: []string{"b", "a"}},
			{Number: 3, Services: []string{"b"}},
		},
		PriorityClasses: []PriorityClass{{ID: "elderly", Name: "Người cao tuổi"}, {ID: "disabled", Name: "Người khuyết tật"}},
		Rules:           Rules{PriorityRatio: 2, MaxWaitMinutes: 30, RejoinWindowMinutes: 15},
	}
}

var (
	t0    = time.Date(2026, 11, 23, 8, 0, 0, 0, time.FixedZone("ICT", 7*3600))
	kiosk = Actor{Kind: ActorDevice, ID: "kiosk-1"}
)

func clerk(n int) Actor {
	return Actor{Kind: ActorClerk, ID: fmt.Sprintf("quay%d", n), Name: fmt.Sprintf("Cán bộ %d", n)}
}

type harness struct {
	t   *testing.T
	s   *State
	now time.Time
	tok int
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	s, err := NewState(testOffice(), t0, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	return &harness{t: t, s: s, now: t0}
}

func (h *harness) at(d time.Duration) *harness { h.now = t0.Add(d); return h }

func (h *harness) issue(service, priority string) Ticket {
	h.t.Helper()
	h.tok++
	res, _, err := h.s.Execute(h.now, Command{Op: OpIssue, Actor: kiosk, ServiceID: service, Priority: priority, Token: fmt.Sprintf("tok%d", h.tok)})
	if err != nil {
		h.t.Fatalf("issue %s: %v", service, err)
	}
	return *res.Ticket
}

func (h *harness) do(cmd Command) (Result, []Event, error) {
	if cmd.Actor.Kind == "" {
		cmd.Actor = clerk(cmd.Counter)
	}
	return h.s.Execute(h.now, cmd)
}

func (h *harness) must(cmd Command) Result {
	h.t.Helper()
	res, _, err := h.do(cmd)
	if err != nil {
		h.t.Fatalf("%s at counter %d: %v", cmd.Op, cmd.Counter, err)
	}
	return res
}

// next calls next at counter n and finishes it, returning the called display number.
func (h *harness) nextAndFinish(n int) string {
	h.t.Helper()
	res, _, err := h.do(Command{Op: OpNext, Counter: n})
	if err == ErrNoneWaiting {
		return "-"
	}
	if err != nil {
		h.t.Fatalf("next at %d: %v", n, err)
	}
	h.must(Command{Op: OpFinish, Counter: n})
	return res.Ticket.Display
}
