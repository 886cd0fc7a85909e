package bolt

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"fmt"

	bbolt "go.etcd.io/bbolt"
)

// chainHash links an event to the one before it.
func chainHash(prev []byte, event []byte) []byte {
	h := sha256.New()
	h.Write(prev)
	h.Write(event)
	return h.Sum(nil)
}

func beU64(b []byte) uint64 { return binary.BigEndian.Uint64(b) }

// splitEvent splits a stored event into its chain hash and JSON.
func splitEvent(v []byte) (hash, event []byte, err error) {
	if len(v) <= hashLen {
		return nil, nil, fmt.Errorf("stored event too short (%d bytes)", len(v))
	}
	return v[:hashLen], v[hashLen:], nil
}

// verifyTx walks the event log and checks that seqs run 1, 2, 3, … with no gap and
// every hash links to the one before. It returns the number of events.
func verifyTx(tx *bbolt.Tx) (uint64, error) {
	b := tx.Bucket(bEvents)
	if b == nil {
		return 0, fmt.Errorf("no events bucket: not a motcua database")
	}
	var n uint64
	prev := make([]byte, hashLen)
	err := b.ForEach(func(k, v []byte) error {
		n++
		if len(k) != 8 || beU64(k) != n {
			return fmt.Errorf("event %d: key %x breaks the sequence", n, k)
		}
		hash, event, err := splitEvent(v)
		if err != nil {
			return fmt.Errorf("event %d: %w", n, err)
		}
		if !bytes.Equal(chainHash(prev, event), hash) {
			return fmt.Errorf("event %d: content or order does not match the chain (altered)", n)
		}
		var seq struct {
			Seq uint64 `json:"seq"`
		}
		if err := json.Unmarshal(event, &seq); err != nil || seq.Seq != n {
			return fmt.Errorf("event %d: body carries seq %d", n, seq.Seq)
		}
		prev = hash
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
