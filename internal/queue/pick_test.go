package queue

import (
	"strings"
	"testing"
	"time"

	"motcua/internal/problem"
)

// step is one ticket issued at a minute offset; "p" marks priority.
type step struct {
	min     int
	service string
	prio    string
}

func TestCallNextOrder(t *testing.T) {
	tests := []struct {
		name    string
		issue   []step
		counter int
		callAt  int // minutes after t0
		want    string
	}{
		{"oldest first", []step{{0, "a", ""}, {1, "a", ""}, {2, "a", ""}}, 1, 3, "1001 1002 1003 -"},
		{"priority first", []step{{0, "a", ""}, {1, "a", "elderly"}}, 1, 2, "1002 1001 -"},
		{"ratio lets an ordinary through after 2 priority",
			[]step{{0, "a", ""}, {1, "a", "elderly"}, {2, "a", "elderly"}, {3, "a", "disabled"}, {4, "a", ""}}, 1, 5,
			"1002 1003 1001 1004 1005 -"},
		{"priority with nobody ordinary waiting does not count toward the ratio",
			[]step{{0, "a", "elderly"}, {1, "a", "elderly"}, {2, "a", "elderly"}}, 1, 3, "1001 1002 1003 -"},
		{"max wait: an ordinary waiting 30 min beats priority",
			[]step{{0, "a", ""}, {29, "a", "elderly"}}, 1, 30, "1001 1002 -"},
		{"below max wait priority still first",
			[]step{{0, "a", ""}, {20, "a", "elderly"}}, 1, 29, "1002 1001 -"},
		{"older priority beats an overdue ordinary",
			[]step{{0, "a", "elderly"}, {1, "a", ""}}, 1, 40, "1001 1002 -"},
		{"across services oldest first", []step{{0, "a", ""}, {1, "b", ""}, {2, "a", ""}}, 2, 3, "1001 2001 1002 -"},
		{"same instant: counter's service order", []step{{0, "a", ""}, {0, "b", ""}}, 2, 1, "2001 1001 -"},
		{"counter only sees its services", []step{{0, "a", ""}, {1, "b", ""}}, 3, 2, "2001 -"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			for _, s := range tc.issue {
				h.at(time.Duration(s.min)*time.Minute).issue(s.service, s.prio)
			}
			h.at(time.Duration(tc.callAt) * time.Minute)
			var got []string
			for range 8 {
				d := h.nextAndFinish(tc.counter)
				got = append(got, d)
				if d == "-" {
					break
				}
			}
			if g := strings.Join(got, " "); g != tc.want {
				t.Errorf("got %q, want %q", g, tc.want)
			}
		})
	}
}

func TestTransferKeepsPlaceByIssueTime(t *testing.T) {
	h := newHarness(t)
	h.at(0).issue("a", "")             // 1001 at 8:00
	h.at(5*time.Minute).issue("b", "") // 2001 at 8:05
	h.at(6 * time.Minute)
	if got := h.must(Command{Op: OpNext, Counter: 1}).Ticket.Display; got != "1001" {
		t.Fatalf("got %q, want 1001", got)
	}
	res := h.must(Command{Op: OpTransfer, Counter: 1, ServiceID: "b", Note: "cần chứng thực bản sao"})
	if res.Ticket.State != Waiting || res.Ticket.ServiceID != "b" || res.Ticket.Note != "cần chứng thực bản sao" || res.Ticket.Transfers != 1 {
		t.Fatalf("transferred ticket = %+v", res.Ticket)
	}
	if c, _ := h.s.Counter(1); c.Current != "" {
		t.Errorf("counter 1 still holds %q after transfer", c.Current)
	}
	// Counter 3 serves b: the transferred 1001 (issued 8:00) goes before 2001 (8:05).
	if got := h.nextAndFinish(3); got != "1001" {
		t.Errorf("after transfer got %q, want 1001", got)
	}
	if _, _, err := h.do(Command{Op: OpTransfer, Counter: 1, ServiceID: "zz"}); problem.CodeOf(err) != problem.EConflict {
		t.Errorf("transfer without a current ticket: got %v, want conflict", err)
	}
}

