package server

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"motcua/internal/api"
	"motcua/internal/auth"
	"motcua/internal/problem"
	"motcua/internal/queue"
	"motcua/internal/reply"
)

func (s *Server) view(t queue.Ticket) api.TicketView {
	v := api.TicketView{Ticket: t, Counters: []int{}}
	if info, ok := s.conf().services[t.ServiceID]; ok {
		v.ServiceName, v.ServiceNameEN, v.Counters = info.Name, info.NameEN, info.Counters
	}
	v.Ahead, v.ETAMinutes = s.q.Position(t)
	if t.State == queue.NoShow {
		v.RejoinUntil = t.NoShowAt.Add(s.conf().rejoinWindow)
	}
	return v
}

// serviceInfo is the static part of a service that ticket views show.
type serviceInfo struct {
	Name, NameEN string
	Counters     []int
}

// staticServices reads the names and counters of each service from the config,
// once: they do not change while the server runs.
func staticServices(o queue.Office) map[string]serviceInfo {
	out := map[string]serviceInfo{}
	for _, svc := range o.Services {
		info := serviceInfo{Name: svc.Name, NameEN: svc.NameEN, Counters: []int{}}
		for _, c := range o.Counters {
			if slices.Contains(c.Services, svc.ID) {
				info.Counters = append(info.Counters, c.Number)
			}
		}
		slices.Sort(info.Counters)
		out[svc.ID] = info
	}
	return out
}

func (s *Server) handleServices(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	reply.JSON(w, http.StatusOK, s.q.Services())
	return nil
}

func (s *Server) handleIssue(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	channel := queue.ChannelKiosk
	switch {
	case p.Actor.Kind == queue.ActorDevice && p.Kind == DeviceKiosk:
	case p.IsStaff():
		channel = queue.ChannelCounter
	case p.Actor.Kind == "":
		return auth.ErrNeedLogin
	default:
		return auth.ErrNeedKiosk
	}
	var req api.IssueRequest
	if err := reply.Decode(w, r, &req, false); err != nil {
		return err
	}
	phone, err := s.notifyPhone(req.Phone)
	if err != nil {
		return err
	}
	res, err := s.q.Do(r.Context(), queue.Command{Op: queue.OpIssue, Actor: p.Actor, ServiceID: req.ServiceID, Priority: req.Priority, Channel: channel, Token: auth.TicketToken(s.now())})
	if err != nil {
		return err
	}
	if phone != "" {
		// The ticket stands whatever happens to its phone: it is printed.
		if err := s.giveContact(*res.Ticket, phone); err != nil {
			reply.OpLog(r).Error("issue: the phone for the ticket's messages was not kept", "ticket", res.Ticket.ID, "err", err)
		}
	}
	reply.JSON(w, http.StatusCreated, s.view(*res.Ticket))
	return nil
}

func (s *Server) handleTicketStatus(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	t, ok, err := s.q.TicketByToken(r.PathValue("token"))
	if err != nil {
		return err
	}
	if !ok {
		return problem.Errorf(problem.ENotFound, "Không tìm thấy phiếu này; có thể mã đã hết hạn", "no ticket with this code; it may have expired")
	}
	v := s.view(t)
	v.Ticket = t.Public()
	reply.JSON(w, http.StatusOK, v)
	return nil
}

func (s *Server) ticketAction(op queue.Op) handler {
	return func(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
		if !p.IsStaff() && p.Kind != DeviceKiosk {
			if p.Actor.Kind == "" {
				return auth.ErrNeedLogin
			}
			return auth.ErrNeedStaff
		}
		var req api.TicketActionRequest
		if err := reply.Decode(w, r, &req, true); err != nil {
			return err
		}
		res, err := s.q.Do(r.Context(), queue.Command{Op: op, Actor: p.Actor, TicketID: r.PathValue("id"), Reason: req.Reason})
		if err != nil {
			return err
		}
		reply.JSON(w, http.StatusOK, s.view(*res.Ticket))
		return nil
	}
}

func (s *Server) handleLogin(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	var req api.LoginRequest
	if err := reply.Decode(w, r, &req, false); err != nil {
		return err
	}
	token, u, err := s.auth.Login(req.Username, req.PIN, req.NewPIN, auth.ClientAddr(r))
	if err != nil {
		return err
	}
	reply.JSON(w, http.StatusOK, api.LoginAnswer{Token: token, Username: u.Username, Name: u.Name, Role: u.Role, ExpiresAt: s.now().Add(s.auth.TTL())})
	return nil
}

func (s *Server) handleLogout(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	if !p.IsStaff() {
		return auth.ErrNeedLogin
	}
	if err := s.auth.Logout(auth.Bearer(r)); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) handleMe(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	if p.Actor.Kind == "" {
		return auth.ErrNeedLogin
	}
	reply.JSON(w, http.StatusOK, api.MeAnswer{Kind: string(p.Actor.Kind), ID: p.Actor.ID, Name: p.Actor.Name, DeviceKind: p.Kind})
	return nil
}

