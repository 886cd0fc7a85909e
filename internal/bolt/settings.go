package bolt

import (
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"motcua/internal/calendar"
	"motcua/internal/catalogue"
	"motcua/internal/problem"
	"motcua/internal/queue"

	bbolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// The office's settings are versioned documents in settings/: the config
// file seeds version 1 of an empty store, and every change after that is a
// new version written by the single writer with a settings.changed event on
// the chain (the SHA-256 of the document before and after, and what changed).

// settingsRecord is one version of the settings as stored: the office, its
// staff and devices, and its procedure catalogue.
type settingsRecord struct {
	queue.SettingsVersion
	Procedures []catalogue.Procedure `json:"procedures,omitempty"`
	Calendar   []calendar.Year       `json:"calendar,omitempty"`
}

// settings is one version of the settings, as the store keeps it in force.
type settings struct {
	office     queue.Office
	users      []queue.StaffUser
	devices    []queue.Device // keys as hashes
	procedures []catalogue.Procedure
	calendar   []calendar.Year
	sync       queue.Sync
	version    uint64
}

// inForce is what a stored version puts in force.
func (r settingsRecord) inForce() settings {
	return settings{office: r.Office, users: r.Users, devices: r.Devices, procedures: r.Procedures, calendar: r.Calendar, sync: r.Shipping(), version: r.Version}
}

// swap is a state the writer puts in force once the transaction that
// describes it has committed.
type swap struct {
	now   time.Time // the writer's clock for this batch
	state *queue.State
	settings
}

// latestSettings reads the newest stored version; ok is false for a store
// that has none yet.
func latestSettings(tx *bbolt.Tx) (rec settingsRecord, raw []byte, ok bool, err error) {
	b := tx.Bucket(bSettings)
	if b == nil {
		return rec, nil, false, nil
	}
	k, v := b.Cursor().Last()
	if k == nil {
		return rec, nil, false, nil
	}
	if err := json.Unmarshal(v, &rec); err != nil {
		return rec, nil, false, fmt.Errorf("settings version %d: %w", beU64(k), err)
	}
	return rec, append([]byte(nil), v...), true, nil
}

// useStoredSettings makes the stored settings the ones in force: after the
// first start, the config file given at start no longer decides.
func (s *Store) useStoredSettings() error {
	return s.db.View(func(tx *bbolt.Tx) error {
		rec, _, ok, err := latestSettings(tx)
		if ok {
			s.settings = rec.inForce()
		}
		return err
	})
}

// seedSettings stores the office given at start as version 1 of a store
// that has no settings yet, on the chain like any change.
func (s *Store) seedSettings() error {
	if s.version > 0 {
		return nil
	}
	if _, err := s.sync.Keep(queue.Sync{}); err != nil {
		return err // a masked password seeds nothing
	}
	if err := s.sync.Validate(); err != nil {
		return err
	}
	var w *txWriter
	err := s.update(func(tx *wtx) error {
		w = &txWriter{s: s, tx: tx, now: s.now(), seq: s.seq, hash: s.hash}
		_, err := w.putSettings(queue.Actor{Kind: queue.ActorSystem, ID: "config"}, swap{settings: s.settings}, []string{"seeded from the config file"})
		return err
	})
	if err != nil {
		return err
	}
	s.seq, s.hash, s.version = w.seq, w.hash, 1
	return nil
}

// putSettings writes the next version of the settings and its event.
func (w *txWriter) putSettings(by queue.Actor, next swap, changes []string) (uint64, error) {
	office := next.office
	prev, prevRaw, _, err := latestSettings(w.tx.rtx)
	if err != nil {
		return 0, err
	}
	rec := settingsRecord{SettingsVersion: queue.SettingsVersion{Version: prev.Version + 1, Time: w.now, By: by, Office: office, Users: next.users, Devices: next.devices},
		Procedures: next.procedures, Calendar: next.calendar}
	if next.sync != (queue.Sync{}) {
		rec.Sync = &next.sync
	}
	raw, err := json.Marshal(rec)
	if err != nil {
		return 0, err
	}
	if err := w.tx.Bucket(bSettings).Put(u64(rec.Version), raw); err != nil {
		return 0, err
	}
	cfg, _ := json.Marshal(office)
	if err := w.tx.Bucket(bMeta).Put(kOffice, cfg); err != nil {
		return 0, err
	}
	mark := &queue.SettingsMark{Version: rec.Version, After: recordHash(raw), Changes: changes, Office: &office}
	if prevRaw != nil {
		mark.Before = recordHash(prevRaw)
	}
	if _, err := w.emit(queue.Event{Type: queue.EvSettings, Time: w.now, Actor: by, Settings: mark}); err != nil {
		return 0, err
	}
	return rec.Version, nil
}

// Settings returns the settings in force and their version.
func (s *Store) Settings() (uint64, queue.Office) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.version, s.office
}

