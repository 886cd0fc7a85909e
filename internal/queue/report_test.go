package queue

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

func TestReport(t *testing.T) {
	o := testOffice()
	r := NewReport(o, "20261123", "20261123")
	at := func(m int) time.Time { return t0.Add(time.Duration(m) * time.Minute) }
	r.Add(Ticket{FirstServiceID: "a", Counter: 1, State: Done, QueuedAt: at(0), CalledAt: at(10), DoneAt: at(16), Rating: &Rating{Option: "satisfied"}})
	r.Add(Ticket{FirstServiceID: "a", Counter: 1, State: Done, QueuedAt: at(0), CalledAt: at(30), ServingAt: at(32), DoneAt: at(36), Rating: &Rating{}})
	r.Add(Ticket{FirstServiceID: "b", Counter: 2, State: NoShow, QueuedAt: at(5), CalledAt: at(25)})
	r.Add(Ticket{FirstServiceID: "b", State: Cancelled, QueuedAt: at(5)})
	r.Add(Ticket{FirstServiceID: "a", State: Waiting, QueuedAt: at(40)})
	r.Finish()
	tot := r.Total
	if tot.Issued != 5 || tot.Served != 2 || tot.NoShow != 1 || tot.Cancelled != 1 {
		t.Fatalf("total %+v", tot)
	}
	if tot.WaitMeanMinutes != 20 || tot.WaitMaxMinutes != 30 || tot.ServiceMeanMinutes != 5 {
		t.Errorf("times: wait %v max %v service %v", tot.WaitMeanMinutes, tot.WaitMaxMinutes, tot.ServiceMeanMinutes)
	}
	if tot.Ratings["satisfied"] != 1 || tot.Ratings[""] != 1 {
		t.Errorf("ratings %v", tot.Ratings)
	}
	if r.Services[0].ID != "a" || r.Services[0].Issued != 3 || r.Services[1].Issued != 2 {
		t.Errorf("services %+v", r.Services)
	}
	if r.Counters[0].Number != 1 || r.Counters[0].Served != 2 || r.Counters[1].NoShow != 1 || r.Counters[2].Issued != 0 {
		t.Errorf("counters %+v", r.Counters)
	}
}

// A period's report is the sum of its days': merging finished day reports (or
// ones read back from JSON) gives the same tallies as adding every ticket.
func TestReportMerge(t *testing.T) {
	o := testOffice()
	tk := func(svc string, counter int, wait int) Ticket {
		return Ticket{FirstServiceID: svc, Counter: counter, State: Done, QueuedAt: t0, CalledAt: t0.Add(time.Duration(wait) * time.Minute), DoneAt: t0.Add(time.Duration(wait+5) * time.Minute)}
	}
	day1, day2, all := NewReport(o, "1", "1"), NewReport(o, "2", "2"), NewReport(o, "1", "2")
	for _, x := range []Ticket{tk("a", 1, 10), tk("b", 2, 20)} {
		day1.Add(x)
		all.Add(x)
	}
	for _, x := range []Ticket{tk("a", 1, 30)} {
		day2.Add(x)
		all.Add(x)
	}
	raw, _ := json.Marshal(day2.Finish())
	var back Report
	json.Unmarshal(raw, &back)
	sum := NewReport(o, "1", "2")
	sum.Merge(day1.Finish())
	sum.Merge(&back)
	got, _ := json.Marshal(sum.Finish())
	want, _ := json.Marshal(all.Finish())
	if string(got) != string(want) {
		t.Fatalf("merged\n%s\nwant\n%s", got, want)
	}
}

