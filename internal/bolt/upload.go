package bolt

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"

	bbolt "go.etcd.io/bbolt"

	"motcua/internal/intake"
)

// An upload streams a scan to a temporary file in scans/ (.upload-*.part),
// hashing and checking it as it comes, so that no upload is ever whole in
// memory; the file is synced and renamed to its SHA-256's name, the folder
// synced, before the change naming it, and removed on every other path.
// What a crash leaves — a temporary, or a kept file no dossier came to
// name — is swept at the next start (sweepScans).

const uploadPrefix = ".upload-"

// ReceiveScan streams r into a temporary file, each byte also to seen (a
// check that reads as it goes), and when r ends and ok says the whole is
// fine, keeps the file under its SHA-256: synced, renamed, the folder
// synced. It answers the SHA-256 and the size; on any error — r's, ok's,
// the disk's — nothing stays.
func (s *Store) ReceiveScan(r io.Reader, seen io.Writer, ok func() error) (sha string, size int64, err error) {
	dir := filepath.Join(s.dir, ScanDir)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", 0, err
	}
	f, err := os.CreateTemp(dir, uploadPrefix+"*.part")
	if err != nil {
		return "", 0, err
	}
	kept := false
	defer func() {
		if !kept {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	sum := sha256.New()
	size, err = io.Copy(io.MultiWriter(f, sum, seen), r)
	if err == nil {
		err = ok()
	}
	if err == nil {
		err = f.Sync()
	}
	if err == nil {
		err = f.Close()
	}
	sha = hex.EncodeToString(sum.Sum(nil))
	if err == nil {
		err = os.Rename(f.Name(), ScanPath(s.dir, sha)) // the same content kept twice is one file
	}
	if err == nil {
		kept = true
		err = syncDir(dir)
	}
	if ship := s.scanShip.Load(); err == nil && ship != nil {
		err = (*ship)(sha)
	}
	if errors.Is(err, syscall.ENOSPC) {
		err = ErrStorageFull
	}
	return sha, size, err
}

// DropScan removes the file of sha unless a dossier names it: a file kept
// for a change that then failed.
func (s *Store) DropScan(sha string) error {
	if !intake.ValidSHA256(sha) {
		return nil
	}
	s.scanMu.Lock()
	defer s.scanMu.Unlock()
	var named []string
	if err := s.db.View(func(tx *bbolt.Tx) (err error) { named, err = scansNamed(tx); return err }); err != nil {
		return err
	}
	if _, found := slices.BinarySearch(named, sha); found {
		return nil
	}
	if err := os.Remove(ScanPath(s.dir, sha)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

// sweepScans removes, at start, what uploads cut short left in scans/:
// temporaries, and files no dossier names (kept for a change that never
// committed). Nothing else is in the folder.
func (s *Store) sweepScans() error {
	dir := filepath.Join(s.dir, ScanDir)
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	var named []string
	if err := s.db.View(func(tx *bbolt.Tx) (err error) { named, err = scansNamed(tx); return err }); err != nil {
		return err
	}
	for _, e := range entries {
		name := e.Name()
		sha, isScan := strings.CutSuffix(name, ".pdf")
		_, kept := slices.BinarySearch(named, sha)
		switch {
		case strings.HasPrefix(name, uploadPrefix), isScan && intake.ValidSHA256(sha) && !kept:
			if err := os.Remove(filepath.Join(dir, name)); err != nil {
				return err
			}
			slog.Warn("an upload cut short is removed", "op", "store.scans", "file", name)
		}
	}
	return nil
}
