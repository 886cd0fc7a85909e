// Package replicate ships an office's hash-chained event log to the
// province's service (its uplink, with the office's key; the office holds
// no database login): at least once, stored once, in batches, from a cursor
// kept in the office's store, retrying with backoff while the province is
// away — an office offline for a week catches up by itself. It reads the store after the writer has committed and never
// holds the writer: the counters do not wait for it. The events carry no
// applicant's details (a dossier's event holds its code, record hash and
// figures, never its applicant), so nothing personal leaves the office.
// With the events goes the office's settings (services, counters, rating
// scale, zone) whenever their version changes.
package replicate

import (
	"context"
	"encoding/json"
	"sync"
	"time"

	"motcua/internal/api"
	"motcua/internal/bolt"
	"motcua/internal/problem"
	"motcua/internal/province"
	"motcua/internal/queue"
)

// Source is the office's store.
type Source interface {
	EventsAfter(seq uint64, limit int) ([]bolt.Chained, error)
	Shipped() uint64
	SetShipped(seq uint64) error
	// Settings are the office's in force and their version: the province
	// lays the office's reports out by them.
	Settings() (uint64, queue.Office)
}

// Replicator ships one office's events.
type Replicator struct {
	Source Source
	// Target is where to ship, read before every batch: a change (the
	// console's sync settings) takes effect within a second; a target that
	// is not On ships nothing.
	Target func() queue.Sync
	Batch  int           // events per batch; default 500
	Idle   time.Duration // how often to look for new events; default 1 s
	// CursorEvery is how often the cursor is written to the store (a write
	// transaction there waits for the writer's, and the other way round);
	// default 5 s. A cursor behind only sends again what PostgreSQL keeps once.
	CursorEvery time.Duration
	// Door answers the citizens' requests the province brings (a remote
	// ticket, where one stands): nil, the office takes none.
	Door func(context.Context, api.DoorRequest) api.DoorAnswer
	// Bookings keeps the bookings the province took for the office (asked
	// for with every poll); nil, none are asked for.
	Bookings Bookings

	mu     sync.Mutex
	status api.SyncStatus
}

// Fixed is a target that never changes.
func Fixed(t queue.Sync) func() queue.Sync {
	return func() queue.Sync { return t }
}

// Status is the shipping's state now (the live page shows it; the lag is
// the server's to add); its Office is "" when nothing ships.
func (r *Replicator) Status() api.SyncStatus {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.status
}

func (r *Replicator) note(err error, shipped uint64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if err != nil {
		r.status.LastError, r.status.ErrorAt = err.Error(), time.Now()
		return
	}
	r.status.Shipped, r.status.At, r.status.LastError = shipped, time.Now(), ""
}

// setOffice is the office the province holds the events under (over the
// uplink, its key's).
func (r *Replicator) setOffice(office string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if office != "" && r.status.Office != "" {
		r.status.Office = office
	}
}

// retarget starts the status over for a target, shipped as far as known.
func (r *Replicator) retarget(t queue.Sync, shipped uint64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.status = api.SyncStatus{Shipped: shipped}
	if t.On() {
		r.status.Office, r.status.Target = t.Office, t.Masked()
		if r.status.Office == "" {
			r.status.Office = "(theo khoá / the key's)" // the key's office, once the province says which
		}
	}
}

// link is a connection to one target and what was sent over it.
type link struct {
	target       queue.Sync
	sink         sink      // nil until connected
	sentSettings uint64    // the settings' version the province has (none yet, after a start)
	touched      time.Time // when the province last heard from the office
}

func (l *link) close() {
	if l.sink != nil {
		l.sink.close()
		l.sink = nil
	}
}

