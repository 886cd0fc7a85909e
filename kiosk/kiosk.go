// Package kiosk is the citizen's touchscreen: services as big buttons with live
// waiting counts and estimated waits (from the feed), an optional priority
// choice, and the ticket on screen and on paper. The kiosk's state lives on the
// UI goroutine: network calls and printing run off it through Config.UI and
// hand their results back there; the state changes themselves are plain
// methods (Apply, Tick, Home, …) that tests call on it. Screens are built once
// and updated in place.
package kiosk

import (
	"context"
	"maps"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"

	"motcua/internal/api"
	"motcua/internal/catalogue"
	"motcua/internal/printout"
	"motcua/internal/problem"
	"motcua/internal/receipt"
	"motcua/internal/ui"
)

// Server is what the kiosk needs from motcua-server (internal/client implements it).
type Server interface {
	Issue(ctx context.Context, serviceID, priority string) (api.TicketView, error)
	Cancel(ctx context.Context, ticketID, reason string) (api.TicketView, error)
	Subscribe(ctx context.Context, fn func(api.Update))
	Alert(ctx context.Context, code, message string) error
	Procedures(ctx context.Context) ([]catalogue.Procedure, error)
	LookupDossier(ctx context.Context, code, pin string) (api.LookupAnswer, error)
	ReturnTicket(ctx context.Context, code, pin string) (api.TicketView, error)
	Printed(ctx context.Context, day string, last map[string]int) error
	Status(ctx context.Context, printer string) error
	CheckIn(ctx context.Context, code string) (api.TicketView, error)
	GivePhone(ctx context.Context, ticketID, phone string) error
}

// Config is the kiosk's setting.
type Config struct {
	// PublicURL is the server's address as phones on the office network reach it;
	// the ticket's QR points at PublicURL + "/t/" + token.
	PublicURL string
	// Printer prints tickets (a thermal printer, or a folder of PNG/PDF); nil
	// means no printer (the ticket is only shown).
	Printer printout.Printer
	// PaperWidth in dots: 576 (80 mm), 512 or 384 (58 mm).
	PaperWidth int
	// Landscape lays the screens out for a wide screen (default: portrait).
	Landscape bool
	// StaffPIN is the bcrypt hash of the PIN that opens the staff screen
	// (reprint, test print); empty means no staff screen.
	StaffPIN string
	// ShowTicketFor is how long the ticket screen stays before home; default 15 s.
	ShowTicketFor time.Duration
	// IdleAfter: with no touch for this long, any screen goes back to home and a
	// chosen priority is forgotten (the next citizen must not inherit it); default 30 s.
	IdleAfter time.Duration
	// HeartbeatEvery is how often the kiosk tells the server it is there,
	// with its printer's state (the console's devices page); default 1 min.
	HeartbeatEvery time.Duration
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// UI runs feed updates, timers and the answers of background work on the
	// UI goroutine (the zero value: fyne.Do and plain goroutines). Tests pass one
	// that serialises with their own taps, since Fyne's test driver runs in place.
	UI ui.Bridge
	// Refused is called when the server no longer takes the device's key
	// (the admin revoked it): ui.Device then pairs again. nil does nothing.
	Refused func()
}

// Kiosk holds the kiosk's state and screens.
type Kiosk struct {
	win fyne.Window
	srv Server
	cfg Config

	live     api.Live // the server's state, from the feed
	priority string   // chosen priority class id, "" for none
	busy     bool     // a ticket is being issued: ignore more taps
	screen   string   // "home", "priority", "search", "guide", "ticket", "offline", "error", "staff-pin", "staff"
	last     *api.TicketView
	backAt   time.Time
	touched  time.Time // last tap
	keys     string    // typed on the search keyboard (Telex)
	lang     string    // "" Vietnamese, "en" English
	procs    []catalogue.Procedure
	guide    *catalogue.Procedure // the procedure shown on the guide screen
	recent   []receipt.Ticket     // the last tickets printed here, newest first, for reprint
	pin      string               // digits typed on the staff PIN pad
	staffMsg string               // the staff screen's last outcome
	look     lookupState          // the lookup screen
	arrive   checkInState         // the check-in screen of a number taken from afar
	phone    phoneState           // the phone screen: a number for the ticket's messages
	// printed is the last number printed here per service on printedDay: told
	// to the server on every reconnect, so a server restored from an older
	// backup never issues those numbers again.
	printed    map[string]int
	printedDay string
	// staffFails counts wrong PINs; staffLockedUntil stops guessing for a while.
	staffFails       int
	staffLockedUntil time.Time
	// printer is the printer's state after the last print (ok or a trouble
	// code; nil before one): background work writes it, the heartbeat reads it.
	printer atomic.Pointer[string]

	ui *screens
}

