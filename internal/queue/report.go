package queue

import (
	"cmp"
	"slices"
	"time"
)

// ReportVersion is the shape of a Report's tallies. A stored day summary of
// another version is tallied again from its tickets (docs/REPORTS.md).
const ReportVersion = 3

// Report is what a period's tickets add up to, grouped by service (where the
// ticket was served; a transfer also counts as one out of the service it
// came from), by counter and clerk (who called it), by day and by the hour
// of day it was issued (arrivals: when to open more counters). Reports feed
// what the province asks for (DOMAIN.md): waits, service times, satisfaction.
// docs/REPORTS.md says how each figure is computed.
type Report struct {
	Version int    `json:"version"`
	From    string `json:"from"` // YYYYMMDD, inclusive
	To      string `json:"to"`
	// TargetWaitMinutes is the office's target wait; WithinTarget counts
	// the tickets called sooner.
	TargetWaitMinutes int            `json:"target_wait_minutes"`
	Total             Tally          `json:"total"`
	Services          []ServiceTally `json:"services"`
	Counters          []CounterTally `json:"counters"`
	Clerks            []ClerkTally   `json:"clerks"`
	Days              []DayTally     `json:"days"`
	Hours             []HourTally    `json:"hours"` // 24, by the local hour of issue
	// Channels are the tickets by how they were taken: at the office
	// (walk_in: a kiosk or staff), from afar (remote), booked (booked).
	Channels []ChannelTally `json:"channels"`

	loc       *time.Location
	satisfied map[string]bool // rating options counted as satisfied
	names     map[string]string
	services  map[string]*ServiceTally
	counters  map[int]*CounterTally
	clerks    map[string]*ClerkTally
	days      map[string]*DayTally
	hours     [24]*HourTally
	channels  map[string]*ChannelTally
}

// The report's channels.
const (
	WalkIn   = "walk_in"
	Remote   = "remote"
	ByBooked = "booked"
)

// ChannelTally is one channel's tickets, and what only they have:
// CheckedIn (a remote ticket's citizen arrived), Lapsed (passed over and
// not come in time), Punctual (a booked ticket called within ten minutes
// of its slot).
type ChannelTally struct {
	Channel   string `json:"channel"`
	CheckedIn int    `json:"checked_in"`
	Lapsed    int    `json:"lapsed"`
	Punctual  int    `json:"punctual"`
	Tally
}

// channelOf is the report's channel of a ticket.
func channelOf(t Ticket) string {
	switch t.Channel {
	case ChannelRemote:
		return Remote
	case ChannelAppointment:
		return ByBooked
	}
	return WalkIn
}

func (r *Report) channel(name string) *ChannelTally {
	c, ok := r.channels[name]
	if !ok {
		c = &ChannelTally{Channel: name}
		c.init()
		r.channels[name] = c
	}
	return c
}

