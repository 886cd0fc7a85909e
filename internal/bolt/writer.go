package bolt

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"syscall"
	"time"

	"motcua/internal/intake"
	"motcua/internal/queue"
)

type request struct {
	cmd queue.Command
	// job, when set, is a change of the paperwork (a dossier, the access
	// log) run inside the batch's transaction instead of cmd: it writes its
	// records and appends its events to the chain through the txWriter.
	job   func(w *txWriter) (any, error)
	reply chan response
}

type response struct {
	res   queue.Result
	value any // a job's result
	err   error
}

// txWriter appends events to the chain inside one transaction, and writes the
// records each event describes (tickets, counters, floors, day summaries).
type txWriter struct {
	s    *Store
	tx   *wtx
	now  time.Time
	seq  uint64
	hash []byte
	evs  []queue.Event // every event appended, in order
	swap *swap         // a settings change's state, put in force after the commit
	// batch, when set, gathers the dossiers' day tallies a job touches,
	// written once at its end (an import of thousands).
	batch map[string]map[string]*intake.Flows
}

// failed is an error a job meets after it has written: the transaction must
// not commit. Errors a job returns before writing refuse only that job.
type failed struct{ err error }

func (f failed) Error() string { return f.err.Error() }
func (f failed) Unwrap() error { return f.err }

// maxBatch bounds how many queued commands share one transaction.
const maxBatch = 256

// loop is the single writer. It takes the first waiting command, then everything
// else already queued, and commits them together: no timer, so a lone kiosk pays
// one fsync and 32 at once share a few (group commit).
func (s *Store) loop(tickEvery time.Duration) {
	defer close(s.done)
	tick := time.NewTicker(tickEvery)
	defer tick.Stop()
	for {
		select {
		case r := <-s.cmds:
			batch := []*request{r}
		drain:
			for len(batch) < maxBatch {
				select {
				case r := <-s.cmds:
					batch = append(batch, r)
				default:
					break drain
				}
			}
			s.apply(batch)
		case <-tick.C:
			s.apply(nil) // a day may have started
		case <-s.quit:
			for {
				select {
				case r := <-s.cmds:
					s.apply([]*request{r})
				default:
					return
				}
			}
		}
	}
}

// apply executes a batch in memory, commits all of its events in one transaction,
// publishes them, and only then replies. Readers of counts and positions see the
// batch while its fsync runs (at most one batch ahead of the disk, never
// acknowledged before it is on the disk); snapshots and the feed wait for it. If the commit fails the memory is
// rebuilt from the file and every command in the batch fails: nothing is
// acknowledged that is not on disk.
func (s *Store) apply(batch []*request) {
	s.pub.Lock()
	s.mu.Lock()
	now := s.now()
	out := make([]response, len(batch))
	var evs []queue.Event
	if back := s.noteClock(now); back > 0 {
		evs = append(evs, queue.Event{Type: queue.EvDevice, Time: now, Actor: queue.Actor{Kind: queue.ActorSystem, ID: "system"},
			Alert: &queue.Alert{Code: "clock_step_back", Message: fmt.Sprintf("Đồng hồ máy chủ lùi lại %s; kiểm tra giờ máy và NTP", back.Round(time.Second))}})
	}
	if !s.fullSince.IsZero() { // there is room again (this batch will tell): put the outage on the record
		evs = append(evs, queue.Event{Type: queue.EvDevice, Time: now, Actor: queue.Actor{Kind: queue.ActorSystem, ID: "system"},
			Alert: &queue.Alert{Code: "storage_full", Message: fmt.Sprintf("Máy chủ hết dung lượng lưu trữ từ %s; không ghi được gì trong thời gian đó", s.fullSince.In(s.state.Location()).Format("15:04 02/01/2006"))}})
	}
	if err := s.holdDay(now); err != nil {
		slog.Error("reading the stored tickets of a day about to start", "op", "store.day", "err", err)
	}
	evs = append(evs, s.state.Tick(now)...)
	jobs := false
	for i, r := range batch {
		if r.job != nil {
			jobs = true
			continue
		}
		res, more, err := s.state.Execute(now, r.cmd)
		out[i] = response{res: res, err: err}
		evs = append(evs, more...)
	}
	s.mu.Unlock()
	if len(evs) > 0 || jobs {
		// Only this goroutine writes seq and hash, so commit reads them unlocked.
		var seq uint64
		var hash []byte
		var sw *swap
		var err error
		began := time.Now()
		seq, hash, evs, sw, err = s.commit(now, evs, batch, out)
		if o := s.observer.Load(); o != nil {
			(*o)(len(batch), time.Since(began))
		}
		s.mu.Lock()
		if err != nil {
			slog.Error("commit failed, reloading the state", "op", "store.commit", "events", len(evs), "err", err)
			if lerr := s.load(); lerr != nil {
				slog.Error("reload after a failed commit", "op", "store.reload", "err", lerr)
			}
			answer := fmt.Errorf("commit: %w", err)
			if errors.Is(err, syscall.ENOSPC) {
				if s.fullSince.IsZero() {
					s.fullSince = now
				}
				answer = ErrStorageFull
			}
			for i := range out {
				out[i] = response{err: answer}
			}
		} else {
			s.seq, s.hash, s.fullSince = seq, hash, time.Time{}
			if sw != nil { // before the events are published: a snapshot after them shows it
				s.state, s.settings = sw.state, sw.settings
			}
		}
		s.mu.Unlock()
		if err == nil && len(evs) > 0 {
			s.publish(evs)
		}
	}
	s.pub.Unlock()
	for i, r := range batch {
		r.reply <- out[i]
	}
}

