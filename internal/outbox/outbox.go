// Package outbox tells citizens what the office's settings say to tell
// them. Its planner follows the event log from a place kept in the store
// and writes the messages an event calls for into the store's outbox
// (through the writer, with the place, in one transaction: nothing is
// lost between an event and its message, and a message's id keeps it from
// being queued twice). Its sender tries each due message on its channels
// in the office's order after the commit and records the outcomes (a batch
// in one commit). A try cut short by a stop leaves its message queued: it
// is sent again only where the channel takes the message's id (the
// province sends an id once) or shows that it never got it (gammu's spool
// is read at the restart, and before any retry). A share of failures over
// the office's threshold raises an alert.
package outbox

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"motcua/internal/bolt"
	"motcua/internal/notify"
	"motcua/internal/queue"
)

// Store is what the outbox needs of the office's store (*bolt.Store).
type Store interface {
	Lookup
	Office() queue.Office
	EventsAfter(seq uint64, limit int) ([]bolt.Chained, error)
	Enqueue(msgs []notify.Message, planned uint64) ([]notify.Message, error)
	Planned() uint64
	LastSeq() uint64
	UpdateMessage(id string, fn func(*notify.Message) error) (notify.Message, error)
	UpdateMessages(ids []string, fn func(*notify.Message) error) ([]notify.Message, error)
	PendingMessages() ([]notify.Message, error)
	EraseMessages(cutoff time.Time, dayCutoff string) (int, error)
	Do(ctx context.Context, cmd queue.Command) (queue.Result, error)
}

// Channel sends one message.
type Channel interface {
	Send(ctx context.Context, m notify.Message, s notify.Settings) notify.Outcome
}

// Pacer is a channel that says how many messages it takes now (gammu:
// the room left in its outbox): the rest wait for the channel's own pace,
// untouched.
type Pacer interface {
	Room(s notify.Settings) int
}

// Flusher is a channel whose sent messages are on the disk only after
// Flush (gammu's files outbox: one sync a batch): the batch's outcomes are
// recorded after it, and a failed one leaves its messages to try again.
type Flusher interface {
	Flush(s notify.Settings) error
}

// Checker is a channel that can tell, after a restart, whether a try cut
// short reached it (so it is not sent twice).
type Checker interface {
	WentOut(m notify.Message, since time.Time, s notify.Settings) bool
}

// Outbox plans and sends.
type Outbox struct {
	Store    Store
	Channels map[string]Channel
	Now      func() time.Time
	Log      *slog.Logger
	// Workers is how many messages are tried at once (default 2): a
	// channel's own pace, not ours, limits the drain.
	Workers  int
	province func() string        // the province's address (SetProvince)
	held     map[string]time.Time // a channel that asked to slow down: not tried before then
	// pending are the messages not sent or given up, as the store has
	// them: read from it once at the start, then kept with each change
	// (a pass of the sender reads no store: a burst's thousand messages
	// are not decoded four times a second on the kiosks' core).
	pending map[string]notify.Message

	wake, send chan struct{}
	mu         sync.Mutex
	ended      []bool    // the last messages ended: true for failed
	alerted    string    // the day the failure alert was raised
	planned    uint64    // the last event planned
	stored     uint64    // … as the store has it
	storedAt   time.Time // when it was last stored
}

// New is an outbox over store with its channels.
func New(store Store, channels map[string]Channel, log *slog.Logger) *Outbox {
	return &Outbox{Store: store, Channels: channels, Now: time.Now, Log: log, Workers: 2,
		wake: make(chan struct{}, 1), send: make(chan struct{}, 1), held: map[string]time.Time{}, pending: map[string]notify.Message{}}
}

// keep puts messages in the sender's list as the store now has them (the
// final ones leave it).
func (o *Outbox) keep(msgs ...notify.Message) {
	o.mu.Lock()
	defer o.mu.Unlock()
	for _, m := range msgs {
		if m.State.Final() {
			delete(o.pending, m.ID)
		} else {
			o.pending[m.ID] = m
		}
	}
}

// SetProvince says where the province is (the uplink's address): a
// remote number's page is there.
func (o *Outbox) SetProvince(url func() string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.province = url
}

// SetChannel puts ch in force for name ("zns", "sms").
func (o *Outbox) SetChannel(name string, ch Channel) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.Channels[name] = ch
}

func (o *Outbox) channel(name string) Channel {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.Channels[name]
}

// Nudge tells the planner that events were committed (the store's
// publisher calls it); it never blocks.
func (o *Outbox) Nudge() {
	select {
	case o.wake <- struct{}{}:
	default:
	}
}

