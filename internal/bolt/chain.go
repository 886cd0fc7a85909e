package bolt

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"

	bbolt "go.etcd.io/bbolt"
)

// chainHash links an event to the one before it.
func chainHash(prev string, event []byte) string {
	h := sha256.New()
	h.Write([]byte(prev))
	h.Write([]byte{'\n'})
	h.Write(event)
	return hex.EncodeToString(h.Sum(nil))
}

func beU64(b []byte) uint64 { return binary.BigEndian.Uint64(b) }

// verifyTx walks the event log and checks that seqs run 1, 2, 3, … with no gap and
// every hash links to the one before. It returns the number of events.
func verifyTx(tx *bbolt.Tx) (uint64, error) {
	b := tx.Bucket(bEvents)
	if b == nil {
		return 0, fmt.Errorf("no events bucket: not a motcua database")
	}
	var n uint64
	prev := ""
	err := b.ForEach(func(k, v []byte) error {
		n++
		if len(k) != 8 || beU64(k) != n {
			return fmt.Errorf("event %d: key %x breaks the sequence", n, k)
		}
		var r eventRecord
		if err := json.Unmarshal(v, &r); err != nil {
			return fmt.Errorf("event %d: %w", n, err)
		}
		if r.Prev != prev {
			return fmt.Errorf("event %d: prev hash does not match event %d", n, n-1)
		}
		if chainHash(prev, r.Event) != r.Hash {
			return fmt.Errorf("event %d: content does not match its hash (altered)", n)
		}
		var seq struct {
			Seq uint64 `json:"seq"`
		}
		if err := json.Unmarshal(r.Event, &seq); err != nil || seq.Seq != n {
			return fmt.Errorf("event %d: body carries seq %d", n, seq.Seq)
		}
		prev = r.Hash
		return nil
	})
	return n, err
}

// Verify checks the event chain of the open store.
func (s *Store) Verify() (uint64, error) {
	var n uint64
	err := s.db.View(func(tx *bbolt.Tx) error {
		var err error
		n, err = verifyTx(tx)
		return err
	})
	return n, err
}
