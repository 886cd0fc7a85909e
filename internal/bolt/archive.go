package bolt

import (
	"archive/tar"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	bbolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"motcua/internal/intake"
)

// A backup is a tar archive (docs/OPERATIONS.md, "Backups"): first
// motcua.db, a consistent copy of the store taken in one read transaction,
// then scans/<sha256>.pdf for every file that copy's dossiers name, in hash
// order. Verifying one checks the copy's chain and every file's content
// against its name, and that the files are exactly the ones named. A bare
// bbolt file (the backups of earlier versions, and the copy kept before a
// migration) is still read by VerifyFile and Restore.

// WriteArchive writes a backup of the store and its scans to w while the
// store keeps serving; erasure waits to remove files until it is done. It
// returns the bytes written.
func (s *Store) WriteArchive(w io.Writer) (int64, error) {
	s.scanMu.RLock()
	defer s.scanMu.RUnlock()
	return writeArchive(s.db, s.dir, w)
}

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

func writeArchive(db *bbolt.DB, dir string, out io.Writer) (int64, error) {
	cw := &countingWriter{w: out}
	tw := tar.NewWriter(cw)
	now := time.Now()
	err := db.View(func(tx *bbolt.Tx) error {
		if err := tw.WriteHeader(&tar.Header{Name: FileName, Mode: 0o600, Size: tx.Size(), ModTime: now, Typeflag: tar.TypeReg}); err != nil {
			return err
		}
		if _, err := tx.WriteTo(tw); err != nil {
			return err
		}
		named, err := scansNamed(tx)
		if err != nil {
			return err
		}
		for _, sha := range named {
			if err := addFile(tw, ScanPath(dir, sha), ScanDir+"/"+sha+".pdf"); err != nil {
				return fmt.Errorf("scan %s: %w", sha, err)
			}
		}
		return nil
	})
	if err == nil {
		err = tw.Close()
	}
	return cw.n, err
}

func addFile(tw *tar.Writer, path, name string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o600, Size: st.Size(), ModTime: st.ModTime(), Typeflag: tar.TypeReg}); err != nil {
		return err
	}
	_, err = io.CopyN(tw, f, st.Size())
	return err
}

// IsArchive reports whether the file at path is a backup archive (else it
// is taken for a bare bbolt file).
func IsArchive(path string) (bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return false, err
	}
	defer f.Close()
	head := make([]byte, 512)
	n, _ := io.ReadFull(f, head)
	return n == 512 && bytes.Equal(head[257:262], []byte("ustar")), nil
}

// extractArchive writes the archive at path into dir (motcua.db, and the
// scans/ when withScans), checking each scan's content against its name as
// it goes, and returns the scans it held. Verifying reads the scans without
// writing them: a year of them need not fit a temporary folder.
func extractArchive(path, dir string, withScans bool) (map[string]bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	tr := tar.NewReader(f)
	scans := map[string]bool{}
	for i := 0; ; i++ {
		h, err := tr.Next()
		if err == io.EOF {
			if i == 0 {
				return nil, fmt.Errorf("%s is an empty archive", path)
			}
			return scans, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: not a readable backup archive: %w", path, err)
		}
		if i == 0 {
			if h.Name != FileName || h.Typeflag != tar.TypeReg {
				return nil, fmt.Errorf("%s: the archive starts with %q, not %s: not a motcua backup", path, h.Name, FileName)
			}
			if _, err := WriteAtomic(filepath.Join(dir, FileName), func(w io.Writer) (int64, error) { return io.Copy(w, tr) }); err != nil {
				return nil, err
			}
			continue
		}
		sha, ok := strings.CutPrefix(h.Name, ScanDir+"/")
		sha, ok2 := strings.CutSuffix(sha, ".pdf")
		if !ok || !ok2 || !intake.ValidSHA256(sha) || h.Typeflag != tar.TypeReg || scans[sha] {
			return nil, fmt.Errorf("%s: unexpected entry %q in the archive", path, h.Name)
		}
		hash := sha256.New()
		if withScans {
			if err := os.MkdirAll(filepath.Join(dir, ScanDir), 0o700); err != nil {
				return nil, err
			}
			if _, err := WriteAtomic(ScanPath(dir, sha), func(w io.Writer) (int64, error) {
				return io.Copy(io.MultiWriter(w, hash), tr)
			}); err != nil {
				return nil, err
			}
		} else if _, err := io.Copy(hash, tr); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		if hex.EncodeToString(hash.Sum(nil)) != sha {
			return nil, fmt.Errorf("%s: scan %s in the archive does not match its name (altered)", path, sha)
		}
		scans[sha] = true
	}
}

