package queue

import (
	"slices"
	"time"
)

// Room is the office as the desk head watches it: each service's queue and
// each counter's work today, and today's alerts.
type Room struct {
	Time     time.Time     `json:"time"`
	Services []ServiceRoom `json:"services"`
	Counters []CounterRoom `json:"counters"`
	Alerts   []Raised      `json:"alerts"`
}

// ServiceRoom is one service now.
type ServiceRoom struct {
	ServiceStatus
	// LongestWaitMinutes is how long the first in line has waited.
	LongestWaitMinutes int `json:"longest_wait_minutes"`
}

// CounterRoom is one counter now and today.
type CounterRoom struct {
	Number    int          `json:"number"`
	Name      string       `json:"name,omitempty"`
	State     CounterState `json:"state"`
	Busy      bool         `json:"busy"` // a ticket at it now
	Clerk     string       `json:"clerk,omitempty"`
	ClerkName string       `json:"clerk_name,omitempty"`
	Current   string       `json:"current,omitempty"` // the ticket's display number
	// ForMinutes is how long the current ticket has been at the counter, or
	// how long the counter has been in its state without one.
	ForMinutes int `json:"for_minutes"`
	// ServedToday, ServiceMeanMinutes: today's finished tickets here;
	// IdleMinutes: today's gaps from a finish to the next call here (pauses
	// included).
	ServedToday        int     `json:"served_today"`
	ServiceMeanMinutes float64 `json:"service_mean_minutes"`
	IdleMinutes        int     `json:"idle_minutes"`
}

// Room is the room at now.
func (s *State) Room(now time.Time) Room {
	r := Room{Time: now, Alerts: s.Alerts()}
	for _, st := range s.Services() {
		sr := ServiceRoom{ServiceStatus: st}
		for _, t := range s.waiting[st.ID] {
			sr.LongestWaitMinutes = max(sr.LongestWaitMinutes, int(now.Sub(t.QueuedAt).Minutes()))
		}
		r.Services = append(r.Services, sr)
	}
	served := map[int][]*Ticket{} // today's calls per counter, in call order
	for _, t := range s.tickets {
		if t.Counter != 0 && !t.CalledAt.IsZero() {
			served[t.Counter] = append(served[t.Counter], t)
		}
	}
	for _, n := range s.order {
		c := s.counters[n]
		cr := CounterRoom{Number: n, Name: c.Name, State: c.State, Clerk: c.Clerk, ClerkName: c.ClerkName, ForMinutes: int(now.Sub(c.Since).Minutes())}
		if c.Since.IsZero() {
			cr.ForMinutes = 0
		}
		if t, ok := s.tickets[c.Current]; ok && t.active() {
			cr.Busy, cr.Current, cr.ForMinutes = true, t.Display, int(now.Sub(t.CalledAt).Minutes())
		}
		list := served[n]
		slices.SortFunc(list, func(a, b *Ticket) int { return a.CalledAt.Compare(b.CalledAt) })
		var total time.Duration
		for i, t := range list {
			if t.State == Done {
				cr.ServedToday++
				start := t.ServingAt
				if start.IsZero() {
					start = t.CalledAt
				}
				total += t.DoneAt.Sub(start)
				if i+1 < len(list) && list[i+1].CalledAt.After(t.DoneAt) {
					cr.IdleMinutes += int(list[i+1].CalledAt.Sub(t.DoneAt).Minutes())
				}
			}
		}
		if cr.ServedToday > 0 {
			cr.ServiceMeanMinutes = total.Minutes() / float64(cr.ServedToday)
		}
		r.Counters = append(r.Counters, cr)
	}
	return r
}
