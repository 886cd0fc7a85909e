package queue

import (
	"slices"
	"strings"
	"testing"

	"motcua/internal/problem"
)

// A settings change goes on with the day's tickets and counters, unless it
// would break the day.
func TestReconfigure(t *testing.T) {
	for _, c := range []struct {
		name   string
		change func(*Office)
		code   string // "" : applied
	}{
		{"rename a service", func(o *Office) { o.Services[0].Name = "Hộ tịch – Khai sinh" }, ""},
		{"add a service and a counter", func(o *Office) {
			o.Services = append(o.Services, ServiceConfig{ID: "c", Name: "Đất đai", RangeStart: 3001, RangeEnd: 3999})
			o.Counters = append(o.Counters, CounterConfig{Number: 4, Services: []string{"c"}})
		}, ""},
		{"remove a service with people waiting", func(o *Office) {
			o.Services = o.Services[1:]
			o.Counters = []CounterConfig{{Number: 2, Services: []string{"b"}}, {Number: 3, Services: []string{"b"}}}
		}, problem.EConflict},
		{"change the services of a counter at work", func(o *Office) { o.Counters[0].Services = []string{"a", "b"} }, problem.EConflict},
		{"change the services of an idle counter", func(o *Office) { o.Counters[2].Services = []string{"a", "b"} }, ""},
		{"remove a counter at work", func(o *Office) { o.Counters = o.Counters[1:] }, problem.EConflict},
		{"a range that leaves out numbers issued today", func(o *Office) { o.Services[0].RangeStart, o.Services[0].RangeEnd = 4001, 4999 }, problem.EConflict},
		{"a range that keeps them", func(o *Office) { o.Services[0].RangeEnd = 1500 }, ""},
		{"a document that does not check", func(o *Office) { o.Services[1].ID = o.Services[0].ID }, problem.EInvalid},
	} {
		t.Run(c.name, func(t *testing.T) {
			h := newHarness(t)
			h.issue("a", "")
			h.issue("a", "")
			h.must(Command{Op: OpOpen, Actor: clerk(1), Counter: 1})
			h.must(Command{Op: OpNext, Actor: clerk(1), Counter: 1}) // counter 1 holds 1001; 1002 waits
			o := h.s.Office()
			o.Services, o.Counters = slices.Clone(o.Services), slices.Clone(o.Counters)
			for i := range o.Counters {
				o.Counters[i].Services = slices.Clone(o.Counters[i].Services)
			}
			c.change(&o)
			before := h.s.Snapshot(h.now)
			ns, err := h.s.Reconfigure(h.now, o)
			if got := problem.CodeOf(err); got != c.code && !(c.code == "" && err == nil) {
				t.Fatalf("error %v (code %q), want code %q", err, got, c.code)
			}
			if after := h.s.Snapshot(h.now); len(after.Tickets) != len(before.Tickets) {
				t.Fatal("the old state changed")
			}
			if err != nil {
				if e := problem.As(err); e.Message == "" || e.MessageEN == "" {
					t.Errorf("the refusal is not bilingual: %+v", e)
				}
				return
			}
			snap := ns.Snapshot(h.now)
			if len(snap.Tickets) != 2 || snap.Counters[0].Current == "" {
				t.Fatalf("the day did not go on: %d tickets, counter 1 holds %q", len(snap.Tickets), snap.Counters[0].Current)
			}
			res, _, err := ns.Execute(h.now, Command{Op: OpIssue, Actor: kiosk, ServiceID: "a", Token: "tok-next"})
			if err != nil || res.Ticket.Number != 1003 {
				t.Fatalf("the next ticket: %+v %v, want 1003", res.Ticket, err)
			}
		})
	}
}

func TestChangesSaysWhatChanged(t *testing.T) {
	a := testOffice()
	b := testOffice()
	b.Services = slices.Clone(a.Services)
	b.Services[1].Name = "Chứng thực bản sao"
	b.Rules.PriorityRatio = 3
	got := strings.Join(Changes(a, b), "\n")
	for _, want := range []string{`services[1].name: "Chứng thực" → "Chứng thực bản sao"`, `rules.priority_ratio: 2 → 3`} {
		if !strings.Contains(got, want) {
			t.Errorf("changes lack %q:\n%s", want, got)
		}
	}
	if n := len(Changes(a, a)); n != 0 {
		t.Errorf("%d changes between equal configurations", n)
	}
}
