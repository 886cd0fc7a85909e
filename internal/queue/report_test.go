package queue

import (
	"encoding/json"
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
