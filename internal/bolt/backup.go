package bolt

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"motcua/internal/problem"
	"motcua/internal/queue"
	"os"
	"path/filepath"
	"time"

	bbolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// WriteBackup writes a consistent copy of the whole database to w while the store
// keeps serving (a read transaction: writers are not blocked). It returns the
// number of bytes written.
func (s *Store) WriteBackup(w io.Writer) (int64, error) {
	var n int64
	err := s.db.View(func(tx *bbolt.Tx) error {
		var err error
		n, err = tx.WriteTo(w)
		return err
	})
	return n, err
}

// BackupFile writes a backup to path atomically: a temporary file beside it,
// fsynced, then renamed.
func (s *Store) BackupFile(path string) (int64, error) {
	return WriteAtomic(path, s.WriteBackup)
}

// BackupOffline writes a backup archive of the store in dir (with its
// scans) to path when no server holds it.
func BackupOffline(dir, path string) (int64, error) {
	db, err := bbolt.Open(filepath.Join(dir, FileName), 0o600, &bbolt.Options{ReadOnly: true, Timeout: time.Second})
	if errors.Is(err, berrors.ErrTimeout) {
		return 0, ErrLocked
	}
	if err != nil {
		return 0, err
	}
	defer db.Close()
	return WriteAtomic(path, func(w io.Writer) (int64, error) { return writeArchive(db, dir, w) })
}

// VerifyFile checks a backup archive (the copy's chain and its scans), or a
// bare database file: its schema and chain, and — when it is a data
// directory's motcua.db — the scans beside it.
func VerifyFile(path string) (uint64, error) {
	archive, err := IsArchive(path)
	if err != nil {
		return 0, err
	}
	if archive {
		return verifyArchive(path)
	}
	var more []func(*bbolt.Tx) error
	if filepath.Base(path) == FileName {
		more = append(more, checkScansIn(filepath.Dir(path)))
	}
	return verifyDB(path, more...)
}

// verifyDB opens a database file read-only and checks its schema, its chain
// and what more says.
func verifyDB(path string, more ...func(*bbolt.Tx) error) (uint64, error) {
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{ReadOnly: true, Timeout: time.Second})
	if errors.Is(err, berrors.ErrTimeout) {
		return 0, ErrLocked
	}
	if err != nil {
		return 0, fmt.Errorf("%s is not a readable bbolt file: %w", path, err)
	}
	defer db.Close()
	var n uint64
	err = db.View(func(tx *bbolt.Tx) error {
		meta := tx.Bucket(bMeta)
		if meta == nil {
			return fmt.Errorf("%s has no meta bucket: not a motcua database", path)
		}
		switch v, err := storedSchema(meta); {
		case err != nil:
			return fmt.Errorf("%s: %w", path, err)
		case v == 0:
			return fmt.Errorf("%s has no schema version: not a motcua database", path)
		case v > Schema:
			return fmt.Errorf("%s: %w", path, errNewer(v))
		}
		n, err = verifyTx(tx, more...)
		return err
	})
	return n, err
}

// Restore replaces the data in dir with the backup at from: an archive
// (the store and its scans) or a bare database file of an earlier version.
// The server must be stopped (the file lock proves it). The backup is
// verified first; the current store is kept beside it as
// motcua.db.before-restore-<time> (and its scans as
// scans.before-restore-<time>).
func Restore(dir, from string, now time.Time) (kept string, err error) {
	archive, err := IsArchive(from)
	if err != nil {
		return "", err
	}
	if archive {
		return restoreArchive(dir, from, now)
	}
	if _, err := VerifyFile(from); err != nil {
		return "", fmt.Errorf("backup rejected: %w", err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	if kept, err = setAside(dir, now); err != nil {
		return "", err
	}
	src, err := os.Open(from)
	if err != nil {
		return kept, err
	}
	defer src.Close()
	_, err = WriteAtomic(filepath.Join(dir, FileName), func(w io.Writer) (int64, error) { return io.Copy(w, src) })
	return kept, err
}

// WriteAtomic writes a file through write: a temporary file beside path,
// fsynced, mode 0600, then renamed over path, so a reader never sees half a file.
func WriteAtomic(path string, write func(io.Writer) (int64, error)) (int64, error) {
	f, err := os.CreateTemp(filepath.Dir(path), ".motcua-backup-*")
	if err != nil {
		return 0, err
	}
	defer os.Remove(f.Name())
	n, err := write(f)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(f.Name(), 0o600)
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	return n, err
}

// SkipNumbers raises today's numbering of every service by n past the last
// number on file, as a command on the chain (numbering.floor): after a restore,
// for an office with no kiosk left online to say what it printed since the
// backup. The office is the one the data directory was last started with.
// It returns the new floors.
func SkipNumbers(dir string, n int, now func() time.Time) (map[string]int, error) {
	office, err := storedOffice(dir)
	if err != nil {
		return nil, err
	}
	s, err := Open(dir, office, Options{Now: now})
	if err != nil {
		return nil, err
	}
	defer s.Close()
	if _, err := s.Do(context.Background(), queue.Command{Op: queue.OpFloor, Actor: queue.Actor{Kind: queue.ActorSystem, ID: "restore"}, Skip: n}); err != nil {
		return nil, err
	}
	held, err := s.dayHeld(s.state.Day())
	return held.floors, err
}

// storedOffice reads the office config a data directory was last started with.
func storedOffice(dir string) (queue.Office, error) {
	var office queue.Office
	db, err := bbolt.Open(filepath.Join(dir, FileName), 0o600, &bbolt.Options{Timeout: time.Second, ReadOnly: true})
	if errors.Is(err, berrors.ErrTimeout) {
		return office, ErrLocked
	}
	if err != nil {
		return office, err
	}
	defer db.Close()
	err = db.View(func(tx *bbolt.Tx) error {
		meta := tx.Bucket(bMeta)
		if meta == nil || meta.Get(kOffice) == nil {
			return problem.Errorf(problem.EInvalid, "Dữ liệu không có cấu hình văn phòng", "the data has no office config")
		}
		return json.Unmarshal(meta.Get(kOffice), &office)
	})
	return office, err
}
