package intake

import (
	"math"
	"time"
)

// A period's dossier figures from day tallies instead of the dossiers:
// each dossier adds to the days it touched (received, supplemented,
// apologised, withdrawn, resolved) what happened then, and to an open stock
// by appointment day (+1 the day it is received, -1 the day it closes). The
// store keeps the tallies per day and corrects them when a dossier changes;
// Sum gives the same Period as Tally over the dossiers (TestFlowsAddUpToTally).

// Flows is what a day's dossiers did.
type Flows struct {
	Received    int `json:"r,omitempty"`
	ByPost      int `json:"bp,omitempty"`
	Resolved    int `json:"rs,omitempty"`
	Early       int `json:"e,omitempty"`
	OnTime      int `json:"o,omitempty"`
	Late        int `json:"l,omitempty"`
	Ind1        int `json:"i1,omitempty"` // indicator 1's points of the day's resolved
	Ind3        int `json:"i3,omitempty"` // indicator 3's
	Supplements int `json:"su,omitempty"`
	Apologies   int `json:"ap,omitempty"`
	Withdrawn   int `json:"w,omitempty"`
	Closed      int `json:"c,omitempty"`  // received dossiers that closed (result or withdrawal)
	Digitised   int `json:"dg,omitempty"` // the day's received with every paper scanned or exempted
	EResults    int `json:"er,omitempty"` // the day's resolved with an electronic result
	// Fees: the day's received with a fee and their amounts due; the fees
	// paid that day and their amounts, and of them those paid without cash.
	// Online help sessions of the day, and those that ended filed.
	OnlineHelped   int            `json:"oh,omitempty"`
	OnlineFiled    int            `json:"of,omitempty"`
	FeeDossiers    int            `json:"fn,omitempty"`
	FeesDue        int64          `json:"fd,omitempty"`
	FeesPaid       int            `json:"fp,omitempty"`
	FeesCollected  int64          `json:"fc,omitempty"`
	Cashless       int            `json:"fx,omitempty"`
	CashlessAmount int64          `json:"fxa,omitempty"`
	Due            map[string]int `json:"d,omitempty"`  // appointment day -> open dossiers added (or, negative, closed)
	Status         map[string]int `json:"st,omitempty"` // the day's filings by their status now
}

// Add adds g to f, times sign (-1 takes a dossier's old flows back).
func (f *Flows) Add(g Flows, sign int) {
	f.Received += sign * g.Received
	f.ByPost += sign * g.ByPost
	f.Resolved += sign * g.Resolved
	f.Early += sign * g.Early
	f.OnTime += sign * g.OnTime
	f.Late += sign * g.Late
	f.Ind1 += sign * g.Ind1
	f.Ind3 += sign * g.Ind3
	f.Supplements += sign * g.Supplements
	f.Apologies += sign * g.Apologies
	f.Withdrawn += sign * g.Withdrawn
	f.Closed += sign * g.Closed
	f.Digitised += sign * g.Digitised
	f.EResults += sign * g.EResults
	f.OnlineHelped += sign * g.OnlineHelped
	f.OnlineFiled += sign * g.OnlineFiled
	f.FeeDossiers += sign * g.FeeDossiers
	f.FeesDue += int64(sign) * g.FeesDue
	f.FeesPaid += sign * g.FeesPaid
	f.FeesCollected += int64(sign) * g.FeesCollected
	f.Cashless += sign * g.Cashless
	f.CashlessAmount += int64(sign) * g.CashlessAmount
	f.Due = addMap(f.Due, g.Due, sign)
	f.Status = addMap(f.Status, g.Status, sign)
}

func addMap(m, g map[string]int, sign int) map[string]int {
	for k, v := range g {
		if m == nil {
			m = map[string]int{}
		}
		if m[k] += sign * v; m[k] == 0 {
			delete(m, k)
		}
	}
	return m
}

// Add adds g's days to days, times sign (-1 takes a dossier's old flows back).
func Add(days map[string]*Flows, g map[string]Flows, sign int) {
	for day, f := range g {
		d := days[day]
		if d == nil {
			d = &Flows{}
			days[day] = d
		}
		d.Add(f, sign)
	}
}

// Merge adds the days of src to dst (two groups' tallies into one).
func Merge(dst, src map[string]*Flows) {
	for day, f := range src {
		d := dst[day]
		if d == nil {
			d = &Flows{}
			dst[day] = d
		}
		d.Add(*f, 1)
	}
}

// Groups are the tallies a dossier counts in: all, its receiving clerk's
// ("c:" + username) and its procedure's ("p:" + code).
func Groups(d Dossier) []string { return []string{"", "c:" + d.Clerk, "p:" + d.Procedure} }

