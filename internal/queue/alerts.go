package queue

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"motcua/internal/problem"
)

// Alerts tell the desk head what needs a look: a ticket waiting too long,
// people waiting with no counter open for them, a counter paused too long,
// a ticket at a counter far longer than its service takes, a "Không hài
// lòng" rating, a device silent or its printer in trouble. Each is an event
// (alert.raised) on the chain and the staff feed, raised once for its cause
// (Key) and acknowledged once, with a note (alert.acknowledged).

// AlertRules are the thresholds, set in the console (Văn phòng).
type AlertRules struct {
	// WaitMinutes: a ticket waiting longer. Default 30.
	WaitMinutes int `json:"wait_minutes,omitempty"`
	// PausedMinutes: a counter paused longer. Default 15.
	PausedMinutes int `json:"paused_minutes,omitempty"`
	// SlowFactor: a ticket at a counter longer than this many times its
	// service's average (and at least 10 minutes). Default 3.
	SlowFactor float64 `json:"slow_factor,omitempty"`
	// SilentMinutes: a device not heard from for this long. Default 2.
	SilentMinutes int `json:"silent_minutes,omitempty"`
}

func (a AlertRules) withDefaults() AlertRules {
	if a.WaitMinutes <= 0 {
		a.WaitMinutes = 30
	}
	if a.PausedMinutes <= 0 {
		a.PausedMinutes = 15
	}
	if a.SlowFactor <= 0 {
		a.SlowFactor = 3
	}
	if a.SilentMinutes <= 0 {
		a.SilentMinutes = 2
	}
	return a
}

// Alert kinds.
const (
	AlertWait        = "long_wait"
	AlertNoCounter   = "no_counter"
	AlertPaused      = "long_pause"
	AlertSlow        = "slow_service"
	AlertUnsatisfied = "unsatisfied"
	AlertSilent      = "device_silent"
	AlertDevice      = "device_trouble"
	AlertMessages    = "messages_failing" // too many messages to citizens could not be sent
	AlertStandby     = "standby_behind"   // the standby server stopped keeping up
)

// Raised is an alert (set on alert.raised and alert.acknowledged).
type Raised struct {
	Key       string    `json:"key"` // its cause: one alert per key and day
	Kind      string    `json:"kind"`
	Message   string    `json:"message"`
	MessageEN string    `json:"message_en"`
	Service   string    `json:"service,omitempty"`
	Counter   int       `json:"counter,omitempty"`
	Ticket    string    `json:"ticket,omitempty"` // the ticket's display number
	Device    string    `json:"device,omitempty"`
	At        time.Time `json:"at"`
	// Acknowledged by a supervisor, with a note.
	AckBy   string    `json:"ack_by,omitempty"`
	AckAt   time.Time `json:"ack_at,omitzero"`
	AckNote string    `json:"ack_note,omitempty"`
}

// Alerts are today's alerts, oldest first.
func (s *State) Alerts() []Raised {
	out := make([]Raised, 0, len(s.alerts))
	for _, a := range s.alerts {
		out = append(out, *a)
	}
	slices.SortFunc(out, func(a, b Raised) int {
		if c := a.At.Compare(b.At); c != 0 {
			return c
		}
		return strings.Compare(a.Key, b.Key)
	})
	return out
}

// Remember takes back the alerts the store kept for the state's day.
func (s *State) Remember(alerts []Raised) {
	if s.alerts == nil {
		s.alerts = map[string]*Raised{}
	}
	for i := range alerts {
		a := alerts[i]
		s.alerts[a.Key] = &a
	}
}

// raise makes the alert's event, unless its cause was raised already today.
func (s *State) raise(now time.Time, a Raised) []Event {
	if s.alerts == nil {
		s.alerts = map[string]*Raised{}
	}
	if _, done := s.alerts[a.Key]; done {
		return nil
	}
	a.At = now
	s.alerts[a.Key] = &a
	c := a
	return []Event{{Type: EvAlert, Time: now, Actor: Actor{Kind: ActorSystem, ID: "alerts"}, Day: s.day, Raised: &c}}
}

