package queue

import (
	"strings"
	"testing"
	"time"

	"motcua/internal/problem"
)

var tablet = Actor{Kind: ActorDevice, ID: "rating-1"}

// finishOne calls and finishes one ticket at counter 1 and returns its id.
func (h *harness) finishOne() string {
	h.t.Helper()
	h.issue("a", "")
	res := h.must(Command{Op: OpNext, Actor: clerk(1), Counter: 1})
	h.must(Command{Op: OpFinish, Actor: clerk(1), Counter: 1})
	return res.Ticket.ID
}

func TestRatingRules(t *testing.T) {
	for _, tc := range []struct {
		name string
		cmd  func(id string) Command
		err  string // "" for accepted
	}{
		{"very satisfied", func(id string) Command { return Command{Option: "very_satisfied", TicketID: id} }, ""},
		{"unsatisfied with a reason", func(id string) Command {
			return Command{Option: "unsatisfied", Reasons: []string{"slow", "slow", "attitude"}, TicketID: id}
		}, ""},
		{"unsatisfied needs a reason", func(id string) Command { return Command{Option: "unsatisfied", TicketID: id} }, "at least one reason"},
		{"unknown option", func(id string) Command { return Command{Option: "meh", TicketID: id} }, "unknown rating option"},
		{"unknown reason", func(id string) Command {
			return Command{Option: "unsatisfied", Reasons: []string{"weather"}, TicketID: id}
		}, "unknown reason"},
		{"another ticket", func(id string) Command { return Command{Option: "satisfied", TicketID: id + "x"} }, "no rating pending"},
		{"the clerk cannot rate", func(id string) Command {
			return Command{Option: "very_satisfied", TicketID: id, Actor: clerk(1)}
		}, "only the citizen's rating screen"},
		{"no such counter", func(id string) Command { return Command{Option: "satisfied", TicketID: id, Counter: 9} }, "no counter 9"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			id := h.finishOne()
			cmd := tc.cmd(id)
			cmd.Op = OpRate
			if cmd.Actor.Kind == "" {
				cmd.Actor = tablet
			}
			if cmd.Counter == 0 {
				cmd.Counter = 1
			}
			res, evs, err := h.do(cmd)
			if tc.err != "" {
				if err == nil || !strings.Contains(problem.As(err).MessageEN, tc.err) {
					t.Fatalf("err %v, want %q", err, tc.err)
				}
				if c, _ := h.s.Counter(1); c.RatingFor != id {
					t.Fatal("a refused rating closed the wait")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			r := res.Ticket.Rating
			alerts := 0 // a rating that asks a reason also raises the supervisors' alert
			if cmd.Option == "unsatisfied" {
				alerts = 1
			}
			if r == nil || r.Option != cmd.Option || r.Counter != 1 || r.Clerk != "quay1" || len(evs) != 1+alerts || evs[0].Type != EvRated || alerts == 1 && evs[1].Raised.Kind != AlertUnsatisfied {
				t.Fatalf("rating %+v, events %+v", r, evs)
			}
			if cmd.Option == "unsatisfied" && strings.Join(r.Reasons, ",") != "slow,attitude" {
				t.Errorf("reasons %v, want each once", r.Reasons)
			}
			if c, _ := h.s.Counter(1); c.RatingFor != "" {
				t.Error("the wait is still open after the rating")
			}
			if _, _, err := h.do(cmd); err == nil {
				t.Error("a second rating of the same ticket was accepted")
			}
		})
	}
}

// No answer in time is recorded as "no rating", by the system, at the first tick
// after the deadline; an answer after it is refused.
func TestRatingTimesOut(t *testing.T) {
	h := newHarness(t)
	id := h.finishOne()
	c, _ := h.s.Counter(1)
	if c.RatingFor != id || !c.RatingUntil.Equal(h.now.Add(60*time.Second)) || c.RatingNumber != "1001" {
		t.Fatalf("counter after finish %+v", c)
	}
	if evs := h.s.Tick(h.now.Add(59 * time.Second)); len(evs) != 0 {
		t.Fatalf("expired early: %+v", evs)
	}
	evs := h.s.Tick(h.now.Add(60 * time.Second))
	if len(evs) != 1 || evs[0].Type != EvRated || evs[0].Actor.Kind != ActorSystem || evs[0].Ticket.Rating.Option != "" || evs[0].Ticket.Rating.Clerk != "quay1" {
		t.Fatalf("timeout events %+v", evs)
	}
	h.now = h.now.Add(61 * time.Second)
	if _, _, err := h.do(Command{Op: OpRate, Actor: tablet, Counter: 1, TicketID: id, Option: "satisfied"}); err == nil {
		t.Fatal("a late answer was accepted")
	}
}

// Finishing the next citizen while the last one has not answered closes the old
// wait as "no rating" first: one wait per counter, nothing lost.
func TestRatingReplacedByTheNextFinish(t *testing.T) {
	h := newHarness(t)
	first := h.finishOne()
	h.issue("a", "")
	h.must(Command{Op: OpNext, Actor: clerk(1), Counter: 1})
	_, evs, err := h.do(Command{Op: OpFinish, Actor: clerk(1), Counter: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 2 || evs[0].Type != EvRated || evs[0].Ticket.ID != first || evs[0].Ticket.Rating.Option != "" || evs[1].Type != EvDone {
		t.Fatalf("events %+v", evs)
	}
	if c, _ := h.s.Counter(1); c.RatingFor == first || c.RatingFor == "" {
		t.Fatalf("counter waits for %q", c.RatingFor)
	}
}

func TestRatingConfig(t *testing.T) {
	o := testOffice()
	o.Rating = RatingConfig{Options: []RatingOption{{ID: "s1", Label: "★", Score: 1, NeedsReason: true}, {ID: "s5", Label: "★★★★★", Score: 5}}}
	if err := o.WithDefaults().Validate(); err == nil || !strings.Contains(problem.As(err).MessageEN, "no reasons") {
		t.Fatalf("stars with a reason but no reasons: %v", err)
	}
	o.Rating.Reasons = []RatingReason{{ID: "slow", Label: "Chậm"}}
	if err := o.WithDefaults().Validate(); err != nil {
		t.Fatal(err)
	}
	if got := o.WithDefaults().Rating; len(got.Options) != 2 || got.TimeoutSeconds != 60 {
		t.Fatalf("configured scale replaced: %+v", got)
	}
	o.Rating.Options = append(o.Rating.Options, RatingOption{ID: "s1", Label: "x"})
	if err := o.WithDefaults().Validate(); err == nil {
		t.Fatal("duplicate option accepted")
	}
	if d := testOffice().WithDefaults().Rating; len(d.Options) != 3 || d.Options[2].Label != "Không hài lòng" || !d.Options[2].NeedsReason {
		t.Fatalf("default scale %+v", d)
	}
}