// verifyArchive unpacks the archive's store into a temporary directory and
// checks it there: the chain, the scans (each hashed as it is read) against
// the records, and no file the records do not name.
func verifyArchive(path string) (uint64, error) {
	tmp, err := os.MkdirTemp("", "motcua-verify-*")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(tmp)
	held, err := extractArchive(path, tmp, false)
	if err != nil {
		return 0, err
	}
	return verifyDB(filepath.Join(tmp, FileName), heldAsNamed(path, held))
}

// heldAsNamed is a verify step for an archive's store: the scans it held
// are exactly those its dossiers name — none missing, none more.
func heldAsNamed(path string, held map[string]bool) func(tx *bbolt.Tx) error {
	return func(tx *bbolt.Tx) error {
		named, err := scansNamed(tx)
		if err != nil {
			return err
		}
		for _, sha := range named {
			if !held[sha] {
				return fmt.Errorf("scan %s is named by a dossier but missing from %s (removed)", sha, path)
			}
		}
		if len(named) != len(held) {
			return fmt.Errorf("%s holds %d scans, its dossiers name %d", path, len(held), len(named))
		}
		return nil
	}
}

// Restoring an archive: unpacked beside the data (dir/.restore-<time>),
// verified there, then the current store and scans moved aside and the
// restored ones moved in.
func restoreArchive(dir, from string, now time.Time) (kept string, err error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	stage := filepath.Join(dir, ".restore-"+now.Format("20060102-150405"))
	if err := os.Mkdir(stage, 0o700); err != nil {
		return "", err
	}
	defer os.RemoveAll(stage)
	held, err := extractArchive(from, stage, true)
	if err != nil {
		return "", fmt.Errorf("backup rejected: %w", err)
	}
	// What verify --file checks of the archive, on what is unpacked: the
	// chain, each scan against the records, and no file they do not name.
	if _, err := verifyDB(filepath.Join(stage, FileName), checkScansIn(stage), heldAsNamed(from, held)); err != nil {
		return "", fmt.Errorf("backup rejected: %w", err)
	}
	kept, err = setAside(dir, now)
	if err != nil {
		return "", err
	}
	scans := filepath.Join(dir, ScanDir)
	if _, err := os.Stat(scans); err == nil {
		if err := os.Rename(scans, scans+".before-restore-"+now.Format("20060102-150405")); err != nil {
			return kept, err
		}
	}
	if _, err := os.Stat(filepath.Join(stage, ScanDir)); err == nil {
		if err := os.Rename(filepath.Join(stage, ScanDir), scans); err != nil {
			return kept, err
		}
	}
	if err := os.Rename(filepath.Join(stage, FileName), filepath.Join(dir, FileName)); err != nil {
		return kept, err
	}
	return kept, syncDir(dir)
}

// setAside moves the store in dir to motcua.db.before-restore-<time>, once
// its lock proves no server runs on it; "" when there is none.
func setAside(dir string, now time.Time) (string, error) {
	dst := filepath.Join(dir, FileName)
	if _, err := os.Stat(dst); err != nil {
		return "", nil
	}
	db, err := bbolt.Open(dst, 0o600, &bbolt.Options{Timeout: time.Second})
	if errors.Is(err, berrors.ErrTimeout) {
		return "", ErrLocked
	}
	if err == nil {
		db.Close()
	}
	kept := dst + ".before-restore-" + now.Format("20060102-150405")
	return kept, os.Rename(dst, kept)
}
