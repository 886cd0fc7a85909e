package printout

import (
	"bytes"
	"compress/zlib"
	"context"
	"errors"
	"image"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
	"time"

	"motcua/internal/escpos"
)

func sample() *image.Gray {
	img := image.NewGray(image.Rect(0, 0, 40, 30))
	for i := range img.Pix {
		img.Pix[i] = byte(i * 7)
	}
	return img
}

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		spec string
		want Printer
	}{
		{"", nil},
		{"tcp://10.0.0.9:9100", Thermal{Port: escpos.TCP{Addr: "10.0.0.9:9100"}}},
		{"tcp://may-in", Thermal{Port: escpos.TCP{Addr: "may-in:9100"}}},
		{"/dev/usb/lp0", Thermal{Port: escpos.Device{Path: "/dev/usb/lp0"}}},
		{"png:/srv/phieu", Folder{Dir: "/srv/phieu", Format: "png"}},
		{"pdf:phieu", Folder{Dir: "phieu", Format: "pdf"}},
	} {
		got, err := Parse(tc.spec)
		if err != nil || got != tc.want {
			t.Errorf("Parse(%q) = %#v, %v; want %#v", tc.spec, got, err, tc.want)
		}
	}
	for _, bad := range []string{"lp0", "png:", "http://x", "COM1"} {
		if _, err := Parse(bad); err == nil {
			t.Errorf("Parse(%q) accepted", bad)
		}
	}
}

func TestFolderPNG(t *testing.T) {
	dir := t.TempDir()
	if err := (Folder{Dir: dir, Format: "png"}).Print(context.Background(), sample()); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	if len(files) != 1 || filepath.Ext(files[0]) != ".png" {
		t.Fatalf("files %v", files)
	}
	f, _ := os.Open(files[0])
	defer f.Close()
	got, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.(*image.Gray).Pix, sample().Pix) {
		t.Fatal("saved PNG differs from the ticket")
	}
	err = (Folder{Dir: filepath.Join(dir, "missing"), Format: "png"}).Print(context.Background(), sample())
	if !errors.Is(err, ErrSave) || !IsTrouble(err) {
		t.Fatalf("a missing folder: %v", err)
	}
}

// The PDF is checked the way a reader opens it: the xref offsets land on their
// objects, and the image stream inflates back to the ticket's pixels.
func TestFolderPDF(t *testing.T) {
	dir := t.TempDir()
	if err := (Folder{Dir: dir, Format: "pdf"}).Print(context.Background(), sample()); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.pdf"))
	if len(files) != 1 {
		t.Fatalf("files %v", files)
	}
	pdf, _ := os.ReadFile(files[0])
	m := regexp.MustCompile(`startxref\n(\d+)\n%%EOF\n$`).FindSubmatch(pdf)
	if m == nil {
		t.Fatal("no startxref at the end")
	}
	xref, _ := strconv.Atoi(string(m[1]))
	entries := regexp.MustCompile(`(\d{10}) 00000 n `).FindAllSubmatch(pdf[xref:], -1)
	if len(entries) != 5 {
		t.Fatalf("%d xref entries", len(entries))
	}
	for i, e := range entries {
		off, _ := strconv.Atoi(string(e[1]))
		if want := strconv.Itoa(i+1) + " 0 obj"; !bytes.HasPrefix(pdf[off:], []byte(want)) {
			t.Fatalf("xref entry %d points at %q", i+1, pdf[off:off+10])
		}
	}
	if !bytes.Contains(pdf, []byte("/MediaBox [0 0 14.19 10.64]")) {
		t.Error("page is not the image's size at 203 dpi")
	}
	img := pdf[bytes.Index(pdf, []byte("5 0 obj")):]
	start := bytes.Index(img, []byte("stream\n")) + len("stream\n")
	end := bytes.Index(img, []byte("\nendstream"))
	r, err := zlib.NewReader(bytes.NewReader(img[start:end]))
	if err != nil {
		t.Fatal(err)
	}
	pix, _ := io.ReadAll(r)
	if !bytes.Equal(pix, sample().Pix) {
		t.Fatal("the PDF's image differs from the ticket")
	}
}

func TestThermal(t *testing.T) {
	path := filepath.Join(t.TempDir(), "lp0")
	os.WriteFile(path, nil, 0o600)
	if err := (Thermal{Port: escpos.Device{Path: path}}).Print(context.Background(), sample()); err != nil {
		t.Fatal(err)
	}
	job, _ := os.ReadFile(path)
	got, err := escpos.Decode(job)
	if err != nil || got.Bounds().Dx() != 40 {
		t.Fatalf("decoded %v %v", got, err)
	}
}

// A ticket's file is named by the time on its paper (the office's zone),
// not the PC's clock in its own zone: a kiosk PC on UTC names 03:17 on
// 7 December as the ticket says it.
func TestFolderNamesByTheTicketsTime(t *testing.T) {
	dir := t.TempDir()
	loc, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	issued := time.Date(2026, 12, 7, 3, 17, 5, 0, loc)
	if err := (Folder{Dir: dir, Format: "png"}).Print(At(context.Background(), issued), sample()); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "phieu-20261207-031705-*.png"))
	if len(files) != 1 {
		all, _ := filepath.Glob(filepath.Join(dir, "*"))
		t.Errorf("files %v, want phieu-20261207-031705-N.png", all)
	}
}
