package bolt

import (
	"archive/tar"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"motcua/internal/intake"
	"motcua/internal/queue"
)

var clerk = queue.Actor{Kind: queue.ActorClerk, ID: "lan"}

// scannedDossier stores a received dossier with its first paper scanned.
func scannedDossier(t *testing.T, s *Store, pdf string) (intake.Dossier, string) {
	t.Helper()
	d := sampleDossier()
	d.DueAt = d.ReceivedAt.AddDate(0, 0, 3)
	d.Documents = []intake.Document{{Name: "Tờ khai", Received: true}, {Name: "Giấy chứng sinh", Received: true}}
	d, err := s.CreateDossier(d)
	if err != nil {
		t.Fatal(err)
	}
	sha, _, err := s.ReceiveScan(strings.NewReader(pdf), io.Discard, func() error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	d, err = s.UpdateDossier(d.Code, clerk, "scan 1", func(x *intake.Dossier) error {
		return x.AttachScan(0, intake.Scan{SHA256: sha, Pages: 1, Bytes: int64(len(pdf)), At: d.ReceivedAt, By: "lan"})
	})
	if err != nil {
		t.Fatal(err)
	}
	return d, sha
}

// A scan is a file beside the store named by its hash; changing one byte of
// it, or removing it, fails verify (live and from the file).
func TestScanTamperingIsDetected(t *testing.T) {
	for _, c := range []struct {
		name, want string
		spoil      func(path string)
	}{
		{"one byte changed", "altered or replaced", func(path string) {
			b, _ := os.ReadFile(path)
			b[len(b)/2] ^= 1
			os.WriteFile(path, b, 0o600)
		}},
		{"removed", "missing", func(path string) { os.Remove(path) }},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			s := openDossiers(t, dir)
			_, sha := scannedDossier(t, s, "%PDF-1.4 a scanned page\n%%EOF\n")
			if _, err := s.Verify(); err != nil {
				t.Fatalf("untouched: %v", err)
			}
			c.spoil(ScanPath(dir, sha))
			if _, err := s.Verify(); err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("live verify after the file was %s: %v", c.name, err)
			}
			s.Close()
			if _, err := VerifyFile(filepath.Join(dir, FileName)); err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("verify of the data dir: %v", err)
			}
		})
	}
}

// A backup archive carries the scans: restored into another directory the
// store verifies with them there; a byte changed in the archive, or in its
// copy of the store, is refused.
func TestBackupArchiveCarriesScans(t *testing.T) {
	dir := t.TempDir()
	s := openDossiers(t, dir)
	pdf := "%PDF-1.4 giấy khai sinh\n%%EOF\n"
	d, sha := scannedDossier(t, s, pdf)
	out := filepath.Join(t.TempDir(), "backup.tar")
	if _, err := WriteAtomic(out, s.WriteArchive); err != nil {
		t.Fatal(err)
	}
	events, err := VerifyFile(out)
	if err != nil {
		t.Fatal(err)
	}
	elsewhere := filepath.Join(t.TempDir(), "data")
	if _, err := Restore(elsewhere, out, time.Now()); err != nil {
		t.Fatal(err)
	}
	if got, err := os.ReadFile(ScanPath(elsewhere, sha)); err != nil || string(got) != pdf {
		t.Fatalf("restored scan %q, %v", got, err)
	}
	if n, err := VerifyFile(filepath.Join(elsewhere, FileName)); err != nil || n != events {
		t.Fatalf("restored store: %d events, %v (backup %d)", n, err, events)
	}
	r := openDossiers(t, elsewhere)
	if got, ok, _ := r.Dossier(d.Code); !ok || got.Documents[0].Scan.SHA256 != sha {
		t.Fatalf("restored dossier %+v", got.Documents)
	}
	r.Close()

	// Restoring over a data dir keeps what was there aside, scans too.
	if kept, err := Restore(elsewhere, out, time.Now().Add(time.Second)); err != nil || kept == "" {
		t.Fatalf("second restore: kept %q, %v", kept, err)
	}
	if aside, _ := filepath.Glob(filepath.Join(elsewhere, ScanDir+".before-restore-*")); len(aside) != 1 {
		t.Errorf("scans set aside: %v", aside)
	}

	raw, _ := os.ReadFile(out)
	// The name is in the copy's dossier record (and maybe in freed pages).
	for name, word := range map[string]string{"a scan's byte": "giấy khai sinh", "the store's byte": "Nguyễn Thị Hoa"} {
		bad := []byte(strings.ReplaceAll(string(raw), word, string(word[0]^0x20)+word[1:])) // the first letter's case flipped
		path := filepath.Join(t.TempDir(), "bad.tar")
		os.WriteFile(path, bad, 0o600)
		if _, err := VerifyFile(path); err == nil {
			t.Errorf("%s changed: the archive verifies", name)
		}
		if _, err := Restore(t.TempDir(), path, time.Now()); err == nil {
			t.Errorf("%s changed: the archive restores", name)
		}
	}
}

