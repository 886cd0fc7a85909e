package counter

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"motcua/internal/api"
	"motcua/internal/problem"
)

// Login checks the clerk's PIN, takes the counter (the server then knows who
// works where) and follows the feed with the clerk's full view.
func (a *App) Login(username, pin string, counter int) {
	a.LoginWithNewPIN(username, pin, "", "", counter)
}

// LoginWithNewPIN logs in like Login, and the clerk chooses a new PIN, typed
// twice: asked for when the server says the PIN given was a one-time code
// (the login screen then shows the two fields).
func (a *App) LoginWithNewPIN(username, pin, newPIN, again string, counter int) {
	if a.busy {
		return
	}
	a.busy = true
	if counter < 1 {
		a.done(a.tr("choose counter"), true)
		return
	}
	if newPIN != again {
		a.done(a.tr("pins differ"), true)
		return
	}
	a.cfg.UI.Go(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		defer cancel()
		name, err := a.srv.LoginWithNewPIN(ctx, username, pin, newPIN)
		if err == nil {
			_, err = a.srv.CounterAction(ctx, counter, api.ActOpen)
		}
		a.cfg.UI.Post(func() {
			if e := problem.As(err); err != nil && e.Code == problem.ESetPIN {
				a.choosing, a.typedCode = true, pin
				a.done(a.pick(e.Message, e.MessageEN), false) // a step, not a failure
				return
			}
			if err != nil {
				a.done(a.errText(err), true)
				return
			}
			a.choosing, a.typedCode = false, ""
			feed, stop := context.WithCancel(context.Background())
			a.screen, a.user, a.name, a.counter, a.stop, a.mode = screenWork, username, name, counter, stop, modeQueue
			if a.cfg.Prefs != nil {
				a.cfg.Prefs.SetInt("counter", counter)
			}
			go a.srv.Subscribe(feed, func(u api.Update) { a.cfg.UI.Post(func() { a.Apply(u) }) })
			a.done(fmt.Sprintf(a.tr("welcome"), name, counter), false)
		})
	})
}

// Logout closes the counter and ends the session. A counter still serving a
// ticket cannot close: the clerk is told and stays logged in.
func (a *App) Logout() {
	if !a.begin() {
		return
	}
	n := a.counter
	a.cfg.UI.Go(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		defer cancel()
		_, err := a.srv.CounterAction(ctx, n, api.ActClose)
		if err == nil {
			err = a.srv.Logout(ctx)
		}
		a.cfg.UI.Post(func() {
			if err != nil {
				a.done(a.errText(err), true)
				return
			}
			if a.stop != nil {
				a.stop()
			}
			a.screen, a.live.Snap, a.live.Online, a.stop, a.mode = "login", nil, false, nil, ""
			a.done(a.tr("logged out"), false)
		})
	})
}

// errText is an error as the clerk reads it. When the server could not be
// reached the action may or may not have happened: say so, the feed will tell.
func (a *App) errText(err error) string {
	e := problem.As(err)
	text := a.pick(e.Message, e.MessageEN)
	if e.Code == api.ErrUnreachable.Code {
		text += " — " + a.tr("check state")
	}
	return a.tr("failed") + " " + text
}

func parseCounter(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0
	}
	return n
}
