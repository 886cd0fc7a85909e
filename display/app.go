package display

import (
	"context"
	"sync"
	"time"

	"fyne.io/fyne/v2"

	"motcua/internal/api"
	"motcua/internal/ui"
	"motcua/internal/voice"
)

// Server is what the board needs: the feed.
type Server interface {
	Subscribe(ctx context.Context, fn func(api.Update))
}

// Config is the board's setting.
type Config struct {
	// Counters limits the board to a zone; empty shows every counter.
	Counters []int
	// Announcer speaks the calls; nil for a silent board.
	Announcer *voice.Announcer
	Now       func() time.Time
	Do        func(func())
}

// App keeps the board up to date from the feed and draws it.
type App struct {
	win fyne.Window
	srv Server
	cfg Config

	mu    sync.Mutex
	board Board
	live  api.Live // kept beside the board for the waiting counts
	ever  bool     // a snapshot has arrived at least once

	ui *screen
}

// New builds the board in win.
func New(win fyne.Window, srv Server, cfg Config) *App {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Do == nil {
		cfg.Do = fyne.Do
	}
	a := &App{win: win, srv: srv, cfg: cfg}
	a.ui = newScreen(a)
	a.render()
	return a
}

// Start follows the feed and ticks the clock until ctx ends.
func (a *App) Start(ctx context.Context) {
	go a.srv.Subscribe(ctx, func(u api.Update) { a.cfg.Do(func() { a.Apply(u) }) })
	ui.Every(ctx, 500*time.Millisecond, a.cfg.Do, a.render)
}

// Apply takes one feed update. A snapshot (first, or after a gap or a lost
// connection) rebuilds the board with nothing new on it, so an old call is
// never shown or announced as new.
func (a *App) Apply(u api.Update) {
	a.mu.Lock()
	var call *Call
	ev := a.live.Apply(u)
	switch {
	case u.Snapshot != nil:
		a.ever = true
		a.board = FromSnapshot(*a.live.Snap, a.cfg.Counters)
	case ev != nil:
		a.board, call = a.board.Apply(*ev, a.cfg.Now())
		a.board = a.board.WithServices(*a.live.Snap)
	default:
		a.board.Online = a.live.Online
	}
	board := a.board
	a.mu.Unlock()
	if call != nil && a.cfg.Announcer != nil {
		d := board.Display()
		style := voice.StyleOf(d.Thousand, d.ZeroTens, d.NoTu)
		a.cfg.Announcer.Add(voice.Announcement{TicketID: call.TicketID, Display: call.Display, Counter: call.Counter, Recalls: call.Recalls,
			Parts: voice.Parts(d.Template, call.Display, call.Counter, style), Caption: voice.Caption(d.Template, call.Display, call.Counter)})
	}
	a.render()
}

// Board returns the board as shown now.
func (a *App) Board() Board {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.board
}