// A small day run through the real commands, with every kind of ticket,
// and its report computed by hand: transferred (counted where served, out of
// where it came from), no-show then rejoined then expired, cancelled, rated,
// rated with a reason, unrated.
func TestReportOfAScriptedDay(t *testing.T) {
	h := newHarness(t)
	rater := Actor{Kind: ActorDevice, ID: "rating-1"}
	at := func(m int) { h.now = t0.Add(time.Duration(m) * time.Minute); h.s.Tick(h.now) }
	a1, a2, a3 := h.issue("a", ""), h.issue("a", ""), h.issue("a", "")
	b1, b2 := h.issue("b", ""), h.issue("b", "")
	for _, n := range []int{1, 3} {
		h.must(Command{Op: OpOpen, Counter: n})
	}
	at(5)
	h.must(Command{Op: OpCancel, TicketID: b2.ID, Actor: kiosk, Reason: "không in được"})
	at(10)
	h.must(Command{Op: OpNext, Counter: 1}) // a1, waited 10
	h.must(Command{Op: OpNext, Counter: 3}) // b1, waited 10 in b
	at(12)
	h.must(Command{Op: OpTransfer, Counter: 3, ServiceID: "a", Note: "sang hộ tịch"}) // b1 queues in a, keeping its place (queued 08:00)
	at(15)
	h.must(Command{Op: OpFinish, Counter: 1}) // a1 served 5
	h.must(Command{Op: OpRate, Counter: 1, Actor: rater, TicketID: a1.ID, Option: "very_satisfied"})
	at(20)
	h.must(Command{Op: OpNext, Counter: 1}) // a2, waited 20
	h.must(Command{Op: OpNoShow, Counter: 1})
	at(25)
	h.must(Command{Op: OpRejoin, TicketID: a2.ID, Actor: kiosk})
	at(30)
	if res := h.must(Command{Op: OpCall, Counter: 1, TicketID: a3.ID, Reason: "hẹn trước"}); res.Ticket.ID != a3.ID { // waited 30
		t.Fatalf("called %s", res.Ticket.ID)
	}
	at(40)
	h.must(Command{Op: OpFinish, Counter: 1}) // a3 served 10
	h.must(Command{Op: OpRate, Counter: 1, Actor: rater, TicketID: a3.ID, Option: "unsatisfied", Reasons: []string{"slow"}})
	if res := h.must(Command{Op: OpCall, Counter: 1, TicketID: b1.ID, Reason: "chuyển sang"}); res.Ticket.ID != b1.ID { // waited 40 since 08:00
		t.Fatalf("called %s", res.Ticket.ID)
	}
	at(45)
	h.must(Command{Op: OpFinish, Counter: 1}) // b1 served 5
	at(50)                                    // its rating times out: no rating
	final := map[string]Ticket{}
	for _, id := range []string{a1.ID, a2.ID, a3.ID, b1.ID, b2.ID} {
		final[id], _ = h.s.Ticket(id)
	}
	for _, ev := range h.s.Tick(t0.Add(24 * time.Hour)) { // the day ends: a2 expires
		if ev.Ticket != nil {
			final[ev.Ticket.ID] = *ev.Ticket
		}
	}
	r := NewReport(testOffice(), "20261123", "20261123")
	for _, tk := range final {
		r.Add(tk)
	}
	r.Finish()
	tot := r.Total
	check := func(what string, got, want any) {
		t.Helper()
		if got != want {
			t.Errorf("%s = %v, want %v", what, got, want)
		}
	}
	check("issued", tot.Issued, 5)
	check("served", tot.Served, 3)
	check("cancelled", tot.Cancelled, 1)
	check("expired", tot.Expired, 1)
	check("no-show", tot.NoShow, 0) // a2 rejoined
	check("transferred", tot.TransferredOut, 1)
	check("called", tot.Called, 3) // a1 10, a3 30, b1 40 (a2's call ended before its rejoin)
	check("wait mean", math.Round(tot.WaitMeanMinutes*100)/100, 26.67)
	check("wait median", tot.WaitMedianMinutes, 30.0)
	check("wait p90", tot.WaitP90Minutes, 40.0)
	check("wait max", tot.WaitMaxMinutes, 40.0)
	check("within 30 min", tot.WithinTarget, 1) // under 30: a1 only
	check("service mean", math.Round(tot.ServiceMeanMinutes*100)/100, 6.67)
	check("service median", tot.ServiceMedianMinutes, 5.0)
	check("rated", tot.Rated, 2)
	check("satisfied", tot.Satisfied, 1)
	check("no rating", tot.Ratings[""], 1)
	check("reason slow", tot.Reasons["slow"], 1)
	a, b := r.Services[0], r.Services[1]
	check("a issued", a.Issued, 4) // a1, a2, a3 and b1, served there
	check("a transferred in", a.TransferredIn, 1)
	check("a served", a.Served, 3)
	check("b issued", b.Issued, 1) // b2
	check("b transferred out", b.TransferredOut, 1)
	check("counter 1 served", r.Counters[0].Served, 3)
	check("clerks", len(r.Clerks), 1)
	check("clerk quay1 served", r.Clerks[0].Served, 3)
	check("hour 8 issued", r.Hours[8].Issued, 5)
	check("days", len(r.Days), 1)
	check("day issued", r.Days[0].Issued, 5)
}

