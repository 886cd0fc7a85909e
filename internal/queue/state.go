package queue

import (
	"slices"
	"strings"
	"time"
)

// State is the live queue of one office for one local day: the tickets issued
// today and the counters. It is not safe for concurrent use; the store runs every
// command through it from one goroutine. Every change it makes is described by the
// events it returns, each carrying the changed ticket and counter in full, so a
// store persists a command by persisting its events' objects.
type State struct {
	office   Office
	loc      *time.Location
	services map[string]*ServiceConfig
	day      string

	tickets map[string]*Ticket // today's, by id
	// waiting indexes today's waiting tickets by service, so the hot paths
	// (issue, position, call next) cost the queue's length, not the day's.
	waiting  map[string]map[string]*Ticket
	byToken  map[string]string // token -> id, today's
	counters map[int]*Counter
	order    []int // counter numbers, ascending

	lastNumber map[string]int             // per first service, today
	issued     map[string]int             // tickets issued per service today
	durations  map[string][]time.Duration // recent service times per service
	recent     []string                   // ids of the last calls, newest last
	closed     map[string]string          // services closed for the rest of today -> why
	alerts     map[string]*Raised         // today's alerts by cause
	watched    time.Time                  // when Tick last looked for alerts

	held       []Ticket // what the store holds for heldDay, a day not started yet (Hold)
	heldFloors map[string]int
	heldClosed map[string]string
	heldAlerts []Raised
	heldDay    string
}

// recentCalls is how many calls the snapshot keeps for boards.
const recentCalls = 20

// DayOf returns the office-local day of t as YYYYMMDD.
func DayOf(t time.Time, loc *time.Location) string { return t.In(loc).Format("20060102") }

// NewState builds the state for the day of now from what the store kept: the
// office config, the tickets of that day and the counters as last saved. Counters
// saved from another day start closed.
func NewState(office Office, now time.Time, tickets []Ticket, saved []Counter) (*State, error) {
	if err := office.Validate(); err != nil {
		return nil, err
	}
	office = office.WithDefaults()
	loc, err := office.Location()
	if err != nil {
		return nil, err
	}
	s := &State{
		office:     office,
		loc:        loc,
		services:   map[string]*ServiceConfig{},
		day:        DayOf(now, loc),
		tickets:    map[string]*Ticket{},
		waiting:    map[string]map[string]*Ticket{},
		byToken:    map[string]string{},
		counters:   map[int]*Counter{},
		lastNumber: map[string]int{},
		issued:     map[string]int{},
		durations:  map[string][]time.Duration{},
	}
	for i := range office.Services {
		s.services[office.Services[i].ID] = &office.Services[i]
	}
	savedBy := map[int]Counter{}
	for _, c := range saved {
		savedBy[c.Number] = c
	}
	for _, cc := range office.Counters {
		c := &Counter{Number: cc.Number, Name: cc.Name, Services: slices.Clone(cc.Services), State: CounterClosed}
		if old, ok := savedBy[cc.Number]; ok && !old.Since.IsZero() && DayOf(old.Since, loc) == s.day {
			c.State, c.Clerk, c.ClerkName, c.Current, c.PriorityStreak, c.Since = old.State, old.Clerk, old.ClerkName, old.Current, old.PriorityStreak, old.Since
		}
		s.counters[c.Number] = c
		s.order = append(s.order, c.Number)
	}
	slices.Sort(s.order)
	s.restore(tickets)
	return s, nil
}

// restore takes back the tickets the store holds for the state's day: numbering
// goes on after the highest number, and the queues, tokens, service times and
// recent calls are as they were.
func (s *State) restore(tickets []Ticket) {
	sorted := slices.Clone(tickets)
	slices.SortFunc(sorted, func(a, b Ticket) int { return a.IssuedAt.Compare(b.IssuedAt) })
	for i := range sorted {
		t := sorted[i]
		if t.Day != s.day {
			continue
		}
		s.tickets[t.ID] = &t
		s.touched(&t)
		if t.Token != "" {
			s.byToken[t.Token] = t.ID
		}
		s.lastNumber[t.FirstServiceID] = max(s.lastNumber[t.FirstServiceID], t.Number)
		s.issued[t.FirstServiceID]++
		if t.State == Done {
			s.noteDuration(&t)
		}
		if !t.CalledAt.IsZero() {
			s.recent = append(s.recent, t.ID)
		}
	}
	slices.SortFunc(s.recent, func(a, b string) int { return s.tickets[a].CalledAt.Compare(s.tickets[b].CalledAt) })
	if len(s.recent) > recentCalls {
		s.recent = s.recent[len(s.recent)-recentCalls:]
	}
	// A counter whose current ticket is no longer active (or was lost) is freed.
	for _, c := range s.counters {
		if t, ok := s.tickets[c.Current]; c.Current != "" && (!ok || !t.active()) {
			c.Current = ""
		}
	}
}

// Hold gives the state the tickets the store already holds for day, a day
// not started yet: when the day starts, they are taken back instead of
// numbering from the start again. (A clock that stepped back past midnight
// and came forward again must not issue 1001 a second time.)
func (s *State) Hold(day string, tickets []Ticket, floors map[string]int, closed map[string]string, alerts []Raised) {
	if day > s.day {
		s.held, s.heldFloors, s.heldClosed, s.heldAlerts, s.heldDay = tickets, floors, closed, alerts, day
	}
}

