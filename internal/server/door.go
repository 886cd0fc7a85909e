package server

import (
	"context"
	"crypto/rand"
	"fmt"
	"math/big"
	"net/http"
	"slices"
	"time"

	"motcua/internal/api"
	"motcua/internal/auth"
	"motcua/internal/notify"
	"motcua/internal/problem"
	"motcua/internal/queue"
	"motcua/internal/reply"
)

// The office's side of the citizens' door: the requests the province brings
// over the uplink (internal/replicate polls for them), answered here as
// the office's own API would — its numbering, its rules, its words.

// province is who a remote ticket is issued by.
var province = queue.Actor{Kind: queue.ActorProvince, ID: "uplink", Name: "Lấy số từ xa qua tỉnh"}

// Door answers one request from outside.
func (s *Server) Door(ctx context.Context, req api.DoorRequest) api.DoorAnswer {
	t, status, err := s.door(ctx, req)
	a := api.DoorAnswer{ID: req.ID, Status: status}
	if err != nil {
		e := api.ErrorOf(err)
		a.Status, a.Error = reply.Status(problem.CodeOf(err)), &e
		return a
	}
	if t.ID != "" {
		a.Ticket = s.remoteView(t)
	}
	return a
}

func (s *Server) door(ctx context.Context, req api.DoorRequest) (queue.Ticket, int, error) {
	switch req.Kind {
	case api.DoorRemoteTicket:
		for range 5 { // a code or token drawn twice: draw again
			code, err := rand.Int(rand.Reader, big.NewInt(queue.FirstBookingCode-100_000)) // 100000–499999: bookings' are above
			if err != nil {
				return queue.Ticket{}, 0, err
			}
			res, err := s.q.Do(ctx, queue.Command{Op: queue.OpIssue, Actor: province, Channel: queue.ChannelRemote, ServiceID: req.ServiceID,
				Token: auth.TicketToken(s.now()), CheckIn: fmt.Sprint(100_000 + code.Int64())})
			if problem.CodeOf(err) == problem.EConflict {
				continue
			}
			if err != nil {
				return queue.Ticket{}, 0, err
			}
			if phone, perr := s.notifyPhone(req.Phone); perr == nil && phone != "" {
				// The number stands whatever happens to its phone.
				s.giveContact(*res.Ticket, phone)
			}
			return *res.Ticket, http.StatusCreated, nil
		}
		return queue.Ticket{}, 0, problem.Errorf(problem.EConflict, "Chưa cấp được số; xin thử lại", "no number could be issued; please try again")
	case api.DoorTell:
		return queue.Ticket{}, http.StatusAccepted, s.tellFromDoor(req)
	case api.DoorTicketStatus:
		t, ok, err := s.q.TicketByToken(req.Token)
		if err != nil {
			return queue.Ticket{}, 0, err
		}
		if !ok || t.Channel != queue.ChannelRemote { // the door follows only the tickets it gave
			return queue.Ticket{}, 0, problem.Errorf(problem.ENotFound, "Không tìm thấy số này hôm nay", "no such ticket today")
		}
		return t, http.StatusOK, nil
	}
	return queue.Ticket{}, 0, problem.Errorf(problem.EInvalid, "Yêu cầu %q không có", "no request %q", req.Kind)
}

// tellFromDoor queues the message the province asks for: only a phone's
// one-time code or a booking's confirmation, with their own parameters, to
// a valid phone, when the office sends that kind. Its id is the request's:
// asked twice, it goes once.
func (s *Server) tellFromDoor(req api.DoorRequest) error {
	t := req.Tell
	if t == nil || (t.Kind != notify.Code && t.Kind != notify.Booked) || req.ID == "" || len(req.ID) > 64 {
		return problem.Errorf(problem.EInvalid, "Văn phòng không gửi tin này", "the office sends no such message")
	}
	phone, err := s.notifyPhone(req.Phone)
	if err != nil {
		return err
	}
	o := s.conf().office
	if phone == "" || !o.Notify.Sends(t.Kind) || s.tell == nil {
		return problem.Errorf(problem.EConflict, "Văn phòng không gửi tin này", "the office does not send this message")
	}
	params := map[string]string{}
	for k, v := range t.Params {
		if !slices.Contains(t.Kind.Params(), k) || k == "office" || len(v) > 200 {
			return problem.Errorf(problem.EInvalid, "Tham số %q không dùng được", "parameter %q is not taken", k)
		}
		params[k] = v
	}
	params["office"] = o.Name
	loc, err := o.Location()
	if err != nil {
		loc = time.UTC
	}
	return s.tell(notify.New("door:"+req.ID, t.Kind, phone, params, o.Notify, s.now(), loc))
}

// remoteView is a remote ticket as its citizen follows it from outside.
func (s *Server) remoteView(t queue.Ticket) *api.RemoteTicket {
	v := s.view(t)
	out := &api.RemoteTicket{Office: s.conf().office.Name, Number: t.Number, Display: t.Display, ServiceID: t.ServiceID, ServiceName: v.ServiceName,
		Token: t.Token, CheckIn: t.CheckIn, State: t.State, Away: t.Away, Passed: !t.PassedAt.IsZero(), Ahead: v.Ahead, ETAMinutes: v.ETAMinutes, Counter: t.Counter}
	if out.Passed && t.Away {
		out.LapsesAt = t.PassedAt.Add(s.conf().lapse)
	}
	return out
}
