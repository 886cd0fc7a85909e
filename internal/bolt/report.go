package bolt

import (
	"encoding/json"
	"runtime"
	"sync"

	"go.etcd.io/bbolt"

	"motcua/internal/queue"
)

// Report tallies the tickets of the days from..to (YYYYMMDD, inclusive). The
// records are read in one read transaction and decoded on every core.
func (s *Store) Report(from, to string) (*queue.Report, error) {
	workers := max(runtime.NumCPU(), 1)
	reports := make([]*queue.Report, workers)
	for i := range reports {
		reports[i] = queue.NewReport(s.office, from, to)
	}
	err := s.db.View(func(tx *bbolt.Tx) error {
		raws := make(chan []byte, 1024)
		var wg sync.WaitGroup
		errs := make([]error, workers)
		for i := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for raw := range raws {
					var r ticketRecord
					if err := json.Unmarshal(raw, &r); err != nil {
						errs[i] = err
						continue
					}
					reports[i].Add(queue.Ticket(r))
				}
			}()
		}
		c := tx.Bucket(bDays).Cursor()
		for day, _ := c.Seek([]byte(from)); day != nil && string(day) <= to; day, _ = c.Next() {
			b := tx.Bucket(bDays).Bucket(day).Bucket(bTickets)
			if b == nil {
				continue
			}
			b.ForEach(func(_, v []byte) error {
				raws <- v // valid until the transaction ends, which waits for the workers
				return nil
			})
		}
		close(raws)
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return queue.MergeReports(reports...).Finish(), nil
}

// ImportTickets writes finished tickets of past days (an older system's
// history, or a benchmark's year) straight into the day buckets, in batches of
// 10,000 per transaction. They carry no events: history is not replayed.
func (s *Store) ImportTickets(ts []queue.Ticket) error {
	for len(ts) > 0 {
		n := min(len(ts), 10000)
		batch := ts[:n]
		ts = ts[n:]
		if err := s.db.Update(func(tx *bbolt.Tx) error {
			for i := range batch {
				if err := putTicket(tx, &batch[i]); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			return err
		}
	}
	return nil
}
