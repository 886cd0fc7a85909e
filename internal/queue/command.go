package queue

import (
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"motcua/internal/problem"
)

// Op names a command.
type Op string

// Commands the queue accepts.
const (
	OpIssue    Op = "issue"    // a new ticket (kiosk, or a clerk on a citizen's behalf)
	OpNext     Op = "next"     // counter calls the next ticket by the rule
	OpCall     Op = "call"     // counter calls a specific ticket; needs a reason
	OpRecall   Op = "recall"   // call the current ticket again
	OpStart    Op = "start"    // the called citizen arrived: serving
	OpNoShow   Op = "no_show"  // the called citizen did not come
	OpRejoin   Op = "rejoin"   // a no-show ticket goes back to the queue within the window
	OpTransfer Op = "transfer" // current ticket to another service's queue, with a note
	OpFinish   Op = "finish"   // current ticket done
	OpCancel   Op = "cancel"   // a ticket is withdrawn (e.g. it never printed)
	OpOpen     Op = "open"     // a clerk takes a counter
	OpClose    Op = "close"    // the clerk leaves the counter
	OpPause    Op = "pause"    // counter stops calling for a while
	OpResume   Op = "resume"   // counter calls again
	OpAlert    Op = "alert"    // a device reports trouble (Note: code, Reason: message)
	OpRate     Op = "rate"     // the citizen rates the ticket just finished at a counter
	OpFloor    Op = "floor"    // never issue at or below numbers already printed (Floors for Day, or Skip more)
	// OpCloseToday stops a service issuing for the rest of today (Reason
	// shown on the kiosks); OpOpenToday lets it issue again.
	OpCloseToday Op = "service_close"
	OpOpenToday  Op = "service_open"
	// OpAck acknowledges today's alert Note (its key) with the note Reason;
	// OpRaise raises the alert in Raised (one the server saw: a silent device).
	OpAck   Op = "alert_ack"
	OpRaise Op = "alert_raise"
	// OpCheckIn: a remote ticket's citizen is at a kiosk with its code.
	OpCheckIn Op = "check_in"
)

// Command is one request to change the queue. Which fields matter depends on Op.
type Command struct {
	Op        Op
	Actor     Actor
	Counter   int
	TicketID  string
	ServiceID string
	Priority  string
	Channel   Channel
	Token     string // public token for a new ticket, chosen by the caller (random)
	// CheckIn: a remote ticket's code, chosen by the caller (random digits)
	// on issue, typed at a kiosk on OpCheckIn.
	CheckIn string
	// Slot: a booking's appointment, on the ticket its check-in issues
	// (channel appointment; zero for a late one queued as a walk-in).
	Slot    time.Time
	Note    string
	Reason  string
	Option  string   // rating: the chosen option's id
	Reasons []string // rating: reason ids
	// Floor: the last numbers a kiosk printed on Day, per service; or Skip
	// numbers past the last on file for every service (a restore).
	Day    string
	Floors map[string]int
	Skip   int
	// Raised: the alert of OpRaise.
	Raised *Raised
	// NoRatingScreen: the counter of an OpFinish has no rating screen
	// connected, so no rating is asked (none recorded as "no rating"; the
	// counter claims no citizen is rating).
	NoRatingScreen bool
}

// Result is what a command produced: the ticket and counter it touched.
type Result struct {
	Ticket  *Ticket
	Counter *Counter
}

// ErrNoneWaiting is returned by OpNext when nobody waits for the counter's services.
var ErrNoneWaiting = &problem.Error{Code: "none_waiting", Message: "Không còn ai chờ", MessageEN: "Nobody is waiting"}

var alertCode = regexp.MustCompile(`^[a-z][a-z0-9_]{0,39}$`)

// ValidAlertCode says whether code can name a device's trouble (or state):
// lowercase letters, digits and _, up to 40.
func ValidAlertCode(code string) bool { return alertCode.MatchString(code) }

// maxText bounds notes and reasons.
const maxText = 500

// Execute applies cmd at time now. On success it returns the result and the events
// describing every change (a day rollover included); on error nothing changed
// except, possibly, a rollover, whose events are returned with the error.
func (s *State) Execute(now time.Time, cmd Command) (Result, []Event, error) {
	evs := s.rollover(now)
	res, more, err := s.execute(now, cmd)
	return res, append(evs, more...), err
}

