package bolt

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	bbolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"motcua/internal/calendar"
	"motcua/internal/catalogue"
	"motcua/internal/problem"
	"motcua/internal/queue"
)

// Store is the durable queue of one office.
type Store struct {
	db        *bbolt.DB
	dir       string // the data directory (the scans are in its scans/)
	now       func() time.Time
	migration Migration // what Open did to an older store
	observer  atomic.Pointer[func(commands int, took time.Duration)]

	// pub orders the feed against snapshots: the writer holds it from executing a
	// batch until its events are published, Snapshot and WithSnapshot hold it for
	// reading, so a snapshot is never ahead of or behind the feed.
	pub sync.RWMutex
	// mu guards the in-memory state, seq and hash for short reads. The writer does
	// not hold it during the fsync, so a kiosk's read never waits for the disk.
	mu       sync.RWMutex
	state    *queue.State
	settings // in force (settings/ holds every version)
	seq      uint64
	hash     []byte
	publish  func([]queue.Event)
	// scanMu: backups hold it for reading while they copy the scans,
	// erasure for writing while it removes files.
	scanMu sync.RWMutex

	cmds chan *request
	quit chan struct{}
	done chan struct{}
	once sync.Once

	// latest is the latest time the writer has seen (events and ticks); a
	// clock earlier than it by more than clockSlack has stepped back.
	latest time.Time
	steps  queue.ClockSteps
	// fullSince is when a commit first failed for lack of disk space; zero
	// when the last commit went through.
	fullSince time.Time

	// recMu orders the recorded write transactions and their shipping
	// (record.go); pos is the last one's position, shipper the standby's.
	recMu   sync.Mutex
	pos     atomic.Uint64
	shipper atomic.Pointer[Shipper]
	// scanShip is handed each scan file stored (epoch.go).
	scanShip atomic.Pointer[func(sha string) error]
}

// ErrStorageFull answers every command while the disk is full.
var ErrStorageFull = problem.Errorf(problem.EStorageFull, "Máy chủ hết dung lượng lưu trữ; chưa ghi được gì — báo cán bộ kỹ thuật giải phóng ổ đĩa", "server storage is full; nothing was recorded — ask technical staff to free disk space")

// StorageFullSince is when the disk filled up, or zero while commits go through.
func (s *Store) StorageFullSince() time.Time {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.fullSince
}

// clockSlack is how far back the clock may be corrected (NTP's small steps,
// two requests a few ms apart) before it counts as a step back.
const clockSlack = 5 * time.Second

// Room is the office now, as the desk head watches it.
func (s *Store) Room() queue.Room {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.state.Room(s.now())
}

// Alerts are today's alerts, oldest first.
func (s *Store) Alerts() []queue.Raised {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.state.Alerts()
}

// ClockStepsBack reports the backward clock steps seen since the start.
func (s *Store) ClockStepsBack() queue.ClockSteps {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.steps
}

// Options tune Open.
type Options struct {
	// Now is the clock; nil means time.Now. Tests pass a fake one.
	Now func() time.Time
	// TickEvery is how often the writer checks for local midnight and for
	// ratings whose time ran out; default 5 s (a tick with nothing to do writes nothing).
	TickEvery time.Duration
	// Users seed the settings of a new store, with the office (after that the
	// stored ones are in force).
	Users []queue.StaffUser
	// Devices seed them too; their keys are kept as hashes only.
	Devices []queue.Device
	// Procedures seed the catalogue, Calendar the working calendar's years.
	Procedures []catalogue.Procedure
	Calendar   []calendar.Year
	// Sync seeds where the event log ships (the province's PostgreSQL).
	Sync queue.Sync
}

// ErrLocked is returned by Open when another process holds the database.
var ErrLocked = problem.Errorf(problem.EConflict, "Dữ liệu đang được một tiến trình motcua-server khác sử dụng", "the data directory is in use by another motcua-server")

