// Package scan turns papers into the PDFs a dossier keeps (số hóa hồ sơ,
// docs/SCANNING.md): a page from a SANE scanner (scanimage, which drives USB
// and network scanners of most makes) or a file a network scanner saved in a
// watched folder, each page JPEG-compressed at the office's settings, one PDF
// per document; and the checks the server makes of a PDF it is handed.
package scan

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	_ "image/png" // scanimage --format=png
	"os/exec"
	"strconv"
	"strings"

	"motcua/internal/problem"
	"motcua/internal/queue"
)

// Scanner is one SANE device as scanimage names it ("test" in the tests,
// "genesys:libusb:001:004" or "airscan:e0:Canon …" in an office); Args
// are passed on as they are (a device's own options).
type Scanner struct {
	Device  string
	Args    []string
	Command string // scanimage when empty
}

// maxPage bounds a page's pixels (A4 at 600 dpi is 35 M; a bigger answer is
// not a page).
const maxPage = 40_000_000

// Page scans one page at the settings and returns it decoded.
func (s Scanner) Page(ctx context.Context, cfg queue.ScanConfig) (image.Image, error) {
	cmd := s.Command
	if cmd == "" {
		cmd = "scanimage"
	}
	mode := "Gray"
	if cfg.Mode == "color" {
		mode = "Color"
	}
	args := []string{"--format=png", "--resolution", strconv.Itoa(cfg.DPI), "--mode", mode}
	if s.Device != "" {
		args = append([]string{"-d", s.Device}, args...)
	}
	args = append(args, s.Args...)
	var out, errOut bytes.Buffer
	c := exec.CommandContext(ctx, cmd, args...)
	c.Stdout, c.Stderr = &out, &errOut
	if err := c.Run(); err != nil {
		msg := strings.TrimSpace(errOut.String())
		var notFound *exec.Error
		if errors.As(err, &notFound) {
			return nil, problem.Errorf(problem.EConflict, "Chưa cài phần mềm quét (scanimage, gói sane-utils)", "the scanning program is not installed (scanimage, package sane-utils)")
		}
		return nil, problem.Errorf(problem.EConflict, "Máy quét không quét được: %s", "the scanner did not scan: %s", firstLine(msg, err))
	}
	return DecodePage(out.Bytes())
}

func firstLine(msg string, err error) string {
	if msg == "" {
		return err.Error()
	}
	line, _, _ := strings.Cut(msg, "\n")
	return line
}

// DecodePage decodes a scanned page (PNG or JPEG: scanimage's, or a file
// from a watched folder), refusing what is not a page-sized picture.
func DecodePage(data []byte) (image.Image, error) {
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, problem.Errorf(problem.EInvalid, "Trang quét không đọc được (không phải ảnh PNG/JPEG)", "the scanned page cannot be read (not a PNG/JPEG picture)")
	}
	if cfg.Width < 16 || cfg.Height < 16 || cfg.Width*cfg.Height > maxPage {
		return nil, problem.Errorf(problem.EInvalid, "Trang quét có kích thước lạ (%d×%d điểm ảnh)", "the scanned page has an odd size (%d×%d pixels)", cfg.Width, cfg.Height)
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, problem.Errorf(problem.EInvalid, "Trang quét hỏng: %v", "the scanned page is damaged: %v", err)
	}
	return img, nil
}

// JPEG compresses a page at the settings: grey pages as one channel.
func JPEG(img image.Image, cfg queue.ScanConfig) ([]byte, error) {
	if cfg.Mode != "color" {
		if _, ok := img.(*image.Gray); !ok {
			g := image.NewGray(img.Bounds())
			draw.Draw(g, g.Bounds(), img, img.Bounds().Min, draw.Src)
			img = g
		}
	} else if _, ok := img.ColorModel().(color.Palette); ok {
		rgba := image.NewRGBA(img.Bounds())
		draw.Draw(rgba, rgba.Bounds(), img, img.Bounds().Min, draw.Src)
		img = rgba
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: cfg.Quality}); err != nil {
		return nil, fmt.Errorf("compress page: %w", err)
	}
	return buf.Bytes(), nil
}