func (o *Outbox) nudgeSender() {
	select {
	case o.send <- struct{}{}:
	default:
	}
}

// Run plans and sends until ctx ends.
func (o *Outbox) Run(ctx context.Context) {
	o.planned = o.Store.Planned()
	if o.planned == 0 { // a store older than its outbox: its past is not told
		o.planned = o.Store.LastSeq()
	}
	o.stored = o.planned
	o.resume()
	if all, err := o.Store.PendingMessages(); err == nil {
		o.keep(all...)
	}
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); o.planLoop(ctx) }()
	go func() { defer wg.Done(); o.sendLoop(ctx) }()
	wg.Wait()
}

func (o *Outbox) planLoop(ctx context.Context) {
	tick := time.NewTicker(2 * time.Second)
	defer tick.Stop()
	for ctx.Err() == nil {
		for o.planOnce() {
		}
		o.keepPlace()
		select {
		case <-ctx.Done():
		case <-o.wake:
		case <-tick.C:
		}
	}
}

// planOnce plans the next events; it says whether there may be more.
func (o *Outbox) planOnce() bool {
	office := o.Store.Office()
	if !office.Notify.On() {
		// Nothing is told while the office sends nothing, and nothing of
		// that time is told once it starts.
		o.planned = max(o.planned, o.Store.LastSeq())
		return false
	}
	evs, err := o.Store.EventsAfter(o.planned, 500)
	if err != nil || len(evs) == 0 {
		return false
	}
	loc, err := office.Location()
	if err != nil {
		loc = time.UTC
	}
	last := evs[len(evs)-1].Seq
	o.mu.Lock()
	where := o.province
	o.mu.Unlock()
	province := ""
	if where != nil {
		province = where()
	}
	var msgs []notify.Message
	for _, c := range evs {
		var ev queue.Event
		if json.Unmarshal(c.Raw, &ev) != nil {
			continue
		}
		msgs = append(msgs, plan(ev, office, o.Store, province, o.Now(), loc)...)
	}
	if len(msgs) == 0 {
		// Nothing to queue: the place moves on in memory only (after a
		// restart these events are planned again, and queue nothing).
		o.planned = last
		return len(evs) == 500
	}
	if fresh, err := o.Store.Enqueue(msgs, last); err != nil {
		o.Log.Error("outbox: queueing messages", "err", err)
		return false
	} else if len(fresh) > 0 {
		o.keep(fresh...)
		o.nudgeSender()
	}
	o.planned, o.stored, o.storedAt = last, last, time.Now()
	return len(evs) == 500
}

// Tell queues a message asked from outside the event log (the province's
// door: a phone's one-time code, a booking's confirmation): written
// through the writer like the planner's (its id: once only), then sent.
func (o *Outbox) Tell(m notify.Message) error {
	fresh, err := o.Store.Enqueue([]notify.Message{m}, 0)
	if err != nil {
		return err
	}
	o.keep(fresh...)
	o.nudgeSender()
	return nil
}

// keepPlace stores the planner's place when it moved without a message
// (every 30 s at most): a restart replans no more than that.
func (o *Outbox) keepPlace() {
	if o.planned <= o.stored || time.Since(o.storedAt) < 30*time.Second {
		return
	}
	if _, err := o.Store.Enqueue(nil, o.planned); err == nil {
		o.stored, o.storedAt = o.planned, time.Now()
	}
}

// resume settles the tries a stop may have cut short: a message still
// pending that its channel shows it got (gammu's spool) is recorded as
// sent, not handed over again; one marked sending by an older version is
// queued again. A channel that takes the message's id (the province)
// needs nothing: a repeat of the id is sent once.
func (o *Outbox) resume() {
	pending, err := o.Store.PendingMessages()
	if err != nil {
		return
	}
	s := o.Store.Office().Notify
	reached, again := 0, 0
	defer func() {
		if reached+again > 0 {
			o.Log.Info("outbox: tries cut short by the stop, settled", "reached_the_channel", reached, "to_try_again", again)
		}
	}()
	for _, m := range pending {
		since := m.Created
		if n := len(m.History); n > 0 {
			since = m.History[n-1].At
		}
		went := false
		if ch, ok := o.channel(m.Channel()).(Checker); ok {
			went = ch.WentOut(m, since, s)
		}
		if !went && m.State != notify.Sending {
			continue
		}
		if went {
			reached++
		} else {
			again++
		}
		o.Store.UpdateMessage(m.ID, func(m *notify.Message) error {
			if went {
				m.Begin(o.Now())
				m.Finish(o.Now(), notify.Outcome{Sent: true, Answer: "đã vào hàng gửi trước khi máy chủ dừng / reached the channel before the server stopped"})
			} else {
				m.Resume()
			}
			return nil
		})
	}
}

