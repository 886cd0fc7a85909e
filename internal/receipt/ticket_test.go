package receipt

import (
	"bytes"
	"context"
	"flag"
	"image"
	"image/png"
	"io"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"

	"motcua/internal/escpos"
)

var update = flag.Bool("update", false, "rewrite the golden images in testdata/")

func sampleTicket() Ticket {
	return Ticket{
		Office:   "Trung tâm Phục vụ hành chính công phường Hòa Bình",
		Number:   "1023",
		Service:  "Hộ tịch",
		Priority: "Người cao tuổi (từ 60 tuổi)",
		Counters: []int{1, 2, 3},
		Ahead:    4,
		ETA:      18,
		IssuedAt: time.Date(2026, 11, 23, 8, 42, 0, 0, time.FixedZone("ICT", 7*3600)),
		URL:      "http://192.168.1.10:8080/t/019ab2c3d4e5f60718293a4b5c6d7e8f",
		Checklist: []string{
			"Tờ khai đăng ký khai sinh theo mẫu (1 bản chính)",
			"Giấy chứng sinh do cơ sở y tế cấp (1 bản chính)",
		},
	}
}

func readQR(t *testing.T, img image.Image) string {
	t.Helper()
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := qrcode.NewQRCodeReader().Decode(bmp, nil)
	if err != nil {
		t.Fatalf("no QR readable in the ticket: %v", err)
	}
	return res.GetText()
}

// TestPrintedTicketRoundTrip renders a ticket, sends it as ESC/POS raster to a
// fake printer on 127.0.0.1, decodes the bytes it received back into an image,
// and reads the QR from that image: it must be the ticket's URL.
func TestPrintedTicketRoundTrip(t *testing.T) {
	tk := sampleTicket()
	img, err := Render(tk, Width80mm)
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != Width80mm || b.Dy() < 600 {
		t.Fatalf("ticket image %v", b)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	received := make(chan []byte, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		b, _ := io.ReadAll(c) // a printer that answers no status
		received <- b
	}()
	if err := (escpos.TCP{Addr: ln.Addr().String(), Timeout: 300 * time.Millisecond}).Print(context.Background(), escpos.Raster(img)); err != nil {
		t.Fatal(err)
	}
	var job []byte
	select {
	case job = <-received:
	case <-time.After(5 * time.Second):
		t.Fatal("printer received nothing")
	}
	// The status questions (DLE EOT) precede the job on the wire.
	job = bytes.TrimLeft(job, "\x10\x04\x02")
	for bytes.HasPrefix(job, []byte{0x10, 0x04}) {
		job = job[3:]
	}
	printed, err := escpos.Decode(job)
	if err != nil {
		t.Fatal(err)
	}
	if got := readQR(t, printed); got != tk.URL {
		t.Errorf("QR on the printed ticket = %q, want %q", got, tk.URL)
	}
}

// TestTicketGolden compares the rendered ticket with testdata/ticket.png pixel by
// pixel (go test -update rewrites it; look at it before committing).
func TestTicketGolden(t *testing.T) {
	img, err := Render(sampleTicket(), Width80mm)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", "ticket.png")
	if *update {
		os.MkdirAll("testdata", 0o755)
		var buf bytes.Buffer
		png.Encode(&buf, img)
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("golden image missing (run go test -update): %v", err)
	}
	defer f.Close()
	want, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	if want.Bounds() != img.Bounds() {
		t.Fatalf("size %v, golden %v", img.Bounds(), want.Bounds())
	}
	diff := 0
	for y := 0; y < img.Bounds().Dy(); y++ {
		for x := 0; x < img.Bounds().Dx(); x++ {
			r, _, _, _ := want.At(x, y).RGBA()
			if uint8(r>>8) != img.GrayAt(x, y).Y {
				diff++
			}
		}
	}
	if diff > 0 {
		t.Errorf("%d pixels differ from %s", diff, path)
	}
}

func TestNarrowTicketAndLongChecklist(t *testing.T) {
	tk := sampleTicket()
	for range 200 {
		tk.Checklist = append(tk.Checklist, "Bản sao giấy tờ tùy thân có ảnh của người đi đăng ký")
	}
	img, err := Render(tk, 384)
	if err != nil {
		t.Fatal(err)
	}
	if img.Bounds().Dx() != 384 || img.Bounds().Dy() < 4000 {
		t.Errorf("58 mm ticket with a long checklist: %v", img.Bounds())
	}
	short := sampleTicket()
	short.Checklist = nil
	narrow, err := Render(short, 384)
	if err != nil {
		t.Fatal(err)
	}
	if got := readQR(t, narrow); got != tk.URL {
		t.Errorf("QR on the 58 mm ticket = %q", got)
	}
	if _, err := Render(tk, 100); err == nil {
		t.Error("a 100 px ticket was drawn")
	}
}
