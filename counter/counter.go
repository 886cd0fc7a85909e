// Package counter is the clerk's app at a counter (quầy): login with username and
// PIN, then the work screen — the current ticket and big actions with keyboard
// shortcuts (call next, recall, no-show, transfer with a note, finish,
// pause/resume), the waiting numbers in the order they will be called, the missed
// list with rejoin — all live from the feed — and intake (F7) and dossiers (F8).
// The citizen-facing rating screen paired to the counter is counter/rating.
//
// The app's state lives on the UI goroutine: network calls run off it through
// Config.UI and hand their outcome back there. The state changes are plain
// methods that tests call on it.
package counter

import (
	"context"
	"fmt"
	"slices"
	"time"

	"fyne.io/fyne/v2"

	"motcua/internal/api"
	"motcua/internal/catalogue"
	"motcua/internal/queue"
	"motcua/internal/scan"
	"motcua/internal/ui"
)

// Server is what the counter needs from motcua-server (internal/client implements it).
type Server interface {
	State(ctx context.Context) (queue.Snapshot, error)
	LoginWithNewPIN(ctx context.Context, username, pin, newPIN string) (string, error)
	Logout(ctx context.Context) error
	Subscribe(ctx context.Context, fn func(api.Update))
	Next(ctx context.Context, n int) (api.TicketView, bool, error)
	TicketAction(ctx context.Context, n int, action string, req api.CounterRequest) (api.TicketView, error)
	CounterAction(ctx context.Context, n int, action string) (queue.Counter, error)
	Rejoin(ctx context.Context, ticketID string) (api.TicketView, error)
	IntakeServer
	DossierServer
	PaymentServer
	ScanServer
}

// screen is which of the app's screens is shown.
type screen string

const (
	screenLogin  screen = "login"
	screenNewPIN screen = "login: new PIN" // the login asking for a new PIN
	screenWork   screen = "work"
)

// mode is the form open on the work screen's right side, in place of the
// queue.
type mode string

const (
	modeQueue    mode = ""         // no form: the queue
	modeTransfer mode = "transfer" // where to send the ticket
	modeCall     mode = "call"     // a call out of order, asking the reason
	modeIntake   mode = "intake"   // F7
	modeDossier  mode = "dossier"  // F8
	modeResult   mode = "result"   // the last intake's outcome
	modeScan     mode = "scan"     // F9, the papers scanned
	modeNone     mode = "-"        // none built yet: the next render builds the form
)

// Config is the counter app's setting.
type Config struct {
	// Counter is this desk's counter number; 0 lets the clerk choose it at login
	// (remembered in Prefs for next time).
	Counter int
	// Username is filled in on the login screen.
	Username string
	// Prefs remembers the chosen counter; nil remembers nothing.
	Prefs fyne.Preferences
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// UI runs feed updates, timers and the answers of background work on the
	// UI goroutine, where all of the app's state lives (the zero value:
	// fyne.Do and plain goroutines).
	UI ui.Bridge
	// Print hands a form's PDF to the office's printer (or saves it) and says
	// where it went; nil keeps nothing.
	Print func(name string, pdf []byte) (Printed, error)
	// Scanner is the counter's SANE scanner (nil: none; the scan step
	// says so), ScanFolder the folder a network scanner saves into ("":
	// none).
	Scanner    *scan.Scanner
	ScanFolder scan.Folder
}

// Printed is where a form went: its file name (never a full path: the clerk
// needs to know whether it was printed, not where the disk keeps it) and the
// printer command that took it ("" when it was only saved).
type Printed struct {
	File, Printer string
}

// App is the clerk's counter app.
type App struct {
	win fyne.Window
	srv Server
	cfg Config

	screen    screen
	counter   int
	user      string             // username
	name      string             // the clerk's name
	live      api.Live           // the server's state, from the feed (after login)
	busy      bool               // an action is in flight: every action is off until it answers
	mode      mode               // the form open beside the queue (modeQueue: none)
	callID    string             // the ticket a "call" mode is for
	msg       string             // the last outcome, shown on the screen
	msgBad    bool               // msg is an error
	choosing  bool               // the login screen asks for a new PIN (the server said so)
	typedCode string             // the one-time code it was asked after, kept in its box
	lang      string             // "" Vietnamese, "en" English
	counters  []int              // counters known at login (from the public state)
	stop      context.CancelFunc // ends the feed on logout
	scanning  *scanStep          // the scan step, while "scan" mode is open
	procs     []catalogue.Procedure
	result    *intakeResult // the last intake, shown in "result" mode
	alert     string        // the last device alert (printer trouble), for the clerks to see
	// noShowUntil: "Vắng mặt" was pressed once; a second press before then marks it.
	noShowUntil time.Time

	ui *widgets
}

