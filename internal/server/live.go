package server

import (
	"net/http"

	"motcua/internal/api"
	"motcua/internal/auth"
	"motcua/internal/reply"
)

// handleRoom answers the live room (the desk head's page draws the same).
func (s *Server) handleRoom(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	if err := auth.NeedSupervisor(p); err != nil {
		return err
	}
	reply.JSON(w, http.StatusOK, s.q.Room())
	return nil
}

// SetSync lets the live page show how the shipping to the province stands.
func (s *Server) SetSync(status func() api.SyncStatus) { s.sync.Store(&status) }

// syncView is the shipping's state for the page, nil without shipping.
func (s *Server) syncView() *api.SyncStatus {
	f := s.sync.Load()
	if f == nil {
		return nil
	}
	st := (*f)()
	if st.Office == "" {
		return nil // nothing ships
	}
	if seq := s.q.Snapshot().Seq; seq > st.Shipped {
		st.Lag = seq - st.Shipped
	}
	return &st
}