// New builds the kiosk in win. Call Start to follow the server.
func New(win fyne.Window, srv Server, cfg Config) *Kiosk {
	if cfg.PaperWidth == 0 {
		cfg.PaperWidth = 576
	}
	if cfg.ShowTicketFor <= 0 {
		cfg.ShowTicketFor = 15 * time.Second
	}
	if cfg.IdleAfter <= 0 {
		cfg.IdleAfter = 30 * time.Second
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	k := &Kiosk{win: win, srv: srv, cfg: cfg, screen: "offline"}
	k.ui = newScreens(k)
	k.render()
	return k
}

// Start follows the server's feed until ctx ends, and returns to the home screen
// after a ticket has been shown long enough.
func (k *Kiosk) Start(ctx context.Context) {
	go k.srv.Subscribe(ctx, func(u api.Update) {
		if u.Snapshot != nil { // (re)connected: the catalogue may have changed with the server
			go k.loadProcedures(ctx)
		}
		k.cfg.UI.Post(func() { k.Apply(u) })
	})
	ui.Every(ctx, time.Second, k.cfg.UI.Post, k.Tick)
	ui.Heartbeat(ctx, k.cfg.HeartbeatEvery, k.printerState, k.srv.Status)
}

// Apply takes one feed update: a snapshot or an event refreshes the counts, a
// lost connection shows the "tạm gián đoạn" screen and issues nothing.
func (k *Kiosk) Apply(u api.Update) {
	if u.Unauthorized && k.cfg.Refused != nil {
		k.cfg.Refused()
		return
	}
	k.live.Apply(u)
	if u.Snapshot != nil && u.Snapshot.Day == k.printedDay && len(k.printed) > 0 {
		day, last := k.printedDay, maps.Clone(k.printed)
		k.cfg.UI.Go(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			k.srv.Printed(ctx, day, last) // best effort: the next reconnect tells again
		})
	}
	if !k.live.Online {
		k.screen = "offline"
	} else if k.screen == "offline" && k.live.Snap != nil {
		k.screen = "home"
	}
	k.render()
}

// Tick returns to the home screen when a ticket or message has been shown long enough.
func (k *Kiosk) Tick() {
	now := k.cfg.Now()
	shown := (k.screen == "ticket" || k.screen == "error" || k.screen == "phone" && k.phone.done) && !k.backAt.IsZero() && !now.Before(k.backAt)
	idle := k.screen != "home" && k.screen != "ticket" && k.screen != "error" && k.screen != "offline" || k.screen == "home" && (k.priority != "" || k.lang != "")
	idle = idle && now.Sub(k.touched) >= k.cfg.IdleAfter
	back := shown || idle
	if back {
		k.screen, k.priority, k.backAt, k.lang, k.guide, k.pin, k.phone = "home", "", time.Time{}, "", nil, "", phoneState{}
	}
	if back {
		k.render()
	}
	k.ui.clock.SetText(k.cfg.Now().In(k.zone()).Format("15:04  02/01/2006"))
}

// Home goes back to the home screen (a tap on "Về trang chủ").
func (k *Kiosk) Home() {
	k.touched = k.cfg.Now()
	if k.live.Online {
		k.screen = "home"
	}
	k.priority, k.backAt, k.guide, k.pin, k.phone = "", time.Time{}, nil, "", phoneState{}
	k.render()
}

// ChoosePriority opens the priority choice (empty id) or records one.
func (k *Kiosk) ChoosePriority(id string) {
	k.touched = k.cfg.Now()
	if id == "" {
		k.screen = "priority"
	} else {
		k.priority, k.screen = id, "home"
	}
	k.render()
}

// issue takes a ticket for service, prints it (with the checklist of proc under
// it, when proc is not nil), and shows it. If printing fails the ticket is
// cancelled on the server, so no number that the citizen does not hold is ever
// called, and the citizen is asked to see staff.
func (k *Kiosk) issue(serviceID string, proc *catalogue.Procedure) {
	if k.busy || !k.live.Online {
		return
	}
	k.busy = true
	k.touched = k.cfg.Now()
	priority, paper := k.priority, k.paper(proc)
	k.cfg.UI.Go(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		t, err := k.srv.Issue(ctx, serviceID, priority)
		var r receipt.Ticket
		if err == nil {
			r = paper(t)
			perr := k.print(ctx, r)
			if perr != nil {
				k.srv.Cancel(ctx, t.ID, "không in được phiếu / printing failed: "+problem.As(perr).MessageEN)
				err = perr
			}
			k.notePrinter(ctx, perr)
		}
		k.cfg.UI.Post(func() { k.issued(t, r, err) })
	})
}

// issued shows the outcome of issue, and keeps a printed ticket for reprints.
func (k *Kiosk) issued(t api.TicketView, r receipt.Ticket, err error) {
	k.busy = false
	if err == nil {
		k.remember(r)
		if k.printedDay != t.Day {
			k.printed, k.printedDay = map[string]int{}, t.Day
		}
		k.printed[t.FirstServiceID] = max(k.printed[t.FirstServiceID], t.Number)
	}
	k.backAt = k.cfg.Now().Add(k.cfg.ShowTicketFor)
	if err != nil {
		k.screen = "error"
	} else {
		k.screen, k.last = "ticket", &t
	}
	if err != nil {
		k.ui.setError(err) // reads the language: outside the lock
	}
	k.render()
}

// ticketURL is where the ticket's QR points, on the server at base.
func ticketURL(base string, t api.TicketView) string { return base + api.Path(api.PageTicket, t.Token) }

// Screen names the screen shown now (for tests and logs). Like every method
// of Kiosk, call it on the UI goroutine.
func (k *Kiosk) Screen() string { return k.screen }

// zone is the office's time zone, as the server says (the PC's own until the
// first snapshot).
func (k *Kiosk) zone() *time.Location {
	if k.live.Snap == nil {
		return time.Local
	}
	return ui.Zone(k.live.Snap.TimeZone)
}
