package server

import (
	"net/http"
	"strings"

	"motcua/internal/auth"
	"motcua/internal/problem"
	"motcua/internal/queue"
	"motcua/internal/reply"
)

// The console's sync page (/admin/sync): where the office's event log ships
// (the province's PostgreSQL and the office's id there), as a change of the
// settings like any other; the replicator follows it within a second, and
// the page shows how the shipping stands. The password is never shown: the
// form carries it masked, and saving the mask keeps it.

// maskedSync is the sync settings in force, fit for a page or a document.
func (s *Server) maskedSync() queue.Sync {
	sync := s.q.Sync()
	sync.DSN = sync.Masked()
	return sync
}

func (s *Server) syncPage(w http.ResponseWriter, r *http.Request, p auth.Principal) {
	v, _ := s.q.Settings()
	page := consolePage{Title: "Đồng bộ lên tỉnh", TitleEN: "Province sync", Who: who(p), Version: v, Shipping: s.maskedSync(), Sync: s.syncView()}
	if r.URL.Query().Get("saved") != "" {
		page.Notice = "Đã lưu; việc gửi dữ liệu theo cấu hình mới trong vòng một giây. / Saved; the shipping follows the new settings within a second."
	}
	s.render(w, http.StatusOK, "sync", page)
}

// saveSync applies the sync form; a refusal shows the form as typed.
func (s *Server) saveSync(w http.ResponseWriter, r *http.Request, p auth.Principal) {
	base, _ := s.formBase(r)
	sync := queue.Sync{DSN: strings.TrimSpace(r.PostForm.Get("dsn")), Office: strings.TrimSpace(r.PostForm.Get("office"))}
	if r.PostForm.Has("off") {
		sync.DSN = ""
	}
	if _, err := s.q.ChangeSync(r.Context(), p.Actor, base, sync); err != nil {
		shown := sync
		shown.DSN = shown.Masked() // what was typed, never a password
		s.render(w, reply.Status(problem.As(err).Code), "sync", consolePage{Title: "Đồng bộ lên tỉnh", TitleEN: "Province sync", Who: who(p), Version: base,
			Shipping: shown, Sync: s.syncView(), Error: problem.As(err)})
		return
	}
	http.Redirect(w, r, "/admin/sync?saved=1", http.StatusSeeOther)
}
