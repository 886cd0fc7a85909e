package bolt

import (
	"encoding/binary"

	"go.etcd.io/bbolt"
)

// Replication to the province (issue 15): the events after a seq as they
// are stored (their chain hash and JSON, untouched, so the copy can be
// verified), and the seq shipped so far. The cursor is bookkeeping of the
// shipping, not the office's state: it is written outside the writer, like
// the sessions, and never on the chain.

// Chained is one stored event: its seq, chain hash and JSON.
type Chained struct {
	Seq  uint64
	Hash []byte
	Raw  []byte
}

var kShipped = []byte("shipped") // in meta: the last seq the province holds

// EventsAfter returns up to limit events after seq, in order.
func (s *Store) EventsAfter(seq uint64, limit int) ([]Chained, error) {
	var out []Chained
	err := s.db.View(func(tx *bbolt.Tx) error {
		c := tx.Bucket(bEvents).Cursor()
		for k, v := c.Seek(u64(seq + 1)); k != nil && len(out) < limit; k, v = c.Next() {
			h, raw, err := splitEvent(v)
			if err != nil {
				return err
			}
			out = append(out, Chained{Seq: beU64(k), Hash: append([]byte(nil), h...), Raw: append([]byte(nil), raw...)})
		}
		return nil
	})
	return out, err
}

// Shipped is the last seq the province holds (0: none).
func (s *Store) Shipped() uint64 {
	var n uint64
	s.db.View(func(tx *bbolt.Tx) error {
		if v := tx.Bucket(bMeta).Get(kShipped); len(v) == 8 {
			n = binary.BigEndian.Uint64(v)
		}
		return nil
	})
	return n
}

// SetShipped records that the province holds every event up to seq.
func (s *Store) SetShipped(seq uint64) error {
	return s.update(func(tx *wtx) error { return tx.Bucket(bMeta).Put(kShipped, u64(seq)) })
}
