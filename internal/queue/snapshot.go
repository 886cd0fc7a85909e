package queue

import (
	"slices"
	"time"
)

// Snapshot is the whole live state as boards, counters and phones start from it.
// Seq is the sequence number of the last event it includes; the store sets it.
type Snapshot struct {
	Seq             uint64          `json:"seq"`
	Office          string          `json:"office"`
	OfficeEN        string          `json:"office_en,omitempty"`
	Day             string          `json:"day"`
	Time            time.Time       `json:"time"`
	Services        []ServiceStatus `json:"services"`
	Counters        []Counter       `json:"counters"`
	PriorityClasses []PriorityClass `json:"priority_classes"`
	// Tickets are today's tickets still in play: waiting, called, serving, and
	// no-shows within the rejoin window; ordered by queue time.
	Tickets []Ticket `json:"tickets"`
	// Recent are the last calls, newest first.
	Recent []Ticket `json:"recent"`
}

// Snapshot returns the live state at now.
func (s *State) Snapshot(now time.Time) Snapshot {
	snap := Snapshot{
		Office: s.office.Name, OfficeEN: s.office.NameEN, Day: s.day, Time: now,
		Services:        s.Services(),
		Counters:        make([]Counter, 0, len(s.order)),
		PriorityClasses: slices.Clone(s.office.PriorityClasses),
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