// Office returns the configuration with defaults applied.
func (s *State) Office() Office { return s.office }

// Location is the office's time zone.
func (s *State) Location() *time.Location { return s.loc }

// Day is the local day the state holds, YYYYMMDD.
func (s *State) Day() string { return s.day }

// Ticket returns a copy of today's ticket with that id.
func (s *State) Ticket(id string) (Ticket, bool) {
	t, ok := s.tickets[id]
	if !ok {
		return Ticket{}, false
	}
	return *t, true
}

// TicketByToken returns a copy of today's ticket with that public token.
func (s *State) TicketByToken(token string) (Ticket, bool) {
	id, ok := s.byToken[token]
	if !ok {
		return Ticket{}, false
	}
	return s.Ticket(id)
}

// Counter returns a copy of counter n.
func (s *State) Counter(n int) (Counter, bool) {
	c, ok := s.counters[n]
	if !ok {
		return Counter{}, false
	}
	return *c, true
}

// rollover starts a new day when now is past local midnight: numbering restarts,
// counters close, yesterday's tickets stay in the store as history.
func (s *State) rollover(now time.Time) []Event {
	day := DayOf(now, s.loc)
	if day <= s.day {
		return nil
	}
	sys := Actor{Kind: ActorSystem, ID: "system"}
	// What still waits (or stands at a counter) when the day ends is expired:
	// its citizen has gone home, and its page must say so, not "you are next".
	var evs []Event
	for _, t := range s.tickets {
		if t.State == Waiting || t.active() {
			t.State, t.EndedAt = Expired, now
			evs = append(evs, Event{Type: EvExpired, Time: now, Actor: sys, Ticket: copyTicket(t)})
		}
	}
	sortByTicket(evs)
	s.day = day
	s.tickets = map[string]*Ticket{}
	s.waiting = map[string]map[string]*Ticket{}
	s.byToken = map[string]string{}
	s.lastNumber = map[string]int{}
	s.issued = map[string]int{}
	s.durations = map[string][]time.Duration{}
	s.recent = nil
	s.closed = nil // a service closed for a day opens with the next
	s.alerts = nil
	if s.heldDay == day {
		s.restore(s.held)
		s.RaiseTo(s.heldFloors)
		s.CloseFor(s.heldClosed)
		s.Remember(s.heldAlerts)
	}
	s.held, s.heldFloors, s.heldClosed, s.heldAlerts, s.heldDay = nil, nil, nil, nil, ""
	evs = append(evs, Event{Type: EvDayStarted, Time: now, Actor: sys, Day: day})
	for _, n := range s.order {
		c := s.counters[n]
		if c.State == CounterClosed && c.Current == "" && c.PriorityStreak == 0 && c.RatingFor == "" {
			continue
		}
		c.RatingFor, c.RatingNumber, c.RatingUntil = "", "", time.Time{}
		c.State, c.Clerk, c.ClerkName, c.Current, c.PriorityStreak, c.Since = CounterClosed, "", "", "", 0, now
		evs = append(evs, Event{Type: EvCounter, Time: now, Actor: sys, Counter: copyCounter(c)})
	}
	return evs
}

func (s *State) noteDuration(t *Ticket) {
	start := t.ServingAt
	if start.IsZero() {
		start = t.CalledAt
	}
	if start.IsZero() || t.DoneAt.Before(start) {
		return
	}
	d := append(s.durations[t.ServiceID], t.DoneAt.Sub(start))
	if n := s.office.Rules.ETASamples; len(d) > n {
		d = d[len(d)-n:]
	}
	s.durations[t.ServiceID] = d
}

// touched keeps the waiting index right after t changed in any way.
func (s *State) touched(t *Ticket) {
	for _, w := range s.waiting {
		delete(w, t.ID)
	}
	if t.State == Waiting {
		w := s.waiting[t.ServiceID]
		if w == nil {
			w = map[string]*Ticket{}
			s.waiting[t.ServiceID] = w
		}
		w[t.ID] = t
	}
}

// sortByTicket orders ticket events by ticket id: a map's order never
// reaches the log.
func sortByTicket(evs []Event) {
	slices.SortFunc(evs, func(a, b Event) int { return strings.Compare(a.Ticket.ID, b.Ticket.ID) })
}

func copyTicket(t *Ticket) *Ticket    { c := *t; return &c }
func copyCounter(c *Counter) *Counter { d := *c; d.Services = slices.Clone(c.Services); return &d }

// Tick starts a new day when now is past local midnight and returns its events
// (none on an ordinary tick). The store calls it periodically so boards roll over
// at midnight even when nobody takes a ticket.
// Ratings whose time ran out are recorded as "no rating" first.
func (s *State) Tick(now time.Time) []Event {
	evs := append(s.expireRatings(now), s.rollover(now)...)
	evs = append(evs, s.lapse(now)...)
	// The alerts are of minutes: looked for every few seconds, not with
	// every batch of commands the writer ticks before.
	if now.Sub(s.watched) >= watchEvery || now.Before(s.watched) {
		s.watched = now
		evs = append(evs, s.watch(now)...)
	}
	return evs
}

// watchEvery is how often Tick looks for the alerts that time brings.
const watchEvery = 5 * time.Second
