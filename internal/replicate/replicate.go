// Package replicate ships an office's hash-chained event log to the
// province's PostgreSQL: at least once, stored once (province.Ingest), in
// batches, from a cursor kept in the office's store, retrying with backoff
// while PostgreSQL is away — an office offline for a week catches up by
// itself. It reads the store after the writer has committed and never
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

	"github.com/jackc/pgx/v5/pgxpool"

	"motcua/internal/api"
	"motcua/internal/bolt"
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
	DSN    string
	Office string
	Batch  int           // events per batch; default 500
	Idle   time.Duration // how often to look for new events; default 1 s
	// CursorEvery is how often the cursor is written to the store (a write
	// transaction there waits for the writer's, and the other way round);
	// default 5 s. A cursor behind only sends again what PostgreSQL keeps once.
	CursorEvery time.Duration

	mu     sync.Mutex
	status api.SyncStatus
}

// Status is the shipping's state now (the live page shows it; the lag is
// the server's to add).
func (r *Replicator) Status() api.SyncStatus {
	r.mu.Lock()
	defer r.mu.Unlock()
	st := r.status
	st.Office = r.Office
	return st
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
	var pool *pgxpool.Pool
	shipped, saved := r.Source.Shipped(), time.Now()
	var sentSettings uint64                         // the version the province has (none yet, after a start)
	var touched time.Time                           // when the province last heard from the office
	defer func() { r.Source.SetShipped(shipped) }() // where it got to
	defer func() {
		if pool != nil {
			pool.Close()
		}
	}()
	r.note(nil, r.Source.Shipped())
	for ctx.Err() == nil {
		wait := r.Idle
		err := func() error {
			if pool == nil {
				p, err := pgxpool.New(ctx, r.DSN)
				if err != nil {
					return err
				}
				if _, err := province.Migrate(ctx, p); err != nil {
					p.Close()
					return err
				}
				pool = p
			}
			evs, err := r.Source.EventsAfter(shipped, r.Batch)
			if err != nil {
				return err
			}
			if len(evs) == 0 { // nothing new: the province hears from the office every minute all the same
				if time.Since(touched) < time.Minute {
					return nil
				}
				touched = time.Now()
				return province.Touch(ctx, pool, r.Office)
			}
			batch := make([]province.Event, len(evs))
			for i, e := range evs {
				batch[i] = province.Event{Seq: e.Seq, Hash: e.Hash, Raw: e.Raw}
			}
			var profile []byte
			version, o := r.Source.Settings()
			if version != sentSettings {
				if profile, err = json.Marshal(o); err != nil {
					return err
				}
			}
			if err := province.Ingest(ctx, pool, r.Office, profile, batch); err != nil {
				return err
			}
			sentSettings, touched = version, time.Now()
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
		select {
		case <-ctx.Done():
		case <-time.After(wait):
		}
	}
}
