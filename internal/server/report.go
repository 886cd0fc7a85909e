package server

import (
	"net/http"
	"time"

	"motcua/internal/queue"
)

// handleReport tallies the tickets of a period (admin):
// GET /api/v1/admin/report?from=2026-01-01&to=2026-12-31.
func (s *Server) handleReport(w http.ResponseWriter, r *http.Request, p principal) error {
	if p.actor.Kind != queue.ActorAdmin {
		if p.actor.Kind == "" {
			return errNeedLogin
		}
		return errNeedAdmin
	}
	day := func(name string) (string, error) {
		t, err := time.Parse("2006-01-02", r.URL.Query().Get(name))
		if err != nil {
			return "", queue.Errorf(queue.EInvalid, "Tham số %s phải là ngày dạng 2026-01-31", "%s must be a date like 2026-01-31", name)
		}
		return t.Format("20060102"), nil
	}
	from, err := day("from")
	if err != nil {
		return err
	}
	to, err := day("to")
	if err != nil {
		return err
	}
	rep, err := s.q.Report(from, to)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, rep)
	return nil
}
