package server

import (
	"net/http"
	"strings"

	"motcua/internal/api"
	"motcua/internal/auth"
	"motcua/internal/problem"
	"motcua/internal/queue"
	"motcua/internal/reply"
)

// The live room (/admin/live) for the desk head: each service's queue, each
// counter's work today, today's alerts with a sound and an acknowledgement.
// The page is drawn by the server; live.js follows the feed (over the
// console's cookie, /admin/live/feed) and, after each event, reads
// /admin/live.json again and redraws — no polling.

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

func (s *Server) livePage(w http.ResponseWriter, r *http.Request, p auth.Principal) {
	room := s.q.Room()
	page := consolePage{Title: "Theo dõi trực tiếp", TitleEN: "Live room", Who: who(p), Admin: p.Role == RoleAdmin, Room: &room, Sync: s.syncView()}
	switch r.URL.Query().Get("ack") {
	case "1":
		page.Notice = "Đã xác nhận cảnh báo. / The alert is acknowledged."
	}
	s.render(w, http.StatusOK, "live", page)
}

// liveFeed is the staff feed for the console's live page, over its cookie
// (a page's script cannot set an Authorization header on a websocket, and
// the cookie is HttpOnly). Only from this server's own pages.
func (s *Server) liveFeed(w http.ResponseWriter, r *http.Request, p auth.Principal) {
	if !sameOrigin(r) {
		reply.Error(w, r, problem.Errorf(problem.EForbidden, "Chỉ trang của máy chủ này mới theo dõi được", "only this server's pages may follow the feed"))
		return
	}
	c, _ := r.Cookie(consoleCookie)
	s.serveFeed(w, r, p, c.Value)
}

// saveAck acknowledges an alert from the live page.
func (s *Server) saveAck(w http.ResponseWriter, r *http.Request, p auth.Principal) {
	f := r.PostForm
	_, err := s.q.Do(r.Context(), queue.Command{Op: queue.OpAck, Actor: p.Actor, Note: f.Get("key"), Reason: strings.TrimSpace(f.Get("note"))})
	if err != nil {
		room := s.q.Room()
		page := consolePage{Title: "Theo dõi trực tiếp", TitleEN: "Live room", Who: who(p), Admin: p.Role == RoleAdmin, Room: &room, Error: problem.As(err)}
		s.render(w, reply.Status(page.Error.Code), "live", page)
		return
	}
	http.Redirect(w, r, "/admin/live?ack=1", http.StatusSeeOther)
}
