package bolt

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"motcua/internal/chain"
	"motcua/internal/queue"
	"time"

	bbolt "go.etcd.io/bbolt"
)

// chainHash links an event to the one before it.
func chainHash(prev []byte, event []byte) []byte { return chain.Hash(prev, event) }

func beU64(b []byte) uint64 { return binary.BigEndian.Uint64(b) }

// splitEvent splits a stored event into its chain hash and JSON.
func splitEvent(v []byte) (hash, event []byte, err error) {
	if len(v) <= hashLen {
		return nil, nil, fmt.Errorf("stored event too short (%d bytes)", len(v))
	}
	return v[:hashLen], v[hashLen:], nil
}

// verifyTx walks the event log and checks that seqs run 1, 2, 3, … with no gap and
// every hash links to the one before; then that every dossier record is the
// one its last dossier.changed event hashed, every access-log line the one
// its dossier.accessed event says, and every version of the settings the one
// its settings.changed event hashed. It returns the number of events.
func verifyTx(tx *bbolt.Tx, more ...func(*bbolt.Tx) error) (uint64, error) {
	b := tx.Bucket(bEvents)
	if b == nil {
		return 0, fmt.Errorf("no events bucket: not a motcua database")
	}
	var n uint64
	prev := make([]byte, hashLen)
	records := map[string]string{}        // dossier code -> hash of its record after the last change
	accesses := map[uint64]accessRecord{} // seq -> what the access event says
	settings := map[uint64]string{}       // settings version -> hash of its stored document
	messages := map[string]string{}       // message id -> hash of its record after the last change
	contacts := map[string]string{}       // ticket id -> hash of the phone's record
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
		var head struct {
			Seq      uint64              `json:"seq"`
			Type     queue.EventType     `json:"type"`
			Time     time.Time           `json:"time"`
			Actor    queue.Actor         `json:"actor"`
			Dossier  *queue.DossierMark  `json:"dossier"`
			Settings *queue.SettingsMark `json:"settings"`
			Message  *queue.MessageMark  `json:"message"`
		}
		if err := json.Unmarshal(event, &head); err != nil || head.Seq != n {
			return fmt.Errorf("event %d: body carries seq %d", n, head.Seq)
		}
		switch {
		case head.Type == queue.EvDossier && head.Dossier != nil:
			records[head.Dossier.Code] = head.Dossier.Record
		case head.Type == queue.EvAccess && head.Dossier != nil:
			accesses[n] = accessRecord{At: head.Time, Who: head.Actor.ID, Code: head.Dossier.Code, Action: head.Dossier.Action}
		case head.Type == queue.EvSettings && head.Settings != nil:
			settings[head.Settings.Version] = head.Settings.After
		case head.Type == queue.EvMessage && head.Message != nil:
			messages[head.Message.ID] = head.Message.Record
		case head.Type == queue.EvContact && head.Message != nil:
			contacts[head.Message.ID] = head.Message.Record
		}
		prev = hash
		return nil
	})
	if err != nil {
		return n, err
	}
	if err := verifyRecords(tx, bDossiers, "dossier", records); err != nil {
		return n, err
	}
	if err := verifyRecords(tx, bOutbox, "message", messages); err != nil {
		return n, err
	}
	if err := verifyRecords(tx, bContacts, "contact", contacts); err != nil {
		return n, err
	}
	if err := verifySettings(tx, settings); err != nil {
		return n, err
	}
	for _, check := range more {
		if err := check(tx); err != nil {
			return n, err
		}
	}
	return n, verifyAccess(tx, accesses)
}

// verifyRecords checks each record of a bucket (dossiers, messages, the
// phones given) against the hash of its last change on the chain.
func verifyRecords(tx *bbolt.Tx, bucket []byte, what string, records map[string]string) error {
	b := tx.Bucket(bucket)
	if b == nil {
		return nil
	}
	seen := 0
	err := b.ForEach(func(k, v []byte) error {
		want, ok := records[string(k)]
		switch {
		case !ok:
			return fmt.Errorf("%s %s is not on the event chain (added outside the server)", what, k)
		case recordHash(v) != want:
			return fmt.Errorf("%s %s does not match its last change on the chain (altered)", what, k)
		}
		seen++
		return nil
	})
	if err == nil && seen != len(records) {
		for code := range records {
			if b.Get([]byte(code)) == nil {
				return fmt.Errorf("%s %s is on the event chain but not stored (removed)", what, code)
			}
		}
	}
	return err
}

// verifyAccess checks the access log against the chain: one line per
// dossier.accessed event, saying the same.
func verifyAccess(tx *bbolt.Tx, accesses map[uint64]accessRecord) error {
	b := tx.Bucket(bAccess)
	if b == nil {
		return nil
	}
	seen := 0
	err := b.ForEach(func(k, v []byte) error {
		want, ok := accesses[beU64(k)]
		var got accessRecord
		if json.Unmarshal(v, &got) != nil || !ok || !got.At.Equal(want.At) || got.Who != want.Who || got.Code != want.Code || got.Action != want.Action {
			return fmt.Errorf("access log line %d does not match the event chain (altered or added)", beU64(k))
		}
		seen++
		return nil
	})
	if err == nil && seen != len(accesses) {
		return fmt.Errorf("%d access log lines are on the event chain but not stored (removed)", len(accesses)-seen)
	}
	return err
}

// Verify checks the event chain of the open store, and its scans.
func (s *Store) Verify() (uint64, error) {
	var n uint64
	err := s.db.View(func(tx *bbolt.Tx) error {
		var err error
		n, err = verifyTx(tx, checkScansIn(s.dir))
		return err
	})
	return n, err
}
