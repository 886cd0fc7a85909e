package queue

import (
	"slices"
	"time"
)

// Snapshot is the whole live state as boards, counters and phones start from it.
// Seq is the sequence number of the last event it includes; the store sets it.
type Snapshot struct {
	Seq      uint64    `json:"seq"`
	Office   string    `json:"office"`
	OfficeEN string    `json:"office_en,omitempty"`
	Day      string    `json:"day"`
	Time     time.Time `json:"time"`
	// TimeZone is the office's (IANA name): every time a person sees — on
	// the apps, the boards, the phones — is shown in it, whatever the
	// device's own zone.
	TimeZone        string          `json:"time_zone"`
	Services        []ServiceStatus `json:"services"`
	Counters        []Counter       `json:"counters"`
	PriorityClasses []PriorityClass `json:"priority_classes"`
	Rules           Rules           `json:"rules"`
	Rating          RatingConfig    `json:"rating"`
	Display         DisplayConfig   `json:"display"`
	// Messages: the office tells citizens by SMS or Zalo (a kiosk offers
	// to take a phone for the ticket's messages).
	Messages bool `json:"messages,omitempty"`
	// Tickets are today's tickets still in play: waiting, called, serving, and
	// no-shows within the rejoin window; ordered by queue time.
	Tickets []Ticket `json:"tickets"`
	// Recent are the last calls, newest first.
	Recent []Ticket `json:"recent"`
}

// Snapshot returns the live state at now.
func (s *State) Snapshot(now time.Time) Snapshot {
	snap := Snapshot{
		Office: s.office.Name, OfficeEN: s.office.NameEN, Day: s.day, Time: now, TimeZone: s.loc.String(),
		Services:        s.Services(),
		Counters:        make([]Counter, 0, len(s.order)),
		PriorityClasses: slices.Clone(s.office.PriorityClasses),
		Rules:           s.office.Rules,
		Rating:          s.office.Rating,
		Display:         s.office.Display,
		Messages:        s.office.Notify.On(),
		Tickets:         []Ticket{},
		Recent:          []Ticket{},
	}
	if snap.PriorityClasses == nil {
		snap.PriorityClasses = []PriorityClass{}
	}
	for _, n := range s.order {
		snap.Counters = append(snap.Counters, *copyCounter(s.counters[n]))
	}
	for _, t := range s.tickets {
		if t.State == Waiting || t.active() || (t.State == NoShow && now.Sub(t.NoShowAt) <= s.rejoinWindow()) {
			snap.Tickets = append(snap.Tickets, *t)
		}
	}
	slices.SortFunc(snap.Tickets, func(a, b Ticket) int {
		if c := a.QueuedAt.Compare(b.QueuedAt); c != 0 {
			return c
		}
		return a.Number - b.Number
	})
	for i := len(s.recent) - 1; i >= 0; i-- {
		snap.Recent = append(snap.Recent, *s.tickets[s.recent[i]])
	}
	return snap
}

// Public returns the snapshot as a waiting room or a phone may see it.
func (snap Snapshot) Public() Snapshot {
	out := snap
	out.Tickets = make([]Ticket, len(snap.Tickets))
	for i, t := range snap.Tickets {
		out.Tickets[i] = t.Public()
	}
	out.Recent = make([]Ticket, len(snap.Recent))
	for i, t := range snap.Recent {
		out.Recent[i] = t.Public()
	}
	return out
}

// inPlay reports whether a snapshot lists t at now: waiting, called, serving, or
// a no-show still within the rejoin window.
func (snap *Snapshot) inPlay(t Ticket, now time.Time) bool {
	window := time.Duration(snap.Rules.RejoinWindowMinutes) * time.Minute
	return t.State == Waiting || t.active() || (t.State == NoShow && now.Sub(t.NoShowAt) <= window)
}

// Apply brings the snapshot up to date with one event from the feed, as the
// server's own snapshot would read after it: tickets in play, counters, the last
// calls, and each service's waiting count, open counters and estimated wait (with
// the service time the snapshot was sent with). Clients keep their state this way.
func (snap *Snapshot) Apply(ev Event) {
	snap.Seq, snap.Time = ev.Seq, ev.Time
	if ev.Type == EvDayStarted {
		snap.Day, snap.Tickets, snap.Recent = ev.Day, nil, nil
		for i := range snap.Services {
			snap.Services[i].ClosedToday, snap.Services[i].ClosedReason = false, ""
		}
	}
	if c := ev.Closure; c != nil {
		for i := range snap.Services {
			if snap.Services[i].ID == c.Service {
				snap.Services[i].ClosedToday, snap.Services[i].ClosedReason = ev.Type == EvServiceClosed, c.Reason
			}
		}
	}
	if ev.Counter != nil {
		for i := range snap.Counters {
			if snap.Counters[i].Number == ev.Counter.Number {
				snap.Counters[i] = *ev.Counter
			}
		}
	}
	if t := ev.Ticket; t != nil {
		snap.Tickets = slices.DeleteFunc(snap.Tickets, func(o Ticket) bool { return o.ID == t.ID })
		if snap.inPlay(*t, ev.Time) {
			i, _ := slices.BinarySearchFunc(snap.Tickets, *t, func(a, b Ticket) int {
				if c := a.QueuedAt.Compare(b.QueuedAt); c != 0 {
					return c
				}
				return a.Number - b.Number
			})
			snap.Tickets = slices.Insert(snap.Tickets, i, *t)
		}
		if ev.Type == EvCalled || ev.Type == EvRecalled {
			snap.Recent = slices.DeleteFunc(snap.Recent, func(o Ticket) bool { return o.ID == t.ID })
			snap.Recent = append([]Ticket{*t}, snap.Recent[:min(len(snap.Recent), recentCalls-1)]...)
		}
		for i := range snap.Recent {
			if snap.Recent[i].ID == t.ID {
				snap.Recent[i] = *t
			}
		}
	}
	snap.Tickets = slices.DeleteFunc(snap.Tickets, func(t Ticket) bool { return !snap.inPlay(t, ev.Time) })
	for i := range snap.Services {
		svc := &snap.Services[i]
		svc.Waiting, svc.OpenCounters = 0, 0
		for _, t := range snap.Tickets {
			if t.State == Waiting && t.ServiceID == svc.ID {
				svc.Waiting++
			}
		}
		for _, c := range snap.Counters {
			if c.State == CounterOpen && slices.Contains(c.Services, svc.ID) {
				svc.OpenCounters++
			}
		}
		svc.ETAMinutes = etaMinutes(svc.Waiting, svc.ServiceMinutes, svc.OpenCounters)
	}
}

// CallOrder lists the waiting tickets counter n will call, in the order the
// call-next rule would call them if nothing else changed (at most limit).
func (snap Snapshot) CallOrder(n int, now time.Time, limit int) []Ticket {
	i := slices.IndexFunc(snap.Counters, func(c Counter) bool { return c.Number == n })
	if i < 0 {
		return nil
	}
	c := snap.Counters[i]
	c.Services = slices.Clone(c.Services)
	var left []*Ticket
	for j := range snap.Tickets {
		if t := &snap.Tickets[j]; t.State == Waiting && c.serves(t.ServiceID) {
			left = append(left, t)
		}
	}
	var out []Ticket
	for len(left) > 0 && len(out) < limit {
		t := chooseNext(&c, snap.Rules, now, slices.Values(left))
		out = append(out, *t)
		left = slices.DeleteFunc(left, func(o *Ticket) bool { return o == t })
	}
	return out
}
