// Package server is motcua's HTTP JSON API and websocket feed over the queue
// store. It owns authentication (clerk PINs, device keys, admin role), maps
// domain errors to HTTP statuses in one place, and fans committed events out to
// websocket clients without ever waiting for a slow one.
package server

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/netip"
	"runtime/debug"
	"slices"
	"sync/atomic"
	"time"

	"motcua/internal/api"
	"motcua/internal/auth"
	"motcua/internal/calendar"
	"motcua/internal/catalogue"
	"motcua/internal/console"
	"motcua/internal/feed"
	"motcua/internal/intake"
	"motcua/internal/notify"
	"motcua/internal/problem"
	"motcua/internal/queue"
	"motcua/internal/reply"
	"motcua/internal/voice"
)

// Queue is what the server needs from the store (internal/bolt implements
// it), by noun: the day's queue, the records it leaves, the settings.
type Queue interface {
	Day
	Records
	Settings
	Bookings
	Messages
}

// Bookings are the bookings the province took for the office, kept by the
// store so that they are checked in while the uplink is down.
type Bookings interface {
	Booking(code string) (queue.Booked, bool, error)
	BookingArrived(code, ticket string, by queue.Actor) error
	PastBookings(from, to, now time.Time) (taken, arrived int, err error)
}

// Day is today's queue: commands through the writer, the state, the feed's
// publisher.
type Day interface {
	Do(ctx context.Context, cmd queue.Command) (queue.Result, error)
	Snapshot() queue.Snapshot
	WithSnapshotAt(fn func(seq uint64, build func() queue.Snapshot))
	SetPublisher(fn func([]queue.Event))
	Services() []queue.ServiceStatus
	Office() queue.Office
	Position(t queue.Ticket) (ahead, eta int)
	TicketByToken(token string) (queue.Ticket, bool, error)
}

// Records are what the days leave and how the store stands: reports, the
// live room, alerts, a period's tickets, the backup, the clock and the disk.
type Records interface {
	Report(from, to string) (*queue.Report, error)
	Room() queue.Room
	Alerts() []queue.Raised
	EachTicket(from, to string, fn func(queue.Ticket) error) error
	WriteArchive(w io.Writer) (int64, error)
	ClockStepsBack() queue.ClockSteps
	StorageFullSince() time.Time
}

// Settings are the office's settings: what the console edits, and what
// the server reads beside it (the catalogue, the calendar) or changes of
// its own (a PIN a user chose, a whole settings document).
type Settings interface {
	console.Settings
	ChangeAll(ctx context.Context, by queue.Actor, base uint64, c queue.SettingsChange) (uint64, error)
	SetPIN(ctx context.Context, by queue.Actor, username, hash string) (uint64, error)
	Procedures() []catalogue.Procedure
	CalendarYears() []calendar.Year
}

// Config is what New needs besides the store.
type Config struct {
	Users      []User
	Devices    []Device
	SessionTTL time.Duration // default 12 h: a working day
	Now        func() time.Time
	WS         feed.Config
	// MetricsFrom may read /metrics without a login (a Prometheus on the
	// LAN); staff with a login always may (ParseScrapers).
	MetricsFrom []netip.Prefix
	// Procedures is the office's procedure catalogue, served to kiosks.
	Procedures catalogue.Catalogue
	// Voice renders announcements for the web boards; nil serves none.
	Voice *voice.Clips
	// Dossiers and Calendar enable intake; nil leaves it off.
	Dossiers Dossiers
	Calendar *calendar.Calendar
	// Sample is the shipped sample office whose catalogue the console
	// offers to load, its services mapped onto the office's (nil: none).
	Sample *console.Sample
	// AfterCommit is told after every commit's events are published (the
	// outbox's planner); nil: nobody.
	AfterCommit func()
	// Tell queues a message asked from outside (the province's door: a
	// phone's one-time code, a booking's confirmation); nil: none is sent.
	Tell func(notify.Message) error
	// Epoch is the store's epoch (/healthz); nil: 1. Pos is its last
	// change's position.
	Epoch func() uint64
	Pos   func() uint64
	// Standby serves the stream a standby follows (internal/standby's hub),
	// to a device of kind standby only; Following says how it stands.
	Standby   http.Handler
	Following func() api.StandbyHealth
	// Fenced keeps the word that a primary of a higher epoch replaced
	// this server (Fence), so that a restart stays fenced.
	Fenced func(epoch uint64, primary string)
}

