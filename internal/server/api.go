package server

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"motcua/internal/api"
	"motcua/internal/problem"
	"motcua/internal/queue"
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

func (s *Server) handleServices(w http.ResponseWriter, r *http.Request, p principal) error {
	writeJSON(w, http.StatusOK, s.q.Services())
	return nil
}

func (s *Server) handleIssue(w http.ResponseWriter, r *http.Request, p principal) error {
	channel := queue.ChannelKiosk
	switch {
	case p.actor.Kind == queue.ActorDevice && p.kind == DeviceKiosk:
	case p.isStaff():
		channel = queue.ChannelCounter
	case p.actor.Kind == "":
		return errNeedLogin
	default:
		return errNeedKiosk
	}
	var req api.IssueRequest
	if err := decode(w, r, &req, false); err != nil {
		return err
	}
	res, err := s.q.Do(r.Context(), queue.Command{Op: queue.OpIssue, Actor: p.actor, ServiceID: req.ServiceID, Priority: req.Priority, Channel: channel, Token: ticketToken(s.now())})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, s.view(*res.Ticket))
	return nil
}

func (s *Server) handleTicketStatus(w http.ResponseWriter, r *http.Request, p principal) error {
	t, ok, err := s.q.TicketByToken(r.PathValue("token"))
	if err != nil {
		return err
	}
	if !ok {
		return problem.Errorf(problem.ENotFound, "Không tìm thấy phiếu này; có thể mã đã hết hạn", "no ticket with this code; it may have expired")
	}
	v := s.view(t)
	v.Ticket = t.Public()
	writeJSON(w, http.StatusOK, v)
	return nil
}

func (s *Server) ticketAction(op queue.Op) handler {
	return func(w http.ResponseWriter, r *http.Request, p principal) error {
		if !p.isStaff() && p.kind != DeviceKiosk {
			if p.actor.Kind == "" {
				return errNeedLogin
			}
			return errNeedStaff
		}
		var req api.TicketActionRequest
		if err := decode(w, r, &req, true); err != nil {
			return err
		}
		res, err := s.q.Do(r.Context(), queue.Command{Op: op, Actor: p.actor, TicketID: r.PathValue("id"), Reason: req.Reason})
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, s.view(*res.Ticket))
		return nil
	}
}

func (s *Server) handleLogin(w http.ResponseWriter, r *http.Request, p principal) error {
	var req api.LoginRequest
	if err := decode(w, r, &req, false); err != nil {
		return err
	}
	token, u, err := s.auth.login(req.Username, req.PIN, req.NewPIN, clientAddr(r))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, api.LoginAnswer{Token: token, Username: u.Username, Name: u.Name, Role: u.Role, ExpiresAt: s.now().Add(s.auth.ttl)})
	return nil
}

func (s *Server) handleLogout(w http.ResponseWriter, r *http.Request, p principal) error {
	if !p.isStaff() {
		return errNeedLogin
	}
	if err := s.auth.sessions.DeleteSession(bearer(r), s.now()); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) handleMe(w http.ResponseWriter, r *http.Request, p principal) error {
	if p.actor.Kind == "" {
		return errNeedLogin
	}
	writeJSON(w, http.StatusOK, api.MeAnswer{Kind: string(p.actor.Kind), ID: p.actor.ID, Name: p.actor.Name, DeviceKind: p.kind})
	return nil
}

// handleRating takes the citizen's answer from the rating screen paired to the
// counter; nobody else may answer for the citizen.
func (s *Server) handleRating(w http.ResponseWriter, r *http.Request, p principal) error {
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil || n < 1 || n > 999 {
		return problem.Errorf(problem.EInvalid, "Số quầy %q không hợp lệ", "bad counter number %q", r.PathValue("n"))
	}
	if p.actor.Kind == "" {
		return errNeedLogin
	}
	if p.kind != DeviceRating || p.counter != n {
		return problem.Errorf(problem.EForbidden, "Chỉ màn hình đánh giá của quầy %d mới gửi được đánh giá", "only counter %d's rating screen can rate", n)
	}
	var req api.RatingRequest
	if err := decode(w, r, &req, false); err != nil {
		return err
	}
	if len(req.Reasons) > 20 {
		return problem.Errorf(problem.EInvalid, "Quá nhiều lý do", "too many reasons")
	}
	res, err := s.q.Do(r.Context(), queue.Command{Op: queue.OpRate, Actor: p.actor, Counter: n, TicketID: req.TicketID, Option: req.Option, Reasons: req.Reasons})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, res.Ticket.Rating)
	return nil
}

