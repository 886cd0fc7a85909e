// Package console is the office's admin console and the desk head's pages at
// /admin: server-rendered pages (html/template) that work with plain form
// posts, no script and no CDN (the live page's one script is this server's).
// A login sets a session cookie (HttpOnly, SameSite=Strict, path /admin);
// every post must come from this server's own pages (its Origin, when the
// browser sends one, is this host). Every change goes through the same store
// changes as the JSON API: checked, refused when it would break the day, on
// the chain. A refused form comes back with what was typed and the reason in
// both languages.
package console

import (
	"context"
	"io/fs"
	"net/http"
	"time"

	"motcua/internal/api"
	"motcua/internal/auth"
	"motcua/internal/calendar"
	"motcua/internal/catalogue"
	"motcua/internal/queue"
	"motcua/internal/reply"
	"motcua/internal/reportfile"
	"motcua/internal/web"
)

// Settings is what the console reads and changes of the office's settings
// (internal/bolt implements it): each change through the writer, on the chain.
type Settings interface {
	Settings() (uint64, queue.Office)
	ChangeSettings(ctx context.Context, by queue.Actor, base uint64, office queue.Office) (uint64, error)
	SettingsHistory() ([]queue.SettingsVersion, error)
	Users() []queue.StaffUser
	ChangeUsers(ctx context.Context, by queue.Actor, base uint64, users []queue.StaffUser) (uint64, error)
	Devices() []queue.Device
	ChangeDevices(ctx context.Context, by queue.Actor, base uint64, devices []queue.Device) (uint64, error)
	ChangeCatalogue(ctx context.Context, by queue.Actor, base uint64, c catalogue.Catalogue) (uint64, error)
	ChangeCalendar(ctx context.Context, by queue.Actor, base uint64, years []calendar.Year) (uint64, error)
	Sync() queue.Sync
	ChangeSync(ctx context.Context, by queue.Actor, base uint64, sync queue.Sync) (uint64, error)
}

// Floor is what the pages read of the day: the live room, the services now,
// who works at which counter, and the acknowledgement of an alert.
type Floor interface {
	Room() queue.Room
	Services() []queue.ServiceStatus
	Snapshot() queue.Snapshot
	Do(ctx context.Context, cmd queue.Command) (queue.Result, error)
}

// InForce is what the server holds in force from the settings (the
// config's when the store has none yet).
type InForce interface {
	Zone() *time.Location
	Catalogue() catalogue.Catalogue
	Years() []calendar.Year // the working calendar; nil when intake is off
	Staff() []queue.StaffUser
	Devices() []queue.Device
}

// Reports are the period's report and its files, as the JSON API serves them.
type Reports interface {
	Report(r *http.Request) (reportfile.Report, error)
	ReportFile(w http.ResponseWriter, r *http.Request, format string) error
	Export(w http.ResponseWriter, r *http.Request) error
}

// Room is what the server knows of the room beyond the store: the devices
// heard from, the feed, the pairings waiting, a service closed for today,
// the shipping to the province.
type Room interface {
	DeviceViews() []api.DeviceView
	ServeFeed(w http.ResponseWriter, r *http.Request, p auth.Principal, token string)
	PairingWaits(code string) bool
	Pair(code string, paired api.PairedAnswer) bool
	ServiceToday(r *http.Request, p auth.Principal, id, action, reason string) (queue.ServiceStatus, error)
	Shipping() *api.SyncStatus // nil when nothing ships
}

// Deps is what New wires the console to.
type Deps struct {
	Settings Settings
	Floor    Floor
	Auth     *auth.Auth
	InForce  InForce
	Reports  Reports
	Room     Room
	Now      func() time.Time
	// Sample, when not nil, is the shipped sample office: the catalogue
	// page offers its procedures, mapped onto this office's services.
	Sample *Sample
	// Messages are the outbox's, shown on the messages page (nil: none).
	Messages Messages
	// Payments records the fees a bank statement pays (nil: none).
	Payments Payments
}

// Console serves the /admin pages.
type Console struct{ Deps }

// New makes the console.
func New(d Deps) *Console {
	if d.Now == nil {
		d.Now = time.Now
	}
	return &Console{d}
}

// Routes registers the pages on m.
func (c *Console) Routes(m *http.ServeMux) {
	m.HandleFunc("GET /admin/console.css", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/css; charset=utf-8")
		css, _ := fs.ReadFile(web.Console(), "console.css")
		w.Write(css)
	})
	m.HandleFunc("GET /admin/login", func(w http.ResponseWriter, r *http.Request) {
		c.render(w, http.StatusOK, loginPage, auth.Principal{}, &loginView{})
	})
	m.HandleFunc("POST /admin/login", c.login)
	m.HandleFunc("POST /admin/logout", c.logout)
	for _, f := range officeForms {
		m.HandleFunc("GET "+f.path, c.admin(c.showOffice(f)))
		m.HandleFunc("POST "+f.path, c.admin(c.saveOffice(f)))
	}
	m.HandleFunc("POST /admin/services/today", c.admin(c.saveServiceToday))
	routeRoster(m, c, staffRoster)
	routeRoster(m, c, deviceRoster)
	m.HandleFunc("GET /admin/catalogue", c.admin(c.cataloguePage))
	m.HandleFunc("POST /admin/catalogue", c.admin(c.saveCatalogue))
	m.HandleFunc("GET /admin/catalogue.csv", c.admin(func(w http.ResponseWriter, r *http.Request, p auth.Principal) {
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="danh-muc-thu-tuc.csv"`)
		cat := c.InForce.Catalogue()
		w.Write(append([]byte("\xef\xbb\xbf"), cat.CSV()...)) // a byte-order mark: spreadsheets then read UTF-8
	}))
	m.HandleFunc("GET /admin/calendar", c.admin(c.calendarPage))
	m.HandleFunc("POST /admin/calendar", c.admin(c.saveCalendar))
	m.HandleFunc("GET /admin/payments", c.desk(c.paymentsPage))
	m.HandleFunc("POST /admin/payments", c.desk(c.savePayments))
	m.HandleFunc("GET /admin/notify", c.admin(c.notifyPage))
	m.HandleFunc("POST /admin/notify", c.admin(c.saveNotify))
	m.HandleFunc("GET /admin/sync", c.admin(c.syncPage))
	m.HandleFunc("POST /admin/sync", c.admin(c.saveSync))
	m.HandleFunc("GET /admin/audit", c.admin(c.auditPage))
	m.HandleFunc("GET /admin/reports", c.desk(c.reportsPage))
	m.HandleFunc("GET /admin/live", c.desk(c.livePage))
	m.HandleFunc("GET /admin/reports/export", c.desk(func(w http.ResponseWriter, r *http.Request, p auth.Principal) {
		if err := c.Reports.Export(w, r); err != nil {
			reply.Error(w, r, err)
		}
	}))
	m.HandleFunc("GET /admin/live.json", c.desk(func(w http.ResponseWriter, r *http.Request, p auth.Principal) {
		reply.JSON(w, http.StatusOK, c.Floor.Room())
	}))
	m.HandleFunc("GET /admin/live/feed", c.desk(c.liveFeed))
	m.HandleFunc("GET /admin/live.part", c.desk(c.livePart))
	m.HandleFunc("POST /admin/live/ack", c.desk(c.saveAck))
	m.HandleFunc("GET /admin/reports/file", c.desk(func(w http.ResponseWriter, r *http.Request, p auth.Principal) {
		if err := c.Reports.ReportFile(w, r, r.URL.Query().Get("format")); err != nil {
			reply.Error(w, r, err)
		}
	}))
}
