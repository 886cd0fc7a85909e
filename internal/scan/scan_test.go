package scan_test

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"motcua/internal/queue"
	"motcua/internal/scan"
	"motcua/internal/scan/scantest"
)

var settings = queue.ScanConfig{DPI: 100, Mode: "gray", Quality: 60}

// Two pages from a real SANE scanner end up as one PDF of two pages, as
// pdfinfo reads it.
func TestScannerToPDF(t *testing.T) {
	s := scantest.Scanner(t)
	var pages [][]byte
	for range 2 {
		img, err := s.Page(context.Background(), settings)
		if err != nil {
			t.Fatal(err)
		}
		if _, grey := img.(*image.Gray); !grey {
			t.Errorf("a grey scan decoded as %T", img)
		}
		jpg, err := scan.JPEG(img, settings)
		if err != nil {
			t.Fatal(err)
		}
		pages = append(pages, jpg)
	}
	pdf, err := scan.PDF(pages, settings.DPI)
	if err != nil {
		t.Fatal(err)
	}
	if n, err := scan.Check(pdf); err != nil || n != 2 {
		t.Fatalf("Check: %d pages, %v", n, err)
	}
	path := filepath.Join(t.TempDir(), "doc.pdf")
	os.WriteFile(path, pdf, 0o600)
	out, err := exec.Command("pdfinfo", path).CombinedOutput()
	if err != nil {
		t.Fatalf("pdfinfo: %v\n%s", err, out)
	}
	if !regexp.MustCompile(`Pages:\s+2\n`).Match(out) {
		t.Errorf("pdfinfo:\n%s", out)
	}
	// The test backend's page is 80 × 100 mm: the PDF's page is too.
	if !strings.Contains(string(out), "Page size:") || !strings.Contains(string(out), "226.") {
		t.Errorf("page size not the scan's:\n%s", out)
	}
}

func TestScannerErrors(t *testing.T) {
	scantest.Scanner(t)
	_, err := scan.Scanner{Device: "nosuch"}.Page(context.Background(), settings)
	if err == nil || !strings.Contains(err.Error(), "Máy quét không quét được") {
		t.Errorf("a missing device: %v", err)
	}
	_, err = scan.Scanner{Command: "no-such-scanimage"}.Page(context.Background(), settings)
	if err == nil || !strings.Contains(err.Error(), "sane-utils") {
		t.Errorf("no scanimage: %v", err)
	}
}

func TestCheck(t *testing.T) {
	for _, c := range []struct {
		name, data, want string
	}{
		{"empty", "", "rỗng"},
		{"not a PDF", "<html>%%EOF", "không phải PDF"},
		{"cut short", "%PDF-1.4\n1 0 obj", "không trọn"},
	} {
		if _, err := scan.Check([]byte(c.data)); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v", c.name, err)
		}
	}
	if _, err := scan.Check(append([]byte("%PDF-1.4"), make([]byte, scan.MaxPDF)...)); err == nil {
		t.Error("an oversized file passed")
	}
}

func TestFolder(t *testing.T) {
	dir := t.TempDir()
	img := image.NewGray(image.Rect(0, 0, 40, 50))
	img.Set(3, 3, color.White)
	var b bytes.Buffer
	png.Encode(&b, img)
	now := time.Now()
	os.WriteFile(filepath.Join(dir, "old.png"), b.Bytes(), 0o644)
	os.Chtimes(filepath.Join(dir, "old.png"), now.Add(-time.Hour), now.Add(-time.Hour))
	os.WriteFile(filepath.Join(dir, "new.PDF"), []byte("%PDF-1.4\n%%EOF"), 0o644)
	os.Chtimes(filepath.Join(dir, "new.PDF"), now.Add(-time.Minute), now.Add(-time.Minute))
	os.WriteFile(filepath.Join(dir, "writing.pdf"), []byte("%PDF"), 0o644) // just now: still being written
	os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("x"), 0o644)
	f := scan.Folder(dir)
	files, err := f.Waiting(now)
	if err != nil || len(files) != 2 || files[0].Name != "new.PDF" || !files[0].PDF || files[1].PDF {
		t.Fatalf("waiting %+v, %v", files, err)
	}
	if _, err := scan.DecodePage(b.Bytes()); err != nil {
		t.Error(err)
	}
	if err := f.Take(files[0]); err != nil {
		t.Fatal(err)
	}
	if files, _ := f.Waiting(now); len(files) != 1 {
		t.Errorf("after taking one: %+v", files)
	}
	if _, err := os.Stat(filepath.Join(dir, scan.Taken, "new.PDF")); err != nil {
		t.Error(err)
	}
	if _, err := scan.Folder(filepath.Join(dir, "none")).Waiting(now); err == nil {
		t.Error("a missing folder listed")
	}
}

// Decoders of outside input (a scanner's page, an uploaded PDF) never panic.
func FuzzCheck(f *testing.F) {
	f.Add([]byte("%PDF-1.4\n/Type /Page \n%%EOF"))
	f.Add([]byte("%PDF-"))
	f.Fuzz(func(t *testing.T, data []byte) { scan.Check(data) })
}

func FuzzDecodePage(f *testing.F) {
	var b bytes.Buffer
	png.Encode(&b, image.NewGray(image.Rect(0, 0, 20, 20)))
	f.Add(b.Bytes())
	f.Fuzz(func(t *testing.T, data []byte) { scan.DecodePage(data) })
}