// counterOps maps the URL's action to a command.
var counterOps = map[string]queue.Op{
	api.ActNext: queue.OpNext, api.ActCall: queue.OpCall, api.ActRecall: queue.OpRecall, api.ActStart: queue.OpStart,
	api.ActNoShow: queue.OpNoShow, api.ActFinish: queue.OpFinish, api.ActTransfer: queue.OpTransfer,
	api.ActPause: queue.OpPause, api.ActResume: queue.OpResume, api.ActOpen: queue.OpOpen, api.ActClose: queue.OpClose,
}

func (s *Server) handleCounter(w http.ResponseWriter, r *http.Request, p principal) error {
	op, ok := counterOps[r.PathValue("action")]
	if !ok {
		return problem.Errorf(problem.ENotFound, "Không có thao tác %q tại quầy", "no counter action %q", r.PathValue("action"))
	}
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil || n < 1 || n > 999 {
		return problem.Errorf(problem.EInvalid, "Số quầy %q không hợp lệ", "bad counter number %q", r.PathValue("n"))
	}
	if !p.isStaff() {
		if p.actor.Kind == "" {
			return errNeedLogin
		}
		return errNeedStaff
	}
	var req api.CounterRequest
	if err := decode(w, r, &req, true); err != nil {
		return err
	}
	res, err := s.q.Do(r.Context(), queue.Command{Op: op, Actor: p.actor, Counter: n, ServiceID: strings.TrimSpace(req.ServiceID), Note: req.Note, TicketID: req.TicketID, Reason: req.Reason})
	if err == queue.ErrNoneWaiting {
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
	if err != nil {
		return err
	}
	if res.Ticket != nil {
		writeJSON(w, http.StatusOK, s.view(*res.Ticket))
	} else {
		writeJSON(w, http.StatusOK, res.Counter)
	}
	return nil
}

func (s *Server) handleState(w http.ResponseWriter, r *http.Request, p principal) error {
	snap := s.q.Snapshot()
	if !p.isStaff() {
		snap = snap.Public()
	}
	writeJSON(w, http.StatusOK, snap)
	return nil
}

func (s *Server) handleBackup(w http.ResponseWriter, r *http.Request, p principal) error {
	if err := needAdmin(p); err != nil {
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

// handleAlert records a device's trouble report (a printer out of paper, …) as a
// device.alert event, which supervisors see on the staff feed.
// needDevice refuses anyone but a device: 401 without credentials, 403
// (saying vi, en) with a user's.
func needDevice(p principal, vi, en string) error {
	switch p.actor.Kind {
	case queue.ActorDevice:
		return nil
	case "":
		return errNeedLogin
	}
	return &problem.Error{Code: problem.EForbidden, Message: vi, MessageEN: en}
}

func (s *Server) handleAlert(w http.ResponseWriter, r *http.Request, p principal) error {
	if err := needDevice(p, "Chỉ thiết bị mới gửi báo lỗi thiết bị", "only devices send device alerts"); err != nil {
		return err
	}
	var req api.AlertRequest
	if err := decode(w, r, &req, false); err != nil {
		return err
	}
	if _, err := s.q.Do(r.Context(), queue.Command{Op: queue.OpAlert, Actor: p.actor, Note: req.Code, Reason: req.Message}); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// handlePrinted takes a kiosk's last printed numbers of the day (sent on every
// reconnect): numbering never goes back to a number a citizen already holds.
func (s *Server) handlePrinted(w http.ResponseWriter, r *http.Request, p principal) error {
	if p.kind != DeviceKiosk {
		if p.actor.Kind == "" {
			return errNeedLogin
		}
		return errNeedKiosk
	}
	var req api.PrintedRequest
	if err := decode(w, r, &req, false); err != nil {
		return err
	}
	if len(req.Last) > 100 || len(req.Day) != 8 {
		return problem.Errorf(problem.EInvalid, "Ngày phải dạng YYYYMMDD và tối đa 100 dịch vụ", "day must be YYYYMMDD, with at most 100 services")
	}
	if _, err := s.q.Do(r.Context(), queue.Command{Op: queue.OpFloor, Actor: p.actor, Day: req.Day, Floors: req.Last}); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
