package queue

import (
	"slices"
	"strings"
)

// Report is what a period's tickets add up to: per service and per counter,
// how many were issued, served, missed and cancelled, the mean and longest
// wait, the mean service time, and the citizens' ratings. Reports feed the
// national service index (DOMAIN.md): satisfaction and service times.
type Report struct {
	From     string         `json:"from"` // YYYYMMDD, inclusive
	To       string         `json:"to"`
	Total    Tally          `json:"total"`
	Services []ServiceTally `json:"services"`
	Counters []CounterTally `json:"counters"`
	services map[string]*ServiceTally
	counters map[int]*CounterTally
}

// Tally counts tickets.
type Tally struct {
	Issued    int `json:"issued"`
	Served    int `json:"served"`
	NoShow    int `json:"no_show"`
	Cancelled int `json:"cancelled"`
	Expired   int `json:"expired"` // still waiting when the day ended
	// WaitMeanMinutes is from issue (or last queueing) to the call, over called tickets.
	WaitMeanMinutes float64 `json:"wait_mean_minutes"`
	WaitMaxMinutes  float64 `json:"wait_max_minutes"`
	// ServiceMeanMinutes is from the call (or the start) to the finish.
	ServiceMeanMinutes float64        `json:"service_mean_minutes"`
	Ratings            map[string]int `json:"ratings"` // option id → count; "" is "no rating"

	// The sums the means come from, so tallies of days add up exactly.
	Called              int     `json:"called"`
	WaitTotalMinutes    float64 `json:"wait_total_minutes"`
	ServiceTotalMinutes float64 `json:"service_total_minutes"`
}

// ServiceTally is one service's tally.
type ServiceTally struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Tally
}

// CounterTally is one counter's tally (tickets called there).
type CounterTally struct {
	Number int `json:"number"`
	Tally
}

// NewReport starts an empty report over the office's services and counters.
func NewReport(o Office, from, to string) *Report {
	r := &Report{From: from, To: to, services: map[string]*ServiceTally{}, counters: map[int]*CounterTally{}}
	r.Total.Ratings = map[string]int{}
	for _, s := range o.Services {
		r.services[s.ID] = &ServiceTally{ID: s.ID, Name: s.Name, Tally: Tally{Ratings: map[string]int{}}}
	}
	for _, c := range o.Counters {
		r.counters[c.Number] = &CounterTally{Number: c.Number, Tally: Tally{Ratings: map[string]int{}}}
	}
	return r
}

// Add counts one ticket.
func (r *Report) Add(t Ticket) {
	tallies := []*Tally{&r.Total}
	if s, ok := r.services[t.FirstServiceID]; ok {
		tallies = append(tallies, &s.Tally)
	}
	if c, ok := r.counters[t.Counter]; ok && t.Counter != 0 {
		tallies = append(tallies, &c.Tally)
	}
	for _, x := range tallies {
		x.add(t)
	}
}

func (x *Tally) add(t Ticket) {
	x.Issued++
	switch t.State {
	case Done:
		x.Served++
	case NoShow:
		x.NoShow++
	case Cancelled:
		x.Cancelled++
	case Expired:
		x.Expired++
	}
	if !t.CalledAt.IsZero() {
		w := t.CalledAt.Sub(t.QueuedAt).Minutes()
		x.WaitTotalMinutes += w
		x.Called++
		x.WaitMaxMinutes = max(x.WaitMaxMinutes, w)
	}
	if t.State == Done {
		start := t.ServingAt
		if start.IsZero() {
			start = t.CalledAt
		}
		if !start.IsZero() && t.DoneAt.After(start) {
			x.ServiceTotalMinutes += t.DoneAt.Sub(start).Minutes()
		}
	}
	if t.Rating != nil {
		x.Ratings[t.Rating.Option]++
	}
}

// Finish computes the means and orders the lists; call it once, after Add.
func (r *Report) Finish() *Report {
	r.Total.finish()
	r.Services, r.Counters = nil, nil
	for _, s := range r.services {
		s.finish()
		r.Services = append(r.Services, *s)
	}
	for _, c := range r.counters {
		c.finish()
		r.Counters = append(r.Counters, *c)
	}
	slices.SortFunc(r.Services, func(a, b ServiceTally) int { return strings.Compare(a.ID, b.ID) })
	slices.SortFunc(r.Counters, func(a, b CounterTally) int { return a.Number - b.Number })
	return r
}

func (x *Tally) finish() {
	if x.Called > 0 {
		x.WaitMeanMinutes = x.WaitTotalMinutes / float64(x.Called)
	}
	if x.Served > 0 {
		x.ServiceMeanMinutes = x.ServiceTotalMinutes / float64(x.Served)
	}
}

// Merge adds a finished report's tallies (or one read back from JSON) to this
// one's, service by service and counter by counter: a period's report is the
// sum of its days'.
func (out *Report) Merge(r *Report) {
	out.Total.merge(r.Total)
	for _, s := range r.Services {
		if t, ok := out.services[s.ID]; ok {
			t.merge(s.Tally)
		}
	}
	for _, c := range r.Counters {
		if t, ok := out.counters[c.Number]; ok {
			t.merge(c.Tally)
		}
	}
}

func (x *Tally) merge(y Tally) {
	x.Issued += y.Issued
	x.Served += y.Served
	x.NoShow += y.NoShow
	x.Cancelled += y.Cancelled
	x.Expired += y.Expired
	x.WaitTotalMinutes += y.WaitTotalMinutes
	x.ServiceTotalMinutes += y.ServiceTotalMinutes
	x.Called += y.Called
	x.WaitMaxMinutes = max(x.WaitMaxMinutes, y.WaitMaxMinutes)
	if x.Ratings == nil {
		x.Ratings = map[string]int{}
	}
	for k, v := range y.Ratings {
		x.Ratings[k] += v
	}
}
