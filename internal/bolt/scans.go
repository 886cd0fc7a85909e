package bolt

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"

	bbolt "go.etcd.io/bbolt"

	"motcua/internal/intake"
	"motcua/internal/problem"
)

// Scans are the dossiers' files (intake.Scan): PDFs in the data directory's
// scans/, each named by its SHA-256, never in bbolt. A file is written and
// synced before the change naming it is committed, so no record names a file
// that is not there; the record (and so the chain) holds the hash, so Verify
// finds a replaced or altered file; backups carry the files a copy's records
// name (archive.go); retention erasure removes them after the record saying
// so is committed.

// ScanDir is the scans' folder in the data directory.
const ScanDir = "scans"

// ScanPath is where the file of sha lives under the data directory dir.
func ScanPath(dir, sha string) string { return filepath.Join(dir, ScanDir, sha+".pdf") }

// OpenScan opens the stored file of sha.
func (s *Store) OpenScan(sha string) (io.ReadSeekCloser, error) {
	if !intake.ValidSHA256(sha) {
		return nil, problem.Errorf(problem.ENotFound, "Không có tệp quét này", "no such scan")
	}
	f, err := os.Open(ScanPath(s.dir, sha))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, problem.Errorf(problem.ENotFound, "Không có tệp quét này", "no such scan")
	}
	if err != nil {
		return nil, err
	}
	return f, nil
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// scansNamed are the files the stored dossiers name (erased ones left out),
// sorted: what a backup carries and what verify checks.
func scansNamed(tx *bbolt.Tx) ([]string, error) {
	set := map[string]bool{}
	b := tx.Bucket(bDossiers)
	if b == nil {
		return nil, nil
	}
	err := b.ForEach(func(k, v []byte) error {
		var d intake.Dossier
		if err := json.Unmarshal(v, &d); err != nil {
			return fmt.Errorf("dossier %s: %w", k, err)
		}
		for _, sc := range d.Scans() {
			set[sc.SHA256] = true
		}
		return nil
	})
	out := make([]string, 0, len(set))
	for sha := range set {
		out = append(out, sha)
	}
	slices.Sort(out)
	return out, err
}

// hashFile is the hex SHA-256 of the file at path.
func hashFile(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// checkScansIn is a verify step: every file the records name is in dir's
// scans/ with the content its name says.
func checkScansIn(dir string) func(tx *bbolt.Tx) error {
	return func(tx *bbolt.Tx) error {
		named, err := scansNamed(tx)
		if err != nil {
			return err
		}
		for _, sha := range named {
			got, err := hashFile(ScanPath(dir, sha))
			switch {
			case errors.Is(err, fs.ErrNotExist):
				return fmt.Errorf("scan %s is named by a dossier but missing from %s (removed)", sha, filepath.Join(dir, ScanDir))
			case err != nil:
				return fmt.Errorf("scan %s: %w", sha, err)
			case got != sha:
				return fmt.Errorf("scan %s does not match its hash on the chain (altered or replaced)", sha)
			}
		}
		return nil
	}
}

// removeErasedScans deletes the files of erased dossiers that no kept
// dossier still names (the same paper can be in two dossiers), after the
// erasure is committed; a backup being written holds the files until done.
func (s *Store) removeErasedScans(erased []string) error {
	if len(erased) == 0 {
		return nil
	}
	s.scanMu.Lock()
	defer s.scanMu.Unlock()
	var kept []string
	if err := s.db.View(func(tx *bbolt.Tx) (err error) { kept, err = scansNamed(tx); return err }); err != nil {
		return err
	}
	var errs []error
	for _, sha := range erased {
		if _, found := slices.BinarySearch(kept, sha); found {
			continue
		}
		if err := os.Remove(ScanPath(s.dir, sha)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
