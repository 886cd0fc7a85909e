package queue

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
)

// TestWaitingIndexMatchesScan runs random commands and checks after each that the
// waiting index holds exactly the waiting tickets, by service.
func TestWaitingIndexMatchesScan(t *testing.T) {
	h := newHarness(t)
	r := rand.New(rand.NewPCG(1, 2))
	ops := []Op{OpIssue, OpIssue, OpIssue, OpNext, OpNext, OpRecall, OpStart, OpNoShow, OpRejoin, OpTransfer, OpFinish, OpCancel, OpCall}
	var ids []string
	for i := range 3000 {
		h.now = t0.Add(time.Duration(i) * 20 * time.Second)
		cmd := Command{Op: ops[r.IntN(len(ops))], Counter: 1 + r.IntN(3), Token: fmt.Sprint(i), Reason: "lý do", ServiceID: []string{"a", "b"}[r.IntN(2)]}
		cmd.Actor = clerk(cmd.Counter)
		if cmd.Op == OpIssue {
			cmd.Actor = kiosk
			if r.IntN(3) == 0 {
				cmd.Priority = "elderly"
			}
		}
		if len(ids) > 0 {
			cmd.TicketID = ids[r.IntN(len(ids))]
		}
		res, _, err := h.s.Execute(h.now, cmd)
		if err == nil && cmd.Op == OpIssue {
			ids = append(ids, res.Ticket.ID)
		}
		want := map[string]int{}
		for _, tk := range h.s.tickets {
			if tk.State == Waiting {
				want[tk.ServiceID]++
				if h.s.waiting[tk.ServiceID][tk.ID] != tk {
					t.Fatalf("step %d (%s): waiting ticket %s missing from the index", i, cmd.Op, tk.ID)
				}
			}
		}
		for svc, w := range h.s.waiting {
			if len(w) != want[svc] {
				t.Fatalf("step %d (%s): index has %d waiting in %s, scan %d", i, cmd.Op, len(w), svc, want[svc])
			}
		}
	}
}
