package bolt

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"syscall"
	"time"

	bbolt "go.etcd.io/bbolt"

	"motcua/internal/queue"
)

type request struct {
	cmd   queue.Command
	reply chan response
}

type response struct {
	res queue.Result
	err error
}

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
		log.Printf("reading the stored tickets of a day about to start: %v", err)
	}
	evs = append(evs, s.state.Tick(now)...)
	for i, r := range batch {
		res, more, err := s.state.Execute(now, r.cmd)
		out[i] = response{res, err}
		evs = append(evs, more...)
	}
	s.mu.Unlock()
	if len(evs) > 0 {
		// Only this goroutine writes seq and hash, so commit reads them unlocked.
		seq, hash, err := s.commit(evs)
		s.mu.Lock()
		if err != nil {
			log.Printf("commit of %d events failed, reloading state: %v", len(evs), err)
			if lerr := s.load(); lerr != nil {
				log.Printf("reload after failed commit: %v", lerr)
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
		}
		s.mu.Unlock()
		if err == nil {
			s.publish(evs)
		}
	}
	s.pub.Unlock()
	for i, r := range batch {
		r.reply <- out[i]
	}
}

// commit writes evs (setting their Seq, Prev and Hash) and the tickets and
// counters they carry, in one transaction. It returns the new end of the chain.
func (s *Store) commit(evs []queue.Event) (uint64, []byte, error) {
	seq, hash := s.seq, s.hash
	err := s.db.Update(func(tx *bbolt.Tx) error {
		seq, hash = s.seq, s.hash // Update may not retry, but keep it pure anyway
		events := tx.Bucket(bEvents)
		events.FillPercent = 1.0
		for i := range evs {
			seq++
			ev := &evs[i]
			ev.Seq, ev.Prev, ev.Hash = seq, "", ""
			raw, err := json.Marshal(ev)
			if err != nil {
				return err
			}
			h := chainHash(hash, raw)
			if err := events.Put(u64(seq), append(h, raw...)); err != nil {
				return err
			}
			ev.Prev, ev.Hash, hash = hex.EncodeToString(hash), hex.EncodeToString(h), h
			if ev.Type == queue.EvFloor {
				if err := putFloors(tx, ev.Day, ev.Floors); err != nil {
					return err
				}
			}
			if ev.Type == queue.EvDayStarted { // the day before is closed: store its tally
				if err := s.summariseBefore(tx, ev.Day); err != nil {
					return err
				}
			}
			if ev.Ticket != nil {
				if ev.Type == queue.EvIssued && ticketExists(tx, ev.Ticket) {
					// Never overwrite a citizen's ticket: the batch fails, the
					// state is reloaded from the file and numbering goes on.
					return fmt.Errorf("ticket %s is already stored", ev.Ticket.ID)
				}
				if err := putTicket(tx, ev.Ticket); err != nil {
					return err
				}
			}
			if ev.Counter != nil {
				raw, err := json.Marshal(counterRecord(*ev.Counter))
				if err != nil {
					return err
				}
				if err := tx.Bucket(bCounters).Put(u64(uint64(ev.Counter.Number)), raw); err != nil {
					return err
				}
			}
		}
		return nil
	})
	return seq, hash, err
}

// putFloors keeps a day's numbering floors (the event says them too; this is
// what a start reads back).
func putFloors(tx *bbolt.Tx, day string, floors map[string]int) error {
	b, err := tx.Bucket(bDays).CreateBucketIfNotExists([]byte(day))
	if err != nil {
		return err
	}
	f, err := b.CreateBucketIfNotExists(bFloor)
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

func ticketExists(tx *bbolt.Tx, t *queue.Ticket) bool {
	day := tx.Bucket(bDays).Bucket([]byte(t.Day))
	return day != nil && day.Bucket(bTickets) != nil && day.Bucket(bTickets).Get([]byte(t.ID)) != nil
}

func putTicket(tx *bbolt.Tx, t *queue.Ticket) error {
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
