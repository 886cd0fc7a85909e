package receipt

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"strings"
	"sync"
	"time"

	"motcua/assets"

	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// Ticket is what a printed queue ticket shows. Text is Vietnamese; it is drawn as
// an image so every diacritic prints on any thermal printer (no code pages).
type Ticket struct {
	Office    string
	Number    string // as displayed, e.g. "1023" or "A023"
	Service   string
	Priority  string // the priority class's name, empty for none
	Counters  []int
	Ahead     int
	ETA       int // minutes
	IssuedAt  time.Time
	URL       string   // the ticket's page, encoded in the QR
	Checklist []string // optional: the procedure's documents, printed under the ticket
	Procedure string   // optional: the procedure the checklist is for
	Reprint   bool     // a copy printed again by staff: says so on the paper
}

// Width80mm is the printable width of an 80 mm printer at 203 dpi.
const Width80mm = 576

var (
	fontsOnce         sync.Once
	regularTT, boldTT *opentype.Font
	fontErr           error
)

// fonts parses Noto Sans (embedded in assets), which has every Vietnamese letter form.
func fonts() (*opentype.Font, *opentype.Font, error) {
	fontsOnce.Do(func() {
		regularTT, fontErr = opentype.Parse(assets.FontRegular)
		if fontErr == nil {
			boldTT, fontErr = opentype.Parse(assets.FontBold)
		}
	})
	return regularTT, boldTT, fontErr
}

// Render draws the ticket, width pixels wide (576 for 80 mm, 384 for 58 mm), as a
// grayscale image as tall as its content.
func Render(t Ticket, width int) (*image.Gray, error) {
	if width < 300 {
		return nil, fmt.Errorf("ticket width %d px is too narrow (at least 300)", width)
	}
	reg, bold, err := fonts()
	if err != nil {
		return nil, fmt.Errorf("ticket font: %w", err)
	}
	scale := float64(width) / Width80mm
	c := &canvas{img: image.NewGray(image.Rect(0, 0, width, 4000)), width: width, margin: int(16 * scale), y: int(12 * scale)}
	draw.Draw(c.img, c.img.Bounds(), image.White, image.Point{}, draw.Src)
	face := func(f *opentype.Font, size float64) font.Face {
		ff, _ := opentype.NewFace(f, &opentype.FaceOptions{Size: size * scale, DPI: 72, Hinting: font.HintingFull})
		return ff
	}
	c.text(face(bold, 26), strings.ToUpper(t.Office))
	c.rule()
	if t.Reprint {
		c.text(face(bold, 24), "— BẢN IN LẠI —")
	}
	c.text(face(reg, 24), "SỐ THỨ TỰ CỦA BẠN")
	c.text(face(bold, 150), t.Number)
	c.text(face(bold, 34), t.Service)
	if t.Priority != "" {
		c.text(face(bold, 26), "Ưu tiên: "+t.Priority)
	}
	if len(t.Counters) > 0 {
		nums := make([]string, len(t.Counters))
		for i, n := range t.Counters {
			nums[i] = fmt.Sprint(n)
		}
		c.text(face(reg, 26), "Quầy phục vụ: "+strings.Join(nums, ", "))
	}
	c.text(face(reg, 26), fmt.Sprintf("Số người chờ trước bạn: %d", t.Ahead))
	if t.ETA > 0 {
		c.text(face(reg, 26), fmt.Sprintf("Thời gian chờ dự kiến: khoảng %d phút", t.ETA))
	}
	if t.URL != "" {
		qr, err := QR(t.URL, int(280*scale))
		if err != nil {
			return nil, err
		}
		c.image(qr)
		c.text(face(reg, 22), "Quét mã để xem lượt gọi trên điện thoại")
	}
	if !t.IssuedAt.IsZero() {
		c.text(face(reg, 22), "Lấy số lúc "+t.IssuedAt.Format("15:04 ngày 02/01/2006"))
	}
	if len(t.Checklist) > 0 {
		c.rule()
		c.text(face(bold, 24), "Giấy tờ cần chuẩn bị:")
		if t.Procedure != "" {
			c.text(face(reg, 22), t.Procedure)
		}
		for _, item := range t.Checklist {
			c.left(face(reg, 22), "• "+item)
		}
	}
	c.y += int(10 * scale)
	c.text(face(reg, 20), "Vui lòng giữ phiếu đến khi được phục vụ")
	c.y += int(24 * scale)
	return c.img.SubImage(image.Rect(0, 0, width, c.y)).(*image.Gray), nil
}

// canvas lays lines out top to bottom.
type canvas struct {
	img           *image.Gray
	width, margin int
	y             int
}

// text draws s centred, wrapped at word boundaries to the printable width.
func (c *canvas) text(f font.Face, s string) { c.lines(f, s, true) }

// left draws s left-aligned, wrapped.
func (c *canvas) left(f font.Face, s string) { c.lines(f, s, false) }

func (c *canvas) lines(f font.Face, s string, centre bool) {
	m := f.Metrics()
	for _, line := range wrap(f, s, c.width-2*c.margin) {
		c.ensure(m.Height.Ceil() + 8)
		c.y += m.Ascent.Ceil()
		w := font.MeasureString(f, line).Ceil()
		x := c.margin
		if centre {
			x = (c.width - w) / 2
		}
		d := font.Drawer{Dst: c.img, Src: image.NewUniform(color.Black), Face: f, Dot: fixed.P(x, c.y)}
		d.DrawString(line)
		c.y += m.Descent.Ceil() + 4
	}
}

func (c *canvas) rule() {
	c.ensure(30)
	c.y += 8
	for x := c.margin; x < c.width-c.margin; x++ {
		for dy := range 3 {
			c.img.SetGray(x, c.y+dy, color.Gray{})
		}
	}
	c.y += 14
}

func (c *canvas) image(src image.Image) {
	b := src.Bounds()
	c.ensure(b.Dy())
	x := (c.width - b.Dx()) / 2
	draw.Draw(c.img, image.Rect(x, c.y, x+b.Dx(), c.y+b.Dy()), src, b.Min, draw.Src)
	c.y += b.Dy()
}

// ensure grows the (white) canvas so that h more pixels fit below y.
func (c *canvas) ensure(h int) {
	if b := c.img.Bounds(); c.y+h+64 > b.Dy() {
		bigger := image.NewGray(image.Rect(0, 0, b.Dx(), 2*b.Dy()+h))
		draw.Draw(bigger, bigger.Bounds(), image.White, image.Point{}, draw.Src)
		draw.Draw(bigger, b, c.img, image.Point{}, draw.Src)
		c.img = bigger
	}
}

// wrap splits s into lines no wider than max; a word longer than a line stands alone.
func wrap(f font.Face, s string, max int) []string {
	var out []string
	line := ""
	for _, w := range strings.Fields(s) {
		try := w
		if line != "" {
			try = line + " " + w
		}
		if line != "" && font.MeasureString(f, try).Ceil() > max {
			out = append(out, line)
			line = w
			continue
		}
		line = try
	}
	if line != "" {
		out = append(out, line)
	}
	return out
}