// watch raises the alerts that time brings: long waits, services nobody
// serves, long pauses, slow tickets. The store's tick calls it.
func (s *State) watch(now time.Time) []Event {
	rules := s.office.Alerts.withDefaults()
	var evs []Event
	for _, svc := range s.office.Services {
		w := s.waiting[svc.ID]
		if len(w) == 0 {
			continue
		}
		var oldest *Ticket
		present := 0
		for _, t := range w {
			if t.Away { // a remote ticket's citizen is not in the room: no wait to alert of
				continue
			}
			present++
			if oldest == nil || t.QueuedAt.Before(oldest.QueuedAt) || t.QueuedAt.Equal(oldest.QueuedAt) && t.Number < oldest.Number {
				oldest = t
			}
			if waited := now.Sub(t.QueuedAt); waited >= time.Duration(rules.WaitMinutes)*time.Minute {
				evs = append(evs, s.raise(now, Raised{Key: "wait:" + t.ID, Kind: AlertWait, Service: svc.ID, Ticket: t.Display,
					Message:   fmt.Sprintf("Số %s (%s) đã chờ %d phút", t.Display, svc.Name, int(waited.Minutes())),
					MessageEN: fmt.Sprintf("%s (%s) has waited %d minutes", t.Display, svc.Name, int(waited.Minutes()))})...)
			}
		}
		if oldest != nil && now.Sub(oldest.QueuedAt) >= 5*time.Minute && !slices.ContainsFunc(s.order, func(n int) bool { c := s.counters[n]; return c.State == CounterOpen && c.serves(svc.ID) }) {
			// One cause: this oldest ticket waiting (five minutes: not the
			// first citizen before the clerks log in) with nobody to call it.
			evs = append(evs, s.raise(now, Raised{Key: "nocounter:" + svc.ID + ":" + oldest.ID, Kind: AlertNoCounter, Service: svc.ID,
				Message:   fmt.Sprintf("%s có %d người chờ mà không quầy nào đang mở", svc.Name, present),
				MessageEN: fmt.Sprintf("%s has %d waiting and no counter open for it", svc.Name, present)})...)
		}
	}
	for _, n := range s.order {
		c := s.counters[n]
		if c.State == CounterPaused && now.Sub(c.Since) >= time.Duration(rules.PausedMinutes)*time.Minute {
			evs = append(evs, s.raise(now, Raised{Key: fmt.Sprintf("paused:%d:%d", n, c.Since.Unix()), Kind: AlertPaused, Counter: n,
				Message:   fmt.Sprintf("Quầy %d tạm nghỉ đã %d phút (%s)", n, int(now.Sub(c.Since).Minutes()), c.ClerkName),
				MessageEN: fmt.Sprintf("Counter %d has been paused %d minutes", n, int(now.Sub(c.Since).Minutes()))})...)
		}
		t, ok := s.tickets[c.Current]
		if !ok || !t.active() {
			continue
		}
		start := t.ServingAt
		if start.IsZero() {
			start = t.CalledAt
		}
		limit := time.Duration(rules.SlowFactor * float64(s.serviceTime(t.ServiceID)))
		if took := now.Sub(start); limit > 0 && took >= max(limit, 10*time.Minute) {
			evs = append(evs, s.raise(now, Raised{Key: "slow:" + t.ID, Kind: AlertSlow, Counter: n, Service: t.ServiceID, Ticket: t.Display,
				Message:   fmt.Sprintf("Quầy %d phục vụ số %s đã %d phút, gấp %.0f lần bình thường", n, t.Display, int(took.Minutes()), took.Minutes()/s.serviceTime(t.ServiceID).Minutes()),
				MessageEN: fmt.Sprintf("Counter %d has served %s for %d minutes, %.0f× the usual", n, t.Display, int(took.Minutes()), took.Minutes()/s.serviceTime(t.ServiceID).Minutes())})...)
		}
	}
	return evs
}

// ratingAlert raises an alert for a rating on a level that asks a reason
// ("Không hài lòng").
func (s *State) ratingAlert(now time.Time, t *Ticket) []Event {
	if t.Rating == nil || !slices.ContainsFunc(s.office.Rating.Options, func(o RatingOption) bool { return o.ID == t.Rating.Option && o.NeedsReason }) {
		return nil
	}
	var vi, en []string // the reasons as the citizen read them
	for _, id := range t.Rating.Reasons {
		i := slices.IndexFunc(s.office.Rating.Reasons, func(r RatingReason) bool { return r.ID == id })
		if i < 0 {
			vi, en = append(vi, id), append(en, id)
			continue
		}
		vi, en = append(vi, s.office.Rating.Reasons[i].Label), append(en, cmp.Or(s.office.Rating.Reasons[i].LabelEN, id))
	}
	return s.raise(now, Raised{Key: "rating:" + t.ID, Kind: AlertUnsatisfied, Counter: t.Rating.Counter, Service: t.ServiceID, Ticket: t.Display,
		Message:   fmt.Sprintf("Người dân số %s không hài lòng với quầy %d: %s", t.Display, t.Rating.Counter, strings.Join(vi, "; ")),
		MessageEN: fmt.Sprintf("%s was not satisfied at counter %d: %s", t.Display, t.Rating.Counter, strings.Join(en, "; "))})
}

// acknowledge marks an alert of today seen, with the supervisor's note.
func (s *State) acknowledge(now time.Time, cmd Command) (Result, []Event, error) {
	a, ok := s.alerts[cmd.Note]
	switch {
	case !ok:
		return Result{}, nil, problem.Errorf(problem.ENotFound, "Không có cảnh báo %q hôm nay", "no alert %q today", cmd.Note)
	case !a.AckAt.IsZero():
		return Result{}, nil, problem.Errorf(problem.EConflict, "Cảnh báo đã được %s xác nhận", "the alert was acknowledged by %s already", a.AckBy)
	case strings.TrimSpace(cmd.Reason) == "" || len(cmd.Reason) > maxText:
		return Result{}, nil, problem.Errorf(problem.EInvalid, "Hãy ghi việc đã làm (tối đa 500 ký tự)", "say what was done (up to 500 characters)")
	}
	a.AckBy, a.AckAt, a.AckNote = cmd.Actor.ID, now, strings.TrimSpace(cmd.Reason)
	c := *a
	return Result{}, []Event{{Type: EvAlertAck, Time: now, Actor: cmd.Actor, Day: s.day, Raised: &c}}, nil
}

// raiseCommand raises an alert the server saw (a device silent): Kind,
// Key and the messages in the command's Raised.
func (s *State) raiseCommand(now time.Time, cmd Command) (Result, []Event, error) {
	if cmd.Raised == nil || cmd.Raised.Key == "" || cmd.Raised.Kind == "" {
		return Result{}, nil, problem.Errorf(problem.EInvalid, "Cảnh báo thiếu nguyên nhân", "an alert needs its cause")
	}
	return Result{}, s.raise(now, *cmd.Raised), nil
}
