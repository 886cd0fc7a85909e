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

// view is the counter's part of the snapshot.
type view struct {
	counter queue.Counter
	current *queue.Ticket
	ok      bool
}

func (a *App) counterView() view {
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

// can says what the clerk may do now.
func (a *App) can() allowed {
	v := a.counterView()
	if a.screen != screenWork || !a.live.Online || a.busy || !v.ok {
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
	if !check(a.can()) {
		return false
	}
	a.busy = true
	return true
}

func (a *App) begin() bool { return a.beginIf(func(x allowed) bool { return x.logout }) }

// done ends the action in flight with an outcome to show.
func (a *App) done(msg string, bad bool) {
	a.busy = false
	a.msg, a.msgBad = msg, bad
	a.render()
}

// outcome puts an action's result into words. It runs on the UI goroutine,
// where the language lives; the action itself runs off it.
type outcome func() string

// said is the outcome key (with args) in the app's language.
func (a *App) said(key string, args ...any) outcome {
	return func() string { return fmt.Sprintf(a.tr(key), args...) }
}

// run does one action at the counter off the UI goroutine and shows its outcome.
func (a *App) run(check func(allowed) bool, do func(ctx context.Context, n int) (outcome, error)) {
	if !a.beginIf(check) {
		return
	}
	a.render() // buttons off at once
	n := a.counter
	a.cfg.UI.Go(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		defer cancel()
		say, err := do(ctx, n)
		a.cfg.UI.Post(func() {
			if problem.As(err).Code == problem.EUnauthorized {
				a.expired()
				return
			}
			if err != nil {
				a.done(a.errText(err), true)
				return
			}
			if a.mode != modeDossier { // the dossier panel stays open for the next step
				a.mode, a.callID = "", ""
			}
			a.done(say(), false)
		})
	})
}

func (a *App) ticketAction(action, okKey string, req api.CounterRequest) func(context.Context, int) (outcome, error) {
	return func(ctx context.Context, n int) (outcome, error) {
		t, err := a.srv.TicketAction(ctx, n, action, req)
		return a.said(okKey, t.Display), err
	}
}

// Next calls the next citizen by the office's rule.
func (a *App) Next() {
	a.run(func(x allowed) bool { return x.next }, func(ctx context.Context, n int) (outcome, error) {
		t, ok, err := a.srv.Next(ctx, n)
		if err == nil && !ok {
			return a.said("none waiting"), nil
		}
		return a.said("called", t.Display), err
	})
}

// Recall calls the current number again.
func (a *App) Recall() {
	a.run(func(x allowed) bool { return x.recall }, a.ticketAction("recall", "recalled", api.CounterRequest{}))
}

// NoShow marks the called citizen absent; the ticket may rejoin within the window.
//
// It takes a second press within a few seconds: a citizen marked absent by a
// slip of the finger loses their place.
func (a *App) NoShow() {
	now := a.cfg.Now()
	if now.After(a.noShowUntil) {
		if !a.can().noShow {
			return
		}
		a.noShowUntil = now.Add(noShowConfirm)
		a.say(a.tr("confirm no-show"), true)
		a.render()
		return
	}
	a.noShowUntil = time.Time{}
	a.run(func(x allowed) bool { return x.noShow }, a.ticketAction("no-show", "no-showed", api.CounterRequest{}))
}

// noShowConfirm is how long the second press of "Vắng mặt" may take.
const noShowConfirm = 4 * time.Second

// Finish ends the service; the citizen's rating screen then asks for a rating.
func (a *App) Finish() {
	a.run(func(x allowed) bool { return x.finish }, a.ticketAction("finish", "finished", api.CounterRequest{}))
}

// TogglePause pauses an open counter or resumes a paused one.
func (a *App) TogglePause() {
	resume := a.can().resume
	action, key := "pause", "paused"
	if resume {
		action, key = "resume", "resumed"
	}
	a.run(func(x allowed) bool { return x.pause || x.resume }, func(ctx context.Context, n int) (outcome, error) {
		_, err := a.srv.CounterAction(ctx, n, action)
		return a.said(key), err
	})
}

// OpenTransfer shows the transfer form (service and note).
func (a *App) OpenTransfer() {
	if a.can().transfer {
		a.openMode(modeTransfer)
	}
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
	if a.can().call {
		a.openMode(modeCall)
		a.callID = ticketID
	}
	a.render()
}

// Call calls the chosen ticket out of order; the reason is logged on the server.
func (a *App) Call(reason string) {
	id := a.callID
	a.run(func(x allowed) bool { return x.call && id != "" }, a.ticketAction("call", "called", api.CounterRequest{TicketID: id, Reason: reason}))
}

// Rejoin puts a missed ticket back in the queue (within the rejoin window).
func (a *App) Rejoin(ticketID string) {
	a.run(func(x allowed) bool { return x.rejoin }, func(ctx context.Context, n int) (outcome, error) {
		t, err := a.srv.Rejoin(ctx, ticketID)
		return a.said("rejoined", t.Display), err
	})
}

// openMode opens a form; the outcome shown above its buttons is then the
// form's own, not the last action's.
func (a *App) openMode(mode mode) {
	a.mode = mode
	a.say("", false)
}

// CancelMode leaves the transfer or call form.
func (a *App) CancelMode() {
	a.mode, a.callID = "", ""
	a.render()
}
