package server

import (
	"context"
	"log/slog"
	"net/http"

	"motcua/internal/api"
	"motcua/internal/auth"
	"motcua/internal/problem"
	"motcua/internal/queue"
	"motcua/internal/reply"
)

// handleCheckIn is a remote ticket's citizen at a kiosk (or a clerk on
// their behalf): the code typed or scanned, the ticket away no more,
// answered as an issue is (201, the ticket with its place) so that the
// kiosk prints it. 404 for a code unknown today, 409 for one checked in
// already or lapsed.
func (s *Server) handleCheckIn(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	switch {
	case p.Actor.Kind == queue.ActorDevice && p.Kind == DeviceKiosk, p.IsStaff():
	case p.Actor.Kind == "":
		return auth.ErrNeedLogin
	default:
		return auth.ErrNeedKiosk
	}
	var req api.CheckInRequest
	if err := reply.Decode(w, r, &req, false); err != nil {
		return err
	}
	code := queue.Digits(req.Code)
	res, err := s.q.Do(r.Context(), queue.Command{Op: queue.OpCheckIn, Actor: p.Actor, CheckIn: code})
	if problem.CodeOf(err) == problem.ENotFound {
		res, err = s.arriveBooked(r.Context(), p.Actor, code)
	}
	if err != nil {
		return err
	}
	reply.JSON(w, http.StatusCreated, s.view(*res.Ticket))
	return nil
}

// arriveBooked checks in the booking of code: in its window it is issued as
// a ticket with its slot (late, as the office's rule says), then marked
// checked in. The ticket carries the booking's code, so a second check-in
// is refused by the queue even if the mark did not land.
func (s *Server) arriveBooked(ctx context.Context, by queue.Actor, code string) (queue.Result, error) {
	k, ok, err := s.q.Booking(code)
	if err != nil {
		return queue.Result{}, err
	}
	if !ok {
		return queue.Result{}, problem.Errorf(problem.ENotFound, "Không tìm thấy số hay lịch hẹn có mã %q hôm nay. Xin kiểm tra lại mã, hoặc hỏi quầy hướng dẫn",
			"no ticket or booking with code %q today; check the code, or ask at the help desk", code)
	}
	c := s.conf()
	slot, err := c.office.Arrival(k, s.now(), c.loc)
	if err != nil {
		return queue.Result{}, err
	}
	res, err := s.q.Do(ctx, queue.Command{Op: queue.OpIssue, Actor: by, Channel: queue.ChannelAppointment, ServiceID: k.ServiceID,
		Token: auth.TicketToken(s.now()), CheckIn: code, Slot: slot})
	if err != nil {
		return queue.Result{}, err
	}
	if err := s.q.BookingArrived(code, res.Ticket.ID, by); err != nil {
		slog.Error("a booking checked in, its mark not kept", "op", "checkin", "code", code, "err", err)
	}
	return res, nil
}
