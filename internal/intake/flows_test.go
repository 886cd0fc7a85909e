package intake

import (
	"math/rand/v2"
	"reflect"
	"testing"
	"time"
)

// Property: for random dossiers over a year and random periods, the day
// tallies summed (Sum over FlowsOf) give the Period that Tally counts from
// the dossiers themselves; and taking a dossier's old flows back and adding
// its new ones keeps it so after it changes.
func TestFlowsAddUpToTally(t *testing.T) {
	loc, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	r := rand.New(rand.NewPCG(5, 8))
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, loc)
	at := func(day int) time.Time {
		return start.AddDate(0, 0, day).Add(time.Duration(7*60+r.IntN(600)) * time.Minute)
	}
	var ds []Dossier
	for i := range 600 {
		recv := r.IntN(300)
		d := Dossier{Code: string(rune('a' + i%26)), Status: Received, Delivery: []string{"desk", "post"}[r.IntN(2)], ReceivedAt: at(recv)}
		if r.IntN(10) == 0 {
			d.Status = Incomplete // a filing only
		} else {
			d.DueAt = at(recv + 1 + r.IntN(15))
			for range r.IntN(3) {
				d.History = append(d.History, Change{At: at(recv + r.IntN(5)), To: Supplement})
			}
			switch r.IntN(4) {
			case 0, 1:
				d.ReadyAt, d.Status = at(recv+r.IntN(25)), Ready
			case 2:
				d.History, d.Status = append(d.History, Change{At: at(recv + r.IntN(10)), To: Withdrawn}), Withdrawn
			}
			if r.IntN(8) == 0 {
				d.Apology = &Apology{At: at(recv + r.IntN(20))}
			}
		}
		ds = append(ds, d)
	}
	days := map[string]*Flows{}
	for _, d := range ds {
		Add(days, FlowsOf(d, loc), 1)
	}
	check := func(what string) {
		t.Helper()
		for range 40 {
			a, b := r.IntN(320), r.IntN(320)
			from, to := start.AddDate(0, 0, min(a, b)), start.AddDate(0, 0, max(a, b)+1)
			want, got := Tally(ds, from, to, loc), Sum(days, from, to, loc)
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("%s, %s–%s:\n got %+v\nwant %+v", what, from.Format("02/01"), to.Format("02/01"), got, want)
			}
		}
	}
	check("as received")
	for i := range ds { // each open one resolves; the store corrects the days
		if ds[i].DueAt.IsZero() || !ds[i].ReadyAt.IsZero() || ds[i].Status == Withdrawn {
			continue
		}
		old := ds[i]
		ds[i].ReadyAt, ds[i].Status = ds[i].ReceivedAt.AddDate(0, 0, 1+r.IntN(30)), Ready
		Add(days, FlowsOf(old, loc), -1)
		Add(days, FlowsOf(ds[i], loc), 1)
	}
	check("after the results")
}
