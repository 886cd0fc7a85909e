package server

import (
	"net/http"
	"time"

	"motcua/internal/queue"
)

// handleReport tallies the tickets of a period (admin):
// GET /api/v1/admin/report?from=2026-01-01&to=2026-12-31.
func (s *Server) handleReport(w http.ResponseWriter, r *http.Request, p principal) error {
	if err := needSupervisor(p); err != nil {
		return err
	}
	loc := s.conf().loc
	from, to, err := period(r, loc)
	if err != nil {
		return err
	}
	rep, err := s.q.Report(queue.DayOf(from, loc), queue.DayOf(to.AddDate(0, 0, -1), loc))
	if err != nil {
		return err
	}
	out := struct {
		*queue.Report
		Dossiers *dossierTally `json:"dossiers,omitempty"`
	}{Report: rep}
	if s.dossiers != nil {
		if out.Dossiers, err = s.tallyDossiers(from, to); err != nil {
			return err
		}
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// dossierTally is the period's dossiers by outcome and timeliness: what the
// national service index rates offices on (on-time rate).
type dossierTally struct {
	Received   int            `json:"received"`
	ByStatus   map[string]int `json:"by_status"`
	Early      int            `json:"early"`
	OnTime     int            `json:"on_time"`
	Late       int            `json:"late"`
	OnTimeRate float64        `json:"on_time_rate"` // (early + on time) / those with a result or overdue
}

func (s *Server) tallyDossiers(from, to time.Time) (*dossierTally, error) {
	loc := s.conf().loc
	list, err := s.dossiers.Dossiers(from, to)
	if err != nil {
		return nil, err
	}
	out := &dossierTally{ByStatus: map[string]int{}}
	now := s.now()
	for _, d := range list {
		out.ByStatus[string(d.Status)]++
		if d.DueAt.IsZero() {
			continue
		}
		out.Received++
		switch d.Timeliness(now, loc) {
		case "early":
			out.Early++
		case "on_time":
			out.OnTime++
		case "late":
			out.Late++
		}
	}
	if n := out.Early + out.OnTime + out.Late; n > 0 {
		out.OnTimeRate = float64(out.Early+out.OnTime) / float64(n)
	}
	return out, nil
}