func (o *Outbox) sendLoop(ctx context.Context) {
	erase := time.NewTicker(time.Hour)
	defer erase.Stop()
	o.erase()
	for ctx.Err() == nil {
		next := o.sendDue(ctx)
		wait := time.Until(next)
		if next.IsZero() || wait > 5*time.Second {
			wait = 5 * time.Second
		}
		t := time.NewTimer(max(wait, 50*time.Millisecond))
		select {
		case <-ctx.Done():
		case <-o.send:
		case <-t.C:
		case <-erase.C:
			o.erase()
		}
		t.Stop()
	}
}

// sendDue tries every due message (queue messages first) and returns when
// the next waiting one falls due (zero: none waits).
func (o *Outbox) sendDue(ctx context.Context) time.Time {
	office := o.Store.Office()
	loc, err := office.Location()
	if err != nil {
		loc = time.UTC
	}
	s, now := office.Notify, o.Now()
	quiet := s.Quiet.After(now, loc).After(now) // once a pass, not once a message
	var due []notify.Message
	var next time.Time
	later := func(t time.Time) {
		if next.IsZero() || t.Before(next) {
			next = t
		}
	}
	o.mu.Lock()
	for _, m := range o.pending {
		ready := m.State == notify.Queued && !now.Before(m.NotBefore) && (m.Kind.Queue() || !quiet)
		switch until := o.held[m.Channel()]; {
		case ready && now.Before(until):
			later(until) // its channel asked us to wait
		case ready:
			due = append(due, m)
		case m.State == notify.Queued && now.Before(m.NotBefore):
			later(m.NotBefore)
		}
	}
	o.mu.Unlock()
	slices.SortFunc(due, func(a, b notify.Message) int {
		if a.Kind.Queue() != b.Kind.Queue() {
			if a.Kind.Queue() {
				return -1
			}
			return 1
		}
		return a.Created.Compare(b.Created)
	})
	// What each channel takes now: the rest wait, untouched, for its pace.
	room := map[string]int{}
	kept, full := due[:0], false
	for _, m := range due {
		ch := m.Channel()
		if _, ok := room[ch]; !ok {
			room[ch] = 1 << 20
			if p, ok := o.channel(ch).(Pacer); ok {
				// The room it has, a handful a pass: a modem sends about
				// one a second, and a burst handed over at once would take
				// the kiosks' core for a moment.
				room[ch] = min(p.Room(s), pacedPerPass)
			}
		}
		if room[ch] > 0 {
			room[ch]--
			kept = append(kept, m)
		} else {
			full = true
		}
	}
	due = kept
	tried := len(due) > 0
	for len(due) > 0 && ctx.Err() == nil {
		n := min(len(due), batch)
		o.tryBatch(ctx, due[:n], s)
		due = due[n:]
	}
	switch {
	case full:
		// A channel took what it had room for: look again in a moment (a
		// modem sends a message every few seconds; reading the outbox
		// every time one leaves would cost the kiosks' core).
		return o.Now().Add(pacedEvery)
	case tried:
		return o.Now() // tries may have queued retries or the next channel
	}
	return next
}

// A paced channel (gammu) is handed at most pacedPerPass messages every
// pacedEvery: 20 a second, many times a GSM modem's pace.
const (
	pacedPerPass = 10
	pacedEvery   = 500 * time.Millisecond
)

// batch is how many messages are marked, tried and recorded together:
// two commits of the writer for them all, not two each.
const batch = 16