// handleRating takes the citizen's answer from the rating screen paired to the
// counter; nobody else may answer for the citizen.
func (s *Server) handleRating(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil || n < 1 || n > 999 {
		return problem.Errorf(problem.EInvalid, "Số quầy %q không hợp lệ", "bad counter number %q", r.PathValue("n"))
	}
	if p.Actor.Kind == "" {
		return auth.ErrNeedLogin
	}
	if p.Kind != DeviceRating || p.Counter != n {
		return problem.Errorf(problem.EForbidden, "Chỉ màn hình đánh giá của quầy %d mới gửi được đánh giá", "only counter %d's rating screen can rate", n)
	}
	var req api.RatingRequest
	if err := reply.Decode(w, r, &req, false); err != nil {
		return err
	}
	if len(req.Reasons) > 20 {
		return problem.Errorf(problem.EInvalid, "Quá nhiều lý do", "too many reasons")
	}
	res, err := s.q.Do(r.Context(), queue.Command{Op: queue.OpRate, Actor: p.Actor, Counter: n, TicketID: req.TicketID, Option: req.Option, Reasons: req.Reasons})
	if err != nil {
		return err
	}
	reply.JSON(w, http.StatusOK, res.Ticket.Rating)
	return nil
}

// counterOps maps the URL's action to a command.
var counterOps = map[string]queue.Op{
	api.ActNext: queue.OpNext, api.ActCall: queue.OpCall, api.ActRecall: queue.OpRecall, api.ActStart: queue.OpStart,
	api.ActNoShow: queue.OpNoShow, api.ActFinish: queue.OpFinish, api.ActTransfer: queue.OpTransfer,
	api.ActPause: queue.OpPause, api.ActResume: queue.OpResume, api.ActOpen: queue.OpOpen, api.ActClose: queue.OpClose,
}

func (s *Server) handleCounter(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	op, ok := counterOps[r.PathValue("action")]
	if !ok {
		return problem.Errorf(problem.ENotFound, "Không có thao tác %q tại quầy", "no counter action %q", r.PathValue("action"))
	}
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil || n < 1 || n > 999 {
		return problem.Errorf(problem.EInvalid, "Số quầy %q không hợp lệ", "bad counter number %q", r.PathValue("n"))
	}
	if !p.IsStaff() {
		if p.Actor.Kind == "" {
			return auth.ErrNeedLogin
		}
		return auth.ErrNeedStaff
	}
	var req api.CounterRequest
	if err := reply.Decode(w, r, &req, true); err != nil {
		return err
	}
	res, err := s.q.Do(r.Context(), queue.Command{Op: op, Actor: p.Actor, Counter: n, ServiceID: strings.TrimSpace(req.ServiceID), Note: req.Note, TicketID: req.TicketID, Reason: req.Reason,
		NoRatingScreen: op == queue.OpFinish && !s.ratingScreenAt(n)})
	if err == queue.ErrNoneWaiting {
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
	if err != nil {
		return err
	}
	if res.Ticket != nil {
		reply.JSON(w, http.StatusOK, s.view(*res.Ticket))
	} else {
		reply.JSON(w, http.StatusOK, res.Counter)
	}
	return nil
}

func (s *Server) handleState(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	snap := s.q.Snapshot()
	if !p.IsStaff() {
		snap = snap.Public()
	}
	reply.JSON(w, http.StatusOK, snap)
	return nil
}

func (s *Server) handleBackup(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	if err := auth.NeedAdmin(p); err != nil {
		return err
	}
	name := "motcua-backup-" + s.now().Format("20060102-150405") + ".tar"
	w.Header().Set("Content-Type", "application/x-tar")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	// Content-Length is left out: the size may change between reading it and the
	// read transaction that writes the copy.
	if _, err := s.q.WriteArchive(w); err != nil {
		// Headers are gone; abort the connection so the client sees a failure.
		panic(http.ErrAbortHandler)
	}
	return nil
}

func (s *Server) handleAlert(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	if err := auth.NeedDevice(p, "Chỉ thiết bị mới gửi báo lỗi thiết bị", "only devices send device alerts"); err != nil {
		return err
	}
	var req api.AlertRequest
	if err := reply.Decode(w, r, &req, false); err != nil {
		return err
	}
	if _, err := s.q.Do(r.Context(), queue.Command{Op: queue.OpAlert, Actor: p.Actor, Note: req.Code, Reason: req.Message}); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// handlePrinted takes a kiosk's last printed numbers of the day (sent on every
// reconnect): numbering never goes back to a number a citizen already holds.
func (s *Server) handlePrinted(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	if p.Kind != DeviceKiosk {
		if p.Actor.Kind == "" {
			return auth.ErrNeedLogin
		}
		return auth.ErrNeedKiosk
	}
	var req api.PrintedRequest
	if err := reply.Decode(w, r, &req, false); err != nil {
		return err
	}
	if len(req.Last) > 100 || len(req.Day) != 8 {
		return problem.Errorf(problem.EInvalid, "Ngày phải dạng YYYYMMDD và tối đa 100 dịch vụ", "day must be YYYYMMDD, with at most 100 services")
	}
	if _, err := s.q.Do(r.Context(), queue.Command{Op: queue.OpFloor, Actor: p.Actor, Day: req.Day, Floors: req.Last}); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
