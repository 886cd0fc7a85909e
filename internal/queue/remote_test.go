package queue

import (
	"fmt"
	"testing"
	"time"

	"motcua/internal/problem"
)

var province = Actor{Kind: ActorProvince, ID: "uplink"}

func remoteHarness(t *testing.T, cap int) *harness {
	t.Helper()
	o := testOffice()
	o.Services[0].Remote, o.Services[0].RemoteDailyCap = true, cap
	s, err := NewState(o, t0, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	return &harness{t: t, s: s, now: t0}
}

func (h *harness) remote(code string) (Ticket, error) {
	h.tok++
	res, _, err := h.s.Execute(h.now, Command{Op: OpIssue, Actor: province, Channel: ChannelRemote, ServiceID: "a", Token: fmt.Sprintf("r%d", h.tok), CheckIn: code})
	if err != nil {
		return Ticket{}, err
	}
	return *res.Ticket, nil
}

// Who may issue a remote ticket, for which service, how many.
func TestRemoteIssueRules(t *testing.T) {
	h := remoteHarness(t, 2)
	cases := []struct {
		name string
		cmd  Command
		want string
	}{
		{"a kiosk cannot issue a remote ticket", Command{Op: OpIssue, Actor: kiosk, Channel: ChannelRemote, ServiceID: "a", Token: "x1", CheckIn: "111111"}, problem.EForbidden},
		{"the province issues only remote ones", Command{Op: OpIssue, Actor: province, ServiceID: "a", Token: "x2"}, problem.EForbidden},
		{"a service without remote numbers", Command{Op: OpIssue, Actor: province, Channel: ChannelRemote, ServiceID: "b", Token: "x3", CheckIn: "111112"}, problem.EClosed},
		{"no priority from afar", Command{Op: OpIssue, Actor: province, Channel: ChannelRemote, ServiceID: "a", Priority: "elderly", Token: "x4", CheckIn: "111113"}, problem.EInvalid},
		{"a code of six digits", Command{Op: OpIssue, Actor: province, Channel: ChannelRemote, ServiceID: "a", Token: "x5", CheckIn: "12ab"}, problem.EInvalid},
	}
	for _, c := range cases {
		if _, _, err := h.s.Execute(h.now, c.cmd); problem.CodeOf(err) != c.want {
			t.Errorf("%s: %v, want %s", c.name, err, c.want)
		}
	}
	first, err := h.remote("123456")
	if err != nil || !first.Away || first.CheckIn != "123456" || first.Channel != ChannelRemote || first.State != Waiting {
		t.Fatalf("a remote ticket: %+v %v", first, err)
	}
	if first.Public().CheckIn != "" {
		t.Error("the public view shows the check-in code")
	}
	if _, err := h.remote("123456"); problem.CodeOf(err) != problem.EConflict {
		t.Errorf("a code used twice: %v", err)
	}
	if _, err := h.remote("654321"); err != nil {
		t.Fatal(err)
	}
	if _, err := h.remote("777777"); problem.CodeOf(err) != problem.EFull {
		t.Errorf("past the daily cap of remote numbers: %v", err)
	}
	h.issue("a", "") // the floor still takes numbers
}

// A remote ticket holds its place from when it was taken; while away it is
// passed over, not called and not a no-show; checked in, it goes ahead of
// those taken after it; not checked in within the limit after its turn,
// it lapses.
func TestRemoteTicketPassedOverCheckedInLapsed(t *testing.T) {
	h := remoteHarness(t, 0)
	r1, _ := h.remote("100001")
	h.at(time.Minute)
	w1 := h.issue("a", "")
	h.at(2 * time.Minute)
	r2, _ := h.remote("100002")
	w2 := h.issue("a", "")

	h.at(10 * time.Minute)
	res, evs, err := h.do(Command{Op: OpNext, Counter: 1})
	if err != nil || res.Ticket.ID != w1.ID {
		t.Fatalf("the first call: %+v %v, want %s (the remote one is away)", res.Ticket, err, w1.Display)
	}
	passed := 0
	for _, e := range evs {
		if e.Type == EvPassed {
			passed++
			if e.Ticket.ID != r1.ID {
				t.Errorf("passed over %s, want only %s (its turn came; %s's had not)", e.Ticket.Display, r1.Display, r2.Display)
			}
		}
	}
	if passed != 1 {
		t.Fatalf("passed-over events: %d, want 1", passed)
	}
	h.must(Command{Op: OpFinish, Counter: 1})
	got, _ := h.s.Ticket(r1.ID)
	if got.State != Waiting || !got.Away || got.PassedAt.IsZero() || got.NoShowAt != (time.Time{}) {
		t.Fatalf("passed over: %+v", got)
	}

	if _, _, err := h.do(Command{Op: OpCall, Counter: 1, TicketID: r1.ID, Reason: "gọi riêng"}); problem.CodeOf(err) != problem.EConflict {
		t.Errorf("calling an away ticket by name: %v", err)
	}
	// r1's citizen arrives within the limit: called next, ahead of w2.
	h.at(20 * time.Minute)
	if _, _, err := h.s.Execute(h.now, Command{Op: OpCheckIn, Actor: kiosk, CheckIn: "100001"}); err != nil {
		t.Fatal(err)
	}
	for code, want := range map[string]string{"100001": problem.EConflict, "999999": problem.ENotFound, "abc": problem.ENotFound} {
		if _, _, err := h.s.Execute(h.now, Command{Op: OpCheckIn, Actor: kiosk, CheckIn: code}); problem.CodeOf(err) != want {
			t.Errorf("check in %q: %v, want %s", code, err, want)
		}
	}
	if _, _, err := h.s.Execute(h.now, Command{Op: OpCheckIn, Actor: province, CheckIn: "100002"}); problem.CodeOf(err) != problem.EForbidden {
		t.Errorf("the province checks a citizen in: %v", err)
	}
	if d := h.nextAndFinish(1); d != r1.Display {
		t.Fatalf("after check-in called %s, want %s", d, r1.Display)
	}
	// w2 is called; r2 (taken before it) is passed over now.
	if d := h.nextAndFinish(1); d != w2.Display {
		t.Fatalf("called %s, want %s", d, w2.Display)
	}
	if got, _ := h.s.Ticket(r2.ID); got.PassedAt.IsZero() {
		t.Fatal("r2 was not passed over when w2 was called")
	}
	passedAt, _ := h.s.Ticket(r2.ID)
	// Nobody else waits: calling again finds none, and r2 is not passed twice.
	if _, evs, err := h.do(Command{Op: OpNext, Counter: 1}); err != ErrNoneWaiting || len(evs) != 0 {
		t.Fatalf("next with only an away ticket: %v, %d events", err, len(evs))
	}
	h.now = passedAt.PassedAt.Add(29 * time.Minute)
	if evs := lapses(h.s.Tick(h.now)); len(evs) != 0 {
		t.Fatalf("lapsed before the limit: %+v", evs)
	}
	h.now = passedAt.PassedAt.Add(30 * time.Minute)
	evs = lapses(h.s.Tick(h.now))
	if len(evs) != 1 || evs[0].Type != EvLapsed || evs[0].Ticket.ID != r2.ID || evs[0].Ticket.State != Lapsed {
		t.Fatalf("lapse: %+v", evs)
	}
	if _, _, err := h.s.Execute(h.now, Command{Op: OpCheckIn, Actor: kiosk, CheckIn: "100002"}); problem.CodeOf(err) != problem.EConflict {
		t.Errorf("checking in a lapsed ticket: %v", err)
	}
}

// An away ticket that was never passed over (its turn has not come) does
// not lapse, and the call order on the counter's screen skips it as the
// server does.
func TestAwayTicketWaitsItsTurn(t *testing.T) {
	h := remoteHarness(t, 0)
	h.issue("a", "")
	r, _ := h.remote("200001")
	h.at(5 * time.Hour)
	for _, e := range h.s.Tick(h.now) {
		if e.Type == EvLapsed || e.Raised != nil && e.Raised.Ticket == r.Display {
			t.Fatalf("an away ticket whose turn never came: %s %+v", e.Type, e.Raised)
		}
	}
	if got, _ := h.s.Ticket(r.ID); got.State != Waiting {
		t.Fatalf("%+v", got)
	}
}

// lapses are the lapse events among a tick's.
func lapses(evs []Event) []Event {
	var out []Event
	for _, e := range evs {
		if e.Type == EvLapsed {
			out = append(out, e)
		}
	}
	return out
}

// The report counts walk-in, remote and booked tickets apart: issued,
// checked in, lapsed, served, booked punctuality; and a day stored
// before channels existed reads as all walk-ins.
func TestReportByChannel(t *testing.T) {
	h := remoteHarness(t, 0)
	r1, _ := h.remote("100001")
	r2, _ := h.remote("100002")
	w := h.issue("a", "")
	h.at(time.Minute)
	h.s.Execute(h.now, Command{Op: OpCheckIn, Actor: kiosk, CheckIn: "100001"})
	h.s.Execute(h.now, Command{Op: OpIssue, Actor: kiosk, Channel: ChannelAppointment, ServiceID: "a", Token: "bk", CheckIn: "512345", Slot: t0.Add(2 * time.Minute)})
	h.at(3 * time.Minute)
	for range 3 {
		h.nextAndFinish(1) // r1, the booking, w; r2 passed over
	}
	h.at(40 * time.Minute)
	h.s.Tick(h.now) // r2 lapses
	rep := NewReport(h.s.office, h.s.day, h.s.day)
	for _, id := range []string{r1.ID, r2.ID, w.ID, TicketID(h.s.day, "a", 1004)} {
		tk, ok := h.s.Ticket(id)
		if !ok {
			t.Fatalf("no ticket %s", id)
		}
		rep.Add(tk)
	}
	rep.Finish()
	got := map[string]ChannelTally{}
	for _, c := range rep.Channels {
		got[c.Channel] = c
	}
	if c := got[Remote]; c.Issued != 2 || c.CheckedIn != 1 || c.Lapsed != 1 || c.Served != 1 {
		t.Errorf("remote: %+v", c)
	}
	if c := got[ByBooked]; c.Issued != 1 || c.Served != 1 || c.Punctual != 1 {
		t.Errorf("booked: %+v", c)
	}
	if c := got[WalkIn]; c.Issued != 1 || c.Served != 1 {
		t.Errorf("walk-in: %+v", c)
	}
	back := Summarised(rep)
	again := NewReport(h.s.office, h.s.day, h.s.day)
	again.Merge(back)
	again.Finish()
	if len(again.Channels) != 3 || again.Channels[1].Lapsed != 1 {
		t.Errorf("through the stored shape: %+v", again.Channels)
	}
	old := storedOf(rep)
	old.Channels = nil // a day stored before channels
	fromOld := NewReport(h.s.office, h.s.day, h.s.day)
	fromOld.Merge(old.report())
	fromOld.Finish()
	if c := fromOld.Channels[0]; c.Channel != WalkIn || c.Issued != rep.Total.Issued {
		t.Errorf("an old day's channels: %+v", fromOld.Channels)
	}
}