// tryBatch makes one try of each message on its channel (Workers at once)
// and records their outcomes in one commit of the writer. The try is not
// written before it is made: a stop between the two leaves the message
// queued, and the restart asks the channel whether it got it (resume).
func (o *Outbox) tryBatch(ctx context.Context, due []notify.Message, s notify.Settings) {
	outs := make(map[string]notify.Outcome, len(due))
	var mu sync.Mutex
	work := make(chan notify.Message)
	var wg sync.WaitGroup
	for range max(o.Workers, 1) {
		wg.Go(func() {
			for m := range work {
				var out notify.Outcome
				ch := o.channel(m.Channel())
				if c, ok := ch.(Checker); ok && len(m.History) > 0 && c.WentOut(m, m.History[len(m.History)-1].At, s) {
					// A try that failed to hear back had reached the modem.
					out = notify.Outcome{Sent: true, Answer: "đã vào hàng gửi ở lần thử trước / reached the channel on the last try"}
				} else if ch == nil {
					out = notify.Outcome{Permanent: true, Answer: fmt.Sprintf("kênh %s chưa cài đặt / channel %s is not set up", m.Channel(), m.Channel())}
				} else {
					out = ch.Send(ctx, m, s)
				}
				mu.Lock()
				outs[m.ID] = out
				mu.Unlock()
				if out.Limited {
					o.mu.Lock()
					o.held[m.Channel()] = o.Now().Add(max(out.RetryAfter, time.Second))
					o.mu.Unlock()
				}
			}
		})
	}
	for _, m := range due {
		work <- m
	}
	close(work)
	wg.Wait()
	o.flush(due, outs, s)
	ids := make([]string, len(due))
	for i, m := range due {
		ids[i] = m.ID
	}
	tried := map[string]notify.Message{}
	for _, m := range due {
		tried[m.ID] = m
	}
	now := o.Now()
	done, err := o.Store.UpdateMessages(ids, func(m *notify.Message) error {
		out, ok := outs[m.ID]
		if was := tried[m.ID]; !ok || m.State != notify.Queued || m.Try != was.Try || m.Tries != was.Tries {
			return errSkip // changed meanwhile
		}
		m.Begin(now)
		m.Finish(now, out)
		return nil
	})
	if err != nil {
		o.Log.Error("outbox: recording tries", "messages", len(ids), "err", err)
		return
	}
	o.keep(done...)
	for _, m := range done {
		o.Log.Info("outbox: try", "message", m.ID, "kind", m.Kind, "channel", m.History[len(m.History)-1].Channel, "state", m.State)
		if m.State.Final() {
			o.ended1(m.State == notify.Failed, s)
		}
	}
}

// flush makes the channels that need it keep what they took (Flusher); a
// message whose channel could not is tried again (WentOut then finds it if
// it is there after all).
func (o *Outbox) flush(due []notify.Message, outs map[string]notify.Outcome, s notify.Settings) {
	failed := map[string]error{}
	for _, m := range due {
		ch := m.Channel()
		if !outs[m.ID].Sent {
			continue
		}
		err, done := failed[ch]
		if !done {
			if f, ok := o.channel(ch).(Flusher); ok {
				err = f.Flush(s)
			}
			failed[ch] = err
		}
		if err != nil {
			outs[m.ID] = notify.Outcome{Answer: "chưa ghi được xuống đĩa / not yet on the disk: " + err.Error()}
		}
	}
}

type skip struct{}

func (skip) Error() string { return "not queued" }

var errSkip = skip{}

// ended1 counts a message that ended and raises the alert when too many of
// the last 20 failed (once a day).
func (o *Outbox) ended1(failed bool, s notify.Settings) {
	o.mu.Lock()
	o.ended = append(o.ended, failed)
	if len(o.ended) > 20 {
		o.ended = o.ended[len(o.ended)-20:]
	}
	n := 0
	for _, f := range o.ended {
		if f {
			n++
		}
	}
	day := o.Now().Format("20060102")
	raise := len(o.ended) >= 10 && n*100 > s.FailPercent()*len(o.ended) && o.alerted != day
	if raise {
		o.alerted = day
	}
	total := len(o.ended)
	o.mu.Unlock()
	if !raise {
		return
	}
	o.Store.Do(context.Background(), queue.Command{Op: queue.OpRaise, Actor: queue.Actor{Kind: queue.ActorSystem, ID: "notify"}, Raised: &queue.Raised{
		Key: "messages:" + day, Kind: queue.AlertMessages,
		Message:   fmt.Sprintf("Tin nhắn cho người dân không gửi được: %d trong %d tin gần nhất (xem Tin nhắn ở trang quản trị)", n, total),
		MessageEN: fmt.Sprintf("Messages to citizens failing: %d of the last %d", n, total)}})
}

// erase takes the phone and text out of messages ended a retention ago,
// and the phones given for tickets of days that long past.
func (o *Outbox) erase() {
	s := o.Store.Office().Notify
	now := o.Now()
	cut := now.Add(-s.Retention())
	if n, err := o.Store.EraseMessages(cut, cut.Format("20060102")); err != nil {
		o.Log.Error("outbox: erasing old messages", "err", err)
	} else if n > 0 {
		o.Log.Info("outbox: erased", "records", n)
	}
}
