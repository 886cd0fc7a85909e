package server

import (
	"net/http"

	"motcua/internal/auth"
	"motcua/internal/feed"
	"motcua/internal/queue"
	"motcua/internal/reply"
)

// handleWS upgrades GET /ws. Without credentials the feed is the public view; a
// clerk's or admin's token gives the full view.
func (s *Server) handleWS(w http.ResponseWriter, r *http.Request) {
	p, err := s.auth.Identify(r)
	if err != nil {
		reply.Error(w, r, err)
		return
	}
	s.serveFeed(w, r, p, auth.Bearer(r))
}

// serveFeed follows the feed for p, who holds token (the credential the hub
// checks again after a change of the settings); the devices' page counts a
// device's connection while it lasts. Nothing of the request is kept for
// the connection's life but what that needs (ten thousand phones).
func (s *Server) serveFeed(w http.ResponseWriter, r *http.Request, p auth.Principal, token string) {
	cl := feed.Client{Addr: auth.ClientAddr(r), Full: p.IsStaff(), Token: token, Short: r.URL.Query().Get("issued") == "short"}
	if p.Actor.Kind == queue.ActorDevice {
		addr, agent := cl.Addr, r.UserAgent()
		cl.Joined = func() { s.seen.touchFrom(p, addr, agent, s.now(), +1) }
		cl.Left = func() { s.seen.touchFrom(p, addr, agent, s.now(), -1) }
	}
	err := s.hub.Serve(w, r, cl)
	if err != nil {
		reply.Error(w, r, err)
	}
}