func (s *State) execute(now time.Time, cmd Command) (Result, []Event, error) {
	cmd.Note, cmd.Reason = strings.TrimSpace(cmd.Note), strings.TrimSpace(cmd.Reason)
	if utf8.RuneCountInString(cmd.Note) > maxText || utf8.RuneCountInString(cmd.Reason) > maxText {
		return Result{}, nil, problem.Errorf(problem.EInvalid, "Ghi chú hoặc lý do quá dài (tối đa %d ký tự)", "note or reason too long (at most %d characters)", maxText)
	}
	switch cmd.Op {
	case OpIssue:
		return s.issue(now, cmd)
	case OpRejoin, OpCancel:
		return s.ticketOp(now, cmd)
	case OpCheckIn:
		return s.checkIn(now, cmd)
	case OpAlert:
		if cmd.Actor.Kind != ActorDevice || !alertCode.MatchString(cmd.Note) {
			return Result{}, nil, problem.Errorf(problem.EInvalid, "Báo lỗi thiết bị cần mã lỗi (chữ thường, số, _)", "a device alert needs a code (lowercase, digits, _)")
		}
		ev := Event{Type: EvDevice, Time: now, Actor: cmd.Actor, Alert: &Alert{Code: cmd.Note, Message: cmd.Reason}}
		evs := []Event{ev}
		if cmd.Note != "printer_ok" { // trouble: the supervisors' alert, once a day per device and kind
			evs = append(evs, s.raise(now, Raised{Key: "device:" + cmd.Actor.ID + ":" + cmd.Note, Kind: AlertDevice, Device: cmd.Actor.ID,
				Message: "Thiết bị " + cmd.Actor.ID + ": " + cmd.Reason, MessageEN: "Device " + cmd.Actor.ID + ": " + cmd.Note})...)
		}
		return Result{}, evs, nil
	case OpRate:
		return s.rate(now, cmd)
	case OpFloor:
		return s.floor(now, cmd)
	case OpCloseToday, OpOpenToday:
		return s.closeToday(now, cmd)
	case OpAck:
		return s.acknowledge(now, cmd)
	case OpRaise:
		return s.raiseCommand(now, cmd)
	case OpNext, OpCall, OpRecall, OpStart, OpNoShow, OpTransfer, OpFinish, OpOpen, OpClose, OpPause, OpResume:
		return s.counterOp(now, cmd)
	}
	return Result{}, nil, problem.Errorf(problem.EInvalid, "Lệnh không hợp lệ: %q", "unknown command %q", cmd.Op)
}

