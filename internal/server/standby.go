package server

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"motcua/internal/api"
	"motcua/internal/auth"
	"motcua/internal/problem"
	"motcua/internal/queue"
	"motcua/internal/reply"
)

// A second PC that follows this server (internal/standby, wired by
// cmd/motcua-server): its stream, served to the standby's device key only,
// and what /healthz says of it.

type standbyHooks struct {
	epoch     func() uint64
	pos       func() uint64
	stream    http.Handler
	following func() api.StandbyHealth
	fenced    func(epoch uint64, primary string) // keeps the fence across a restart

	mu       sync.Mutex
	fence    uint64 // replaced by the primary of this epoch (0: not)
	primary  string // … at this address
	checking bool   // a claim being checked
}

func (h *standbyHooks) own() uint64 {
	if h.epoch != nil {
		return h.epoch()
	}
	return 1
}

func (h *standbyHooks) health(out *api.Health) {
	out.Epoch = h.own()
	if h.pos != nil {
		out.Pos = h.pos()
	}
	if h.following != nil {
		st := h.following()
		out.Standby = &st
	}
	if e, at := h.fencedBy(); e > 0 {
		out.Role, out.Primary = api.RoleFenced, at
	}
}

func (h *standbyHooks) fencedBy() (uint64, string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.fence, h.primary
}

// Fence stops this server taking anything but /healthz: the primary of
// epoch at primary replaced it (a take-over while it was away).
func (s *Server) Fence(epoch uint64, primary string) {
	h := &s.standby
	h.mu.Lock()
	was := h.fence
	if epoch > h.fence {
		h.fence, h.primary = epoch, primary
	}
	h.mu.Unlock()
	if epoch > was {
		slog.Warn("replaced by a primary of a higher epoch: taking no writes", "epoch", epoch, "primary", primary)
		if h.fenced != nil {
			h.fenced(epoch, primary)
		}
		s.hub.DropAll() // boards and screens on this feed: off it, to the new primary
	}
}

// epochGate says every answer's epoch, checks a device's word that a
// primary of a higher epoch took over, and turns everything but /healthz
// away once this server is replaced. A claim counts only from a device
// or staff member that authenticates, and only once the claimed primary
// says so itself: a stranger cannot stop the office's server with a
// header.
func (s *Server) epochGate(w http.ResponseWriter, r *http.Request) bool {
	h := &s.standby
	own := h.own()
	w.Header().Set(api.EpochHeader, strconv.FormatUint(own, 10))
	if n, err := strconv.ParseUint(r.Header.Get(api.EpochHeader), 10, 64); err == nil && n > own {
		s.checkClaim(r, n, r.Header.Get(api.PrimaryHeader))
	}
	e, at := h.fencedBy()
	if e == 0 || r.URL.Path == api.Healthz {
		return true
	}
	w.Header().Set(api.FencedHeader, strconv.FormatUint(e, 10))
	w.Header().Set(api.PrimaryHeader, at)
	reply.Elsewhere(w, r, problem.Errorf(problem.EUnavailable,
		"Máy chủ này đã được thay bằng máy chủ chính lượt %d tại %s; không nhận gì nữa. Để dùng lại PC này làm máy dự phòng: motcua-server --data DIR --standby-of %s --standby-key KHOÁ (khoá: trang Thiết bị của máy chủ chính mới, loại Máy chủ dự phòng)",
		"this server was replaced by the primary of epoch %d at %s and takes nothing more; to make this PC its standby: motcua-server --data DIR --standby-of %s --standby-key KEY (the key: the new primary's Devices page, kind standby server)", e, at, at), at, 0)
	return false
}

// checkClaim checks, in the background, one claim at a time, that the
// primary at the claimed address is of a higher epoch, then fences.
func (s *Server) checkClaim(r *http.Request, epoch uint64, at string) {
	if _, err := s.auth.Identify(r); err != nil || !strings.HasPrefix(at, "http") {
		return
	}
	h := &s.standby
	h.mu.Lock()
	busy := h.checking || h.fence >= epoch
	h.checking = true
	h.mu.Unlock()
	if busy {
		return
	}
	go func() {
		defer func() { h.mu.Lock(); h.checking = false; h.mu.Unlock() }()
		theirs, err := api.ReadHealth(context.Background(), http.DefaultClient, at, 3*time.Second, nil)
		if err == nil && theirs.Role == api.RolePrimary && theirs.Epoch > h.own() {
			s.Fence(theirs.Epoch, strings.TrimRight(at, "/"))
		}
	}()
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
