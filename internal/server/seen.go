package server

import (
	"net/http"
	"strings"
	"sync"
	"time"

	"motcua/internal/api"
	"motcua/internal/auth"
	"motcua/internal/problem"
	"motcua/internal/queue"
	"motcua/internal/reply"
)

// deviceSeen is what the server knows of a device it has heard from since
// it started: when, from where, which app and version, whether it follows
// the feed now, and its printer as it last said. It lives in memory: it is
// how the device is, not the office's record (a printer's trouble is on the
// chain as device.alert).
type deviceSeen struct {
	At        time.Time
	Addr      string
	Agent     string // the app and its version, from User-Agent: motcua-kiosk/1a2b3c4d5e6f
	Online    int    // feed connections open now
	Printer   string // ok, none, or the trouble's code (printer_paper_out …); "" not said yet
	PrinterAt time.Time
}

// seenDevices is every device heard from, by id.
type seenDevices struct {
	mu sync.Mutex
	m  map[string]deviceSeen
}

// touch notes a request or a feed connection (online +1 or -1) from a device.
func (d *seenDevices) touch(p auth.Principal, r *http.Request, now time.Time, online int) {
	d.touchFrom(p, auth.ClientAddr(r), r.UserAgent(), now, online)
}

// touchFrom is touch with the request's address and agent read already: a
// feed connection keeps these two strings for its life, not its request.
func (d *seenDevices) touchFrom(p auth.Principal, addr, agent string, now time.Time, online int) {
	if p.Actor.Kind != queue.ActorDevice {
		return
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.m == nil {
		d.m = map[string]deviceSeen{}
	}
	s := d.m[p.Actor.ID]
	s.At, s.Addr, s.Online = now, addr, max(0, s.Online+online)
	if strings.HasPrefix(agent, "motcua") {
		s.Agent = agent[:min(len(agent), 80)]
	}
	d.m[p.Actor.ID] = s
}

// printer notes a device's word about its printer.
func (d *seenDevices) printer(id, state string, now time.Time) {
	d.mu.Lock()
	defer d.mu.Unlock()
	s := d.m[id]
	s.Printer, s.PrinterAt = state, now
	d.m[id] = s
}

// ratingScreenAt says whether counter n has a rating screen following the
// feed now: a finish there asks the citizen's rating, and only then.
func (s *Server) ratingScreenAt(n int) bool {
	seen := s.seen.all()
	for _, d := range s.auth.Devices() {
		if d.Kind == DeviceRating && d.Counter == n && seen[d.ID].Online > 0 {
			return true
		}
	}
	return false
}

// all is a copy of what is known, by device id.
func (d *seenDevices) all() map[string]deviceSeen {
	d.mu.Lock()
	defer d.mu.Unlock()
	out := make(map[string]deviceSeen, len(d.m))
	for id, s := range d.m {
		out[id] = s
	}
	return out
}

// handleDeviceStatus takes a device's heartbeat: its printer's state (ok,
// none, or a trouble code). The request itself tells when and which app.
func (s *Server) handleDeviceStatus(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	if err := auth.NeedDevice(p, "Chỉ thiết bị mới gửi trạng thái thiết bị", "only devices send a device status"); err != nil {
		return err
	}
	var req api.DeviceStatusRequest
	if err := reply.Decode(w, r, &req, true); err != nil {
		return err
	}
	if req.Printer != "" {
		if !queue.ValidAlertCode(req.Printer) {
			return problem.Errorf(problem.EInvalid, "Trạng thái máy in %q không hợp lệ (chữ thường, số, _)", "bad printer state %q (lowercase, digits, _)", req.Printer)
		}
		s.seen.printer(p.Actor.ID, req.Printer, s.now())
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// handleDevices answers the devices of the settings as last heard from: the
// admin's and the desk head's view of the room's machines.
func (s *Server) handleDevices(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	if err := auth.NeedSupervisor(p); err != nil {
		return err
	}
	reply.JSON(w, http.StatusOK, s.deviceViews())
	return nil
}

// deviceViews is each device of the settings as last heard from.
func (s *Server) deviceViews() []api.DeviceView {
	seen := s.seen.all()
	out := []api.DeviceView{}
	for _, d := range s.devicesInForce() {
		h := seen[d.ID]
		out = append(out, api.DeviceView{ID: d.ID, Kind: d.Kind, Counter: d.Counter, LastSeen: h.At, Agent: h.Agent,
			Online: h.Online > 0, Printer: h.Printer, PrinterAt: h.PrinterAt})
	}
	return out
}
