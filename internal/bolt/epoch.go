package bolt

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	bbolt "go.etcd.io/bbolt"

	"motcua/internal/intake"
	"motcua/internal/queue"
)

// The epoch numbers the primaries an office has had: 1 for the first; a
// standby made the primary takes the next. It is kept in meta (so a
// standby's copy holds its primary's) and told to every device, which
// follows the server of the highest: an old primary that learns of a
// higher one stops taking writes.

var kEpoch = []byte("epoch") // in meta: the office's epoch (absent: 1)

func readEpoch(tx *bbolt.Tx) uint64 {
	if m := tx.Bucket(bMeta); m != nil {
		if n := beU64Or0(m.Get(kEpoch)); n > 0 {
			return n
		}
	}
	return 1
}

// Epoch is the store's epoch.
func (s *Store) Epoch() uint64 {
	var n uint64
	s.db.View(func(tx *bbolt.Tx) error { n = readEpoch(tx); return nil })
	return n
}

// Promote makes this store's the next epoch (a standby taking over, by
// by): on the chain, an alert on the live page.
func (s *Store) Promote(by queue.Actor) (uint64, error) {
	v, err := s.runJob(func(w *txWriter) (any, error) {
		n := readEpoch(w.tx.rtx) + 1
		if err := w.tx.Bucket(bMeta).Put(kEpoch, u64(n)); err != nil {
			return nil, err
		}
		_, err := w.emit(queue.Event{Type: queue.EvDevice, Time: w.now, Actor: by, Alert: &queue.Alert{Code: "server_promoted",
			Message: fmt.Sprintf("Máy chủ dự phòng đã thành máy chủ chính (lượt %d) / the standby is now the primary (epoch %d)", n, n)}})
		if err != nil {
			return nil, failed{err}
		}
		return n, nil
	})
	if err != nil {
		return 0, err
	}
	return v.(uint64), nil
}

// ScanFiles are the scan files the data directory holds (their SHA-256s).
func (s *Store) ScanFiles() ([]string, error) { return ScanFilesIn(s.dir) }

// ScanFiles are the scan files the copy holds.
func (f *Follower) ScanFiles() ([]string, error) { return ScanFilesIn(f.dir) }

// ScanFilesIn are the scan files of the data directory dir (none when it
// has no scans' folder yet).
func ScanFilesIn(dir string) ([]string, error) {
	names, err := os.ReadDir(filepath.Join(dir, ScanDir))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []string
	for _, n := range names {
		if sha, ok := strings.CutSuffix(n.Name(), ".pdf"); ok && intake.ValidSHA256(sha) {
			out = append(out, sha)
		}
	}
	return out, nil
}

// SetScanShipper has every scan file stored from now handed to ship after
// it is on the disk and before the change naming it can commit (a
// standby's copy). nil: none.
func (s *Store) SetScanShipper(ship func(sha string) error) {
	if ship == nil {
		s.scanShip.Store(nil)
		return
	}
	s.scanShip.Store(&ship)
}

// Settings are the settings in force as the copy holds them (a standby's
// console checks its admins' PINs against them).
func (f *Follower) Settings() (queue.SettingsVersion, error) {
	var rec settingsRecord
	err := f.db.View(func(tx *bbolt.Tx) (err error) {
		rec, _, _, err = latestSettings(tx)
		return err
	})
	return rec.SettingsVersion, err
}
