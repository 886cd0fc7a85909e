package server

import (
	"net/http"
	"slices"

	"motcua/internal/api"
	"motcua/internal/auth"
	"motcua/internal/problem"
	"motcua/internal/queue"
	"motcua/internal/reply"
)

// handleServiceToday closes a service for the rest of today, or opens it
// again: the supervisor or an admin (the desk head decides the day, not the
// settings). It answers the service as the kiosks now see it.
func (s *Server) handleServiceToday(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	if err := auth.NeedSupervisor(p); err != nil {
		return err
	}
	var req api.ServiceTodayRequest
	if err := reply.Decode(w, r, &req, true); err != nil {
		return err
	}
	status, err := s.serviceToday(r, p, r.PathValue("id"), r.PathValue("action"), req.Reason)
	if err != nil {
		return err
	}
	reply.JSON(w, http.StatusOK, status)
	return nil
}

// serviceToday runs the close or open command and returns the service after it.
func (s *Server) serviceToday(r *http.Request, p auth.Principal, id, action, reason string) (queue.ServiceStatus, error) {
	op := map[string]queue.Op{api.ActCloseToday: queue.OpCloseToday, api.ActOpenToday: queue.OpOpenToday}[action]
	if op == "" {
		return queue.ServiceStatus{}, problem.Errorf(problem.ENotFound, "Không có thao tác %q cho dịch vụ; dùng close hoặc open", "no service action %q; use close or open", action)
	}
	if _, err := s.q.Do(r.Context(), queue.Command{Op: op, Actor: p.Actor, ServiceID: id, Reason: reason}); err != nil {
		return queue.ServiceStatus{}, err
	}
	services := s.q.Services()
	i := slices.IndexFunc(services, func(st queue.ServiceStatus) bool { return st.ID == id })
	if i < 0 {
		return queue.ServiceStatus{}, problem.Errorf(problem.ENotFound, "Không có dịch vụ %q", "no service %q", id)
	}
	return services[i], nil
}
