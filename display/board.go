// Package display is the waiting-room board: the current number at each
// counter, the last calls, the waiting count per service, date and clock, a
// ticker, and a new call that stands out for about ten seconds while it is
// announced. Board and Apply are pure (board.go); widgets draw a Board
// (screen.go); the voice comes from internal/voice.
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
	Last     []Call // newest first, at most LastCalls
	Services []ServiceRow
	Ticker   string
	// New is the latest call made while the board watched, shown large until
	// NewUntil; calls already made when the board (re)connected are never new.
	New      *Call
	NewUntil time.Time

	lastCalls int
	only      []int // counters this board shows (a zone); empty: all
	display   queue.DisplayConfig
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

// FromSnapshot builds the board from a snapshot, for the counters in only
// (all when empty). Nothing in it is new.
func FromSnapshot(s queue.Snapshot, only []int) Board {
	b := Board{Office: s.Office, OfficeEN: s.OfficeEN, Online: true, Ticker: s.Display.Ticker,
		lastCalls: max(s.Display.LastCalls, 1), only: only, display: s.Display}
	byID := map[string]queue.Ticket{}
	for _, t := range s.Tickets {
		byID[t.ID] = t
	}
	for _, c := range s.Counters {
		if !b.shows(c.Number) {
			continue
		}
		row := CounterRow{Number: c.Number, Name: c.Name, State: c.State}
		if t, ok := byID[c.Current]; ok && (t.State == queue.Called || t.State == queue.Serving) {
			row.Display = t.Display
		}
		b.Counters = append(b.Counters, row)
	}
	for _, t := range s.Recent {
		if b.shows(t.Counter) && len(b.Last) < b.lastCalls {
			b.Last = append(b.Last, Call{TicketID: t.ID, Display: t.Display, Counter: t.Counter, Recalls: t.Recalls, At: t.CalledAt})
		}
	}
	for _, svc := range s.Services {
		if b.servesHere(s, svc.ID) {
			b.Services = append(b.Services, ServiceRow{Name: svc.Name, NameEN: svc.NameEN, Waiting: svc.Waiting})
		}
	}
	return b
}

func (b Board) shows(counter int) bool { return len(b.only) == 0 || slices.Contains(b.only, counter) }

// servesHere: a zone's board lists the services its counters serve.
func (b Board) servesHere(s queue.Snapshot, service string) bool {
	for _, c := range s.Counters {
		if b.shows(c.Number) && slices.Contains(c.Services, service) {
			return true
		}
	}
	return false
}

// Display is the office's wording for announcements.
func (b Board) Display() queue.DisplayConfig { return b.display }

// Apply returns the board after one event seen at now (the board's own clock,
// so a clock difference with the server never shortens the highlight), and the
// call to announce if the event is a call or a recall shown here.
func (b Board) Apply(ev queue.Event, now time.Time) (Board, *Call) {
	b.Counters = slices.Clone(b.Counters)
	if c := ev.Counter; c != nil {
		for i := range b.Counters {
			if b.Counters[i].Number == c.Number {
				b.Counters[i].State = c.State
				if c.Current == "" {
					b.Counters[i].Display = ""
				}
			}
		}
	}
	if ev.Type == queue.EvDayStarted {
		b.Last, b.New = nil, nil
		for i := range b.Counters {
			b.Counters[i].Display = ""
		}
	}
	t := ev.Ticket
	if t == nil || (ev.Type != queue.EvCalled && ev.Type != queue.EvRecalled) || !b.shows(t.Counter) {
		return b, nil
	}
	call := Call{TicketID: t.ID, Display: t.Display, Counter: t.Counter, Recalls: t.Recalls, At: now}
	for i := range b.Counters {
		if b.Counters[i].Number == t.Counter {
			b.Counters[i].Display = t.Display
		}
	}
	last := slices.DeleteFunc(slices.Clone(b.Last), func(c Call) bool { return c.TicketID == t.ID })
	b.Last = append([]Call{call}, last[:min(len(last), b.lastCalls-1)]...)
	b.New, b.NewUntil = &call, now.Add(HighlightFor)
	return b, &call
}

// WithServices takes the waiting counts from a snapshot kept up to date beside
// the board (queue.Snapshot.Apply).
func (b Board) WithServices(s queue.Snapshot) Board {
	b.Services = nil
	for _, svc := range s.Services {
		if b.servesHere(s, svc.ID) {
			b.Services = append(b.Services, ServiceRow{Name: svc.Name, NameEN: svc.NameEN, Waiting: svc.Waiting})
		}
	}
	return b
}

// Highlighted is the new call to show large at now, if any.
func (b Board) Highlighted(now time.Time) *Call {
	if b.New != nil && now.Before(b.NewUntil) {
		return b.New
	}
	return nil
}
