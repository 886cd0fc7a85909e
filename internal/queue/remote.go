package queue

import (
	"regexp"
	"strings"
	"time"

	"motcua/internal/problem"
)

// Remote tickets ("lấy số từ xa"): a citizen takes a number from a phone
// through the province; the office issues it under its own numbering and
// rules, away. Its place counts from when it was taken, but it is never
// called while away: when its turn comes it is passed over (not a no-show)
// and keeps its place for Rules.RemoteLapseMinutes, then lapses. Its
// citizen checks in at a kiosk with its code, and from then on it is any
// waiting ticket — ahead of those taken after it.

var checkInCode = regexp.MustCompile(`^[0-9]{6}$`)

// ValidCheckIn says whether code has the shape of a check-in code (six
// digits): anything else is refused before the queue looks.
func ValidCheckIn(code string) bool { return checkInCode.MatchString(code) }

// Digits are the digits of a code as anyone types it ("123 456",
// "123-456", a phone keyboard's full-width "１２３４５６"); the rest is dropped.
func Digits(typed string) string {
	var b strings.Builder
	for _, r := range typed {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r >= '０' && r <= '９':
			b.WriteRune('0' + r - '０')
		}
	}
	return b.String()
}

// mayIssueRemote checks a remote issue: the service takes remote numbers,
// its daily cap of them is not reached, no priority (priority cases take a
// number on the floor), a fresh code.
func (s *State) mayIssueRemote(svc *ServiceConfig, cmd Command) error {
	if !svc.Remote {
		return problem.Errorf(problem.EClosed, "Dịch vụ %s không nhận lấy số từ xa. Xin mời Ông/Bà đến lấy số tại văn phòng",
			"%s takes no remote numbers; please take a number at the office", svc.Name)
	}
	if cmd.Priority != "" {
		return problem.Errorf(problem.EInvalid, "Số ưu tiên được cấp tại văn phòng", "priority numbers are issued at the office")
	}
	if !ValidCheckIn(cmd.CheckIn) {
		return problem.Errorf(problem.EInvalid, "Thiếu mã xác nhận của số từ xa", "the remote ticket's check-in code is missing")
	}
	taken := 0
	for _, t := range s.tickets {
		if t.CheckIn == cmd.CheckIn {
			return problem.Errorf(problem.EConflict, "Mã xác nhận bị trùng, vui lòng thử lại", "duplicate check-in code, retry")
		}
		if t.Channel == ChannelRemote && t.FirstServiceID == svc.ID {
			taken++
		}
	}
	if svc.RemoteDailyCap > 0 && taken >= svc.RemoteDailyCap {
		return problem.Errorf(problem.EFull, "Dịch vụ %s đã hết số lấy từ xa hôm nay. Ông/Bà vẫn có thể lấy số tại văn phòng",
			"%s has given all its remote numbers today; numbers are still issued at the office", svc.Name)
	}
	return nil
}

// checkIn is a remote ticket's citizen at a kiosk: its code found among
// today's tickets, it is away no more.
func (s *State) checkIn(now time.Time, cmd Command) (Result, []Event, error) {
	if cmd.Actor.Kind != ActorDevice && cmd.Actor.Kind != ActorClerk && cmd.Actor.Kind != ActorAdmin {
		return Result{}, nil, problem.Errorf(problem.EForbidden, "Chỉ máy lấy số hoặc cán bộ xác nhận đến", "only a kiosk or staff check a citizen in")
	}
	var t *Ticket
	if ValidCheckIn(cmd.CheckIn) {
		for _, x := range s.tickets {
			if x.CheckIn == cmd.CheckIn {
				t = x
				break
			}
		}
	}
	switch {
	case t == nil:
		return Result{}, nil, problem.Errorf(problem.ENotFound, "Không tìm thấy số có mã %q hôm nay. Xin kiểm tra lại mã, hoặc hỏi quầy hướng dẫn",
			"no ticket with code %q today; check the code, or ask at the help desk", cmd.CheckIn)
	case t.State == Lapsed:
		return Result{}, nil, problem.Errorf(problem.EConflict, "Số %s đã quá thời gian giữ chỗ. Xin mời Ông/Bà lấy số mới", "ticket %s lapsed; please take a new number", t.Display)
	case !t.Away:
		return Result{}, nil, problem.Errorf(problem.EConflict, "Số %s đã xác nhận đến rồi", "ticket %s has checked in already", t.Display)
	case t.State != Waiting:
		return Result{}, nil, problem.Errorf(problem.EConflict, "Số %s không còn chờ (%s)", "ticket %s is no longer waiting (%s)", t.Display, t.State)
	}
	t.Away, t.CheckedInAt = false, now
	s.touched(t)
	return Result{Ticket: copyTicket(t)}, []Event{{Type: EvCheckedIn, Time: now, Actor: cmd.Actor, Ticket: copyTicket(t)}}, nil
}

// passOver marks the away tickets of c's services whose turn came with
// this call — taken before the ticket called (or nothing else waits) — as
// passed over, once each.
func (s *State) passOver(now time.Time, c *Counter, chosen *Ticket, actor Actor) []Event {
	var evs []Event
	for _, svc := range c.Services {
		for _, t := range s.waiting[svc] {
			if !t.Away || !t.PassedAt.IsZero() || chosen != nil && (chosen.dueAhead(now) || !before(c, t, chosen, now)) {
				continue
			}
			t.PassedAt = now
			evs = append(evs, Event{Type: EvPassed, Time: now, Actor: actor, Ticket: copyTicket(t)})
		}
	}
	sortByTicket(evs)
	return evs
}

// lapse ends the away tickets passed over longer ago than the office's
// limit.
func (s *State) lapse(now time.Time) []Event {
	limit := time.Duration(s.office.Rules.RemoteLapseMinutes) * time.Minute
	var evs []Event
	for _, w := range s.waiting {
		for _, t := range w {
			if t.Away && !t.PassedAt.IsZero() && now.Sub(t.PassedAt) >= limit {
				t.State, t.EndedAt = Lapsed, now
				evs = append(evs, Event{Type: EvLapsed, Time: now, Actor: Actor{Kind: ActorSystem, ID: "system"}, Ticket: copyTicket(t)})
			}
		}
	}
	sortByTicket(evs)
	for _, e := range evs {
		s.touched(s.tickets[e.Ticket.ID])
	}
	return evs
}