// Server serves the API. Create it with New; it implements http.Handler.
type Server struct {
	q           Queue
	afterCommit func()
	tell        func(notify.Message) error
	standby     standbyHooks
	auth        *auth.Auth
	hub         *feed.Hub
	mux         *http.ServeMux
	now         func() time.Time
	catalogue   atomic.Pointer[catalogue.Catalogue] // in force: the settings', else the config's
	voice       *voice.Clips
	dossiers    Dossiers
	scans       Scans              // the store of Dossiers when it keeps files (bolt does)
	uploads     chan struct{}      // the uploads being received (uploadsAtOnce)
	sample      *console.Sample    // the shipped sample office (its catalogue, offered on the console)
	calendar    *calendar.Calendar // nil: intake is off
	guesses     *auth.LookupLimit
	seen        seenDevices                           // the devices heard from since the start
	public      publicCache                           // the transparency page, made once a minute
	stopWatch   func()                                // ends the silent devices' watch
	sync        atomic.Pointer[func() api.SyncStatus] // the shipping to the province, when on
	metrics     *metrics
	metricsFrom []netip.Prefix
	wavs        wavCache
	// settings is what handlers read of the settings in force, read once per
	// change instead of asking the store and loading the time zone per
	// request; a settings.changed event puts the new ones in.
	settings atomic.Pointer[inForce]
	pairings pairings // devices waiting for their key
}

// inForce is the server's view of one version of the settings.
type inForce struct {
	office       queue.Office
	loc          *time.Location
	services     map[string]serviceInfo
	rejoinWindow time.Duration
	lapse        time.Duration // a remote ticket passed over keeps its place this long
	desk         intake.Desk
}

// setCatalogue puts a procedure catalogue in force.
func (s *Server) setCatalogue(procedures []catalogue.Procedure) {
	if procedures == nil {
		procedures = []catalogue.Procedure{} // served as [], not null
	}
	s.catalogue.Store(&catalogue.Catalogue{Procedures: procedures})
}

// conf is the settings in force.
func (s *Server) conf() *inForce { return s.settings.Load() }

// takeSettings reads the settings in force from the store.
func (s *Server) takeSettings() {
	office := s.q.Office()
	c := &inForce{office: office, loc: time.Local, services: staticServices(office),
		rejoinWindow: time.Duration(office.Rules.RejoinWindowMinutes) * time.Minute,
		lapse:        time.Duration(office.WithDefaults().Rules.RemoteLapseMinutes) * time.Minute,
		desk:         intake.Desk{Agency: office.AgencyCode, Calendar: s.calendar}}
	if loc, err := office.Location(); err == nil {
		c.loc = loc // else the PC's own: the store has checked the config already
	}
	if s.calendar != nil { // intake is on: the stored years (else the shipped ones) in the office's working hours
		years := s.q.CalendarYears()
		if years == nil {
			years = s.calendar.Years()
		}
		if cal, err := calendar.New(c.loc, office.WorkingHours(), years...); err == nil {
			c.desk.Calendar = cal
		}
	}
	s.settings.Store(c)
	if users := s.q.Users(); users != nil { // else the config's (a store made before users were kept in it)
		s.auth.SetUsers(users)
	}
	if devices := s.q.Devices(); devices != nil {
		s.auth.SetDevices(devices)
	}
	if procedures := s.q.Procedures(); procedures != nil {
		s.setCatalogue(procedures)
	}
}

