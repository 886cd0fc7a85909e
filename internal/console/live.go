package console

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
// /admin/live.part again and redraws — no polling.

// liveView is the live room's page (and its part, redrawn after each event).
type liveView struct {
	frame
	Room *queue.Room
	Sync *api.SyncStatus // the shipping to the province; nil when nothing ships
}

func (c *Console) liveView() *liveView {
	room := c.Floor.Room()
	return &liveView{Room: &room, Sync: c.Room.Shipping()}
}

func (c *Console) livePage(w http.ResponseWriter, r *http.Request, p auth.Principal) {
	v := c.liveView()
	if r.URL.Query().Get("ack") == "1" {
		v.Notice = "Đã xác nhận cảnh báo. / The alert is acknowledged."
	}
	c.render(w, http.StatusOK, livePage, p, v)
}

// livePart is the room alone, for the page's script to put in place.
func (c *Console) livePart(w http.ResponseWriter, r *http.Request, p auth.Principal) {
	v := c.liveView()
	v.Zone = c.InForce.Zone()
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	livePage.tmpl.ExecuteTemplate(w, "room", v)
}

// liveFeed is the staff feed for the live page, over its cookie (a page's
// script cannot set an Authorization header on a websocket, and the cookie
// is HttpOnly). Only from this server's own pages.
func (c *Console) liveFeed(w http.ResponseWriter, r *http.Request, p auth.Principal) {
	if !sameOrigin(r) {
		reply.Error(w, r, problem.Errorf(problem.EForbidden, "Chỉ trang của máy chủ này mới theo dõi được", "only this server's pages may follow the feed"))
		return
	}
	ck, _ := r.Cookie(cookieName)
	c.Room.ServeFeed(w, r, p, ck.Value)
}

// saveAck acknowledges an alert from the live page.
func (c *Console) saveAck(w http.ResponseWriter, r *http.Request, p auth.Principal) {
	f := r.PostForm
	_, err := c.Floor.Do(r.Context(), queue.Command{Op: queue.OpAck, Actor: p.Actor, Note: f.Get("key"), Reason: strings.TrimSpace(f.Get("note"))})
	if err != nil {
		v := c.liveView()
		v.Sync, v.Error = nil, problem.As(err)
		c.render(w, reply.Status(v.Error.Code), livePage, p, v)
		return
	}
	http.Redirect(w, r, "/admin/live?ack=1", http.StatusSeeOther)
}
