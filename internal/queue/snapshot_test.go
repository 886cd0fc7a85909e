package queue

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
)

// summary is what a client shows of a snapshot.
func summary(s Snapshot) string {
	var b strings.Builder
	for _, t := range s.Tickets {
		fmt.Fprintf(&b, "t %s %s %d|", t.ID, t.State, t.Counter)
	}
	for _, c := range s.Counters {
		fmt.Fprintf(&b, "c %d %s %s %s|", c.Number, c.State, c.Current, c.RatingFor)
	}
	for _, t := range s.Recent {
		fmt.Fprintf(&b, "r %s %s|", t.ID, t.State)
	}
	for _, v := range s.Services {
		fmt.Fprintf(&b, "s %s %d %d %v %s|", v.ID, v.Waiting, v.OpenCounters, v.ClosedToday, v.ClosedReason)
	}
	return b.String()
}

// TestApplyFollowsTheState runs random commands (ratings and their timeouts
// included) and checks that a snapshot kept up to date with Apply reads like the
// state's own snapshot after every step that produced events.
func TestApplyFollowsTheState(t *testing.T) {
	h := newHarness(t)
	h.s.office.Rating.TimeoutSeconds = 300 // 15 steps: some ratings come, some time out
	client := h.s.Snapshot(h.now)
	r := rand.New(rand.NewPCG(3, 4))
	ops := []Op{OpIssue, OpIssue, OpIssue, OpNext, OpNext, OpRecall, OpStart, OpNoShow, OpRejoin, OpTransfer, OpFinish, OpCancel, OpCall, OpRate, OpRate, OpRate, OpRate, OpPause, OpResume, OpClose, OpCloseToday, OpOpenToday}
	var ids []string
	steps, rated, unrated := 0, 0, 0
	for i := range 3600 {
		h.now = t0.Add(time.Duration(i) * 20 * time.Second)
		cmd := Command{Op: ops[r.IntN(len(ops))], Counter: 1 + r.IntN(3), Token: fmt.Sprint(i), Reason: "lý do", ServiceID: []string{"a", "b"}[r.IntN(2)]}
		cmd.Actor = clerk(cmd.Counter)
		switch cmd.Op {
		case OpIssue:
			cmd.Actor = kiosk
			if r.IntN(3) == 0 {
				cmd.Priority = "elderly"
			}
		case OpRate:
			cmd.Actor = Actor{Kind: ActorDevice, ID: "rating"}
			c := h.s.counters[cmd.Counter]
			cmd.TicketID, cmd.Option = c.RatingFor, []string{"very_satisfied", "satisfied", "unsatisfied"}[r.IntN(3)]
			cmd.Reasons = []string{"slow"}
		}
		if len(ids) > 0 && cmd.TicketID == "" {
			cmd.TicketID = ids[r.IntN(len(ids))]
		}
		evs := h.s.Tick(h.now)
		res, more, err := h.s.Execute(h.now, cmd)
		if err == nil && cmd.Op == OpIssue {
			ids = append(ids, res.Ticket.ID)
		}
		evs = append(evs, more...)
		for _, ev := range evs {
			if ev.Type == EvRated && ev.Ticket.Rating.Option != "" {
				rated++
			} else if ev.Type == EvRated {
				unrated++
			}
		}
		if len(evs) == 0 {
			continue
		}
		steps++
		for _, ev := range evs {
			client.Apply(ev)
		}
		if got, want := summary(client), summary(h.s.Snapshot(h.now)); got != want {
			t.Fatalf("step %d (%s): applied snapshot\n%s\nstate's\n%s", i, cmd.Op, got, want)
		}
	}
	if steps < 800 || rated < 20 || unrated < 20 {
		t.Fatalf("only %d steps changed anything, %d ratings, %d without answer", steps, rated, unrated)
	}
}

// TestCallOrderIsWhatNextCalls: the order a counter previews is the order its
// next calls then take, priorities, the ratio and the max-wait guard included.
func TestCallOrderIsWhatNextCalls(t *testing.T) {
	for seed := range uint64(20) {
		h := newHarness(t)
		r := rand.New(rand.NewPCG(seed, 9))
		bs := 0 // service b has three numbers a day
		for i := range 25 {
			h.at(time.Duration(i) * 3 * time.Minute)
			prio := ""
			if r.IntN(3) == 0 {
				prio = "elderly"
			}
			svc := "a"
			if bs < 3 && r.IntN(4) == 0 {
				svc, bs = "b", bs+1
			}
			h.issue(svc, prio)
		}
		h.at(80 * time.Minute) // the early ordinary tickets are past the 30-minute guard
		n := 2
		order := h.s.Snapshot(h.now).CallOrder(n, h.now, 100)
		var called []string
		for {
			res, _, err := h.s.Execute(h.now, Command{Op: OpNext, Actor: clerk(n), Counter: n})
			if err != nil {
				break
			}
			called = append(called, res.Ticket.ID)
			h.s.Execute(h.now, Command{Op: OpFinish, Actor: clerk(n), Counter: n})
		}
		var want []string
		for _, tk := range order {
			want = append(want, tk.ID)
		}
		if !slices.Equal(called, want) || len(called) < 10 {
			t.Fatalf("seed %d: preview %v\ncalled %v", seed, want, called)
		}
	}
}
