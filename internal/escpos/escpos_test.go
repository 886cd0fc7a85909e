package escpos

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"io"
	"net"
	"os"
	"testing"
	"time"
)

func testImage(w, h int) *image.Gray {
	img := image.NewGray(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			v := uint8(255)
			if (x*7+y*13)%5 == 0 || x == y {
				v = 0
			}
			img.SetGray(x, y, color.Gray{Y: v})
		}
	}
	return img
}

func TestRasterRoundTrip(t *testing.T) {
	for _, size := range []image.Point{{576, 700}, {384, 256}, {301, 1}} {
		img := testImage(size.X, size.Y)
		job := Raster(img)
		if !bytes.HasPrefix(job, []byte{0x1b, 0x40}) || !bytes.HasSuffix(job, []byte{0x1d, 0x56, 66, 0}) {
			t.Fatalf("%v: job does not start with ESC @ and end with a cut", size)
		}
		bands := bytes.Count(job, []byte{0x1d, 0x76, 0x30, 0})
		if want := (size.Y + bandRows - 1) / bandRows; bands < want {
			t.Errorf("%v: %d raster blocks, want %d", size, bands, want)
		}
		got, err := Decode(job)
		if err != nil {
			t.Fatal(err)
		}
		for y := range size.Y {
			for x := range size.X {
				if got.GrayAt(x, y).Y != img.GrayAt(x, y).Y {
					t.Fatalf("%v: pixel %d,%d differs", size, x, y)
				}
			}
		}
		for x := size.X; x < got.Bounds().Dx(); x++ { // padding to a whole byte stays white
			if got.GrayAt(x, 0).Y != 255 {
				t.Fatalf("%v: padding pixel %d is black", size, x)
			}
		}
	}
}

func TestDecodeRejectsGarbage(t *testing.T) {
	for name, job := range map[string][]byte{
		"empty":     nil,
		"text":      []byte("hello"),
		"truncated": Raster(testImage(64, 10))[:40],
		"no image":  {0x1b, 0x40},
	} {
		if _, err := Decode(job); err == nil {
			t.Errorf("%s: decoded", name)
		}
	}
}

func FuzzDecode(f *testing.F) {
	f.Add(Raster(testImage(16, 3)))
	f.Add([]byte{0x1d, 0x76, 0x30, 0, 0xff, 0xff, 0xff, 0xff})
	f.Fuzz(func(t *testing.T, job []byte) {
		img, err := Decode(job)
		if err == nil && img.Bounds().Empty() {
			t.Fatal("decoded an empty image without error")
		}
	})
}

// fakePrinter listens on loopback, answers real-time status with the given bytes
// (or not at all when answer is false) and keeps what it was sent.
type fakePrinter struct {
	ln       net.Listener
	answer   bool
	cause    byte // DLE EOT 2 answer
	paper    byte // DLE EOT 4 answer
	received chan []byte
}

func newFakePrinter(t *testing.T, answer bool, cause, paper byte) *fakePrinter {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &fakePrinter{ln: ln, answer: answer, cause: cause, paper: paper, received: make(chan []byte, 4)}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go p.serve(c)
		}
	}()
	return p
}

func (p *fakePrinter) serve(c net.Conn) {
	defer c.Close()
	var got bytes.Buffer
	buf := make([]byte, 4096)
	for {
		n, err := c.Read(buf)
		chunk := buf[:n]
		for len(chunk) >= 3 && chunk[0] == 0x10 && chunk[1] == 0x04 {
			if p.answer {
				c.Write([]byte{map[byte]byte{2: p.cause, 4: p.paper}[chunk[2]]})
			}
			chunk = chunk[3:]
		}
		got.Write(chunk)
		if err == io.EOF || err != nil {
			p.received <- got.Bytes()
			return
		}
	}
}

func TestTCPPrinter(t *testing.T) {
	job := Raster(testImage(576, 300))
	ctx := context.Background()
	ok := newFakePrinter(t, true, 0x12, 0x12)
	if err := (TCP{Addr: ok.ln.Addr().String()}).Print(ctx, job); err != nil {
		t.Fatal(err)
	}
	if got := <-ok.received; !bytes.Equal(got, job) {
		t.Errorf("printer received %d bytes, want the %d-byte job", len(got), len(job))
	}
	mute := newFakePrinter(t, false, 0, 0)
	if err := (TCP{Addr: mute.ln.Addr().String(), Timeout: 200 * time.Millisecond}).Print(ctx, job); err != nil {
		t.Errorf("a printer that does not answer status: %v", err)
	}
	for name, tc := range map[string]struct {
		cause, paper byte
		want         error
	}{"paper out": {0x12, 0x72, ErrPaperOut}, "cover open": {0x16, 0x12, ErrCoverOpen}} {
		p := newFakePrinter(t, true, tc.cause, tc.paper)
		if err := (TCP{Addr: p.ln.Addr().String()}).Print(ctx, job); !errors.Is(err, tc.want) {
			t.Errorf("%s: got %v, want %v", name, err, tc.want)
		}
	}
	closed := newFakePrinter(t, true, 0, 0)
	addr := closed.ln.Addr().String()
	closed.ln.Close()
	if err := (TCP{Addr: addr, Timeout: time.Second}).Print(ctx, job); !errors.Is(err, ErrOffline) || !IsPrinterError(err) {
		t.Errorf("no printer: got %v, want offline", err)
	}
}

func TestDevicePrinter(t *testing.T) {
	path := t.TempDir() + "/lp0"
	job := Raster(testImage(64, 8))
	// A plain file stands in for /dev/usb/lp0; a missing one is offline.
	if err := (Device{Path: path + "-missing/x"}).Print(context.Background(), job); !errors.Is(err, ErrOffline) {
		t.Errorf("missing device: %v", err)
	}
	if err := writeEmpty(path); err != nil {
		t.Fatal(err)
	}
	if err := (Device{Path: path}).Print(context.Background(), job); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(path); !bytes.Equal(got, job) {
		t.Errorf("device got %d bytes, want %d", len(got), len(job))
	}
}

func writeEmpty(path string) error { return os.WriteFile(path, nil, 0o600) }