// New builds the app in win, on the login screen.
func New(win fyne.Window, srv Server, cfg Config) *App {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	a := &App{win: win, srv: srv, cfg: cfg, screen: screenLogin, counter: cfg.Counter}
	if a.cfg.Print == nil {
		a.cfg.Print = func(string, []byte) (Printed, error) { return Printed{}, nil }
	}
	if a.counter == 0 && cfg.Prefs != nil {
		a.counter = cfg.Prefs.Int("counter")
	}
	a.ui = newWidgets(a)
	win.Canvas().SetOnTypedKey(a.typedKey)
	a.render()
	return a
}

// Start loads the office's counters for the login screen and keeps the clock
// and the rating countdown ticking until ctx ends.
func (a *App) Start(ctx context.Context) {
	go func() { // until the server answers: not the bridge's work, which tests wait for
		for ctx.Err() == nil {
			c, cancel := context.WithTimeout(ctx, 5*time.Second)
			snap, err := a.srv.State(c)
			cancel()
			if err == nil {
				a.cfg.UI.Post(func() { a.setCounters(snap) })
				break
			}
			select {
			case <-ctx.Done():
			case <-time.After(2 * time.Second):
			}
		}
	}()
	ui.Every(ctx, time.Second, a.cfg.UI.Post, a.Tick)
}

func (a *App) setCounters(snap queue.Snapshot) {
	a.counters = a.counters[:0]
	for _, c := range snap.Counters {
		a.counters = append(a.counters, c.Number)
	}
	if a.screen == screenLogin {
		a.render()
	}
}

// Tick refreshes what depends on the clock (waiting times, the rating countdown).
func (a *App) Tick() {
	if a.screen == screenWork {
		a.render()
	}
}

// Apply takes one feed update.
func (a *App) Apply(u api.Update) {
	if u.Unauthorized {
		a.expired()
		return
	}
	if u.Snapshot != nil && a.mode != modeIntake {
		// A snapshot follows every change of the settings (and a reconnect):
		// the catalogue may have changed too, so the next intake reads it again.
		a.procs = nil
	}
	ev := a.live.Apply(u)
	switch {
	case ev != nil && ev.Type == queue.EvDevice && ev.Alert != nil: // e.g. a kiosk's printer is out of paper
		a.alert = fmt.Sprintf("%s %s: %s (%s)", ev.Time.In(a.zone()).Format("15:04"), ev.Actor.ID, ev.Alert.Message, ev.Alert.Code)
	case ev != nil && ev.Type == queue.EvAlert && ev.Raised != nil && a.concerns(*ev.Raised):
		a.alert = ev.Time.In(a.zone()).Format("15:04") + " " + a.pick(ev.Raised.Message, ev.Raised.MessageEN)
	case ev != nil && ev.Type == queue.EvMessage && ev.Message != nil && a.ui != nil:
		a.ui.refreshMessages(ev.Message.ID)
	}
	a.render()
}

// concerns says whether an alert is this counter's: about it, or about a
// service it calls (a device's trouble shows from its own event, above).
func (a *App) concerns(r queue.Raised) bool {
	if r.Counter != 0 {
		return r.Counter == a.counter
	}
	if r.Service == "" {
		return false
	}
	if a.live.Snap == nil {
		return false
	}
	for _, c := range a.live.Snap.Counters {
		if c.Number == a.counter {
			return slices.Contains(c.Services, r.Service)
		}
	}
	return false
}

// Screen names the screen shown now. Like every method of App, call it on
// the UI goroutine.
func (a *App) Screen() string {
	return string(a.screen)
}

// say shows an outcome; bad ones in red.
func (a *App) say(msg string, bad bool) {
	a.msg, a.msgBad = msg, bad
}

// expired returns to the login screen when the server no longer knows the
// session (it expired, or the server's data was replaced): the clerk logs in
// again instead of watching a dead screen.
func (a *App) expired() {
	if a.screen != screenWork {
		return
	}
	if a.stop != nil {
		a.stop()
	}
	a.screen, a.live.Snap, a.live.Online, a.stop, a.mode, a.busy = screenLogin, nil, false, nil, modeQueue, false
	a.msg, a.msgBad = a.tr("session expired"), true
	a.render()
}

// zone is the office's time zone, as the server says (the PC's own until the
// first snapshot).
func (a *App) zone() *time.Location {
	if a.live.Snap == nil {
		return time.Local
	}
	return ui.Zone(a.live.Snap.TimeZone)
}