func (s *State) issue(now time.Time, cmd Command) (Result, []Event, error) {
	svc, ok := s.services[cmd.ServiceID]
	if !ok {
		return Result{}, nil, problem.Errorf(problem.ENotFound, "Không có dịch vụ %q", "no service %q", cmd.ServiceID)
	}
	if cmd.Priority != "" && !s.hasPriority(cmd.Priority) {
		return Result{}, nil, problem.Errorf(problem.EInvalid, "Diện ưu tiên %q không có trong cấu hình", "unknown priority class %q", cmd.Priority)
	}
	if cmd.Token == "" {
		return Result{}, nil, problem.Errorf(problem.EInvalid, "Thiếu mã tra cứu của phiếu", "ticket token missing")
	}
	if _, dup := s.byToken[cmd.Token]; dup {
		return Result{}, nil, problem.Errorf(problem.EConflict, "Mã tra cứu bị trùng, vui lòng thử lại", "duplicate ticket token, retry")
	}
	remote := cmd.Channel == ChannelRemote
	if remote != (cmd.Actor.Kind == ActorProvince) {
		return Result{}, nil, problem.Errorf(problem.EForbidden, "Chỉ yêu cầu từ xa qua tỉnh mới cấp số từ xa", "only a request through the province issues a remote ticket")
	}
	if remote {
		if err := s.mayIssueRemote(svc, cmd); err != nil {
			return Result{}, nil, err
		}
	}
	booked := cmd.Channel == ChannelAppointment
	if booked {
		if !ValidCheckIn(cmd.CheckIn) {
			return Result{}, nil, problem.Errorf(problem.EInvalid, "Thiếu mã lịch hẹn", "the booking's code is missing")
		}
		for _, t := range s.tickets {
			if t.CheckIn == cmd.CheckIn {
				return Result{}, nil, problem.Errorf(problem.EConflict, "Lịch hẹn này đã xác nhận đến rồi (số %s)", "this booking has checked in already (ticket %s)", t.Display)
			}
		}
	}
	if reason, closed := s.closed[svc.ID]; closed {
		return Result{}, nil, problem.Errorf(problem.EClosed, "Dịch vụ %s tạm ngừng cấp số hôm nay: %s", "%s issues no more tickets today: %s", svc.Name, reason)
	}
	// Outside its hours a service issues no ticket from a kiosk or a phone,
	// in words a citizen understands; staff at a counter may still issue
	// one (a citizen let in before closing).
	staff := cmd.Actor.Kind == ActorClerk || cmd.Actor.Kind == ActorAdmin
	opens, closes := s.office.IssueHours(*svc)
	switch before, after := outsideHours(opens, closes, now.In(s.loc)); {
	case staff, cmd.Channel == ChannelAppointment: // a booking's window is its own (Office.Arrival)
	case before:
		return Result{}, nil, problem.Errorf(problem.EClosed, "Dịch vụ %s chưa đến giờ cấp số: mở lúc %s. Xin mời Ông/Bà chờ đến giờ hoặc hỏi quầy hướng dẫn",
			"%s has not opened yet: it issues tickets from %s. Please wait, or ask at the help desk", svc.Name, opens)
	case after:
		return Result{}, nil, problem.Errorf(problem.EClosed, "Dịch vụ %s đã hết giờ cấp số hôm nay (%s–%s). Xin mời Ông/Bà quay lại vào ngày làm việc tiếp theo",
			"%s has issued its last ticket today (%s–%s). Please come back on the next working day", svc.Name, opens, closes)
	}
	next := svc.RangeStart
	if last, ok := s.lastNumber[svc.ID]; ok {
		next = last + 1
	}
	if next > svc.RangeEnd || (svc.DailyCap > 0 && s.issued[svc.ID] >= svc.DailyCap) {
		return Result{}, nil, problem.Errorf(problem.EFull, "Dịch vụ %s đã hết số hôm nay", "%s has no more numbers today", svc.Name)
	}
	ch := cmd.Channel
	if ch == "" {
		ch = ChannelKiosk
	}
	t := &Ticket{
		ID: TicketID(s.day, svc.ID, next), Day: s.day, Number: next,
		Display: svc.Prefix + strconv.Itoa(next), ServiceID: svc.ID, FirstServiceID: svc.ID,
		Priority: cmd.Priority, Channel: ch, Token: cmd.Token, State: Waiting,
		IssuedBy: cmd.Actor.ID, IssuedAt: now, QueuedAt: now,
		Note: cmd.Note, // e.g. the dossier a return ticket is for (staff see it)
	}
	if remote {
		t.Away, t.CheckIn = true, cmd.CheckIn
	}
	if booked {
		t.CheckIn, t.Slot, t.CheckedInAt = cmd.CheckIn, cmd.Slot, now
	}
	s.tickets[t.ID] = t
	s.touched(t)
	s.byToken[t.Token] = t.ID
	s.lastNumber[svc.ID] = next
	s.issued[svc.ID]++
	return Result{Ticket: copyTicket(t)}, []Event{{Type: EvIssued, Time: now, Actor: cmd.Actor, Ticket: copyTicket(t)}}, nil
}

func (s *State) hasPriority(id string) bool {
	for _, p := range s.office.PriorityClasses {
		if p.ID == id {
			return true
		}
	}
	return false
}