// Property: for random tickets over a week, the merge of the days' finished
// reports (read back from JSON, as the store keeps them) is the report of
// all the tickets at once, figure by figure and group by group.
func TestReportOfDaysSumsToThePeriod(t *testing.T) {
	o := testOffice()
	r := rand.New(rand.NewPCG(7, 11))
	states := []TicketState{Done, Done, Done, NoShow, Cancelled, Expired, Waiting}
	options := []string{"", "very_satisfied", "satisfied", "unsatisfied"}
	all := NewReport(o, "20261116", "20261122")
	sum := NewReport(o, "20261116", "20261122")
	direct := NewReport(o, "20261116", "20261122") // merged from Summarised, no bytes between
	for d := range 7 {
		day := t0.AddDate(0, 0, d-7)
		dayID := DayOf(day, time.FixedZone("ICT", 7*3600))
		one := NewReport(o, dayID, dayID)
		for range 50 + r.IntN(50) {
			issued := day.Add(time.Duration(r.IntN(9*60)) * time.Minute)
			tk := Ticket{Day: dayID, FirstServiceID: []string{"a", "b"}[r.IntN(2)], State: states[r.IntN(len(states))],
				IssuedAt: issued, QueuedAt: issued}
			tk.ServiceID = tk.FirstServiceID
			if r.IntN(5) == 0 {
				tk.ServiceID = []string{"a", "b"}[r.IntN(2)]
			}
			if tk.State != Waiting && tk.State != Cancelled && tk.State != Expired {
				tk.Counter, tk.Clerk = 1+r.IntN(3), []string{"lan", "minh", "hoa"}[r.IntN(3)]
				tk.CalledAt = issued.Add(time.Duration(r.IntN(300)) * time.Minute)
			}
			if tk.State == Done {
				tk.DoneAt = tk.CalledAt.Add(time.Duration(1+r.IntN(40)) * time.Minute)
				if opt := options[r.IntN(len(options))]; r.IntN(3) > 0 {
					tk.Rating = &Rating{Option: opt}
					if opt == "unsatisfied" {
						tk.Rating.Reasons = []string{"slow"}
					}
				}
			}
			one.Add(tk)
			all.Add(tk)
		}
		raw, err := EncodeSummary(one.Finish()) // as the store keeps a day
		if err != nil {
			t.Fatal(err)
		}
		back, current, err := DecodeSummary(raw)
		if err != nil || !current {
			t.Fatal(err)
		}
		sum.Merge(back)
		direct.Merge(Summarised(one))
	}
	got, _ := json.Marshal(sum.Finish())
	want, _ := json.Marshal(all.Finish())
	if string(got) != string(want) {
		t.Fatalf("the days' merge differs from the period's report:\n%s\nwant\n%s", got, want)
	}
	if d, _ := json.Marshal(direct.Finish()); string(d) != string(want) {
		t.Fatalf("the days merged from Summarised differ from the period's report:\n%s\nwant\n%s", d, want)
	}
	if all.Total.Issued < 350 || all.Total.TransferredOut == 0 || len(all.Clerks) != 3 || len(all.Days) != 7 || all.Total.Rated == 0 {
		t.Fatalf("the random week is too thin to prove much: %+v", all.Total)
	}
}
