package intake

import (
	"reflect"
	"testing"
	"time"
)

// A month's dossiers counted by hand: carried over, received (one by post),
// resolved early / on time / late, open within the deadline or overdue,
// a supplement, an apology, a withdrawal; and the rates made of them.
func TestTallyAMonth(t *testing.T) {
	loc, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	at := func(month time.Month, day int) time.Time { return time.Date(2026, month, day, 9, 0, 0, 0, loc) }
	nov, dec := time.November, time.December
	d := func(recv, due, ready time.Time, changes ...Change) Dossier {
		return Dossier{ReceivedAt: recv, DueAt: due, ReadyAt: ready, Status: Received, Delivery: "desk", History: changes}
	}
	late := d(at(nov, 12), at(nov, 15), at(nov, 18))
	late.Apology = &Apology{At: at(nov, 14)}
	post := d(at(nov, 25), at(dec, 2), time.Time{})
	post.Delivery = "post"
	ds := []Dossier{
		d(at(time.October, 28), at(nov, 3), at(nov, 2)),                                 // carried over, early
		d(at(nov, 5), at(nov, 10), at(nov, 10), Change{At: at(nov, 6), To: Supplement}), // on time, one supplement
		late,                                     // late, with Mẫu 04
		d(at(nov, 20), at(dec, 5), time.Time{}),  // open, within
		d(at(nov, 21), at(nov, 25), time.Time{}), // open, overdue
		d(at(nov, 22), at(nov, 28), time.Time{}, Change{At: at(nov, 23), To: Withdrawn}),
		post,                                   // open, within, result by post
		d(at(dec, 1), at(dec, 4), time.Time{}), // after the month
		{ReceivedAt: at(nov, 8), Status: Incomplete},                       // not received (no appointment)
		d(at(time.October, 1), at(time.October, 20), at(time.October, 19)), // done before the month
	}
	p := Tally(ds, time.Date(2026, nov, 1, 0, 0, 0, 0, loc), time.Date(2026, dec, 1, 0, 0, 0, 0, loc), loc)
	want := Period{ByStatus: map[string]int{"received": 6, "incomplete": 1}, CarriedOver: 1, Received: 6, InPerson: 6, ByPost: 1, Resolved: 3, Early: 1, OnTime: 1, Late: 1, OpenWithin: 2, OpenOverdue: 1,
		Supplements: 1, Apologies: 1, Withdrawn: 1, OnTimeRate: 2.0 / 3, Decree61Rate: 2.0 / 6, Progress766: 16.67, Indicator1: 1, Indicator3: 1.7}
	if !reflect.DeepEqual(p, want) {
		t.Fatalf("the month:\n got %+v\nwant %+v", p, want)
	}
}
