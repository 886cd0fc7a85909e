package server

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"motcua/internal/api"
	"motcua/internal/auth"
	"motcua/internal/queue"
	"motcua/internal/reply"
)

// handleAlerts answers today's alerts, oldest first (supervisor, admin).
func (s *Server) handleAlerts(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	if err := auth.NeedSupervisor(p); err != nil {
		return err
	}
	reply.JSON(w, http.StatusOK, s.q.Alerts())
	return nil
}

// handleAck acknowledges one of today's alerts with a note (supervisor, admin).
func (s *Server) handleAck(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	if err := auth.NeedSupervisor(p); err != nil {
		return err
	}
	var req api.AckRequest
	if err := reply.Decode(w, r, &req, false); err != nil {
		return err
	}
	if _, err := s.q.Do(r.Context(), queue.Command{Op: queue.OpAck, Actor: p.Actor, Note: req.Key, Reason: req.Note}); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// watchDevices raises an alert for each device of the settings that was
// heard from and has been silent (no request, no feed) for the office's
// SilentMinutes; once for each silence. It runs until ctx ends.
func (s *Server) watchDevices(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		s.checkSilentDevices(ctx)
	}
}

func (s *Server) checkSilentDevices(ctx context.Context) {
	silent := time.Duration(s.conf().office.WithDefaults().Alerts.SilentMinutes) * time.Minute
	seen, now := s.seen.all(), s.now()
	for _, d := range s.devicesInForce() {
		h, ok := seen[d.ID]
		if !ok || h.Online > 0 || now.Sub(h.At) < silent {
			continue
		}
		minutes := int(now.Sub(h.At).Minutes())
		s.q.Do(ctx, queue.Command{Op: queue.OpRaise, Actor: queue.Actor{Kind: queue.ActorSystem, ID: "alerts"}, Raised: &queue.Raised{
			Key: fmt.Sprintf("silent:%s:%d", d.ID, h.At.Unix()), Kind: queue.AlertSilent, Device: d.ID, Counter: d.Counter,
			Message:   fmt.Sprintf("Thiết bị %s (%s) không liên lạc đã %d phút", d.ID, queue.DeviceKindNames[d.Kind], minutes),
			MessageEN: fmt.Sprintf("Device %s has been silent for %d minutes", d.ID, minutes)}})
	}
}
