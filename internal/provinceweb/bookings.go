package provinceweb

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"motcua/assets"
	"motcua/internal/api"
	"motcua/internal/calendar"
	"motcua/internal/notify"
	"motcua/internal/problem"
	"motcua/internal/province"
	"motcua/internal/queue"
)

// Bookings (đặt lịch hẹn) at the citizens' door: the free slots an office's
// settings give (its services' booking, its hours, the year's days off),
// taken here and handed to the office over its uplink when it asks.

var shippedYears = sync.OnceValue(func() []calendar.Year {
	years, err := calendar.ParseYears(assets.Calendars, "calendar/*.json")
	if err != nil {
		slog.Error("the shipped calendars", "err", err)
	}
	return years
})

// bookable is an office's service that takes bookings, with the office.
type bookable struct {
	office province.Office
	svc    queue.ServiceConfig
	loc    *time.Location
	cal    *calendar.Calendar
}

func (s *Server) bookable(ctx context.Context, officeID, serviceID string) (bookable, error) {
	list, err := province.Offices(ctx, s.Pool, []string{strings.TrimSpace(officeID)})
	if err != nil {
		return bookable{}, err
	}
	if len(list) != 1 {
		return bookable{}, problem.Errorf(problem.ENotFound, "Không có văn phòng %q", "no office %q", officeID)
	}
	o := list[0]
	p := o.Profile.WithDefaults()
	loc, err := p.Location()
	if err != nil {
		loc = vietnam
	}
	for _, svc := range p.Services {
		if svc.ID == serviceID && svc.Booking != nil {
			cal, err := calendar.New(loc, p.WorkingHours(), shippedYears()...)
			if err != nil {
				return bookable{}, err
			}
			return bookable{office: o, svc: svc, loc: loc, cal: cal}, nil
		}
	}
	return bookable{}, problem.Errorf(problem.ENotFound, "Văn phòng không nhận đặt lịch cho dịch vụ %q", "the office takes no bookings for service %q", serviceID)
}

// free are b's slots of date (local midnight) with room, from now on.
func (s *Server) free(ctx context.Context, b bookable, date time.Time) ([]api.FreeSlot, error) {
	now := s.now()
	today := time.Date(now.In(b.loc).Year(), now.In(b.loc).Month(), now.In(b.loc).Day(), 0, 0, 0, 0, b.loc)
	if date.Before(today) || date.After(today.AddDate(0, 0, b.svc.Booking.Ahead())) || !b.cal.Working(date.Add(12*time.Hour)) {
		return []api.FreeSlot{}, nil
	}
	taken, total, err := province.SlotsTaken(ctx, s.Pool, b.office.ID, b.svc.ID, queue.DayOf(date, b.loc))
	if err != nil {
		return nil, err
	}
	out := []api.FreeSlot{}
	if total >= b.svc.DayCapacity() {
		return out, nil
	}
	for _, t := range b.office.Profile.WithDefaults().Slots(b.svc, date, b.loc) {
		if !t.After(now) {
			continue
		}
		if n := b.svc.Booking.PerSlot - taken[t.UTC()]; n > 0 {
			out = append(out, api.FreeSlot{Slot: t.In(b.loc).Format("2006-01-02T15:04"), Free: n})
		}
	}
	return out, nil
}

// publicSlots is GET api.PublicSlots.
func (s *Server) publicSlots(w http.ResponseWriter, r *http.Request) {
	b, err := s.bookable(r.Context(), r.PathValue("id"), r.URL.Query().Get("service_id"))
	if err != nil {
		s.doorError(w, err)
		return
	}
	date, err := time.ParseInLocation("2006-01-02", r.URL.Query().Get("date"), b.loc)
	if err != nil {
		s.doorError(w, problem.Errorf(problem.EInvalid, "Ngày %q không đúng dạng YYYY-MM-DD", "date %q is not YYYY-MM-DD", r.URL.Query().Get("date")))
		return
	}
	slots, err := s.free(r.Context(), b, date)
	if err != nil {
		s.doorError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, slots)
}

