package queue

import (
	"strings"
	"testing"
	"time"

	"motcua/internal/calendar"
	"motcua/internal/problem"
)

// A booking's check-in window, and what a late one comes to.
func TestBookingArrival(t *testing.T) {
	loc, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	slot := time.Date(2026, 12, 8, 9, 0, 0, 0, loc)
	b := Booked{Code: "512345", ServiceID: "a", Slot: slot, State: BookedOpen}
	o := testOffice()
	for _, c := range []struct {
		name     string
		at       time.Time
		late     string
		state    string
		wantSlot bool
		says     string
	}{
		{"too early", slot.Add(-16 * time.Minute), "", "", false, "Chưa đến giờ xác nhận lịch hẹn 09:00: xin quay lại từ 08:45"},
		{"at the window's start", slot.Add(-15 * time.Minute), "", "", true, ""},
		{"on time", slot, "", "", true, ""},
		{"ten minutes late", slot.Add(10 * time.Minute), "", "", true, ""},
		{"late, as a walk-in", slot.Add(11 * time.Minute), "", "", false, ""},
		{"late, refused", slot.Add(11 * time.Minute), LateRefuse, "", false, "Đã quá giờ hẹn 09:00"},
		{"another day", slot.Add(24 * time.Hour), "", "", false, "vào ngày 08/12/2026"},
		{"cancelled", slot, "", BookedCancelled, false, "đã huỷ"},
		{"checked in", slot, "", BookedArrived, false, "đã xác nhận đến"},
	} {
		o.Rules.LateBooking = c.late
		bb := b
		if c.state != "" {
			bb.State = c.state
		}
		got, err := o.Arrival(bb, c.at, loc)
		switch {
		case c.says != "" && (problem.CodeOf(err) != problem.EConflict || !strings.Contains(problem.As(err).Message, c.says)):
			t.Errorf("%s: %v, want refused saying %q", c.name, err, c.says)
		case c.says == "" && err != nil:
			t.Errorf("%s: %v", c.name, err)
		case c.says == "" && got.IsZero() == c.wantSlot:
			t.Errorf("%s: slot %v, want slot kept %v", c.name, got, c.wantSlot)
		}
	}
}

// The slots of a day: from the service's sessions or the office's hours,
// none on a Sunday, Saturdays only where the office opens then; the
// day's capacity is its share of the numbers.
func TestBookingSlots(t *testing.T) {
	loc, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	o := testOffice()
	svc := o.Services[0]
	svc.Booking = &Booking{SlotMinutes: 30, PerSlot: 2}
	monday := time.Date(2026, 12, 7, 12, 0, 0, 0, loc)
	slots := o.Slots(svc, monday, loc)
	if len(slots) != 16 || slots[0].Format("15:04") != "07:30" || slots[len(slots)-1].Format("15:04") != "17:00" {
		t.Fatalf("Monday's slots in the default hours: %d, %v…", len(slots), slots[:1])
	}
	if got := o.Slots(svc, monday.AddDate(0, 0, 5), loc); len(got) != 0 {
		t.Errorf("Saturday without Saturday hours: %d slots", len(got))
	}
	o.Hours = calendar.Hours{Weekday: calendar.DefaultHours().Weekday, Saturday: []calendar.Session{{Start: "07:30", End: "11:30"}}}
	if got := o.Slots(svc, monday.AddDate(0, 0, 5), loc); len(got) != 8 {
		t.Errorf("Saturday morning: %d slots, want 8", len(got))
	}
	if got := o.Slots(svc, monday.AddDate(0, 0, 6), loc); len(got) != 0 {
		t.Errorf("Sunday: %d slots", len(got))
	}
	svc.Booking.Sessions = []calendar.Session{{Start: "08:00", End: "09:45"}}
	if got := o.Slots(svc, monday, loc); len(got) != 3 {
		t.Errorf("the service's own session 08:00–09:45 in 30 minutes: %d slots, want 3", len(got))
	}
	if c := svc.DayCapacity(); c != 499 { // half of 1001–1999
		t.Errorf("the day's capacity: %d", c)
	}
	svc.Booking.SlotMinutes = 2
	o.Services[0] = svc
	if err := o.Validate(); problem.CodeOf(err) != problem.EInvalid {
		t.Errorf("a 2-minute slot: %v", err)
	}
}

// A booked ticket checked in early waits as any ticket until its slot;
// from its slot it goes ahead of walk-ins as a priority ticket does, at
// most PriorityRatio in a row while walk-ins wait.
func TestBookedTicketCalledAtItsSlot(t *testing.T) {
	h := newHarness(t) // PriorityRatio 2
	h.issue("a", "")   // w1 at 08:00
	slot := t0.Add(30 * time.Minute)
	h.at(20 * time.Minute)
	res, _, err := h.s.Execute(h.now, Command{Op: OpIssue, Actor: kiosk, Channel: ChannelAppointment, ServiceID: "a", Token: "bk1", CheckIn: "512345", Slot: slot})
	if err != nil {
		t.Fatal(err)
	}
	booked := *res.Ticket
	if _, _, err := h.s.Execute(h.now, Command{Op: OpIssue, Actor: kiosk, Channel: ChannelAppointment, ServiceID: "a", Token: "bk2", CheckIn: "512345", Slot: slot}); problem.CodeOf(err) != problem.EConflict {
		t.Errorf("the same booking twice: %v", err)
	}
	h.at(21 * time.Minute)
	w2 := h.issue("a", "")
	// 08:25: before its slot the booking waits behind w1 (taken earlier).
	h.at(25 * time.Minute)
	if d := h.nextAndFinish(1); d != "1001" {
		t.Fatalf("before the slot called %s, want the first walk-in 1001", d)
	}
	// 08:30: its slot — ahead of w2 although w2 waits.
	h.at(30 * time.Minute)
	if d := h.nextAndFinish(1); d != booked.Display {
		t.Fatalf("at the slot called %s, want the booking %s", d, booked.Display)
	}
	if d := h.nextAndFinish(1); d != w2.Display {
		t.Fatalf("then %s, want %s", d, w2.Display)
	}
}
