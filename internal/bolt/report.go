package bolt

import (
	"encoding/json"
	"runtime"
	"sync"
	"time"

	"go.etcd.io/bbolt"

	"motcua/internal/queue"
)

// kSummary holds a closed day's tally inside its day bucket, so a report over a
// year merges 365 small summaries instead of decoding every ticket.
var kSummary = []byte("summary")

// Report tallies the tickets of the days from..to (YYYYMMDD, inclusive): closed
// days from their stored summaries (a day without one is tallied from its
// tickets, decoded on every core, and its summary stored), today from its tickets.
func (s *Store) Report(from, to string) (*queue.Report, error) {
	s.mu.RLock()
	today := s.state.Day()
	s.mu.RUnlock()
	total := queue.NewReport(s.office, from, to)
	fresh := map[string]*queue.Report{} // summaries to store
	err := s.db.View(func(tx *bbolt.Tx) error {
		days := tx.Bucket(bDays)
		var stored [][]byte // closed days' summaries, valid while tx lasts
		var names []string
		c := days.Cursor()
		for day, _ := c.Seek([]byte(from)); day != nil && string(day) <= to; day, _ = c.Next() {
			if v := days.Bucket(day).Get(kSummary); v != nil && string(day) < today {
				stored, names = append(stored, v), append(names, string(day))
			}
		}
		merged, stale, err := s.mergeSummaries(from, to, stored, names)
		if err != nil {
			return err
		}
		total.Merge(merged.Finish())
		var todo []string
		for day, _ := c.Seek([]byte(from)); day != nil && string(day) <= to; day, _ = c.Next() {
			if string(day) >= today || stale[string(day)] || days.Bucket(day).Get(kSummary) == nil {
				todo = append(todo, string(day))
			}
		}
		tallies, err := s.tallyDays(tx, todo)
		if err != nil {
			return err
		}
		for day, r := range tallies {
			total.Merge(r)
			if day < today {
				fresh[day] = r
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(fresh) > 0 {
		s.update(func(tx *wtx) error { // a cache: a failure costs only speed
			for day, r := range fresh {
				if raw, err := queue.EncodeSummary(r); err == nil {
					tx.Bucket(bDays).Bucket([]byte(day)).Put(kSummary, raw)
				}
			}
			return nil
		})
	}
	return total.Finish(), nil
}

// mergeSummaries decodes and merges the stored day summaries on every core
// (a year of a provincial centre is 365 of them); stale are the days whose
// summary has an older shape.
func (s *Store) mergeSummaries(from, to string, raws [][]byte, days []string) (*queue.Report, map[string]bool, error) {
	workers := cores()
	parts := make([]*queue.Report, workers)
	stale := make([][]string, workers)
	for w := range parts {
		parts[w] = queue.NewReport(s.office, from, to)
	}
	if err := onCores(workers, len(raws), func(w, i int) error {
		sum, current, err := queue.DecodeSummary(raws[i])
		switch {
		case err != nil:
			return err
		case !current:
			stale[w] = append(stale[w], days[i])
		default:
			parts[w].Merge(sum)
		}
		return nil
	}); err != nil {
		return nil, nil, err
	}
	out, old := parts[0], map[string]bool{}
	for w := range workers {
		if w > 0 {
			out.Merge(parts[w].Finish())
		}
		for _, d := range stale[w] {
			old[d] = true
		}
	}
	return out, old, nil
}

// tallyDays tallies each day's tickets; the records are read in tx by this
// goroutine and decoded on every core.
func (s *Store) tallyDays(tx *bbolt.Tx, days []string) (map[string]*queue.Report, error) {
	type job struct {
		day  string
		raws [][]byte
	}
	out := map[string]*queue.Report{}
	var mu sync.Mutex
	jobs := make(chan job, 8)
	var wg sync.WaitGroup
	var firstErr error
	for range max(runtime.NumCPU(), 1) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				r := queue.NewReport(s.office, j.day, j.day)
				for _, raw := range j.raws {
					var rec reportRecord // only what a report reads: the rest is skipped, not decoded
					if err := json.Unmarshal(raw, &rec); err != nil {
						mu.Lock()
						firstErr = err
						mu.Unlock()
						continue
					}
					r.Add(queue.Ticket{Day: j.day, ServiceID: rec.ServiceID, FirstServiceID: rec.FirstServiceID, State: rec.State, Counter: rec.Counter, Clerk: rec.Clerk,
						IssuedAt: rec.IssuedAt, QueuedAt: rec.QueuedAt, CalledAt: rec.CalledAt, ServingAt: rec.ServingAt, DoneAt: rec.DoneAt, Rating: rec.Rating,
						Channel: rec.Channel, CheckedInAt: rec.CheckedInAt, Slot: rec.Slot})
				}
				r.Finish()
				mu.Lock()
				out[j.day] = r
				mu.Unlock()
			}
		}()
	}
	for _, day := range days {
		b := tx.Bucket(bDays).Bucket([]byte(day)).Bucket(bTickets)
		var raws [][]byte
		if b != nil {
			b.ForEach(func(_, v []byte) error { raws = append(raws, v); return nil }) // valid until tx ends, after wg.Wait
		}
		jobs <- job{day, raws}
	}
	close(jobs)
	wg.Wait()
	return out, firstErr
}

// summarise stores the tally of a closed day (called at the rollover).
func (s *Store) summarise(tx *wtx, day string) error {
	tallies, err := s.tallyDays(tx.rtx, []string{day})
	if err != nil {
		return err
	}
	raw, err := queue.EncodeSummary(tallies[day])
	if err != nil {
		return err
	}
	return tx.Bucket(bDays).Bucket([]byte(day)).Put(kSummary, raw)
}

// ImportTickets writes finished tickets of past days (an older system's
// history, or a benchmark's year) straight into the day buckets, in batches of
// 10,000 per transaction, then stores each past day's tally. They carry no
// events: history is not replayed.
func (s *Store) ImportTickets(ts []queue.Ticket) error {
	s.mu.RLock()
	today := s.state.Day()
	s.mu.RUnlock()
	days := map[string]bool{}
	for _, t := range ts {
		if t.Day < today {
			days[t.Day] = true
		}
	}
	defer s.update(func(tx *wtx) error { // the imported days' tallies, for fast reports
		for day := range days {
			s.summarise(tx, day)
		}
		return nil
	})
	for len(ts) > 0 {
		n := min(len(ts), 10000)
		batch := ts[:n]
		ts = ts[n:]
		if err := s.update(func(tx *wtx) error {
			for i := range batch {
				if err := putTicket(tx, &batch[i]); err != nil {
					return err
				}
				tx.Bucket(bDays).Bucket([]byte(batch[i].Day)).Delete(kSummary) // out of date now
			}
			return nil
		}); err != nil {
			return err
		}
	}
	return nil
}

// reportRecord is the part of a ticketRecord a report reads (same JSON keys).
type reportRecord struct {
	ServiceID      string            `json:"s"`
	FirstServiceID string            `json:"fs"`
	State          queue.TicketState `json:"st"`
	Counter        int               `json:"c,omitempty"`
	Clerk          string            `json:"ck,omitempty"`
	IssuedAt       time.Time         `json:"ia"`
	QueuedAt       time.Time         `json:"qa"`
	CalledAt       time.Time         `json:"ca,omitzero"`
	ServingAt      time.Time         `json:"sa,omitzero"`
	DoneAt         time.Time         `json:"da,omitzero"`
	Rating         *queue.Rating     `json:"rt,omitempty"`
	Channel        queue.Channel     `json:"ch"`
	CheckedInAt    time.Time         `json:"cia,omitzero"`
	Slot           time.Time         `json:"sl,omitzero"`
}

// summariseBefore stores the tally of the last day with tickets before day.
func (s *Store) summariseBefore(tx *wtx, day string) error {
	c := tx.Bucket(bDays).Cursor()
	k, _ := c.Seek([]byte(day))
	if k == nil {
		k, _ = c.Last()
	} else {
		k, _ = c.Prev()
	}
	if k == nil || string(k) >= day {
		return nil
	}
	return s.summarise(tx, string(k))
}

// EachTicket calls fn with each stored ticket of the days from..to
// (YYYYMMDD, inclusive), day by day, in id order within a day.
func (s *Store) EachTicket(from, to string, fn func(queue.Ticket) error) error {
	return s.db.View(func(tx *bbolt.Tx) error {
		days := tx.Bucket(bDays)
		c := days.Cursor()
		for day, _ := c.Seek([]byte(from)); day != nil && string(day) <= to; day, _ = c.Next() {
			b := days.Bucket(day).Bucket(bTickets)
			if b == nil {
				continue
			}
			if err := b.ForEach(func(_, v []byte) error {
				var r ticketRecord
				if err := json.Unmarshal(v, &r); err != nil {
					return err
				}
				return fn(queue.Ticket(r))
			}); err != nil {
				return err
			}
		}
		return nil
	})
}