// stale refuses an edit that started from another version than cur's (0: no check).
func (cur swap) stale(base uint64) error {
	if base != 0 && base != cur.version {
		return problem.Errorf(problem.EConflict, "Cấu hình đã được người khác đổi (phiên bản %d, không phải %d): hãy tải lại rồi sửa", "the settings changed meanwhile (version %d, not %d): reload and edit again", cur.version, base)
	}
	return nil
}

// pending is the settings the writer works from: those in force, or those
// an earlier change in this batch will put in force. Only the writer calls it.
func (s *Store) pending(w *txWriter) swap {
	if w.swap != nil {
		sw := *w.swap
		sw.now = w.now
		return sw
	}
	return swap{now: w.now, state: s.state, settings: s.settings}
}

// commitSettings writes next as the coming version and puts it in force
// after the commit.
func (w *txWriter) commitSettings(by queue.Actor, next swap, changes []string) (any, error) {
	v, err := w.putSettings(by, next, changes)
	if err != nil {
		return nil, failed{err}
	}
	next.version = v
	w.swap = &next
	return v, nil
}

// change runs edit on the settings the writer works from and, when it
// changed something, writes them as the next version and puts them in force
// after the commit; base is the version the edit started from (0: any).
func (s *Store) change(by queue.Actor, base uint64, edit func(next *swap) ([]string, error)) (uint64, error) {
	v, err := s.runJob(func(w *txWriter) (any, error) {
		cur := s.pending(w)
		if err := cur.stale(base); err != nil {
			return nil, err
		}
		next := cur
		changes, err := edit(&next)
		if err != nil {
			return nil, err
		}
		if len(changes) == 0 {
			return cur.version, nil // nothing to record
		}
		// Who logs in differently from now on: their sessions end (auth).
		next.users = queue.StampCredentials(cur.users, next.users, cur.version+1)
		return w.commitSettings(by, next, changes)
	})
	if err != nil {
		return 0, err
	}
	return v.(uint64), nil
}

// verifySettings checks each stored version of the settings against the
// settings.changed event that wrote it.
func verifySettings(tx *bbolt.Tx, after map[uint64]string) error {
	b := tx.Bucket(bSettings)
	if b == nil {
		return nil
	}
	seen := map[uint64]bool{}
	if err := b.ForEach(func(k, v []byte) error {
		ver := beU64(k)
		seen[ver] = true
		want, ok := after[ver]
		switch {
		case !ok:
			return fmt.Errorf("settings version %d is not on the event chain (added outside the server)", ver)
		case want != recordHash(v):
			return fmt.Errorf("settings version %d does not match its change on the chain (altered)", ver)
		}
		return nil
	}); err != nil {
		return err
	}
	for ver := range after {
		if !seen[ver] {
			return fmt.Errorf("settings version %d is on the event chain but not stored (removed)", ver)
		}
	}
	return nil
}

// StoredSettings reads the settings in force from a data directory no server
// holds (ErrLocked when one does): the latest version, or the office the
// store was last started with when it has none yet (version 0).
func StoredSettings(dir string) (queue.SettingsVersion, error) {
	db, err := bbolt.Open(filepath.Join(dir, FileName), 0o600, &bbolt.Options{Timeout: time.Second, ReadOnly: true})
	if errors.Is(err, berrors.ErrTimeout) {
		return queue.SettingsVersion{}, ErrLocked
	}
	if err != nil {
		return queue.SettingsVersion{}, err
	}
	var rec settingsRecord
	var ok bool
	err = db.View(func(tx *bbolt.Tx) (err error) {
		rec, _, ok, err = latestSettings(tx)
		return err
	})
	db.Close()
	if err != nil || ok {
		return rec.SettingsVersion, err
	}
	office, err := storedOffice(dir)
	return queue.SettingsVersion{Office: office}, err
}

// SettingsHistory lists every version of the settings, newest first.
func (s *Store) SettingsHistory() ([]queue.SettingsVersion, error) {
	var out []queue.SettingsVersion
	err := s.db.View(func(tx *bbolt.Tx) error {
		c := tx.Bucket(bSettings).Cursor()
		for k, v := c.Last(); k != nil; k, v = c.Prev() {
			var rec settingsRecord
			if err := json.Unmarshal(v, &rec); err != nil {
				return fmt.Errorf("settings version %d: %w", beU64(k), err)
			}
			out = append(out, rec.SettingsVersion)
		}
		return nil
	})
	return out, err
}