// An archive holding one more scan than its dossiers name — correctly
// named, its content matching — fails verify, and restore refuses it the
// same: the data dir is left as it was.
func TestRestoreRefusesWhatVerifyRefuses(t *testing.T) {
	s := openDossiers(t, t.TempDir())
	scannedDossier(t, s, "%PDF-1.4 one\n%%EOF\n")
	var b bytes.Buffer
	if _, err := s.WriteArchive(&b); err != nil {
		t.Fatal(err)
	}
	// The archive again, with an extra entry appended before its end.
	in := tar.NewReader(&b)
	var out bytes.Buffer
	tw := tar.NewWriter(&out)
	for {
		h, err := in.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		tw.WriteHeader(h)
		io.Copy(tw, in)
	}
	extra := []byte("%PDF-1.4 not named by any dossier\n%%EOF\n")
	sum := sha256.Sum256(extra)
	tw.WriteHeader(&tar.Header{Name: ScanDir + "/" + hex.EncodeToString(sum[:]) + ".pdf", Mode: 0o600, Size: int64(len(extra)), Typeflag: tar.TypeReg})
	tw.Write(extra)
	tw.Close()
	path := filepath.Join(t.TempDir(), "extra.tar")
	os.WriteFile(path, out.Bytes(), 0o600)
	if _, err := VerifyFile(path); err == nil {
		t.Fatal("verify --file took the extra scan")
	}
	dir := t.TempDir()
	if _, err := Restore(dir, path, time.Now()); err == nil || !strings.Contains(err.Error(), "holds 2 scans, its dossiers name 1") {
		t.Errorf("restore: %v, want refused as verify refuses it", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("the refused restore left %v", entries)
	}
}

// Erasure after retention removes a dossier's scans once it is committed,
// but not a file another kept dossier names too; verify holds after.
func TestErasureRemovesScans(t *testing.T) {
	dir := t.TempDir()
	s := openDossiers(t, dir)
	d, sha := scannedDossier(t, s, "%PDF-1.4 one\n%%EOF\n")
	if _, err := s.UpdateDossier(d.Code, clerk, "status", func(x *intake.Dossier) error {
		if err := x.Move(intake.Ready, x.ReceivedAt.Add(time.Hour), "lan", ""); err != nil {
			return err
		}
		return x.Move(intake.Returned, x.ReceivedAt.Add(2*time.Hour), "lan", "")
	}); err != nil {
		t.Fatal(err)
	}
	_, shared := scannedDossier(t, s, "%PDF-1.4 two\n%%EOF\n")
	if _, err := s.UpdateDossier(d.Code, clerk, "x", func(x *intake.Dossier) error { return nil }); err != nil {
		t.Fatal(err)
	}
	// The returned dossier also names the kept one's file.
	s.UpdateDossier(d.Code, clerk, "scan 2", func(x *intake.Dossier) error {
		x.Documents[1].Scan = &intake.Scan{SHA256: shared, Bytes: 1}
		return nil
	})
	n, err := s.EraseDossiers(d.ReceivedAt.AddDate(1, 0, 0))
	if err != nil || n != 1 {
		t.Fatalf("erased %d, %v", n, err)
	}
	if _, err := os.Stat(ScanPath(dir, sha)); !os.IsNotExist(err) {
		t.Errorf("the erased dossier's scan is still there: %v", err)
	}
	if _, err := os.Stat(ScanPath(dir, shared)); err != nil {
		t.Errorf("a kept dossier's scan went: %v", err)
	}
	if got, _, _ := s.Dossier(d.Code); !got.Documents[0].Scan.Erased {
		t.Errorf("the record does not say the scan was erased: %+v", got.Documents[0].Scan)
	}
	if _, err := s.Verify(); err != nil {
		t.Fatal(err)
	}
}