// Open opens (or creates) the store in dir for office, and starts its writer.
func Open(dir string, office queue.Office, opt Options) (*Store, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create data dir: %w", err)
	}
	db, err := bbolt.Open(filepath.Join(dir, FileName), 0o600, &bbolt.Options{Timeout: time.Second})
	if errors.Is(err, berrors.ErrTimeout) {
		return nil, ErrLocked
	}
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", filepath.Join(dir, FileName), err)
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.TickEvery <= 0 {
		opt.TickEvery = 5 * time.Second
	}
	seed := settings{office: office, users: opt.Users, devices: queue.HashedDevices(opt.Devices), procedures: opt.Procedures, calendar: opt.Calendar, sync: opt.Sync}
	s := &Store{db: db, dir: dir, now: opt.Now, settings: seed, publish: func([]queue.Event) {},
		cmds: make(chan *request, 1024), quit: make(chan struct{}), done: make(chan struct{})}
	from, err := s.init(office)
	if err != nil {
		db.Close()
		return nil, err
	}
	s.db.View(func(tx *bbolt.Tx) error { s.pos.Store(readPos(tx)); return nil })
	if err := s.useStoredSettings(); err != nil {
		db.Close()
		return nil, err
	}
	if err := s.load(); err != nil {
		db.Close()
		return nil, err
	}
	if err := s.seedSettings(); err != nil {
		db.Close()
		return nil, fmt.Errorf("storing the settings: %w", err)
	}
	if s.migration, err = s.migrate(dir, from); err != nil {
		db.Close()
		return nil, err
	}
	if err := s.sweepScans(); err != nil {
		db.Close()
		return nil, fmt.Errorf("the scans' folder: %w", err)
	}
	go s.loop(opt.TickEvery)
	return s, nil
}

// init creates the buckets, checks the schema version and records the
// office; it returns the version the store had (Schema for a new one).
func (s *Store) init(office queue.Office) (from int, err error) {
	raw, err := json.Marshal(office)
	if err != nil {
		return 0, err
	}
	return from, s.update(func(tx *wtx) error {
		for _, name := range [][]byte{bMeta, bEvents, bDays, bCounters, bTokens, bSessions, bDossiers, bDosSeq, bAccess, bSettings, bBookings, bOutbox, bPending, bContacts} {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return err
			}
		}
		meta := tx.Bucket(bMeta)
		v, err := storedSchema(meta.Raw())
		switch {
		case err != nil:
			return err
		case v > Schema:
			return errNewer(v)
		case v == 0: // a new store, made at the version of this code
			from = Schema
			if err := meta.Put(kVersion, []byte(strconv.Itoa(Schema))); err != nil {
				return err
			}
			if err := meta.Put(kFacts, []byte("1")); err != nil { // and the facts
				return err
			}
			if err := meta.Put(kPaperwork, []byte("1")); err != nil { // a new store chains its paperwork from the start
				return err
			}
		default:
			from = v
		}
		if k, _ := tx.Bucket(bSettings).Cursor().First(); k != nil {
			return nil // the stored settings are in force, not the file's
		}
		return meta.Put(kOffice, raw)
	})
}