// book takes a citizen's booking: the limits per address and per phone, the
// slot one the office's settings give with room left.
func (s *Server) book(ctx context.Context, addr string, req api.BookingRequest, verified bool) (api.BookingAnswer, error) {
	if wait := s.publicStrikes().Locked(addr); wait > 0 {
		return api.BookingAnswer{}, problem.Errorf(problem.ETooMany, "Quá nhiều yêu cầu từ địa chỉ này; xin thử lại sau %d phút",
			"too many requests from this address; please try again in %d minutes", int(wait.Minutes())+1)
	}
	s.publicStrikes().Fail(addr)
	phone, err := notify.Phone(req.Phone)
	if err != nil {
		return api.BookingAnswer{}, err
	}
	b, err := s.bookable(ctx, req.Office, req.ServiceID)
	if err != nil {
		return api.BookingAnswer{}, err
	}
	slot, err := time.ParseInLocation("2006-01-02T15:04", req.Slot, b.loc)
	if err != nil {
		return api.BookingAnswer{}, problem.Errorf(problem.EInvalid, "Lượt %q không đúng dạng YYYY-MM-DDTHH:MM", "slot %q is not YYYY-MM-DDTHH:MM", req.Slot)
	}
	date := time.Date(slot.Year(), slot.Month(), slot.Day(), 0, 0, 0, 0, b.loc)
	free, err := s.free(ctx, b, date)
	if err != nil {
		return api.BookingAnswer{}, err
	}
	found := false
	for _, f := range free {
		found = found || f.Slot == req.Slot
	}
	if !found {
		return api.BookingAnswer{}, problem.Errorf(problem.EConflict, "Lượt %s không còn chỗ hoặc không nhận đặt lịch; xin chọn lượt khác", "the %s slot is full or not bookable; please choose another", req.Slot)
	}
	mac, err := province.PhoneMAC(ctx, s.Pool, phone)
	if err != nil {
		return api.BookingAnswer{}, err
	}
	day := queue.DayOf(slot, b.loc)
	if taken, err := province.PhoneTaken(ctx, s.Pool, b.office.ID, day, mac); err != nil || taken {
		if err == nil {
			err = province.ErrPhoneTaken
		}
		return api.BookingAnswer{}, err
	}
	if n := b.office.Profile.Notify; n.VerifyPhone && !verified {
		return api.BookingAnswer{}, s.askCode(ctx, b.office.ID, phone, n.CodeMinutes(), waitingCode{addr: addr, booking: &req})
	}
	k, err := province.Book(ctx, s.Pool, b.office.ID, b.svc.ID, day, slot, mac, b.svc.Booking.PerSlot, b.svc.DayCapacity())
	if err != nil {
		return api.BookingAnswer{}, err
	}
	s.hub().Nudge(b.office.ID)                                                                                 // the office asks for it at once
	if err := province.EraseBookings(ctx, s.Pool, queue.DayOf(s.now().AddDate(0, 0, -1), b.loc)); err != nil { // past days' phones' hashes go
		slog.Error("erasing past bookings", "err", err)
	}
	if req.Notify {
		s.confirmBooking(ctx, b, phone, k.Code, slot, "/lich/"+k.Token)
	}
	return api.BookingAnswer{Code: k.Code, StatusURL: "/lich/" + k.Token}, nil
}

// confirmBooking asks the office to tell the phone its booking (the
// office's outbox: Zalo or its modem). The booking stands whatever comes
// of it: an office away or sending no messages is only logged.
func (s *Server) confirmBooking(ctx context.Context, b bookable, phone, code string, slot time.Time, page string) {
	ask, cancel := context.WithTimeout(ctx, verifyAskWait)
	defer cancel()
	link := page
	if s.PublicURL != "" {
		link = strings.TrimRight(s.PublicURL, "/") + page
	}
	a, err := s.hub().Ask(ask, b.office.ID, api.DoorRequest{Kind: api.DoorTell, Phone: phone, Tell: &api.Tell{Kind: notify.Booked,
		Params: map[string]string{"service": b.svc.Name, "slot": slot.Format("15:04 02/01/2006"), "code": code, "link": link}}})
	if err := doorRefusal(a, err, http.StatusAccepted); err != nil {
		slog.Info("a booking's confirmation not sent", "office", b.office.ID, "err", err)
	}
}

// publicBooking is POST api.PublicBookings.
func (s *Server) publicBooking(w http.ResponseWriter, r *http.Request) {
	var req api.BookingRequest
	if !decodeJSON(w, r, 4096, &req, "Yêu cầu", "the request") {
		return
	}
	a, err := s.book(r.Context(), s.clientAddr(r), req, false)
	if sent, ok := errors.AsType[codeSent](err); ok {
		writeJSON(w, http.StatusAccepted, sent.VerifyAnswer)
		return
	}
	if err != nil {
		s.doorError(w, err)
		return
	}
	writeJSON(w, http.StatusCreated, a)
}

// uplinkBookings is an office asking for its booking changes.
func (s *Server) uplinkBookings(w http.ResponseWriter, r *http.Request) {
	office, ok := s.uplinkOffice(w, r)
	if !ok {
		return
	}
	after, _ := strconv.ParseInt(r.URL.Query().Get("after"), 10, 64)
	list, err := province.BookingsAfter(r.Context(), s.Pool, office, after, 500)
	if err != nil {
		slog.Error("uplink: bookings", "office", office, "err", err)
		uplinkError(w, http.StatusServiceUnavailable, problem.Errorf(problem.EInternal, "Tỉnh chưa đọc được; thử lại sau", "the province cannot read it now; try again later"))
		return
	}
	a := api.UplinkBookingsAnswer{Bookings: list, Last: after}
	if len(list) > 0 {
		a.Last = list[len(list)-1].Change
	} else {
		a.Bookings = []queue.Booked{}
	}
	writeJSON(w, http.StatusOK, a)
}
