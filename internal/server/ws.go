package server

import (
	"net/http"

	"motcua/internal/auth"
	"motcua/internal/feed"
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
// checks again after a change of the settings); the devices' page counts the
// connection while it lasts.
func (s *Server) serveFeed(w http.ResponseWriter, r *http.Request, p auth.Principal, token string) {
	err := s.hub.Serve(w, r, feed.Client{Addr: auth.ClientAddr(r), Full: p.IsStaff(), Token: token,
		Joined: func() { s.seen.touch(p, r, s.now(), +1) },
		Left:   func() { s.seen.touch(p, r, s.now(), -1) }})
	if err != nil {
		reply.Error(w, r, err)
	}
}
