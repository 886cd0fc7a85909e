package queue

import (
	"math"
	"time"
)

// ServiceStatus is a service as the kiosk and boards show it.
type ServiceStatus struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	NameEN   string `json:"name_en,omitempty"`
	Subtitle string `json:"subtitle,omitempty"`
	Prefix   string `json:"prefix,omitempty"`
	Waiting  int    `json:"waiting"`
	// ETAMinutes is the estimated wait of a ticket taken now.
	ETAMinutes int `json:"eta_minutes"`
	// OpenCounters serving this service now; 0 means the estimate assumes one.
	OpenCounters int   `json:"open_counters"`
	Counters     []int `json:"counters"`
	// ClosedToday: the service issues no more tickets today, for
	// ClosedReason (the tickets waiting are still served).
	ClosedToday  bool   `json:"closed_today,omitempty"`
	ClosedReason string `json:"closed_reason,omitempty"`
	// Opens and Closes are the hours it issues tickets ("07:30", "16:30"),
	// its own or the office's (Office.IssueHours); empty: always. Outside them a kiosk says when it opens (Hours).
	Opens  string `json:"opens,omitempty"`
	Closes string `json:"closes,omitempty"`
	// Remote: it takes numbers from phones through the province; a kiosk
	// then offers the check-in of such a number.
	Remote bool `json:"remote,omitempty"`
	// ServiceMinutes is the average service time the estimate uses.
	ServiceMinutes float64 `json:"service_minutes"`
	// Procedures are the procedures (thủ tục) the service covers, for search.
	Procedures []string `json:"procedures,omitempty"`
}

// Services returns every service's live status, in config order.
func (s *State) Services() []ServiceStatus {
	out := make([]ServiceStatus, 0, len(s.office.Services))
	for _, svc := range s.office.Services {
		st := ServiceStatus{ID: svc.ID, Name: svc.Name, NameEN: svc.NameEN, Subtitle: svc.Subtitle, Prefix: svc.Prefix, Counters: []int{}, Procedures: svc.Procedures}
		st.Opens, st.Closes = s.office.IssueHours(svc)
		st.Remote = svc.Remote
		for _, n := range s.order {
			c := s.counters[n]
			if c.serves(svc.ID) {
				st.Counters = append(st.Counters, n)
				if c.State == CounterOpen {
					st.OpenCounters++
				}
			}
		}
		st.Waiting = len(s.waiting[svc.ID])
		st.ClosedReason, st.ClosedToday = s.closed[svc.ID]
		st.ServiceMinutes = s.serviceTime(svc.ID).Minutes()
		st.ETAMinutes = s.eta(svc.ID, st.Waiting, st.OpenCounters)
		out = append(out, st)
	}
	return out
}

// serviceTime is the mean of today's recent service times, or the configured guess.
func (s *State) serviceTime(serviceID string) time.Duration {
	d := s.durations[serviceID]
	if len(d) == 0 {
		return time.Duration(s.services[serviceID].MinutesPerTicket) * time.Minute
	}
	var sum time.Duration
	for _, x := range d {
		sum += x
	}
	return sum / time.Duration(len(d))
}

// eta estimates, in whole minutes rounded up, the wait behind ahead tickets when
// open counters serve the service (at least one is assumed).
func (s *State) eta(serviceID string, ahead, open int) int {
	return etaMinutes(ahead, s.serviceTime(serviceID).Minutes(), open)
}

// etaMinutes is the wait behind ahead tickets of serviceMinutes each, shared by
// open counters (at least one assumed), in whole minutes rounded up.
func etaMinutes(ahead int, serviceMinutes float64, open int) int {
	if ahead <= 0 {
		return 0
	}
	return int(math.Ceil(float64(ahead) * serviceMinutes / float64(max(open, 1))))
}

// Position tells how many tickets are ahead of t in its service and its estimated
// wait. Priority tickets go before ordinary ones, so an ordinary ticket counts every
// waiting priority ticket as ahead; within a class, those queued earlier.
func (s *State) Position(t Ticket) (ahead, etaMinutes int) {
	if t.State != Waiting {
		return 0, 0
	}
	for _, o := range s.waiting[t.ServiceID] {
		if o.ID == t.ID {
			continue
		}
		switch {
		case o.Priority != "" && t.Priority == "":
			ahead++
		case (o.Priority == "") == (t.Priority == "") && (o.QueuedAt.Before(t.QueuedAt) || (o.QueuedAt.Equal(t.QueuedAt) && o.Number < t.Number)):
			ahead++
		}
	}
	open := 0
	for _, c := range s.counters {
		if c.State == CounterOpen && c.serves(t.ServiceID) {
			open++
		}
	}
	return ahead, s.eta(t.ServiceID, ahead, open)
}

// Hours says where now (in the office's zone loc) stands against the
// service's hours of issuing: before they open, after they close, or in
// them (both false; always for a service without hours).
func (st ServiceStatus) Hours(now time.Time, loc *time.Location) (before, after bool) {
	return outsideHours(st.Opens, st.Closes, now.In(loc))
}

// outsideHours is Hours for opens and closes at local time local.
func outsideHours(opens, closes string, local time.Time) (before, after bool) {
	o, c, err := parseHours(opens, closes)
	if err != nil {
		return false, false
	}
	m := local.Hour()*60 + local.Minute()
	return m < o, m >= c
}
