package server

import (
	"net/http"

	"motcua/internal/api"
	"motcua/internal/auth"
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
	res, err := s.q.Do(r.Context(), queue.Command{Op: queue.OpCheckIn, Actor: p.Actor, CheckIn: queue.Digits(req.Code)})
	if err != nil {
		return err
	}
	reply.JSON(w, http.StatusCreated, s.view(*res.Ticket))
	return nil
}
