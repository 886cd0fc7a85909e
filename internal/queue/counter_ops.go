package queue

import (
	"slices"
	"time"
	"unicode/utf8"

	"motcua/internal/problem"
)

// counterOp runs the commands a clerk gives at a counter.
func (s *State) counterOp(now time.Time, cmd Command) (Result, []Event, error) {
	c, ok := s.counters[cmd.Counter]
	if !ok {
		return Result{}, nil, problem.Errorf(problem.ENotFound, "Không có quầy số %d", "no counter %d", cmd.Counter)
	}
	if cmd.Actor.Kind != ActorClerk && cmd.Actor.Kind != ActorAdmin {
		return Result{}, nil, problem.Errorf(problem.EForbidden, "Chỉ cán bộ mới thao tác được tại quầy", "only clerks act at counters")
	}
	if c.State != CounterClosed && c.Clerk != cmd.Actor.ID && cmd.Actor.Kind != ActorAdmin {
		return Result{}, nil, problem.Errorf(problem.EForbidden, "Quầy %d đang do %s làm việc", "counter %d is taken by %s", c.Number, c.ClerkName)
	}
	var evs []Event
	// Whatever happened before an error (opening the counter) is still reported.
	fail := func(err error) (Result, []Event, error) { return Result{}, evs, err }
	// Calling at a closed counter opens it for the clerk: a clerk who calls is working.
	if c.State == CounterClosed && (cmd.Op == OpOpen || cmd.Op == OpNext || cmd.Op == OpCall) {
		more, err := s.open(now, c, cmd.Actor)
		if err != nil {
			return fail(err)
		}
		evs = append(evs, more...)
		if cmd.Op == OpOpen {
			return Result{Counter: copyCounter(c)}, evs, nil
		}
	}
	cur := s.tickets[c.Current]
	counterEvent := func() (Result, []Event, error) {
		evs = append(evs, Event{Type: EvCounter, Time: now, Actor: cmd.Actor, Counter: copyCounter(c)})
		return Result{Counter: copyCounter(c)}, evs, nil
	}
	ticketEvent := func(typ EventType, t *Ticket) (Result, []Event, error) {
		s.touched(t)
		evs = append(evs, Event{Type: typ, Time: now, Actor: cmd.Actor, Ticket: copyTicket(t), Counter: copyCounter(c)})
		return Result{Ticket: copyTicket(t), Counter: copyCounter(c)}, evs, nil
	}
	needCurrent := func(states ...TicketState) error {
		if cur == nil {
			return problem.Errorf(problem.EConflict, "Quầy %d chưa gọi số nào", "counter %d has no current ticket", c.Number)
		}
		for _, st := range states {
			if cur.State == st {
				return nil
			}
		}
		return problem.Errorf(problem.EConflict, "Số %s đang ở trạng thái %s, không làm được thao tác này", "ticket %s is %s; not allowed now", cur.Display, cur.State)
	}

	switch cmd.Op {
	case OpOpen:
		return Result{Counter: copyCounter(c)}, evs, nil // already open by this clerk
	case OpClose:
		if cur != nil {
			return fail(problem.Errorf(problem.EConflict, "Hãy hoàn thành hoặc chuyển số %s trước khi đóng quầy", "finish or transfer ticket %s before closing", cur.Display))
		}
		c.State, c.Clerk, c.ClerkName, c.PriorityStreak, c.Since = CounterClosed, "", "", 0, now
		return counterEvent()
	case OpPause:
		if c.State != CounterOpen {
			return fail(problem.Errorf(problem.EConflict, "Quầy %d không mở nên không tạm nghỉ được", "counter %d is not open", c.Number))
		}
		c.State, c.Since = CounterPaused, now
		return counterEvent()
	case OpResume:
		if c.State != CounterPaused {
			return fail(problem.Errorf(problem.EConflict, "Quầy %d không tạm nghỉ", "counter %d is not paused", c.Number))
		}
		c.State, c.Since = CounterOpen, now
		return counterEvent()
	case OpNext, OpCall:
		if c.State == CounterPaused {
			return fail(problem.Errorf(problem.EConflict, "Quầy %d đang tạm nghỉ; bấm Tiếp tục trước", "counter %d is paused; resume first", c.Number))
		}
		if cur != nil {
			return fail(problem.Errorf(problem.EConflict, "Quầy %d đang phục vụ số %s; hãy hoàn thành, chuyển hoặc báo vắng trước", "counter %d is still on ticket %s; finish, transfer or mark no-show first", c.Number, cur.Display))
		}
		var t *Ticket
		if cmd.Op == OpNext {
			t = s.pick(c, now)
			evs = append(evs, s.passOver(now, c, t, cmd.Actor)...)
			if t == nil {
				return fail(ErrNoneWaiting)
			}
		} else {
			var err error
			if t, err = s.callable(now, cmd); err != nil {
				return fail(err)
			}
			t.Reason = cmd.Reason
		}
		t.State, t.Counter, t.Clerk, t.CalledAt, t.Recalls = Called, c.Number, c.Clerk, now, 0
		c.Current = t.ID
		s.called(t.ID)
		return ticketEvent(EvCalled, t)
	case OpRecall:
		if err := needCurrent(Called); err != nil {
			return fail(err)
		}
		cur.Recalls++
		s.called(cur.ID) // a recall is the latest call on the boards too
		return ticketEvent(EvRecalled, cur)
	case OpStart:
		if err := needCurrent(Called); err != nil {
			return fail(err)
		}
		cur.State, cur.ServingAt = Serving, now
		return ticketEvent(EvServing, cur)
	case OpNoShow:
		if err := needCurrent(Called); err != nil {
			return fail(err)
		}
		cur.State, cur.NoShowAt = NoShow, now
		c.Current = ""
		return ticketEvent(EvNoShow, cur)
	case OpFinish:
		if err := needCurrent(Called, Serving); err != nil {
			return fail(err)
		}
		cur.State, cur.DoneAt = Done, now
		c.Current = ""
		s.noteDuration(cur)
		if !cmd.NoRatingScreen {
			evs = append(evs, s.askRating(now, c, cur)...)
		}
		return ticketEvent(EvDone, cur)
	case OpTransfer:
		if err := needCurrent(Called, Serving); err != nil {
			return fail(err)
		}
		to, ok := s.services[cmd.ServiceID]
		if !ok {
			return fail(problem.Errorf(problem.ENotFound, "Không có dịch vụ %q", "no service %q", cmd.ServiceID))
		}
		if to.ID == cur.ServiceID {
			return fail(problem.Errorf(problem.EInvalid, "Số %s đã ở dịch vụ %s", "ticket %s is already in %s", cur.Display, to.Name))
		}
		// A transferred citizen keeps their place by issue time: they already waited.
		cur.State, cur.ServiceID, cur.QueuedAt, cur.Note = Waiting, to.ID, cur.IssuedAt, cmd.Note
		cur.Counter, cur.Clerk, cur.Transfers = 0, "", cur.Transfers+1
		cur.CalledAt, cur.ServingAt = time.Time{}, time.Time{}
		c.Current = ""
		return ticketEvent(EvTransferred, cur)
	}
	return fail(problem.Errorf(problem.EInvalid, "Lệnh không hợp lệ: %q", "unknown command %q", cmd.Op))
}

