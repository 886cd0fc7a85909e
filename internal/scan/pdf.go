package scan

import (
	"bytes"
	"fmt"
	"image/jpeg"
	"regexp"

	"codeberg.org/go-pdf/fpdf"

	"motcua/internal/problem"
)

// PDF puts JPEG pages scanned at dpi into one PDF, a page each at its paper
// size (the JPEG is embedded as it is: no second compression).
func PDF(pages [][]byte, dpi int) ([]byte, error) {
	if len(pages) == 0 {
		return nil, problem.Errorf(problem.EInvalid, "Chưa quét trang nào", "no page scanned yet")
	}
	pdf := fpdf.NewCustom(&fpdf.InitType{UnitStr: "mm", Size: fpdf.SizeType{Wd: 210, Ht: 297}})
	pdf.SetCompression(false) // the pages are JPEG already
	pdf.SetCreator("motcua", true)
	for i, page := range pages {
		cfg, err := jpeg.DecodeConfig(bytes.NewReader(page))
		if err != nil {
			return nil, fmt.Errorf("page %d is not a JPEG: %w", i+1, err)
		}
		w, h := mm(cfg.Width, dpi), mm(cfg.Height, dpi)
		orient := "P"
		if w > h {
			orient = "L"
		}
		pdf.AddPageFormat(orient, fpdf.SizeType{Wd: w, Ht: h})
		name := fmt.Sprintf("p%d", i+1)
		pdf.RegisterImageOptionsReader(name, fpdf.ImageOptions{ImageType: "JPG"}, bytes.NewReader(page))
		pdf.ImageOptions(name, 0, 0, w, h, false, fpdf.ImageOptions{ImageType: "JPG"}, 0, "")
	}
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, fmt.Errorf("make the PDF: %w", err)
	}
	return buf.Bytes(), nil
}

func mm(px, dpi int) float64 { return float64(px) / float64(dpi) * 25.4 }

// MaxPDF bounds a stored file: a 60-page colour document at 300 dpi.
const MaxPDF = 64 << 20

var pageObject = regexp.MustCompile(`/Type\s*/Page[^s]`)

// Check tells whether data can be stored as a dossier's PDF: a PDF header,
// an end-of-file marker near its end, within MaxPDF. It returns the pages it
// counts (0 when they are in compressed object streams and cannot be
// counted without a full parser).
func Check(data []byte) (pages int, err error) {
	switch {
	case len(data) == 0:
		return 0, problem.Errorf(problem.EInvalid, "Tệp rỗng", "the file is empty")
	case len(data) > MaxPDF:
		return 0, problem.Errorf(problem.EInvalid, "Tệp lớn quá %d MB", "the file is larger than %d MB", MaxPDF>>20)
	case !bytes.HasPrefix(data, []byte("%PDF-")):
		return 0, problem.Errorf(problem.EInvalid, "Tệp không phải PDF", "the file is not a PDF")
	case !bytes.Contains(data[max(0, len(data)-1024):], []byte("%%EOF")):
		return 0, problem.Errorf(problem.EInvalid, "Tệp PDF không trọn (thiếu phần cuối)", "the PDF is incomplete (no end marker)")
	}
	return len(pageObject.FindAllIndex(data, -1)), nil
}
