package queue

import (
	"testing"
	"time"

	"motcua/internal/problem"
)

func TestNumberingResetsAtLocalMidnight(t *testing.T) {
	h := newHarness(t)
	loc, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	h.now = time.Date(2026, 11, 23, 23, 58, 0, 0, loc)
	a := h.issue("a", "")
	b := h.issue("a", "")
	if a.Number != 1001 || b.Number != 1002 {
		t.Fatalf("numbers %d %d, want 1001 1002", a.Number, b.Number)
	}
	h.must(Command{Op: OpOpen, Counter: 1})
	// 00:01 local is 17:01 UTC the day before: the office's zone decides.
	h.now = time.Date(2026, 11, 23, 17, 1, 0, 0, time.UTC)
	res, evs, err := h.s.Execute(h.now, Command{Op: OpIssue, Actor: kiosk, ServiceID: "a", Token: "new-day"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Ticket.Number != 1001 || res.Ticket.Day != "20261124" || res.Ticket.ID != "20261124-a-1001" {
		t.Errorf("first ticket of the new day = %s %d %s", res.Ticket.Day, res.Ticket.Number, res.Ticket.ID)
	}
	// Yesterday's two waiting tickets expire (their tallies close with the
	// day), then the new day starts.
	if len(evs) < 3 || evs[0].Type != EvExpired || evs[0].Ticket.ID != a.ID || evs[0].Ticket.State != Expired || evs[1].Ticket.ID != b.ID ||
		evs[2].Type != EvDayStarted || evs[2].Day != "20261124" {
		t.Errorf("events at midnight: %+v, want two ticket.expired then day.started", evs)
	}
	if c, _ := h.s.Counter(1); c.State != CounterClosed {
		t.Errorf("counter 1 after midnight = %s, want closed", c.State)
	}
	if _, ok := h.s.Ticket(a.ID); ok {
		t.Error("yesterday's ticket is still in today's queue")
	}
}

func TestNumberRangeAndCap(t *testing.T) {
	h := newHarness(t)
	for _, want := range []int{2001, 2002, 2003} {
		if got := h.issue("b", "").Number; got != want {
			t.Fatalf("got %d, want %d", got, want)
		}
	}
	if _, _, err := h.s.Execute(h.now, Command{Op: OpIssue, Actor: kiosk, ServiceID: "b", Token: "x"}); problem.CodeOf(err) != problem.EFull {
		t.Errorf("past the range: got %v, want %s", err, problem.EFull)
	}
	o := testOffice()
	o.Services[0].DailyCap = 1
	s, _ := NewState(o, t0, nil, nil)
	s.Execute(t0, Command{Op: OpIssue, Actor: kiosk, ServiceID: "a", Token: "1"})
	if _, _, err := s.Execute(t0, Command{Op: OpIssue, Actor: kiosk, ServiceID: "a", Token: "2"}); problem.CodeOf(err) != problem.EFull {
		t.Errorf("past the cap: got %v, want %s", err, problem.EFull)
	}
}

func TestIssueValidation(t *testing.T) {
	o := testOffice()
	o.Services[0].Opens, o.Services[0].Closes = "07:30", "16:30"
	s, _ := NewState(o, t0, nil, nil)
	tests := []struct {
		name string
		at   time.Time
		cmd  Command
		want string
	}{
		{"unknown service", t0, Command{ServiceID: "zz", Token: "1"}, problem.ENotFound},
		{"unknown priority", t0, Command{ServiceID: "a", Priority: "vip", Token: "2"}, problem.EInvalid},
		{"no token", t0, Command{ServiceID: "a"}, problem.EInvalid},
		{"before opening", t0.Add(-time.Hour), Command{ServiceID: "a", Token: "3"}, problem.EClosed},
		{"at closing", time.Date(2026, 11, 23, 16, 30, 0, 0, t0.Location()), Command{ServiceID: "a", Token: "4"}, problem.EClosed},
		{"open", t0, Command{ServiceID: "a", Token: "5"}, ""},
		{"duplicate token", t0, Command{ServiceID: "a", Token: "5"}, problem.EConflict},
		{"too long note", t0, Command{ServiceID: "a", Token: "6", Note: string(make([]rune, 501))}, problem.EInvalid},
	}
	for _, tc := range tests {
		tc.cmd.Op, tc.cmd.Actor = OpIssue, kiosk
		if _, _, err := s.Execute(tc.at, tc.cmd); problem.CodeOf(err) != tc.want {
			t.Errorf("%s: got %v, want code %q", tc.name, err, tc.want)
		}
	}
}

func TestRestoreContinuesNumbering(t *testing.T) {
	h := newHarness(t)
	var tickets []Ticket
	for range 3 {
		tickets = append(tickets, h.issue("a", ""))
	}
	h.must(Command{Op: OpNext, Counter: 1})
	c, _ := h.s.Counter(1)
	cur, _ := h.s.Ticket(c.Current)
	tickets[0] = cur
	s2, err := NewState(testOffice(), t0.Add(time.Hour), tickets, []Counter{c})
	if err != nil {
		t.Fatal(err)
	}
	res, _, err := s2.Execute(t0.Add(time.Hour), Command{Op: OpIssue, Actor: kiosk, ServiceID: "a", Token: "z"})
	if err != nil || res.Ticket.Number != 1004 {
		t.Fatalf("after restore got %v %v, want 1004", res.Ticket, err)
	}
	if c2, _ := s2.Counter(1); c2.Current != cur.ID || c2.State != CounterOpen {
		t.Errorf("restored counter = %+v", c2)
	}
	// Restoring on the next day starts fresh and closes counters.
	s3, _ := NewState(testOffice(), t0.Add(24*time.Hour), tickets, []Counter{c})
	if c3, _ := s3.Counter(1); c3.State != CounterClosed || c3.Current != "" {
		t.Errorf("counter restored on the next day = %+v", c3)
	}
}

func TestETA(t *testing.T) {
	h := newHarness(t)
	for range 4 {
		h.issue("a", "")
	}
	// Nobody open: the estimate assumes one counter at the configured 5 minutes.
	if got := h.s.Services()[0]; got.Waiting != 4 || got.ETAMinutes != 20 || got.OpenCounters != 0 {
		t.Errorf("closed: %+v", got)
	}
	h.must(Command{Op: OpOpen, Counter: 1})
	h.must(Command{Op: OpOpen, Counter: 2})
	// Observed: one ticket served in 3 minutes at counter 1.
	h.must(Command{Op: OpNext, Counter: 1})
	h.at(3 * time.Minute).must(Command{Op: OpFinish, Counter: 1})
	got := h.s.Services()[0]
	if got.Waiting != 3 || got.OpenCounters != 2 || got.ServiceMinutes != 3 || got.ETAMinutes != 5 { // 3*3/2=4.5 -> 5
		t.Errorf("open: %+v", got)
	}
	p := h.issue("a", "elderly")
	if ahead, eta := h.s.Position(p); ahead != 0 || eta != 0 {
		t.Errorf("priority ticket: ahead %d eta %d, want 0 0", ahead, eta)
	}
	o := h.issue("a", "")
	if ahead, eta := h.s.Position(o); ahead != 4 || eta != 6 {
		t.Errorf("ordinary ticket: ahead %d eta %d, want 4 6", ahead, eta)
	}
}

func TestConfigValidation(t *testing.T) {
	mod := func(f func(*Office)) Office { o := testOffice(); f(&o); return o }
	bad := map[string]Office{
		"no name":         mod(func(o *Office) { o.Name = " " }),
		"bad zone":        mod(func(o *Office) { o.TimeZone = "Mars/Base" }),
		"bad id":          mod(func(o *Office) { o.Services[0].ID = "Hộ tịch" }),
		"dup service":     mod(func(o *Office) { o.Services[1].ID = "a" }),
		"bad range":       mod(func(o *Office) { o.Services[0].RangeEnd = 5 }),
		"bad hours":       mod(func(o *Office) { o.Services[0].Opens = "25:00" }),
		"dup counter":     mod(func(o *Office) { o.Counters[1].Number = 1 }),
		"unknown service": mod(func(o *Office) { o.Counters[0].Services = []string{"x"} }),
		"empty counter":   mod(func(o *Office) { o.Counters[0].Services = nil }),
		"bad priority":    mod(func(o *Office) { o.PriorityClasses[0].Name = "" }),
		"min cases < 0":   mod(func(o *Office) { o.Rules.MinCases = -1 }),
		"min cases huge":  mod(func(o *Office) { o.Rules.MinCases = 1001 }),
	}
	for name, o := range bad {
		err := o.Validate()
		if problem.CodeOf(err) != problem.EInvalid {
			t.Errorf("%s: got %v, want invalid", name, err)
			continue
		}
		if e := problem.As(err); e.Message == "" || e.MessageEN == "" {
			t.Errorf("%s: message missing a language: %+v", name, e)
		}
	}
	if err := testOffice().Validate(); err != nil {
		t.Errorf("good config: %v", err)
	}
}

// The store holds tickets for a day that starts again (the clock stepped back
// over midnight and came forward): numbering goes on after them.
func TestHeldDayGoesOnNumbering(t *testing.T) {
	h := newHarness(t)
	loc, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	h.now = time.Date(2026, 11, 23, 23, 59, 30, 0, loc)
	held := []Ticket{{ID: "20261124-a-1001", Day: "20261124", Number: 1001, Display: "1001", ServiceID: "a", FirstServiceID: "a", State: Waiting, Token: "old-1",
		IssuedAt: time.Date(2026, 11, 24, 0, 0, 5, 0, loc), QueuedAt: time.Date(2026, 11, 24, 0, 0, 5, 0, loc)}}
	h.s.Hold("20261124", held, nil, nil, nil)
	h.now = time.Date(2026, 11, 24, 0, 0, 10, 0, loc)
	got := h.issue("a", "")
	if got.Number != 1002 {
		t.Fatalf("first number after the held day started: %d, want 1002", got.Number)
	}
	if tk, ok := h.s.TicketByToken("old-1"); !ok || tk.ID != "20261124-a-1001" {
		t.Errorf("the held ticket's token: %+v %v", tk, ok)
	}
}