// commit writes evs (setting their Seq, Prev and Hash) and the records they
// describe, then runs the batch's jobs, in one transaction. It returns the new
// end of the chain and every event written (the jobs' too); the jobs' answers
// go into out.
func (s *Store) commit(now time.Time, evs []queue.Event, batch []*request, out []response) (uint64, []byte, []queue.Event, *swap, error) {
	var w *txWriter
	err := s.update(func(tx *wtx) error {
		w = &txWriter{s: s, tx: tx, now: now, seq: s.seq, hash: s.hash}
		tx.Bucket(bEvents).SetFill(1.0)
		for _, ev := range evs {
			if _, err := w.emit(ev); err != nil {
				return err
			}
		}
		for i, r := range batch {
			if r.job == nil {
				continue
			}
			v, err := r.job(w)
			var f failed
			if errors.As(err, &f) {
				return f.err
			}
			out[i] = response{value: v, err: err}
		}
		return nil
	})
	if err != nil {
		return s.seq, s.hash, nil, nil, err
	}
	return w.seq, w.hash, w.evs, w.swap, nil
}

// emit appends ev to the chain and writes what it carries; it returns its seq.
func (w *txWriter) emit(ev queue.Event) (uint64, error) {
	tx := w.tx
	w.seq++
	ev.Seq, ev.Prev, ev.Hash = w.seq, "", ""
	raw, err := json.Marshal(ev)
	if err != nil {
		return 0, err
	}
	h := chainHash(w.hash, raw)
	if err := tx.Bucket(bEvents).Put(u64(w.seq), append(h, raw...)); err != nil {
		return 0, err
	}
	ev.Prev, ev.Hash, w.hash = hex.EncodeToString(w.hash), hex.EncodeToString(h), h
	w.evs = append(w.evs, ev)
	if ev.Type == queue.EvFloor {
		if err := putFloors(tx, ev.Day, ev.Floors); err != nil {
			return 0, err
		}
	}
	if ev.Raised != nil {
		a, err := dayBucket(tx, ev.Day, bAlerts)
		if err != nil {
			return 0, err
		}
		raw, err := json.Marshal(ev.Raised)
		if err != nil {
			return 0, err
		}
		if err := a.Put([]byte(ev.Raised.Key), raw); err != nil {
			return 0, err
		}
	}
	if ev.Closure != nil {
		if err := putClosure(tx, ev); err != nil {
			return 0, err
		}
	}
	if ev.Type == queue.EvDayStarted { // the day before is closed: store its tally
		if err := w.s.summariseBefore(tx, ev.Day); err != nil {
			return 0, err
		}
	}
	if ev.Ticket != nil {
		if ev.Type == queue.EvIssued && ticketExists(tx, ev.Ticket) {
			// Never overwrite a citizen's ticket: the batch fails, the
			// state is reloaded from the file and numbering goes on.
			return 0, fmt.Errorf("ticket %s is already stored", ev.Ticket.ID)
		}
		if err := putTicket(tx, ev.Ticket); err != nil {
			return 0, err
		}
	}
	if ev.Counter != nil {
		raw, err := json.Marshal(counterRecord(*ev.Counter))
		if err != nil {
			return 0, err
		}
		if err := tx.Bucket(bCounters).Put(u64(uint64(ev.Counter.Number)), raw); err != nil {
			return 0, err
		}
	}
	return w.seq, nil
}

// runJob queues a job for the writer and waits for its answer.
func (s *Store) runJob(job func(w *txWriter) (any, error)) (any, error) {
	r := &request{job: job, reply: make(chan response, 1)}
	select {
	case s.cmds <- r:
	case <-s.quit:
		return nil, errClosed
	}
	resp := <-r.reply
	return resp.value, resp.err
}

// putFloors keeps a day's numbering floors (the event says them too; this is
// what a start reads back).
func putFloors(tx *wtx, day string, floors map[string]int) error {
	f, err := dayBucket(tx, day, bFloor)
	if err != nil {
		return err
	}
	for id, n := range floors {
		if err := f.Put([]byte(id), u64(uint64(n))); err != nil {
			return err
		}
	}
	return nil
}

// putClosure keeps which services are closed for the event's day, and why
// (a start reads it back; the event says it too).
func putClosure(tx *wtx, ev queue.Event) error {
	c, err := dayBucket(tx, ev.Day, bClosed)
	if err != nil {
		return err
	}
	if ev.Type == queue.EvServiceOpened {
		return c.Delete([]byte(ev.Closure.Service))
	}
	return c.Put([]byte(ev.Closure.Service), []byte(ev.Closure.Reason))
}

// dayBucket is the bucket name of days/<day>/, made if need be.
func dayBucket(tx *wtx, day string, name []byte) (*wbucket, error) {
	b, err := tx.Bucket(bDays).CreateBucketIfNotExists([]byte(day))
	if err != nil {
		return nil, err
	}
	return b.CreateBucketIfNotExists(name)
}

func ticketExists(tx *wtx, t *queue.Ticket) bool {
	day := tx.Bucket(bDays).Bucket([]byte(t.Day))
	return day != nil && day.Bucket(bTickets) != nil && day.Bucket(bTickets).Get([]byte(t.ID)) != nil
}

func putTicket(tx *wtx, t *queue.Ticket) error {
	day, err := tx.Bucket(bDays).CreateBucketIfNotExists([]byte(t.Day))
	if err != nil {
		return err
	}
	tickets, err := day.CreateBucketIfNotExists(bTickets)
	if err != nil {
		return err
	}
	raw, err := json.Marshal(ticketRecord(*t))
	if err != nil {
		return err
	}
	if err := tickets.Put([]byte(t.ID), raw); err != nil {
		return err
	}
	if t.State == queue.Waiting && t.Token != "" {
		return tx.Bucket(bTokens).Put([]byte(t.Token), []byte(t.Day+" "+t.ID))
	}
	return nil
}
