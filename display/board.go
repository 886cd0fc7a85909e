// Package display is the waiting-room board: the current number at each
// counter, the last calls, the waiting count per service, date and clock, a
// ticker, and a new call that stands out for about ten seconds while it is
// announced. A Board is a projection of the server's state as the feed keeps it
// (api.Live) plus the one thing the board adds, the new call, which a Caller
// picks out of the events (board.go, pure); widgets draw a Board (screen.go);
// the voice comes from internal/voice.
package display

import (
	"slices"
	"time"

	"motcua/internal/queue"
)

// HighlightFor is how long a new call stands out.
const HighlightFor = 10 * time.Second

// Board is what the waiting room sees.
type Board struct {
	Office   string
	OfficeEN string
	Online   bool
	Counters []CounterRow
	Last     []Call // newest first, at most the office's display.last_calls
	Services []ServiceRow
	Ticker   string
	// New is the latest call made while the board watched, shown large until
	// NewUntil; calls already made when the board (re)connected are never new.
	New      *Call
	NewUntil time.Time

	display queue.DisplayConfig
}

// CounterRow is one counter's line.
type CounterRow struct {
	Number  int
	Name    string
	Display string // the number called there, "" for none
	State   queue.CounterState
}

// Call is one call of a number to a counter.
type Call struct {
	TicketID string
	Display  string
	Counter  int
	Recalls  int
	At       time.Time
}

// ServiceRow is one service's waiting count.
type ServiceRow struct {
	Name, NameEN string
	Waiting      int
}

// Zone is the counters a board shows; empty shows all.
type Zone []int

func (z Zone) shows(counter int) bool { return len(z) == 0 || slices.Contains(z, counter) }

// serves: a zone's board lists the services its counters serve.
func (z Zone) serves(s queue.Snapshot, service string) bool {
	for _, c := range s.Counters {
		if z.shows(c.Number) && slices.Contains(c.Services, service) {
			return true
		}
	}
	return false
}

// Project draws the board of zone z from the state s, with the new call of c
// (nil: none).
func Project(s queue.Snapshot, online bool, z Zone, c *Caller) Board {
	b := Board{Office: s.Office, OfficeEN: s.OfficeEN, Online: online, Ticker: s.Display.Ticker, display: s.Display}
	byID := map[string]queue.Ticket{}
	for _, t := range s.Tickets {
		byID[t.ID] = t
	}
	for _, c := range s.Counters {
		if !z.shows(c.Number) {
			continue
		}
		row := CounterRow{Number: c.Number, Name: c.Name, State: c.State}
		if t, ok := byID[c.Current]; ok && (t.State == queue.Called || t.State == queue.Serving) {
			row.Display = t.Display
		}
		b.Counters = append(b.Counters, row)
	}
	for _, t := range s.Recent {
		if z.shows(t.Counter) && len(b.Last) < max(s.Display.LastCalls, 1) {
			b.Last = append(b.Last, Call{TicketID: t.ID, Display: t.Display, Counter: t.Counter, Recalls: t.Recalls, At: t.CalledAt})
		}
	}
	for _, svc := range s.Services {
		if z.serves(s, svc.ID) {
			b.Services = append(b.Services, ServiceRow{Name: svc.Name, NameEN: svc.NameEN, Waiting: svc.Waiting})
		}
	}
	if c != nil && c.New != nil {
		call := *c.New
		b.New, b.NewUntil = &call, c.Until
	}
	return b
}

// Display is the office's wording for announcements.
func (b Board) Display() queue.DisplayConfig { return b.display }

// Highlighted is the new call to show large at now, if any.
func (b Board) Highlighted(now time.Time) *Call {
	if b.New != nil && now.Before(b.NewUntil) {
		return b.New
	}
	return nil
}

// Caller picks the new calls out of the feed's events for a zone: the only
// thing a board knows that the server's state does not say.
type Caller struct {
	Zone  Zone
	New   *Call     // the latest call seen, or nil
	Until time.Time // New stands out until then
}

// Seen takes one event seen at now (the board's own clock, so a clock
// difference with the server never shortens the highlight) and returns the
// call to announce, if the event is a call or a recall at a counter of the zone.
func (c *Caller) Seen(ev queue.Event, now time.Time) *Call {
	if ev.Type == queue.EvDayStarted {
		c.Reset()
		return nil
	}
	t := ev.Ticket
	if t == nil || (ev.Type != queue.EvCalled && ev.Type != queue.EvRecalled) || !c.Zone.shows(t.Counter) {
		return nil
	}
	call := Call{TicketID: t.ID, Display: t.Display, Counter: t.Counter, Recalls: t.Recalls, At: now}
	c.New, c.Until = &call, now.Add(HighlightFor)
	return &call
}

// Reset forgets the new call: after a snapshot nothing is new.
func (c *Caller) Reset() { c.New, c.Until = nil, time.Time{} }