// load rebuilds the in-memory state from the file: today's tickets, the counters,
// and the end of the event chain.
func (s *Store) load() error {
	now := s.now()
	loc, err := s.office.Location()
	if err != nil {
		return err
	}
	held, err := s.dayHeld(queue.DayOf(now, loc))
	if err != nil {
		return fmt.Errorf("load: %w", err)
	}
	var counters []queue.Counter
	var seq uint64
	hash := make([]byte, hashLen)
	err = s.db.View(func(tx *bbolt.Tx) error {
		if err := tx.Bucket(bCounters).ForEach(func(k, v []byte) error {
			var r counterRecord
			if err := json.Unmarshal(v, &r); err != nil {
				return fmt.Errorf("counter %x: %w", k, err)
			}
			counters = append(counters, queue.Counter(r))
			return nil
		}); err != nil {
			return err
		}
		if k, v := tx.Bucket(bEvents).Cursor().Last(); k != nil {
			h, raw, err := splitEvent(v)
			if err != nil {
				return fmt.Errorf("last event: %w", err)
			}
			seq, hash = beU64(k), append([]byte(nil), h...)
			var last struct {
				Time time.Time `json:"time"`
			}
			if json.Unmarshal(raw, &last) == nil && last.Time.After(s.latest) {
				s.latest = last.Time
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("load: %w", err)
	}
	st, err := queue.NewState(s.office, now, held.tickets, counters)
	if err != nil {
		return err
	}
	st.RaiseTo(held.floors)
	st.CloseFor(held.closed)
	st.Remember(held.alerts)
	s.state, s.seq, s.hash = st, seq, hash
	s.noteClock(now)
	return nil
}

// noteClock keeps the latest time seen and logs (and counts) a clock that went
// back: a PC that booted with a slow clock, NTP correcting it, a hand-set
// clock. The day's numbering survives it (holdDay); this makes it visible.
func (s *Store) noteClock(now time.Time) (stepped time.Duration) {
	if back := s.latest.Sub(now); back > clockSlack {
		s.steps.Count++
		s.steps.LastSeconds, s.steps.At = back.Seconds(), now
		slog.Warn("the clock stepped back: check the PC's time and NTP", "op", "store.clock", "by", back.Round(time.Second).String(), "from", s.latest.Format(time.RFC3339), "to", now.Format(time.RFC3339))
		s.latest = now // the clock as it is now is the one to follow
		return back
	}
	if now.After(s.latest) {
		s.latest = now
	}
	return 0
}

// holdDay gives the state the tickets already stored for the day now falls in,
// when that day is not the state's (the day is about to start): a day that
// starts a second time goes on numbering instead of issuing its numbers again.
func (s *Store) holdDay(now time.Time) error {
	day := queue.DayOf(now, s.state.Location())
	if day <= s.state.Day() {
		return nil
	}
	held, err := s.dayHeld(day)
	if err != nil {
		return err
	}
	if len(held.tickets) > 0 || len(held.floors) > 0 || len(held.closed) > 0 || len(held.alerts) > 0 {
		s.state.Hold(day, held.tickets, held.floors, held.closed, held.alerts)
	}
	return nil
}

// dayRecords is what the store keeps of a day besides its events.
type dayRecords struct {
	tickets []queue.Ticket
	floors  map[string]int    // numbering floors
	closed  map[string]string // services closed for the day
	alerts  []queue.Raised    // the day's alerts, acknowledged or not
}

// dayHeld reads what is stored for day.
func (s *Store) dayHeld(day string) (dayRecords, error) {
	var tickets []queue.Ticket
	floors, closed := map[string]int{}, map[string]string{}
	var alerts []queue.Raised
	err := s.db.View(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bDays).Bucket([]byte(day))
		if b == nil {
			return nil
		}
		if c := b.Bucket(bClosed); c != nil {
			c.ForEach(func(k, v []byte) error {
				closed[string(k)] = string(v)
				return nil
			})
		}
		if a := b.Bucket(bAlerts); a != nil {
			a.ForEach(func(k, v []byte) error {
				var r queue.Raised
				if json.Unmarshal(v, &r) == nil {
					alerts = append(alerts, r)
				}
				return nil
			})
		}
		if f := b.Bucket(bFloor); f != nil {
			f.ForEach(func(k, v []byte) error {
				if len(v) == 8 {
					floors[string(k)] = int(beU64(v))
				}
				return nil
			})
		}
		if b.Bucket(bTickets) == nil {
			return nil
		}
		return b.Bucket(bTickets).ForEach(func(k, v []byte) error {
			var r ticketRecord
			if err := json.Unmarshal(v, &r); err != nil {
				return fmt.Errorf("ticket %s: %w", k, err)
			}
			tickets = append(tickets, queue.Ticket(r))
			return nil
		})
	})
	return dayRecords{tickets, floors, closed, alerts}, err
}

// SetPublisher sets where committed events go (the websocket hub). It is called
// with the store's lock held and must not block.
func (s *Store) SetPublisher(fn func([]queue.Event)) {
	s.pub.Lock()
	defer s.pub.Unlock()
	s.publish = fn
}

// Do runs one command durably: it returns after the command's events are
// committed to disk (fsync) and published.
func (s *Store) Do(ctx context.Context, cmd queue.Command) (queue.Result, error) {
	r := &request{cmd: cmd, reply: make(chan response, 1)}
	select {
	case s.cmds <- r:
	case <-s.quit:
		return queue.Result{}, errClosed
	case <-ctx.Done():
		return queue.Result{}, ctx.Err()
	}
	select {
	case resp := <-r.reply:
		return resp.res, resp.err
	case <-ctx.Done():
		return queue.Result{}, ctx.Err()
	}
}

var errClosed = problem.Errorf(problem.EInternal, "Máy chủ đang dừng", "the server is shutting down")

// Snapshot returns the live state with the seq of the last published event.
func (s *Store) Snapshot() queue.Snapshot {
	s.pub.RLock()
	defer s.pub.RUnlock()
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.snapshotLocked()
}

func (s *Store) snapshotLocked() queue.Snapshot {
	snap := s.state.Snapshot(s.now())
	snap.Seq = s.seq
	return snap
}

// WithSnapshotAt calls fn, while no event can be published, with the seq of
// the last committed event and a way to build the snapshot at it — built
// only if fn asks (the feed keeps the frame of a seq: ten thousand phones
// connecting at one seq need one snapshot, not ten thousand).
func (s *Store) WithSnapshotAt(fn func(seq uint64, build func() queue.Snapshot)) {
	s.pub.RLock()
	defer s.pub.RUnlock()
	s.mu.RLock()
	seq := s.seq
	s.mu.RUnlock()
	fn(seq, func() queue.Snapshot {
		s.mu.RLock()
		defer s.mu.RUnlock()
		return s.snapshotLocked()
	})
}

// WithSnapshot calls fn with a snapshot while no event can be published, so a
// subscriber registered inside fn sees every event after snap.Seq and none before.
func (s *Store) WithSnapshot(fn func(queue.Snapshot)) {
	s.pub.RLock()
	defer s.pub.RUnlock()
	s.mu.RLock()
	snap := s.snapshotLocked()
	s.mu.RUnlock()
	fn(snap)
}

// Services returns every service's live status.
func (s *Store) Services() []queue.ServiceStatus {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.state.Services()
}

// Office returns the office configuration in force, defaults applied.
func (s *Store) Office() queue.Office {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.state.Office()
}

// Position tells how many are ahead of a ticket of today and its estimated wait.
func (s *Store) Position(t queue.Ticket) (ahead, eta int) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if cur, ok := s.state.Ticket(t.ID); ok {
		return s.state.Position(cur)
	}
	return 0, 0
}

// TicketByToken finds a ticket by its public token, today's from memory and older
// ones from the file.
func (s *Store) TicketByToken(token string) (queue.Ticket, bool, error) {
	s.mu.RLock()
	t, ok := s.state.TicketByToken(token)
	s.mu.RUnlock()
	if ok {
		return t, true, nil
	}
	err := s.db.View(func(tx *bbolt.Tx) error {
		ref := tx.Bucket(bTokens).Get([]byte(token))
		if len(ref) < 10 {
			return nil
		}
		days := tx.Bucket(bDays).Bucket(ref[:8])
		if days == nil || days.Bucket(bTickets) == nil {
			return nil
		}
		v := days.Bucket(bTickets).Get(ref[9:])
		if v == nil {
			return nil
		}
		var r ticketRecord
		if err := json.Unmarshal(v, &r); err != nil {
			return err
		}
		t, ok = queue.Ticket(r), true
		return nil
	})
	return t, ok, err
}

// Close stops the writer after the commands already queued, and closes the file.
func (s *Store) Close() error {
	s.once.Do(func() { close(s.quit) })
	<-s.done
	return s.db.Close()
}
