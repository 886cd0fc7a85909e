package server

import (
	"context"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"

	"motcua/internal/api"
	"motcua/internal/auth"
	"motcua/internal/calendar"
	"motcua/internal/catalogue"
	"motcua/internal/queue"
	"motcua/internal/reportfile"
	"motcua/internal/statement"
)

// host is the server as the console sees it (console.InForce, Reports,
// Room): what is in force, the report files, the room beyond the store.
type host struct{ s *Server }

func (h host) Zone() *time.Location           { return h.s.conf().loc }
func (h host) Catalogue() catalogue.Catalogue { return *h.s.catalogue.Load() }
func (h host) Years() []calendar.Year         { return h.s.years() }
func (h host) Staff() []User                  { return h.s.staff() }
func (h host) Devices() []Device              { return h.s.devicesInForce() }

func (h host) Report(r *http.Request) (reportfile.Report, error) { return h.s.report(r) }
func (h host) ReportFile(w http.ResponseWriter, r *http.Request, format string) error {
	return h.s.reportFile(w, r, format)
}
func (h host) Export(w http.ResponseWriter, r *http.Request) error { return h.s.export(w, r) }

func (h host) DeviceViews() []api.DeviceView { return h.s.deviceViews() }
func (h host) ServeFeed(w http.ResponseWriter, r *http.Request, p auth.Principal, token string) {
	h.s.serveFeed(w, r, p, token)
}
func (h host) PairingWaits(code string) bool                  { return h.s.pairingWaits(code) }
func (h host) Pair(code string, paired api.PairedAnswer) bool { return h.s.pair(code, paired) }
func (h host) Shipping() *api.SyncStatus                      { return h.s.syncView() }
func (h host) ServiceToday(r *http.Request, p auth.Principal, id, action, reason string) (queue.ServiceStatus, error) {
	return h.s.serviceToday(r, p, id, action, reason)
}

// staff is the users in force: the store's, or the config's when the store
// has none yet (one made before it kept them).
func (s *Server) staff() []User {
	if users := s.q.Users(); users != nil {
		return users
	}
	m := s.auth.Users()
	out := make([]User, 0, len(m))
	for _, u := range m {
		out = append(out, u)
	}
	slices.SortFunc(out, func(a, b User) int { return strings.Compare(a.Username, b.Username) })
	return out
}

// devicesInForce is the devices in force: the store's, or the config's.
func (s *Server) devicesInForce() []Device {
	if devices := s.q.Devices(); devices != nil {
		return devices
	}
	return queue.HashedDevices(s.auth.Devices())
}

// years is the working calendar in force (none when intake is off).
func (s *Server) years() []calendar.Year {
	if cal := s.conf().desk.Calendar; cal != nil {
		return cal.Years()
	}
	return nil
}

// ImportStatement records the fees a bank statement pays (the console's
// payments page).
func (h host) ImportStatement(ctx context.Context, by queue.Actor, csv io.Reader) (statement.Result, error) {
	return h.s.importStatement(ctx, by, csv)
}