// open gives counter c to the clerk, leaving any other counter the clerk had.
func (s *State) open(now time.Time, c *Counter, who Actor) ([]Event, error) {
	var evs []Event
	for _, n := range s.order {
		other := s.counters[n]
		if other == c || other.Clerk != who.ID || other.State == CounterClosed {
			continue
		}
		if other.Current != "" {
			return nil, problem.Errorf(problem.EConflict, "Bạn đang phục vụ một số ở quầy %d; hãy xong việc ở đó trước", "you are still serving a ticket at counter %d", other.Number)
		}
		other.State, other.Clerk, other.ClerkName, other.PriorityStreak, other.Since = CounterClosed, "", "", 0, now
		evs = append(evs, Event{Type: EvCounter, Time: now, Actor: who, Counter: copyCounter(other)})
	}
	c.State, c.Clerk, c.ClerkName, c.PriorityStreak, c.Since = CounterOpen, who.ID, who.Name, 0, now
	return append(evs, Event{Type: EvCounter, Time: now, Actor: who, Counter: copyCounter(c)}), nil
}

// callable checks a call out of order: the ticket waits (or missed its call and is
// still within the rejoin window) and the clerk gave a reason.
func (s *State) callable(now time.Time, cmd Command) (*Ticket, error) {
	if utf8.RuneCountInString(cmd.Reason) < 3 {
		return nil, problem.Errorf(problem.EInvalid, "Gọi số không theo thứ tự cần ghi lý do", "calling out of order needs a reason")
	}
	t, ok := s.tickets[cmd.TicketID]
	if !ok {
		return nil, problem.Errorf(problem.ENotFound, "Không tìm thấy phiếu %q trong ngày", "no ticket %q today", cmd.TicketID)
	}
	if t.Away {
		return nil, problem.Errorf(problem.EConflict, "Số %s lấy từ xa, người dân chưa xác nhận đến: xác nhận ở máy lấy số (hoặc nhập mã) trước khi gọi",
			"ticket %s was taken from afar and its citizen has not checked in: check it in at the kiosk (or by its code) before calling it", t.Display)
	}
	if t.State == Waiting || (t.State == NoShow && now.Sub(t.NoShowAt) <= s.rejoinWindow()) {
		return t, nil
	}
	return nil, problem.Errorf(problem.EConflict, "Số %s không còn chờ (trạng thái %s)", "ticket %s is not waiting (state %s)", t.Display, t.State)
}

// called puts a ticket at the head of the recent calls (once).
func (s *State) called(id string) {
	s.recent = append(slices.DeleteFunc(s.recent, func(o string) bool { return o == id }), id)
	if len(s.recent) > recentCalls {
		s.recent = s.recent[1:]
	}
}
