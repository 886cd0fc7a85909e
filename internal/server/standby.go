package server

import (
	"net/http"

	"motcua/internal/api"
	"motcua/internal/auth"
	"motcua/internal/problem"
	"motcua/internal/queue"
)

// A second PC that follows this server (internal/standby, wired by
// cmd/motcua-server): its stream, served to the standby's device key only,
// and what /healthz says of it.

type standbyHooks struct {
	epoch     func() uint64
	stream    http.Handler
	following func() (connected, inStep bool)
}

func (h standbyHooks) health(out *api.Health) {
	if h.epoch != nil {
		out.Epoch = h.epoch()
	}
	if h.following != nil {
		c, in := h.following()
		out.Standby = &api.StandbyHealth{Connected: c, InStep: in}
	}
}

// handleStandby is GET /api/v1/standby/stream: a standby's key only.
func (s *Server) handleStandby(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	if p.Actor.Kind != queue.ActorDevice || p.Kind != queue.DeviceStandby {
		if p.Actor.Kind == "" {
			return auth.ErrNeedLogin
		}
		return problem.Errorf(problem.EForbidden, "Chỉ máy chủ dự phòng theo dõi được máy chủ", "only the standby server follows this server")
	}
	if s.standby.stream == nil {
		return problem.Errorf(problem.EConflict, "Máy chủ này không nhận máy dự phòng", "this server takes no standby")
	}
	s.seen.touch(p, r, s.now(), +1)
	defer s.seen.touch(p, r, s.now(), -1)
	s.standby.stream.ServeHTTP(w, r)
	return nil
}