// ticketOp runs commands addressed to a ticket rather than a counter.
func (s *State) ticketOp(now time.Time, cmd Command) (Result, []Event, error) {
	t, ok := s.tickets[cmd.TicketID]
	if !ok {
		return Result{}, nil, problem.Errorf(problem.ENotFound, "Không tìm thấy phiếu %q trong ngày", "no ticket %q today", cmd.TicketID)
	}
	switch cmd.Op {
	case OpRejoin:
		if t.State != NoShow {
			return Result{}, nil, problem.Errorf(problem.EConflict, "Số %s không ở trạng thái vắng mặt", "ticket %s is not a no-show", t.Display)
		}
		if now.Sub(t.NoShowAt) > s.rejoinWindow() {
			return Result{}, nil, problem.Errorf(problem.EConflict, "Số %s đã quá %d phút được phép quay lại, vui lòng lấy số mới", "ticket %s is past the %d-minute rejoin window; take a new number", t.Display, s.office.Rules.RejoinWindowMinutes)
		}
		t.State, t.QueuedAt, t.Counter, t.Clerk = Waiting, now, 0, ""
		s.touched(t)
		return Result{Ticket: copyTicket(t)}, []Event{{Type: EvRejoined, Time: now, Actor: cmd.Actor, Ticket: copyTicket(t)}}, nil
	case OpCancel:
		if cmd.Actor.Kind == ActorDevice && t.IssuedBy != cmd.Actor.ID {
			return Result{}, nil, problem.Errorf(problem.EForbidden, "Thiết bị chỉ được huỷ phiếu do chính nó cấp", "a device may cancel only tickets it issued")
		}
		if t.State != Waiting && t.State != Called && t.State != NoShow {
			return Result{}, nil, problem.Errorf(problem.EConflict, "Không thể huỷ số %s ở trạng thái %s", "cannot cancel ticket %s in state %s", t.Display, t.State)
		}
		var evs []Event
		if t.State == Called {
			if c, ok := s.counters[t.Counter]; ok && c.Current == t.ID {
				c.Current = ""
				evs = append(evs, Event{Type: EvCounter, Time: now, Actor: cmd.Actor, Counter: copyCounter(c)})
			}
		}
		t.State, t.EndedAt, t.Reason = Cancelled, now, cmd.Reason
		s.touched(t)
		evs = append([]Event{{Type: EvCancelled, Time: now, Actor: cmd.Actor, Ticket: copyTicket(t)}}, evs...)
		return Result{Ticket: copyTicket(t)}, evs, nil
	}
	return Result{}, nil, problem.Errorf(problem.EInvalid, "Lệnh không hợp lệ: %q", "unknown command %q", cmd.Op)
}

func (s *State) rejoinWindow() time.Duration {
	return time.Duration(s.office.Rules.RejoinWindowMinutes) * time.Minute
}

// floor raises today's numbering above numbers printed but not on file: a
// kiosk tells the last numbers it printed today when it reconnects (a server
// restored from this morning's backup must not issue them again), or a
// restore skips numbers for every service. Numbers already above stay; a
// report for another day changes nothing.
func (s *State) floor(now time.Time, cmd Command) (Result, []Event, error) {
	if cmd.Skip < 0 || cmd.Skip > 100000 {
		return Result{}, nil, problem.Errorf(problem.EInvalid, "Số bỏ qua %d không hợp lệ", "skip %d is out of range", cmd.Skip)
	}
	if cmd.Day != "" && cmd.Day != s.day {
		return Result{}, nil, nil
	}
	for id := range cmd.Floors {
		if _, ok := s.services[id]; !ok {
			return Result{}, nil, problem.Errorf(problem.ENotFound, "Không có dịch vụ %q", "no service %q", id)
		}
	}
	raised := map[string]int{}
	for _, id := range s.office.ServiceIDs() {
		svc := s.services[id]
		last, ok := s.lastNumber[id]
		if !ok {
			last = svc.RangeStart - 1
		}
		want := last
		if n, ok := cmd.Floors[id]; ok && n > want {
			want = min(n, svc.RangeEnd)
		}
		if cmd.Skip > 0 {
			want = min(max(want, last)+cmd.Skip, svc.RangeEnd)
		}
		if want > last {
			s.lastNumber[id], raised[id] = want, want
		}
	}
	if len(raised) == 0 {
		return Result{}, nil, nil
	}
	return Result{}, []Event{{Type: EvFloor, Time: now, Actor: cmd.Actor, Day: s.day, Floors: raised}}, nil
}

// RaiseTo takes back the floors the store kept for the state's day.
func (s *State) RaiseTo(floors map[string]int) {
	for id, n := range floors {
		if _, ok := s.services[id]; ok && n > s.lastNumber[id] {
			s.lastNumber[id] = n
		}
	}
}