func TestNoShowAndRejoin(t *testing.T) {
	h := newHarness(t)
	first := h.issue("a", "")
	h.issue("a", "")
	h.must(Command{Op: OpNext, Counter: 1})
	h.must(Command{Op: OpRecall, Counter: 1})
	res := h.must(Command{Op: OpRecall, Counter: 1})
	if res.Ticket.Recalls != 2 {
		t.Errorf("recalls = %d, want 2", res.Ticket.Recalls)
	}
	h.must(Command{Op: OpNoShow, Counter: 1})
	h.at(10 * time.Minute)
	res = h.must(Command{Op: OpRejoin, TicketID: first.ID, Actor: clerk(1)})
	if res.Ticket.State != Waiting {
		t.Fatalf("state after rejoin = %s", res.Ticket.State)
	}
	// Rejoined at the back: 1002 (queued 8:00) is called before 1001 (queued 8:10).
	if got := h.nextAndFinish(1) + " " + h.nextAndFinish(1); got != "1002 1001" {
		t.Errorf("got %q, want %q", got, "1002 1001")
	}
	// Past the window a rejoin is refused.
	late := h.issue("a", "")
	h.must(Command{Op: OpNext, Counter: 1})
	h.must(Command{Op: OpNoShow, Counter: 1})
	h.at(26 * time.Minute)
	if _, _, err := h.do(Command{Op: OpRejoin, TicketID: late.ID, Actor: clerk(1)}); problem.CodeOf(err) != problem.EConflict {
		t.Errorf("late rejoin: got %v, want conflict", err)
	}
}

func TestCallSpecificNeedsReason(t *testing.T) {
	h := newHarness(t)
	h.issue("a", "")
	second := h.issue("a", "")
	if _, _, err := h.do(Command{Op: OpCall, Counter: 1, TicketID: second.ID}); problem.CodeOf(err) != problem.EInvalid {
		t.Fatalf("call without reason: got %v, want invalid", err)
	}
	res := h.must(Command{Op: OpCall, Counter: 1, TicketID: second.ID, Reason: "đã hẹn trước"})
	if res.Ticket.ID != second.ID || res.Ticket.Reason != "đã hẹn trước" {
		t.Errorf("called %+v", res.Ticket)
	}
}

func TestCounterRules(t *testing.T) {
	h := newHarness(t)
	h.issue("a", "")
	h.issue("a", "")
	h.must(Command{Op: OpNext, Counter: 1})
	if _, _, err := h.do(Command{Op: OpNext, Counter: 1}); problem.CodeOf(err) != problem.EConflict {
		t.Errorf("second next while serving: got %v, want conflict", err)
	}
	if _, _, err := h.do(Command{Op: OpNext, Counter: 1, Actor: clerk(2)}); problem.CodeOf(err) != problem.EForbidden {
		t.Errorf("another clerk at a taken counter: got %v, want forbidden", err)
	}
	h.must(Command{Op: OpStart, Counter: 1})
	if _, _, err := h.do(Command{Op: OpNoShow, Counter: 1}); problem.CodeOf(err) != problem.EConflict {
		t.Errorf("no-show while serving: got %v, want conflict", err)
	}
	h.must(Command{Op: OpFinish, Counter: 1})
	h.must(Command{Op: OpPause, Counter: 1})
	if _, _, err := h.do(Command{Op: OpNext, Counter: 1}); problem.CodeOf(err) != problem.EConflict {
		t.Errorf("next while paused: got %v, want conflict", err)
	}
	h.must(Command{Op: OpResume, Counter: 1})
	h.must(Command{Op: OpClose, Counter: 1})
	// The clerk moves to counter 2; a device may not act at counters.
	h.must(Command{Op: OpOpen, Counter: 2, Actor: clerk(1)})
	if _, _, err := h.do(Command{Op: OpNext, Counter: 2, Actor: kiosk}); problem.CodeOf(err) != problem.EForbidden {
		t.Errorf("device at a counter: got %v, want forbidden", err)
	}
	if _, _, err := h.do(Command{Op: OpNext, Counter: 9}); problem.CodeOf(err) != problem.ENotFound {
		t.Errorf("unknown counter: got %v, want not_found", err)
	}
}

func TestCancel(t *testing.T) {
	h := newHarness(t)
	tk := h.issue("a", "")
	other := Actor{Kind: ActorDevice, ID: "kiosk-2"}
	if _, _, err := h.do(Command{Op: OpCancel, TicketID: tk.ID, Actor: other}); problem.CodeOf(err) != problem.EForbidden {
		t.Errorf("cancel by another device: got %v, want forbidden", err)
	}
	res := h.must(Command{Op: OpCancel, TicketID: tk.ID, Actor: kiosk, Reason: "máy in hết giấy"})
	if res.Ticket.State != Cancelled {
		t.Errorf("state = %s", res.Ticket.State)
	}
	if got := h.nextAndFinish(1); got != "-" {
		t.Errorf("a cancelled ticket was called: %s", got)
	}
}
