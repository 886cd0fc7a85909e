package counter

import (
	"context"
	"fmt"
	"slices"
	"time"

	"motcua/internal/api"
	"motcua/internal/problem"
	"motcua/internal/queue"
)

// allowed says which actions make sense now. Buttons, shortcuts and the action
// methods all ask it, so a disabled action cannot be reached another way.
type allowed struct {
	next, recall, noShow, transfer, finish, pause, resume, call, rejoin, logout bool
}

// view is the counter's part of the snapshot, read under the lock.
type view struct {
	counter queue.Counter
	current *queue.Ticket
	ok      bool
}

func (a *App) viewLocked() view {
	var v view
	if a.live.Snap == nil {
		return v
	}
	i := slices.IndexFunc(a.live.Snap.Counters, func(c queue.Counter) bool { return c.Number == a.counter })
	if i < 0 {
		return v
	}
	v.counter, v.ok = a.live.Snap.Counters[i], true
	if id := v.counter.Current; id != "" {
		if j := slices.IndexFunc(a.live.Snap.Tickets, func(t queue.Ticket) bool { return t.ID == id }); j >= 0 {
			t := a.live.Snap.Tickets[j]
			v.current = &t
		}
	}
	return v
}

func (a *App) allowedLocked() allowed {
	v := a.viewLocked()
	if a.screen != "work" || !a.live.Online || a.busy || !v.ok {
		return allowed{}
	}
	cur := v.current
	called := cur != nil && cur.State == queue.Called
	active := cur != nil && (cur.State == queue.Called || cur.State == queue.Serving)
	paused := v.counter.State == queue.CounterPaused
	return allowed{
		next:     cur == nil && !paused,
		call:     cur == nil && !paused,
		recall:   called,
		noShow:   called,
		transfer: active,
		finish:   active,
		pause:    v.counter.State == queue.CounterOpen,
		resume:   paused,
		rejoin:   true,
		logout:   cur == nil,
	}
}

// begin marks an action in flight if check allows it; false means ignore the
// press (a double press, or an action that makes no sense now).
func (a *App) beginIf(check func(allowed) bool) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	if !check(a.allowedLocked()) {
		return false
	}
	a.busy = true
	return true
}

func (a *App) begin() bool { return a.beginIf(func(x allowed) bool { return x.logout }) }

// done ends the action in flight with an outcome to show.
func (a *App) done(msg string, bad bool) {
	a.mu.Lock()
	a.busy = false
	a.msg, a.msgBad = msg, bad
	a.mu.Unlock()
	a.render()
}

// run does one action at the counter off the UI thread and shows its outcome.
func (a *App) run(check func(allowed) bool, do func(ctx context.Context, n int) (string, error)) {
	if !a.beginIf(check) {
		return
	}
	a.render() // buttons off at once
	n := a.counterNumber()
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		defer cancel()
		msg, err := do(ctx, n)
		a.cfg.Do(func() {
			if problem.As(err).Code == problem.EUnauthorized {
				a.expired()
				return
			}
			if err != nil {
				a.done(a.errText(err), true)
				return
			}
			a.mu.Lock()
			if a.mode != "dossier" { // the dossier panel stays open for the next step
				a.mode, a.callID = "", ""
			}
			a.mu.Unlock()
			a.done(msg, false)
		})
	}()
}

func (a *App) ticketAction(action, okKey string, req api.CounterRequest) func(context.Context, int) (string, error) {
	return func(ctx context.Context, n int) (string, error) {
		t, err := a.srv.TicketAction(ctx, n, action, req)
		return fmt.Sprintf(a.tr(okKey), t.Display), err
	}
}

// Next calls the next citizen by the office's rule.
func (a *App) Next() {
	a.run(func(x allowed) bool { return x.next }, func(ctx context.Context, n int) (string, error) {
		t, ok, err := a.srv.Next(ctx, n)
		if err == nil && !ok {
			return a.tr("none waiting"), nil
		}
		return fmt.Sprintf(a.tr("called"), t.Display), err
	})
}

// Recall calls the current number again.
func (a *App) Recall() {
	a.run(func(x allowed) bool { return x.recall }, a.ticketAction("recall", "recalled", api.CounterRequest{}))
}

// NoShow marks the called citizen absent; the ticket may rejoin within the window.
func (a *App) NoShow() {
	a.run(func(x allowed) bool { return x.noShow }, a.ticketAction("no-show", "no-showed", api.CounterRequest{}))
}

// Finish ends the service; the citizen's rating screen then asks for a rating.
func (a *App) Finish() {
	a.run(func(x allowed) bool { return x.finish }, a.ticketAction("finish", "finished", api.CounterRequest{}))
}

// TogglePause pauses an open counter or resumes a paused one.
func (a *App) TogglePause() {
	a.mu.Lock()
	resume := a.allowedLocked().resume
	a.mu.Unlock()
	action, key := "pause", "paused"
	if resume {
		action, key = "resume", "resumed"
	}
	a.run(func(x allowed) bool { return x.pause || x.resume }, func(ctx context.Context, n int) (string, error) {
		_, err := a.srv.CounterAction(ctx, n, action)
		return a.tr(key), err
	})
}

// OpenTransfer shows the transfer form (service and note).
func (a *App) OpenTransfer() {
	a.mu.Lock()
	if a.allowedLocked().transfer {
		a.mode = "transfer"
	}
	a.mu.Unlock()
	a.render()
}

// Transfer sends the current ticket to another service's queue with a note for
// the next clerk; it keeps its place by issue time.
func (a *App) Transfer(serviceID, note string) {
	if serviceID == "" {
		a.say(a.tr("choose service"), true)
		a.render()
		return
	}
	a.run(func(x allowed) bool { return x.transfer }, a.ticketAction("transfer", "transferred", api.CounterRequest{ServiceID: serviceID, Note: note}))
}

// OpenCall asks for the reason to call ticketID out of order.
func (a *App) OpenCall(ticketID string) {
	a.mu.Lock()
	if a.allowedLocked().call {
		a.mode, a.callID = "call", ticketID
	}
	a.mu.Unlock()
	a.render()
}

// Call calls the chosen ticket out of order; the reason is logged on the server.
func (a *App) Call(reason string) {
	a.mu.Lock()
	id := a.callID
	a.mu.Unlock()
	a.run(func(x allowed) bool { return x.call && id != "" }, a.ticketAction("call", "called", api.CounterRequest{TicketID: id, Reason: reason}))
}

// Rejoin puts a missed ticket back in the queue (within the rejoin window).
func (a *App) Rejoin(ticketID string) {
	a.run(func(x allowed) bool { return x.rejoin }, func(ctx context.Context, n int) (string, error) {
		t, err := a.srv.Rejoin(ctx, ticketID)
		return fmt.Sprintf(a.tr("rejoined"), t.Display), err
	})
}

// CancelMode leaves the transfer or call form.
func (a *App) CancelMode() {
	a.mu.Lock()
	a.mode, a.callID = "", ""
	a.mu.Unlock()
	a.render()
}

func (a *App) isBusy() bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.busy
}
