package intake

import (
	"math"
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
		} else if r.IntN(12) == 0 {
			d.Status = []Status{OnlineFiled, OnlineNotFiled}[r.IntN(2)] // a help session: a filing only
		} else {
			d.DueAt = at(recv + 1 + r.IntN(15))
			for range r.IntN(3) {
				d.History = append(d.History, Change{At: at(recv + r.IntN(5)), To: Supplement})
			}
			switch r.IntN(5) {
			case 0, 1:
				d.ReadyAt, d.Status = at(recv+r.IntN(25)), Ready
			case 2:
				d.History, d.Status = append(d.History, Change{At: at(recv + r.IntN(10)), To: Withdrawn}), Withdrawn
			case 3:
				d.History, d.Status = append(d.History, Change{At: at(recv + r.IntN(10)), To: Stopped, Note: "theo quy định"}), Stopped
			}
			if r.IntN(8) == 0 {
				d.Apology = &Apology{At: at(recv + r.IntN(20))}
			}
			if r.IntN(3) > 0 { // a fee; paid (cash or transfer) or not yet
				d.Fee = int64(1+r.IntN(50)) * 1000
				if r.IntN(4) > 0 {
					d.Paid = &Payment{Method: []string{PaidCash, PaidTransfer}[r.IntN(2)], Amount: d.Fee, At: at(recv + r.IntN(7))}
				}
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
			want, got := countDirectly(ds, from, to, loc), Sum(days, from, to, loc)
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("%s, %s–%s:\n got %+v\nwant %+v", what, from.Format("02/01"), to.Format("02/01"), got, want)
			}
		}
	}
	check("as received")
	for i := range ds { // each open one resolves; the store corrects the days
		if ds[i].DueAt.IsZero() || !ds[i].ReadyAt.IsZero() || ds[i].Status == Withdrawn || ds[i].Status == Stopped {
			continue
		}
		old := ds[i]
		ds[i].ReadyAt, ds[i].Status = ds[i].ReceivedAt.AddDate(0, 0, 1+r.IntN(30)), Ready
		Add(days, FlowsOf(old, loc), -1)
		Add(days, FlowsOf(ds[i], loc), 1)
	}
	check("after the results")
}

// countDirectly is the period counted straight from the dossiers, as the
// province's rules read (DOMAIN.md), without the flows: the oracle that
// FlowsOf and Sum are checked against.
func countDirectly(ds []Dossier, from, to time.Time, loc *time.Location) Period {
	p := Period{ByStatus: map[string]int{}}
	day := func(t time.Time) string { return t.In(loc).Format("2006-01-02") }
	in := func(t time.Time) bool { return !t.IsZero() && !t.Before(from) && t.Before(to) }
	last := day(to.Add(-time.Nanosecond)) // the period's last day
	ind1, ind3 := 0, 0
	for _, d := range ds {
		if in(d.ReceivedAt) {
			p.ByStatus[string(d.Status)]++
			if d.Status == OnlineFiled || d.Status == OnlineNotFiled {
				p.OnlineHelped++
				if d.Status == OnlineFiled {
					p.OnlineFiled++
				}
			}
		}
		if d.DueAt.IsZero() || !d.ReceivedAt.Before(to) { // not received (incomplete, refused), or after the period
			continue
		}
		closedAt := d.ReadyAt // when it stopped being open: its result, or its withdrawal
		if closedAt.IsZero() {
			for _, c := range d.History {
				if c.To == Withdrawn || c.To == Stopped {
					closedAt = c.At
				}
			}
		}
		if d.ReceivedAt.Before(from) && (closedAt.IsZero() || !closedAt.Before(from)) {
			p.CarriedOver++
		}
		if in(d.ReceivedAt) {
			p.Received++
			p.InPerson++
			if d.Delivery == "post" {
				p.ByPost++
			}
			if d.Fee > 0 {
				p.FeeDossiers++
				p.FeesDue += d.Fee
			}
		}
		if d.Paid != nil && in(d.Paid.At) {
			p.FeesPaid++
			p.FeesCollected += d.Fee
			if d.Paid.Method == PaidTransfer {
				p.Cashless++
				p.CashlessAmount += d.Fee
			}
		}
		supplements := 0
		for _, c := range d.History {
			if c.To == Supplement {
				supplements++
				if in(c.At) {
					p.Supplements++
				}
			}
			if (c.To == Withdrawn || c.To == Stopped) && in(c.At) {
				p.Withdrawn++
			}
		}
		if d.Apology != nil && in(d.Apology.At) {
			p.Apologies++
		}
		switch {
		case in(d.ReadyAt):
			p.Resolved++
			switch r, due := day(d.ReadyAt), day(d.DueAt); {
			case r < due:
				p.Early++
				ind1 += 2
			case r == due:
				p.OnTime++
				ind1++
			default:
				p.Late++
			}
			ind3 += max(0, 2-supplements)
		case closedAt.IsZero() || !closedAt.Before(to): // still open when the period ends
			if day(d.DueAt) < last {
				p.OpenOverdue++
			} else {
				p.OpenWithin++
			}
		}
	}
	if p.FeesPaid > 0 {
		p.CashlessShare = float64(p.Cashless) / float64(p.FeesPaid)
		p.CashlessAmountShare = float64(p.CashlessAmount) / float64(p.FeesCollected)
	}
	p.Indicator1, p.Indicator3 = -1, -1
	if p.Resolved > 0 {
		p.OnTimeRate = float64(p.Early+p.OnTime) / float64(p.Resolved)
		p.Indicator1 = math.Round(10*float64(ind1)/float64(p.Resolved)) / 10
		p.Indicator3 = math.Round(10*float64(ind3)/float64(p.Resolved)) / 10
	}
	if p.Received > 0 {
		p.Decree61Rate = float64(p.Early+p.OnTime) / float64(p.Received)
		// Capped at 20: the dossiers resolved in the period include ones
		// carried over, which the deployed formula divides by this period's.
		p.Progress766 = min(20, math.Round(100*20*float64(p.OpenWithin+p.Early+p.OnTime+p.Withdrawn)/float64(p.Received))/100)
	}
	return p
}