// Run ships until ctx ends.
func (r *Replicator) Run(ctx context.Context) {
	if r.Batch <= 0 {
		r.Batch = 500
	}
	if r.Idle <= 0 {
		r.Idle = time.Second
	}
	if r.CursorEvery <= 0 {
		r.CursorEvery = 5 * time.Second
	}
	backoff := time.Second
	shipped, saved := r.Source.Shipped(), time.Now()
	l := &link{target: r.Target()}
	defer func() { r.Source.SetShipped(shipped) }() // where it got to
	defer l.close()
	r.retarget(l.target, shipped) // as far as the office knows
	if r.Door != nil {
		go r.doorLoop(ctx)
	}
	for ctx.Err() == nil {
		if t := r.Target(); t != l.target { // new settings: start over with them
			l.close()
			*l = link{target: t}
			backoff = time.Second
			r.retarget(t, 0) // what it holds is known once connected
		}
		wait := r.Idle
		if !l.target.On() {
			r.sleep(ctx, time.Minute, l.target)
			continue
		}
		if err := l.target.Validate(); err != nil { // a URL without its key, say: said on the sync page
			r.note(err, 0)
			r.sleep(ctx, time.Minute, l.target)
			continue
		}
		err := func() error {
			if l.sink == nil {
				k, err := connect(l.target)
				if err != nil {
					return err
				}
				// The province may hold less than the cursor says (a new
				// database, one restored from an older backup): ship from
				// where it stands.
				office, have, err := k.cursor(ctx)
				if err != nil {
					k.close()
					return err
				}
				l.sink, shipped = k, min(shipped, have)
				r.setOffice(office)
				r.note(nil, shipped)
			}
			evs, err := r.Source.EventsAfter(shipped, r.Batch)
			if err != nil {
				return err
			}
			if len(evs) == 0 { // nothing new: the province hears from the office every minute all the same
				if time.Since(l.touched) < time.Minute {
					return nil
				}
				l.touched = time.Now()
				return l.sink.ship(ctx, nil, nil)
			}
			batch := make([]province.Event, len(evs))
			for i, e := range evs {
				batch[i] = province.Event{Seq: e.Seq, Hash: e.Hash, Raw: e.Raw}
			}
			var profile []byte
			version, o := r.Source.Settings()
			if version != l.sentSettings {
				if profile, err = json.Marshal(o); err != nil {
					return err
				}
			}
			if err := l.sink.ship(ctx, profile, batch); err != nil {
				return err
			}
			l.sentSettings, l.touched = version, time.Now()
			shipped = evs[len(evs)-1].Seq
			if time.Since(saved) >= r.CursorEvery || len(evs) < r.Batch {
				if err := r.Source.SetShipped(shipped); err != nil {
					return err
				}
				saved = time.Now()
			}
			r.note(nil, shipped)
			if len(evs) == r.Batch {
				wait = 0 // more to catch up
			}
			return nil
		}()
		if err != nil {
			r.note(err, 0)
			wait, backoff = backoff, min(2*backoff, time.Minute)
		} else {
			backoff = time.Second
		}
		r.sleep(ctx, wait, l.target)
	}
}

// ErrDirect is the word for settings that still name the province's
// database: offices no longer hold a login to it.
var ErrDirect = problem.Errorf(problem.EInvalid,
	"Không còn gửi thẳng vào CSDL của tỉnh: xin tỉnh khoá của văn phòng (motcua-province office add) rồi nhập địa chỉ dịch vụ của tỉnh và khoá ở trang Đồng bộ; việc gửi tiếp từ chỗ đã dừng",
	"the office no longer ships straight into the province's database: ask the province for the office's key (motcua-province office add), then enter the province service's address and the key on the sync page; shipping goes on from where it stopped")

// connect opens the way to the target: the province's service, over the
// uplink.
func connect(t queue.Sync) (sink, error) {
	if !t.Uplink() {
		return nil, ErrDirect
	}
	return newUplink(t), nil
}

// sleep waits d, or less when ctx ends or the target changes from t (looked
// at every second).
func (r *Replicator) sleep(ctx context.Context, d time.Duration, t queue.Sync) {
	end := time.After(d)
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-end:
			return
		case <-tick.C:
			if r.Target() != t {
				return
			}
		}
	}
}
