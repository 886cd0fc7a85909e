package queue

import (
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
