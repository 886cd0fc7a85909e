package printout

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"image"
	"io"
)

// dpi is a thermal printer's resolution: 576 dots are 72 mm of an 80 mm roll.
const dpi = 203

// writePDF writes img as a one-page PDF, the page exactly the image's size at
// the printer's resolution, the pixels as a Flate-compressed grey image. A
// ticket is one picture, so a page object, its content and the image are all
// there is to it.
func writePDF(w io.Writer, img *image.Gray) error {
	b := img.Bounds()
	var pix bytes.Buffer
	z := zlib.NewWriter(&pix)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		off := img.PixOffset(b.Min.X, y)
		z.Write(img.Pix[off : off+b.Dx()])
	}
	if err := z.Close(); err != nil {
		return err
	}
	wpt, hpt := float64(b.Dx())*72/dpi, float64(b.Dy())*72/dpi
	content := fmt.Sprintf("q %.2f 0 0 %.2f 0 0 cm /Im0 Do Q", wpt, hpt)

	var out bytes.Buffer
	var offsets []int
	obj := func(body string, stream []byte) {
		offsets = append(offsets, out.Len())
		fmt.Fprintf(&out, "%d 0 obj\n%s\n", len(offsets), body)
		if stream != nil {
			out.WriteString("stream\n")
			out.Write(stream)
			out.WriteString("\nendstream\n")
		}
		out.WriteString("endobj\n")
	}
	out.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	obj("<< /Type /Catalog /Pages 2 0 R >>", nil)
	obj("<< /Type /Pages /Kids [3 0 R] /Count 1 >>", nil)
	obj(fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %.2f %.2f] /Resources << /XObject << /Im0 5 0 R >> >> /Contents 4 0 R >>", wpt, hpt), nil)
	obj(fmt.Sprintf("<< /Length %d >>", len(content)), []byte(content))
	obj(fmt.Sprintf("<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode /Length %d >>",
		b.Dx(), b.Dy(), pix.Len()), pix.Bytes())
	xref := out.Len()
	fmt.Fprintf(&out, "xref\n0 %d\n0000000000 65535 f \n", len(offsets)+1)
	for _, o := range offsets {
		fmt.Fprintf(&out, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&out, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(offsets)+1, xref)
	_, err := w.Write(out.Bytes())
	return err
}