// New wires the server to the store and registers itself as the store's
// publisher.
func New(q Queue, sessions auth.Sessions, cfg Config) *Server {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.SessionTTL <= 0 {
		cfg.SessionTTL = 12 * time.Hour
	}
	keepPIN := func(u User, hash string) (uint64, error) {
		return q.SetPIN(context.Background(), auth.UserActor(u), u.Username, hash)
	}
	s := &Server{q: q, hub: feed.New(cfg.WS, q.WithSnapshotAt), mux: http.NewServeMux(), now: cfg.Now,
		auth: auth.New(auth.Config{Users: cfg.Users, Devices: cfg.Devices, Sessions: sessions, KeepPIN: keepPIN, TTL: cfg.SessionTTL, Now: cfg.Now})}
	s.voice, s.calendar, s.afterCommit, s.tell = cfg.Voice, cfg.Calendar, cfg.AfterCommit, cfg.Tell
	s.standby = standbyHooks{epoch: cfg.Epoch, pos: cfg.Pos, stream: cfg.Standby, following: cfg.Following, fenced: cfg.Fenced}
	s.dossiers, s.guesses = cfg.Dossiers, auth.NewLookupLimit()
	s.scans, _ = cfg.Dossiers.(Scans)
	s.uploads = make(chan struct{}, uploadsAtOnce)
	s.sample = cfg.Sample
	s.setCatalogue(cfg.Procedures.Procedures)
	s.takeSettings() // after auth.New: the store's users, when it has them, win over the config's
	s.metrics, s.metricsFrom = s.newMetrics(), cfg.MetricsFrom
	q.SetPublisher(s.publish)
	s.routes()
	watch, stop := context.WithCancel(context.Background())
	s.stopWatch = stop
	go s.watchDevices(watch, 30*time.Second)
	return s
}

// publish takes the store's committed events to the feed; after a change
// of the settings the server reads them again, and every feed client gets a
// fresh snapshot (the kiosks, counters and boards show the new services,
// counters and wording without a restart).
func (s *Server) publish(evs []queue.Event) {
	changed := slices.ContainsFunc(evs, func(e queue.Event) bool { return e.Type == queue.EvSettings })
	if changed {
		s.takeSettings()
	}
	s.hub.Publish(evs)
	s.metrics.observe(evs)
	if s.afterCommit != nil {
		s.afterCommit()
	}
	if changed {
		s.hub.DropIf(func(token string) bool { // a device revoked, a user disabled: off the feed now
			p, err := s.auth.IdentifyToken(token)
			return err != nil || p.Actor.Kind == ""
		})
		s.hub.ResyncAll()
	}
}

// Close disconnects every websocket client.
func (s *Server) Close() {
	s.stopWatch()
	s.hub.Close()
}

// ServeHTTP recovers from any panic so that no input ever crashes the server or
// reaches a user as anything but a JSON error.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	reply.Log(w, r, func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				reply.OpLog(r).Error("panic", "err", fmt.Sprint(v), "stack", string(debug.Stack()))
				reply.Error(w, r, fmt.Errorf("panic: %v", v))
			}
		}()
		w.Header().Set("X-Content-Type-Options", "nosniff")
		if s.epochGate(w, r) {
			s.mux.ServeHTTP(w, r)
		}
	})
}

// handler is an API handler that returns its error instead of writing it.
type handler func(w http.ResponseWriter, r *http.Request, p auth.Principal) error

// api authenticates the request, runs h and writes any error as JSON.
func (s *Server) api(h handler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p, err := s.auth.Identify(r)
		if err == nil {
			s.seen.touch(p, r, s.now(), 0)
			err = h(w, r, p)
		}
		if err != nil {
			reply.Error(w, r, err)
		}
	}
}