// Tally counts tickets.
type Tally struct {
	Issued    int `json:"issued"`
	Served    int `json:"served"`
	NoShow    int `json:"no_show"`
	Cancelled int `json:"cancelled"`
	Expired   int `json:"expired"` // still waiting when the day ended
	// TransferredIn came from another service and were counted here;
	// TransferredOut were issued here and counted where they ended.
	TransferredIn  int `json:"transferred_in"`
	TransferredOut int `json:"transferred_out"`
	// WaitMeanMinutes is from issue (or last queueing) to the call, over called tickets.
	WaitMeanMinutes   float64 `json:"wait_mean_minutes"`
	WaitMaxMinutes    float64 `json:"wait_max_minutes"`
	WaitMedianMinutes float64 `json:"wait_median_minutes"`
	WaitP90Minutes    float64 `json:"wait_p90_minutes"`
	// WithinTarget were called sooner than the office's target wait (a
	// target above an hour is taken to five minutes).
	WithinTarget      int     `json:"within_target"`
	WithinTargetShare float64 `json:"within_target_share"`
	// ServiceMeanMinutes is from the call (or the start) to the finish.
	ServiceMeanMinutes   float64        `json:"service_mean_minutes"`
	ServiceMedianMinutes float64        `json:"service_median_minutes"`
	ServiceP90Minutes    float64        `json:"service_p90_minutes"`
	Ratings              map[string]int `json:"ratings"` // option id → count; "" is "no rating"
	Reasons              map[string]int `json:"reasons"` // reason id → count
	// Rated is the answers given (not "no rating"); Satisfied those on a
	// level that asks no reason; SatisfiedShare = Satisfied ÷ Rated.
	Rated          int     `json:"rated"`
	Satisfied      int     `json:"satisfied"`
	SatisfiedShare float64 `json:"satisfied_share"`

	// The sums and distributions the figures come from, so tallies of days
	// add up exactly.
	Called              int         `json:"called"`
	WaitTotalMinutes    float64     `json:"wait_total_minutes"`
	ServiceTotalMinutes float64     `json:"service_total_minutes"`
	WaitHist            map[int]int `json:"wait_hist,omitempty"`    // bucket (minutes) → called tickets
	ServiceHist         map[int]int `json:"service_hist,omitempty"` // bucket (minutes) → served tickets
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

// ClerkTally is one clerk's tally (tickets they called).
type ClerkTally struct {
	Username string `json:"username"`
	Tally
}

// DayTally is one day's tally.
type DayTally struct {
	Day string `json:"day"`
	Tally
}

// HourTally is the tickets issued in one hour of the day (0–23, local).
type HourTally struct {
	Hour int `json:"hour"`
	Tally
}

// bucket is a duration's histogram bucket, in minutes: each minute up to an
// hour, then five-minute steps up to four hours, then one for the rest.
func bucket(minutes float64) int {
	m := int(minutes)
	switch {
	case m < 0:
		return 0
	case m < 60:
		return m
	case m < 240:
		return m - m%5
	}
	return 240
}

// NewReport starts an empty report over the office's services and counters.
func NewReport(o Office, from, to string) *Report {
	o = o.WithDefaults()
	loc, err := o.Location()
	if err != nil {
		loc = time.Local
	}
	r := &Report{Version: ReportVersion, From: from, To: to, TargetWaitMinutes: o.Rules.TargetWaitMinutes, loc: loc,
		satisfied: map[string]bool{}, names: map[string]string{},
		services: map[string]*ServiceTally{}, counters: map[int]*CounterTally{}, clerks: map[string]*ClerkTally{}, days: map[string]*DayTally{},
		channels: map[string]*ChannelTally{}}
	r.Total.init()
	for _, opt := range o.Rating.Options {
		r.satisfied[opt.ID] = !opt.NeedsReason
	}
	for _, s := range o.Services {
		r.names[s.ID] = s.Name
		r.services[s.ID] = &ServiceTally{ID: s.ID, Name: s.Name}
		r.services[s.ID].init()
	}
	for _, c := range o.Counters {
		r.counters[c.Number] = &CounterTally{Number: c.Number}
		r.counters[c.Number].init()
	}
	for h := range r.hours {
		r.hours[h] = &HourTally{Hour: h}
		r.hours[h].init()
	}
	return r
}

func (x *Tally) init() {
	x.Ratings, x.Reasons, x.WaitHist, x.ServiceHist = map[string]int{}, map[string]int{}, map[int]int{}, map[int]int{}
}

func (r *Report) clerk(username string) *Tally {
	c, ok := r.clerks[username]
	if !ok {
		c = &ClerkTally{Username: username}
		c.init()
		r.clerks[username] = c
	}
	return &c.Tally
}

func (r *Report) day(day string) *Tally {
	d, ok := r.days[day]
	if !ok {
		d = &DayTally{Day: day}
		d.init()
		r.days[day] = d
	}
	return &d.Tally
}

// Add counts one ticket: in the total, its day, the hour it was issued, the
// service it ended in (and as a transfer out of the one it began in), and
// the counter and clerk that called it.
func (r *Report) Add(t Ticket) {
	end := t.ServiceID
	if end == "" {
		end = t.FirstServiceID
	}
	tallies := []*Tally{&r.Total, r.day(t.Day), &r.hours[t.IssuedAt.In(r.loc).Hour()].Tally}
	if s, ok := r.services[end]; ok {
		tallies = append(tallies, &s.Tally)
	}
	if c, ok := r.counters[t.Counter]; ok && t.Counter != 0 {
		tallies = append(tallies, &c.Tally)
	}
	if t.Clerk != "" && !t.CalledAt.IsZero() {
		tallies = append(tallies, r.clerk(t.Clerk))
	}
	moved := t.FirstServiceID != "" && end != t.FirstServiceID
	for _, x := range tallies {
		x.add(t)
		if moved && x != &r.Total {
			x.TransferredIn++
		}
	}
	if from, ok := r.services[t.FirstServiceID]; ok && moved {
		from.TransferredOut++
	}
	// A channel counts as the total does: its tickets, each transfer once
	// in and once out (a day stored before channels is all walk-ins and
	// its total, the same figures).
	ch := r.channel(channelOf(t))
	ch.count(t)
	ch.add(t)
	for _, x := range []*Tally{&r.Total, &ch.Tally} {
		if moved {
			x.TransferredOut++ // each transferred ticket once in the total
			x.TransferredIn++
		}
	}
}

// count notes what only a channel's tickets have.
func (c *ChannelTally) count(t Ticket) {
	if t.Channel == ChannelRemote && !t.CheckedInAt.IsZero() {
		c.CheckedIn++
	}
	if t.State == Lapsed {
		c.Lapsed++
	}
	if !t.Slot.IsZero() && !t.CalledAt.IsZero() && !t.CalledAt.After(t.Slot.Add(10*time.Minute)) {
		c.Punctual++
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
	// A call ends the wait of the queueing before it; a ticket that
	// rejoined (or was transferred) after its last call waited again, uncalled.
	if !t.CalledAt.IsZero() && !t.CalledAt.Before(t.QueuedAt) {
		w := t.CalledAt.Sub(t.QueuedAt).Minutes()
		x.WaitTotalMinutes += w
		x.Called++
		x.WaitMaxMinutes = max(x.WaitMaxMinutes, w)
		x.WaitHist[bucket(w)]++
	}
	if t.State == Done {
		start := t.ServingAt
		if start.IsZero() {
			start = t.CalledAt
		}
		if !start.IsZero() && t.DoneAt.After(start) {
			d := t.DoneAt.Sub(start).Minutes()
			x.ServiceTotalMinutes += d
			x.ServiceHist[bucket(d)]++
		}
	}
	if t.Rating != nil {
		x.Ratings[t.Rating.Option]++
		for _, reason := range t.Rating.Reasons {
			x.Reasons[reason]++
		}
	}
}

// Finish computes the figures and orders the lists; call it once, after Add
// or Merge.
func (r *Report) Finish() *Report {
	done := func(x *Tally) { x.finish(r.satisfied, r.TargetWaitMinutes) }
	done(&r.Total)
	hours := map[int]*HourTally{}
	for h, t := range r.hours {
		hours[h] = t
	}
	r.Services = collect(r.services, func(g *ServiceTally) *Tally { return &g.Tally }, done)
	r.Counters = collect(r.counters, func(g *CounterTally) *Tally { return &g.Tally }, done)
	r.Clerks = collect(r.clerks, func(g *ClerkTally) *Tally { return &g.Tally }, done)
	r.Days = collect(r.days, func(g *DayTally) *Tally { return &g.Tally }, done)
	r.Hours = collect(hours, func(g *HourTally) *Tally { return &g.Tally }, done)
	for _, name := range []string{WalkIn, Remote, ByBooked} { // the three, in this order, even empty
		r.channel(name)
	}
	r.Channels = nil
	for _, name := range []string{WalkIn, Remote, ByBooked} {
		c := r.channels[name]
		done(&c.Tally)
		r.Channels = append(r.Channels, *c)
	}
	return r
}

// collect finishes each group's tally and lists the groups by key.
func collect[K cmp.Ordered, G any](groups map[K]*G, tally func(*G) *Tally, done func(*Tally)) []G {
	keys := make([]K, 0, len(groups))
	for k := range groups {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	out := make([]G, 0, len(keys))
	for _, k := range keys {
		done(tally(groups[k]))
		out = append(out, *groups[k])
	}
	return out
}

func (x *Tally) finish(satisfied map[string]bool, target int) {
	x.WaitMeanMinutes, x.ServiceMeanMinutes, x.WithinTargetShare, x.SatisfiedShare = 0, 0, 0, 0
	// Within the target from the histogram (exact: its buckets are whole
	// minutes below an hour and five below four), so a changed target
	// counts the stored days again.
	x.WithinTarget = 0
	for k, n := range x.WaitHist {
		if k < target {
			x.WithinTarget += n
		}
	}
	if x.Called > 0 {
		x.WaitMeanMinutes = x.WaitTotalMinutes / float64(x.Called)
		x.WithinTargetShare = float64(x.WithinTarget) / float64(x.Called)
	}
	if x.Served > 0 {
		x.ServiceMeanMinutes = x.ServiceTotalMinutes / float64(x.Served)
	}
	x.WaitMedianMinutes, x.WaitP90Minutes = quantile(x.WaitHist, 0.5), quantile(x.WaitHist, 0.9)
	x.ServiceMedianMinutes, x.ServiceP90Minutes = quantile(x.ServiceHist, 0.5), quantile(x.ServiceHist, 0.9)
	x.Rated, x.Satisfied = 0, 0
	for option, n := range x.Ratings {
		if option == "" {
			continue
		}
		x.Rated += n
		if satisfied[option] {
			x.Satisfied += n
		}
	}
	if x.Rated > 0 {
		x.SatisfiedShare = float64(x.Satisfied) / float64(x.Rated)
	}
}

// quantile is the bucket (minutes) at which the share q of the histogram's
// tickets is reached: the median for 0.5. 0 for none.
func quantile(hist map[int]int, q float64) float64 {
	n := 0
	keys := make([]int, 0, len(hist))
	for k, v := range hist {
		n += v
		keys = append(keys, k)
	}
	if n == 0 {
		return 0
	}
	slices.Sort(keys)
	want, seen := q*float64(n), 0
	for _, k := range keys {
		seen += hist[k]
		if float64(seen) >= want {
			return float64(k)
		}
	}
	return float64(keys[len(keys)-1])
}

// Merge adds a finished report's tallies (or one read back from JSON) to this
// one's, group by group: a period's report is the sum of its days'. A
// service or counter no longer in the office is left out of its grouping
// (the total keeps it).
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
	for _, c := range r.Clerks {
		out.clerk(c.Username).merge(c.Tally)
	}
	for _, d := range r.Days {
		out.day(d.Day).merge(d.Tally)
	}
	for _, h := range r.Hours {
		if h.Hour >= 0 && h.Hour < 24 {
			out.hours[h.Hour].merge(h.Tally)
		}
	}
	for _, c := range r.Channels {
		x := out.channel(c.Channel)
		x.merge(c.Tally)
		x.CheckedIn += c.CheckedIn
		x.Lapsed += c.Lapsed
		x.Punctual += c.Punctual
	}
}

func (x *Tally) merge(y Tally) {
	x.Issued += y.Issued
	x.Served += y.Served
	x.NoShow += y.NoShow
	x.Cancelled += y.Cancelled
	x.Expired += y.Expired
	x.TransferredIn += y.TransferredIn
	x.TransferredOut += y.TransferredOut
	x.WaitTotalMinutes += y.WaitTotalMinutes
	x.ServiceTotalMinutes += y.ServiceTotalMinutes
	x.Called += y.Called
	x.WaitMaxMinutes = max(x.WaitMaxMinutes, y.WaitMaxMinutes)
	if x.Ratings == nil {
		x.init()
	}
	for k, v := range y.Ratings {
		x.Ratings[k] += v
	}
	for k, v := range y.Reasons {
		x.Reasons[k] += v
	}
	for k, v := range y.WaitHist {
		x.WaitHist[k] += v
	}
	for k, v := range y.ServiceHist {
		x.ServiceHist[k] += v
	}
}
