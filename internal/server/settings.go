package server

import (
	"net/http"
	"slices"

	"motcua/internal/api"
	"motcua/internal/auth"
	"motcua/internal/notify"
	"motcua/internal/problem"
	"motcua/internal/queue"
	"motcua/internal/reply"
)

// handleSettings answers the settings in force (admin only).
func (s *Server) handleSettings(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	if err := auth.NeedAdmin(p); err != nil {
		return err
	}
	reply.JSON(w, http.StatusOK, s.settingsDocument())
	return nil
}

// settingsDocument is the settings in force, the PINs left out.
func (s *Server) settingsDocument() api.SettingsDocument {
	v, office := s.q.Settings()
	doc := api.SettingsDocument{Version: v, Office: office}
	if office.Notify.On() || len(office.Notify.Templates) > 0 {
		n := office.Notify
		doc.Notify = &n
	}
	doc.Office.Notify = notify.Settings{} // shown once, at the top
	if sync := s.maskedSync(); sync != (queue.Sync{}) {
		doc.Sync = &sync
	}
	for _, u := range s.staff() {
		doc.Users = append(doc.Users, api.StaffView{Username: u.Username, Name: u.Name, Role: u.Role, Disabled: u.Disabled})
	}
	return doc
}

// usersOf applies the document's users to those in force: the PINs stay; a
// user not there yet is refused (a PIN is made in the console, not sent).
func (s *Server) usersOf(views []api.StaffView) ([]User, error) {
	staff := s.staff()
	var out []User
	for _, v := range views {
		i := slices.IndexFunc(staff, func(u User) bool { return u.Username == v.Username })
		if i < 0 {
			return nil, problem.Errorf(problem.EUnchecked, "Cán bộ mới %q cần mã PIN: hãy thêm ở trang Cán bộ của trang quản trị", "the new user %q needs a PIN: add them on the console's Staff page", v.Username)
		}
		u := staff[i]
		u.Name, u.Role, u.Disabled = v.Name, v.Role, v.Disabled
		out = append(out, u)
	}
	return out, queue.KeepsAnAdmin(staff, out)
}

// handlePutSettings puts a changed settings document in force, live: 200 and
// the new version; 422 for a document that does not check, 409 for one that
// would break the day or was edited from an older version. Nothing changes
// on a refusal.
func (s *Server) handlePutSettings(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	if err := auth.NeedAdmin(p); err != nil {
		return err
	}
	var doc api.SettingsDocument
	if err := reply.DecodeUpTo(w, r, &doc, false, reply.MaxSettings); err != nil {
		return err
	}
	// One change of the store: the office, the staff and the shipping all
	// together, or nothing at all.
	switch _, inForce := s.q.Settings(); {
	case doc.Notify != nil:
		doc.Office.Notify = *doc.Notify
	case !doc.Office.Notify.On() && len(doc.Office.Notify.Templates) == 0:
		doc.Office.Notify = inForce.Notify // absent: as it is
	}
	change := queue.SettingsChange{Office: &doc.Office, Sync: doc.Sync}
	var err error
	if doc.Users != nil {
		var users []User
		if users, err = s.usersOf(doc.Users); err == nil && len(queue.StaffChanges(s.staff(), users)) > 0 {
			change.Users = users // (the same staff as the config's is no change of a store that keeps none yet)
		}
	}
	if err == nil {
		_, err = s.q.ChangeAll(r.Context(), p.Actor, doc.Version, change)
	}
	if e := problem.As(err); err != nil && e.Code == problem.EInvalid {
		unchecked := *e
		unchecked.Code = problem.EUnchecked
		return &unchecked
	}
	if err != nil {
		return err
	}
	reply.JSON(w, http.StatusOK, s.settingsDocument())
	return nil
}