func (s *Server) routes() {
	m := s.mux
	m.HandleFunc("GET "+api.Healthz, func(w http.ResponseWriter, r *http.Request) {
		h := api.Health{Status: "ok", ClockSteps: s.q.ClockStepsBack(), StorageFullSince: s.q.StorageFullSince(), Role: api.RolePrimary, Epoch: 1}
		if !h.StorageFullSince.IsZero() {
			h.Status = "storage_full"
		}
		s.standby.health(&h)
		reply.AllowLAN(w.Header(), r.Header.Get("Origin")) // a board on the other PC's page asks
		reply.JSON(w, http.StatusOK, h)
	})
	m.HandleFunc("GET /metrics", s.handleMetrics)
	m.HandleFunc("GET /api/v1/standby/stream", s.api(s.handleStandby))
	m.HandleFunc("GET "+api.Services, s.api(s.handleServices))
	m.HandleFunc("POST "+api.ServiceToday, s.api(s.handleServiceToday))
	m.HandleFunc("GET "+api.Procedures, s.api(func(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
		reply.JSON(w, http.StatusOK, s.catalogue.Load().Procedures)
		return nil
	}))
	m.HandleFunc("GET "+api.Hours, s.api(s.handleHours))
	m.HandleFunc("GET "+api.Announce, s.api(s.handleAnnounce))
	m.HandleFunc("POST "+api.Tickets, s.api(s.handleIssue))
	m.HandleFunc("POST "+api.TicketPhone, s.api(s.handleTicketPhone))
	m.HandleFunc("GET "+api.Messages, s.api(s.handleMessages))
	m.HandleFunc("GET "+api.TicketByToken, s.api(s.handleTicketStatus))
	m.HandleFunc("POST "+api.TicketCancel, s.api(s.ticketAction(queue.OpCancel)))
	m.HandleFunc("POST "+api.TicketRejoin, s.api(s.ticketAction(queue.OpRejoin)))
	m.HandleFunc("POST "+api.CheckIns, s.api(s.handleCheckIn))
	m.HandleFunc("POST "+api.DeviceAlerts, s.api(s.handleAlert))
	m.HandleFunc("POST "+api.DevicePrinted, s.api(s.handlePrinted))
	m.HandleFunc("POST "+api.DeviceStatus, s.api(s.handleDeviceStatus))
	m.HandleFunc("POST "+api.Login, s.api(s.handleLogin))
	m.HandleFunc("POST "+api.Logout, s.api(s.handleLogout))
	m.HandleFunc("GET "+api.Me, s.api(s.handleMe))
	m.HandleFunc("POST "+api.CounterAction, s.api(s.handleCounter))
	m.HandleFunc("POST "+api.CounterRating, s.api(s.handleRating))
	m.HandleFunc("GET "+api.State, s.api(s.handleState))
	m.HandleFunc("GET "+api.AdminBackup, s.api(s.handleBackup))
	m.HandleFunc("GET "+api.AdminReport, s.api(s.handleReport))
	console.New(console.Deps{Settings: s.q, Floor: s.q, Auth: s.auth, InForce: host{s}, Reports: host{s}, Room: host{s}, Now: s.now, Sample: s.sample, Messages: s.q, Payments: host{s}}).Routes(m)
	m.HandleFunc("POST "+api.Pairing, s.api(s.handlePairing))
	m.HandleFunc("GET "+api.Paired, s.api(s.handlePaired))
	m.HandleFunc("GET "+api.AdminSettings, s.api(s.handleSettings))
	m.HandleFunc("PUT "+api.AdminSettings, s.api(s.handlePutSettings))
	m.HandleFunc("GET "+api.AdminDevices, s.api(s.handleDevices))
	m.HandleFunc("GET "+api.AdminAlerts, s.api(s.handleAlerts))
	m.HandleFunc("GET "+api.AdminLive, s.api(s.handleRoom))
	m.HandleFunc("GET "+api.AdminExport, s.api(s.handleExport))
	m.HandleFunc("POST "+api.AdminAck, s.api(s.handleAck))
	m.HandleFunc("POST "+api.AdminBackup, s.api(s.handleBackup))
	m.HandleFunc("GET "+api.Feed, s.handleWS)
	s.pages()
	s.dossierRoutes()
	s.scanRoutes()
	m.HandleFunc("/", s.api(func(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
		return problem.Errorf(problem.ENotFound, "Không có địa chỉ %s %s", "no such endpoint %s %s", r.Method, r.URL.Path)
	}))
}
