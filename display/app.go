package display

import (
	"context"
	"time"

	"fyne.io/fyne/v2"

	"motcua/internal/api"
	"motcua/internal/ui"
	"motcua/internal/voice"
)

// Server is what the board needs: the feed.
type Server interface {
	Subscribe(ctx context.Context, fn func(api.Update))
	Status(ctx context.Context, printer string) error
}

// Config is the board's setting.
type Config struct {
	// Counters limits the board to a zone; empty shows every counter.
	Counters []int
	// Announcer speaks the calls; nil for a silent board.
	Announcer *voice.Announcer
	Now       func() time.Time
	// UI runs feed updates and timers on the UI goroutine (the zero value:
	// fyne.Do).
	UI ui.Bridge
	// Refused is called when the server no longer takes the device's key
	// (the admin revoked it): ui.Device then pairs again. nil does nothing.
	Refused func()
}

// App keeps the board up to date from the feed and draws it. Its state lives
// on the UI goroutine: feed updates and the clock arrive through Config.UI.
type App struct {
	win fyne.Window
	srv Server
	cfg Config

	live  api.Live // the server's state, from the feed
	calls Caller   // the new call, picked out of the events
	ever  bool     // a snapshot has arrived at least once

	ui *screen
}

// New builds the board in win.
func New(win fyne.Window, srv Server, cfg Config) *App {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	a := &App{win: win, srv: srv, cfg: cfg, calls: Caller{Zone: cfg.Counters}}
	a.ui = newScreen(a)
	a.render()
	return a
}

// Start follows the feed and ticks the clock until ctx ends.
func (a *App) Start(ctx context.Context) {
	go a.srv.Subscribe(ctx, func(u api.Update) { a.cfg.UI.Post(func() { a.Apply(u) }) })
	ui.Every(ctx, 500*time.Millisecond, a.cfg.UI.Post, a.render)
	ui.Heartbeat(ctx, 0, func() string { return "none" }, a.srv.Status) // a board prints nothing
}

// Apply takes one feed update. A snapshot (first, or after a gap or a lost
// connection) has nothing new in it, so an old call is never shown or
// announced as new.
func (a *App) Apply(u api.Update) {
	if u.Unauthorized && a.cfg.Refused != nil {
		a.cfg.Refused()
		return
	}
	ev := a.live.Apply(u)
	var call *Call
	switch {
	case u.Snapshot != nil:
		a.ever = true
		a.calls.Reset()
	case ev != nil:
		call = a.calls.Seen(*ev, a.cfg.Now())
	}
	if call != nil && a.cfg.Announcer != nil {
		d := a.Board().Display()
		style := voice.StyleOf(d.Thousand, d.ZeroTens, d.NoTu)
		a.cfg.Announcer.Add(voice.Announcement{TicketID: call.TicketID, Display: call.Display, Counter: call.Counter, Recalls: call.Recalls,
			Parts: voice.Parts(d.Template, call.Display, call.Counter, style), Caption: voice.Caption(d.Template, call.Display, call.Counter)})
	}
	a.render()
}

// Board returns the board as shown now. Call it on the UI goroutine.
func (a *App) Board() Board {
	if a.live.Snap == nil {
		return Board{}
	}
	return Project(*a.live.Snap, a.live.Online, a.calls.Zone, &a.calls)
}
