package queue

import (
	"time"

	"motcua/internal/calendar"
	"motcua/internal/problem"
)

// Bookings (đặt lịch hẹn): a service's bookable slots, the province takes
// the bookings and hands them to the office; a booking checked in at a
// kiosk in its window is issued as a ticket with its slot, which from then
// on goes ahead of walk-ins as priority tickets do.

// What a late booking comes to (Rules.LateBooking).
const (
	LateWalkIn = "walk_in"
	LateRefuse = "refuse"
)

func (b *Booking) check(service string) error {
	if b == nil {
		return nil
	}
	bad := func(vi, en string) error {
		return problem.Errorf(problem.EInvalid, "Dịch vụ %q, đặt lịch: "+vi, "service %q, booking: "+en, service)
	}
	switch {
	case b.SlotMinutes < 5 || b.SlotMinutes > 240:
		return bad("mỗi lượt từ 5 đến 240 phút", "a slot is 5 to 240 minutes")
	case b.PerSlot < 1 || b.PerSlot > 100:
		return bad("mỗi lượt nhận 1 đến 100 người", "a slot takes 1 to 100 people")
	case b.DaysAhead < 0 || b.DaysAhead > 60:
		return bad("đặt trước tối đa 60 ngày", "at most 60 days ahead")
	case b.SharePercent < 0 || b.SharePercent > 100:
		return bad("tỉ lệ đặt trước từ 0 đến 100%", "the booked share is 0 to 100%")
	}
	return calendar.Hours{Weekday: b.Sessions}.Check()
}

// Slots are the starts of the bookable slots of svc on the local date of
// day, in the office's zone loc: none on a Sunday, on a Saturday only when
// the office's hours have Saturday sessions (and the service no sessions
// of its own). Holidays are the caller's to leave out (the calendar).
func (o Office) Slots(svc ServiceConfig, day time.Time, loc *time.Location) []time.Time {
	b := svc.Booking
	if b == nil {
		return nil
	}
	local := day.In(loc)
	sessions := b.Sessions
	switch local.Weekday() {
	case time.Sunday:
		return nil
	case time.Saturday:
		if len(sessions) > 0 {
			return nil
		}
		sessions = o.Hours.Saturday
	default:
		if len(sessions) == 0 {
			sessions = o.WorkingHours().Weekday
		}
	}
	y, m, d := local.Date()
	var out []time.Time
	for _, s := range sessions {
		start, err1 := time.ParseInLocation("15:04", s.Start, loc)
		end, err2 := time.ParseInLocation("15:04", s.End, loc)
		if err1 != nil || err2 != nil {
			continue
		}
		from := time.Date(y, m, d, start.Hour(), start.Minute(), 0, 0, loc)
		until := time.Date(y, m, d, end.Hour(), end.Minute(), 0, 0, loc)
		for t := from; !t.Add(time.Duration(b.SlotMinutes) * time.Minute).After(until); t = t.Add(time.Duration(b.SlotMinutes) * time.Minute) {
			out = append(out, t)
		}
	}
	return out
}

// DayCapacity is how many bookings svc takes on a day: its share of the
// day's numbers.
func (svc ServiceConfig) DayCapacity() int {
	if svc.Booking == nil {
		return 0
	}
	numbers := svc.RangeEnd - svc.RangeStart + 1
	if svc.DailyCap > 0 {
		numbers = min(numbers, svc.DailyCap)
	}
	share := svc.Booking.SharePercent
	if share == 0 {
		share = 50
	}
	return numbers * share / 100
}

// DaysAhead is how far ahead svc may be booked.
func (b *Booking) Ahead() int {
	if b == nil || b.DaysAhead == 0 {
		return 7
	}
	return b.DaysAhead
}

// dueAhead says whether t goes in the group ahead of walk-ins at now: a
// priority ticket, or a booked one whose slot has come.
func (t *Ticket) dueAhead(now time.Time) bool {
	return t.Priority != "" || !t.Slot.IsZero() && !now.Before(t.Slot)
}

// placeAt is t's place in its group: a due booking's is its slot, any
// other's when it was queued.
func (t *Ticket) placeAt(now time.Time) time.Time {
	if !t.Slot.IsZero() && !now.Before(t.Slot) && t.Slot.Before(t.QueuedAt) {
		return t.Slot
	}
	return t.QueuedAt
}

// Booked is a booking as the office keeps it: no word of who made it (the
// province keeps the phone, as a keyed hash). Its code is checked in at a
// kiosk like a remote ticket's (six digits, 500000–999999: the remote
// tickets' are below, so the two never meet).
type Booked struct {
	Code      string    `json:"code"`
	Token     string    `json:"token"`
	ServiceID string    `json:"service_id"`
	Slot      time.Time `json:"slot"`
	State     string    `json:"state"`            // BookedOpen, BookedCancelled, BookedArrived
	Ticket    string    `json:"ticket,omitempty"` // the ticket it was checked in as
	Change    int64     `json:"change,omitempty"` // the province's order of changes
}

// States of a booking.
const (
	BookedOpen      = "booked"
	BookedCancelled = "cancelled"
	BookedArrived   = "checked_in"
)

// FirstBookingCode is where booking codes start (remote tickets' are below).
const FirstBookingCode = 500000

// Arrival is how a booking checked in at now stands against its slot: the
// slot to queue it with (zero: a late one, as a walk-in), or the refusal
// in words (too early; too late where the office refuses late ones).
func (o Office) Arrival(b Booked, now time.Time, loc *time.Location) (time.Time, error) {
	r := o.WithDefaults().Rules
	early := b.Slot.Add(-time.Duration(r.CheckInEarlyMinutes) * time.Minute)
	late := b.Slot.Add(time.Duration(r.CheckInLateMinutes) * time.Minute)
	switch {
	case b.State == BookedCancelled:
		return time.Time{}, problem.Errorf(problem.EConflict, "Lịch hẹn này đã huỷ", "this booking was cancelled")
	case b.State == BookedArrived:
		return time.Time{}, problem.Errorf(problem.EConflict, "Lịch hẹn này đã xác nhận đến rồi", "this booking has checked in already")
	case DayOf(b.Slot, loc) != DayOf(now, loc):
		return time.Time{}, problem.Errorf(problem.EConflict, "Lịch hẹn này vào ngày %s, không phải hôm nay", "this booking is on %s, not today", b.Slot.In(loc).Format("02/01/2006"))
	case now.Before(early):
		return time.Time{}, problem.Errorf(problem.EConflict, "Chưa đến giờ xác nhận lịch hẹn %s: xin quay lại từ %s", "too early for the %s booking: please check in from %s",
			b.Slot.In(loc).Format("15:04"), early.In(loc).Format("15:04"))
	case now.After(late) && r.LateBooking == LateRefuse:
		return time.Time{}, problem.Errorf(problem.EConflict, "Đã quá giờ hẹn %s. Xin mời Ông/Bà đặt lịch khác hoặc lấy số tại văn phòng", "the %s booking is past; please book again or take a number here",
			b.Slot.In(loc).Format("15:04"))
	case now.After(late):
		return time.Time{}, nil // as a walk-in, queued from now
	}
	return b.Slot, nil
}
