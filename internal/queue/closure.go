package queue

import (
	"strings"
	"time"

	"motcua/internal/problem"
)

// A service closed for today issues no more tickets until it is opened again
// or the day ends: the clerk for land matters is ill, the system of the
// ministry is down. The tickets already waiting stay and are served (or
// transferred); a service can be removed from the settings only when nobody
// waits for it any more.

// Closure is set on service.closed and service.opened: which service of the
// day, and why it was closed (shown on the kiosks and the phones).
type Closure struct {
	Service string `json:"service"`
	Reason  string `json:"reason,omitempty"`
}

// closeToday closes or opens a service for the rest of today.
func (s *State) closeToday(now time.Time, cmd Command) (Result, []Event, error) {
	svc, ok := s.services[cmd.ServiceID]
	if !ok {
		return Result{}, nil, problem.Errorf(problem.ENotFound, "Không có dịch vụ %q", "no service %q", cmd.ServiceID)
	}
	reason, closed := s.closed[svc.ID]
	switch {
	case cmd.Op == OpCloseToday && closed:
		return Result{}, nil, problem.Errorf(problem.EConflict, "Dịch vụ %s đã tạm ngừng cấp số hôm nay (%s)", "%s is closed for today already (%s)", svc.Name, reason)
	case cmd.Op == OpOpenToday && !closed:
		return Result{}, nil, problem.Errorf(problem.EConflict, "Dịch vụ %s đang cấp số", "%s is open", svc.Name)
	case cmd.Op == OpCloseToday && (strings.TrimSpace(cmd.Reason) == "" || len(cmd.Reason) > maxText):
		return Result{}, nil, problem.Errorf(problem.EInvalid, "Hãy ghi lý do tạm ngừng (hiện trên kiosk), tối đa 500 ký tự", "give the reason for closing (shown on the kiosks), up to 500 characters")
	}
	ev := Event{Type: EvServiceOpened, Time: now, Actor: cmd.Actor, Day: s.day, Closure: &Closure{Service: svc.ID}}
	if cmd.Op == OpCloseToday {
		ev.Type, ev.Closure.Reason = EvServiceClosed, strings.TrimSpace(cmd.Reason)
	}
	s.applyClosure(ev)
	return Result{}, []Event{ev}, nil
}

// applyClosure keeps what a service.closed or service.opened event says.
func (s *State) applyClosure(ev Event) {
	if s.closed == nil {
		s.closed = map[string]string{}
	}
	if ev.Type == EvServiceClosed {
		s.closed[ev.Closure.Service] = ev.Closure.Reason
	} else {
		delete(s.closed, ev.Closure.Service)
	}
}

// CloseFor takes back the services the store kept as closed for the state's
// day (service -> reason).
func (s *State) CloseFor(closed map[string]string) {
	for id, reason := range closed {
		if _, ok := s.services[id]; ok {
			s.applyClosure(Event{Type: EvServiceClosed, Closure: &Closure{Service: id, Reason: reason}})
		}
	}
}

// ClosedToday is the services closed for the rest of today, with why.
func (s *State) ClosedToday() map[string]string {
	out := make(map[string]string, len(s.closed))
	for id, r := range s.closed {
		out[id] = r
	}
	return out
}
