package server

import (
	"net/http"

	"motcua/internal/api"
	"motcua/internal/problem"
	"motcua/internal/queue"
)

// maxSettings bounds a settings document (a hundred services fit in a tenth of it).
const maxSettings = 256 << 10

// handleSettings answers the settings in force (admin only).
func (s *Server) handleSettings(w http.ResponseWriter, r *http.Request, p principal) error {
	if err := needAdmin(p); err != nil {
		return err
	}
	v, office := s.q.Settings()
	writeJSON(w, http.StatusOK, api.SettingsDocument{Version: v, Office: office})
	return nil
}

// handlePutSettings puts a changed settings document in force, live: 200 and
// the new version; 422 for a document that does not check, 409 for one that
// would break the day or was edited from an older version. Nothing changes
// on a refusal.
func (s *Server) handlePutSettings(w http.ResponseWriter, r *http.Request, p principal) error {
	if err := needAdmin(p); err != nil {
		return err
	}
	var doc api.SettingsDocument
	if err := decodeUpTo(w, r, &doc, false, maxSettings); err != nil {
		return err
	}
	v, err := s.q.ChangeSettings(r.Context(), p.actor, doc.Version, doc.Office)
	if e := problem.As(err); err != nil && e.Code == problem.EInvalid {
		unchecked := *e
		unchecked.Code = problem.EUnchecked
		return &unchecked
	}
	if err != nil {
		return err
	}
	v, office := s.q.Settings()
	writeJSON(w, http.StatusOK, api.SettingsDocument{Version: v, Office: office})
	return nil
}

// needSupervisor refuses anyone but an admin or the desk's supervisor (the
// reports): 401 without credentials, 403 with others.
func needSupervisor(p principal) error {
	if p.role == RoleSupervisor {
		return nil
	}
	return needAdmin(p)
}

// needAdmin refuses anyone but an admin: 401 without credentials, 403 with others.
func needAdmin(p principal) error {
	switch p.actor.Kind {
	case queue.ActorAdmin:
		return nil
	case "":
		return errNeedLogin
	}
	return errNeedAdmin
}
