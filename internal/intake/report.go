package intake

import (
	"math"
	"time"
)

// Period is what a period's dossiers add up to, as the province counts them
// (DOMAIN.md, "Reports the province asks for"; docs/REPORTS.md). Every
// rate comes with the counts it is made of.
type Period struct {
	// CarriedOver were received before the period and still open at its start.
	CarriedOver int `json:"carried_over"`
	// ByStatus is every filing of the period (incomplete and refused ones
	// too) by its status now.
	ByStatus map[string]int `json:"by_status"`
	// Received in the period: in person at a counter (the only channel this
	// office takes yet), with the result to be posted (ByPost) or not.
	Received int `json:"received"`
	InPerson int `json:"in_person"`
	ByPost   int `json:"by_post"`
	// Resolved in the period (the result ready), early / on time / late
	// against the appointment day.
	Resolved int `json:"resolved"`
	Early    int `json:"early"`
	OnTime   int `json:"on_time"`
	Late     int `json:"late"`
	// Open at the period's end: within the deadline, or overdue.
	OpenWithin  int `json:"open_within"`
	OpenOverdue int `json:"open_overdue"`
	// Supplements asked (the clock stops), apology letters (Mẫu 04) and
	// dossiers withdrawn, in the period.
	Supplements int `json:"supplements"`
	Apologies   int `json:"apologies"`
	Withdrawn   int `json:"withdrawn"`
	// OnTimeRate = (early + on time) ÷ resolved.
	OnTimeRate float64 `json:"on_time_rate"`
	// Decree61Rate (Decree 61 art. 30): resolved early or on time ÷ received.
	Decree61Rate float64 `json:"decree61_rate"`
	// Progress766 is QĐ 766's "tiến độ giải quyết" (of 20): (open within the
	// deadline + resolved early or on time + withdrawn) ÷ received × 20.
	// The weight is the deployed system's, not confirmed from the decision.
	Progress766 float64 `json:"progress_766"`
	// Indicator1 and Indicator3 are Circular 01/2018's, per resolved
	// dossier (2/1/0), averaged to one decimal; -1 when no dossier was resolved.
	Indicator1 float64 `json:"indicator_1"` // total time: early 2, on time 1, late 0
	Indicator3 float64 `json:"indicator_3"` // contacts: no supplement 2, one 1, more 0
}

// Tally counts dossiers for the period [from, to): ds must hold every
// dossier received before to (the carried over among them). loc is the
// office's zone (days are compared there).
func Tally(ds []Dossier, from, to time.Time, loc *time.Location) Period {
	p := Period{ByStatus: map[string]int{}}
	day := func(t time.Time) string { return t.In(loc).Format("2006-01-02") }
	in := func(t time.Time) bool { return !t.IsZero() && !t.Before(from) && t.Before(to) }
	last := day(to.Add(-time.Nanosecond)) // the period's last day
	ind1, ind3 := 0, 0
	for _, d := range ds {
		if in(d.ReceivedAt) {
			p.ByStatus[string(d.Status)]++
		}
		if d.DueAt.IsZero() || !d.ReceivedAt.Before(to) { // not received (incomplete, refused), or after the period
			continue
		}
		closedAt := d.ReadyAt // when it stopped being open: its result, or its withdrawal
		if closedAt.IsZero() {
			for _, c := range d.History {
				if c.To == Withdrawn {
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
		}
		supplements := 0
		for _, c := range d.History {
			if c.To == Supplement {
				supplements++
				if in(c.At) {
					p.Supplements++
				}
			}
			if c.To == Withdrawn && in(c.At) {
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