// FlowsOf is what d adds to each day (YYYY-MM-DD in loc).
func FlowsOf(d Dossier, loc *time.Location) map[string]Flows {
	day := func(t time.Time) string { return t.In(loc).Format("2006-01-02") }
	out := map[string]Flows{}
	at := func(t time.Time, fn func(*Flows)) {
		f := out[day(t)]
		fn(&f)
		out[day(t)] = f
	}
	at(d.ReceivedAt, func(f *Flows) {
		f.Status = addMap(f.Status, map[string]int{string(d.Status): 1}, 1)
		if d.Status == OnlineFiled || d.Status == OnlineNotFiled {
			f.OnlineHelped++
			if d.Status == OnlineFiled {
				f.OnlineFiled++
			}
		}
	})
	if d.DueAt.IsZero() { // not received: a filing only
		return out
	}
	due := day(d.DueAt)
	at(d.ReceivedAt, func(f *Flows) {
		f.Received++
		if d.Delivery == "post" {
			f.ByPost++
		}
		f.Due = addMap(f.Due, map[string]int{due: 1}, 1)
		if d.Digitised() {
			f.Digitised++
		}
		if d.Fee > 0 {
			f.FeeDossiers++
			f.FeesDue += d.Fee
		}
	})
	if p := d.Paid; p != nil && d.Fee > 0 {
		at(p.At, func(f *Flows) {
			f.FeesPaid++
			f.FeesCollected += d.Fee
			if p.Method == PaidTransfer {
				f.Cashless++
				f.CashlessAmount += d.Fee
			}
		})
	}
	supplements := 0
	for _, c := range d.History {
		switch c.To {
		case Supplement:
			supplements++
			at(c.At, func(f *Flows) { f.Supplements++ })
		case Withdrawn, Stopped:
			at(c.At, func(f *Flows) { f.Withdrawn++ })
		}
	}
	if d.Apology != nil {
		at(d.Apology.At, func(f *Flows) { f.Apologies++ })
	}
	if closed := closedAt(d); !closed.IsZero() {
		at(closed, func(f *Flows) {
			f.Closed++
			f.Due = addMap(f.Due, map[string]int{due: -1}, 1)
		})
	}
	if !d.ReadyAt.IsZero() {
		at(d.ReadyAt, func(f *Flows) {
			f.Resolved++
			switch r := day(d.ReadyAt); {
			case r < due:
				f.Early++
				f.Ind1 += 2
			case r == due:
				f.OnTime++
				f.Ind1++
			default:
				f.Late++
			}
			f.Ind3 += max(0, 2-supplements)
			if d.Result != nil {
				f.EResults++
			}
		})
	}
	return out
}

// closedAt is when a received dossier left the open stock: its result
// ready, else its (last) stop — withdrawn or stopped by law; zero while open.
func closedAt(d Dossier) time.Time {
	if !d.ReadyAt.IsZero() {
		return d.ReadyAt
	}
	var withdrawn time.Time
	for _, c := range d.History {
		if c.To.Stops() {
			withdrawn = c.At
		}
	}
	return withdrawn
}

// Span is a received dossier's days (YYYY-MM-DD in loc) as the open stock
// counts them: received, due, and closed ("" while open); all "" for a
// filing only. At any day T the dossier is open when received < T and not
// closed < T — what Sum's carried over and open count (the province reads
// its stock so).
func Span(d Dossier, loc *time.Location) (received, due, closed string) {
	if d.DueAt.IsZero() {
		return "", "", ""
	}
	day := func(t time.Time) string { return t.In(loc).Format("2006-01-02") }
	if c := closedAt(d); !c.IsZero() {
		closed = day(c)
	}
	return day(d.ReceivedAt), day(d.DueAt), closed
}

// Sum is the period [from, to) from the days' flows (every day before to,
// the earlier ones for what is carried over), as Tally counts it.
func Sum(days map[string]*Flows, from, to time.Time, loc *time.Location) Period {
	p := Period{ByStatus: map[string]int{}}
	first, end := from.In(loc).Format("2006-01-02"), to.In(loc).Format("2006-01-02")
	last := to.Add(-time.Nanosecond).In(loc).Format("2006-01-02")
	var f Flows
	open := map[string]int{}
	for day, d := range days {
		if day >= end {
			continue
		}
		open = addMap(open, d.Due, 1)
		if day < first {
			p.CarriedOver += d.Received - d.Closed
			continue
		}
		f.Add(*d, 1)
	}
	for status, n := range f.Status {
		p.ByStatus[status] = n
	}
	p.Received, p.InPerson, p.ByPost = f.Received, f.Received, f.ByPost
	p.Resolved, p.Early, p.OnTime, p.Late = f.Resolved, f.Early, f.OnTime, f.Late
	p.Supplements, p.Apologies, p.Withdrawn = f.Supplements, f.Apologies, f.Withdrawn
	p.Digitised, p.EResults = f.Digitised, f.EResults
	p.OnlineHelped, p.OnlineFiled = f.OnlineHelped, f.OnlineFiled
	p.FeeDossiers, p.FeesDue, p.FeesPaid, p.FeesCollected, p.Cashless, p.CashlessAmount = f.FeeDossiers, f.FeesDue, f.FeesPaid, f.FeesCollected, f.Cashless, f.CashlessAmount
	if p.FeesPaid > 0 {
		p.CashlessShare = float64(p.Cashless) / float64(p.FeesPaid)
		p.CashlessAmountShare = float64(p.CashlessAmount) / float64(max(p.FeesCollected, 1))
	}
	for due, n := range open {
		if due < last {
			p.OpenOverdue += n
		} else {
			p.OpenWithin += n
		}
	}
	p.Indicator1, p.Indicator3 = -1, -1
	if p.Resolved > 0 {
		p.OnTimeRate = float64(p.Early+p.OnTime) / float64(p.Resolved)
		p.Indicator1 = math.Round(10*float64(f.Ind1)/float64(p.Resolved)) / 10
		p.Indicator3 = math.Round(10*float64(f.Ind3)/float64(p.Resolved)) / 10
		p.EResultRate = float64(p.EResults) / float64(p.Resolved)
	}
	if p.Received > 0 {
		p.Decree61Rate = float64(p.Early+p.OnTime) / float64(p.Received)
		p.DigitisedRate = float64(p.Digitised) / float64(p.Received)
		p.Progress766 = min(20, math.Round(100*20*float64(p.OpenWithin+p.Early+p.OnTime+p.Withdrawn)/float64(p.Received))/100)
	}
	return p
}
