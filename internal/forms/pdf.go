// Package forms draws the one-stop forms as A5 PDFs with Vietnamese text
// (Noto Sans, embedded in assets, has every letter form): Mẫu 01 receipt and
// appointment (two copies), Mẫu 02 request to complete a dossier, Mẫu 03
// refusal, Mẫu 04 apology with a new date, and Mẫu 07 the register (A4
// landscape), numbered by the set of Circular 03/2025/TT-VPCP (which
// replaced 01/2018/TT-VPCP; its register was Mẫu 06). Layouts follow the
// forms of both circulars.
package forms

import (
	"bytes"
	"fmt"
	"image/png"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"

	"motcua/assets"
	"motcua/internal/formtext"
	"motcua/internal/receipt"
	"motcua/internal/vietqr"
)

// Office is what the forms say about the office.
type Office struct {
	Name   string // Bộ phận Một cửa / Trung tâm …
	Parent string // the authority above it, e.g. "UBND PHƯỜNG HÒA BÌNH"
	Place  string // where forms are dated, e.g. "Hòa Bình"
	// Wording is the office's own wording of the forms (formtext's keys);
	// what it leaves out is printed as formtext.Defaults say.
	Wording map[string]string
	// Bank is where fees are paid: a dossier's fee gets its VietQR on the
	// receipt (none set: the amount only).
	Bank vietqr.Account
}

// text is the form's wording under key, the placeholders filled.
func (o Office) text(key string, vars ...string) string {
	return formtext.Text(o.Wording, key, vars...)
}

// doc is a page setup with the fonts loaded.
type doc struct {
	*fpdf.Fpdf
	w float64 // printable width
}

func newDoc(orientation, size string) *doc {
	p := fpdf.New(orientation, "mm", size, "")
	p.AddUTF8FontFromBytes("Noto", "", assets.FontRegular)
	p.AddUTF8FontFromBytes("Noto", "B", assets.FontBold)
	p.AddUTF8FontFromBytes("Noto", "I", assets.FontItalic)
	p.SetMargins(12, 10, 12)
	p.SetAutoPageBreak(true, 10)
	w, _ := p.GetPageSize()
	return &doc{Fpdf: p, w: w - 24}
}

func (d *doc) font(style string, size float64) { d.SetFont("Noto", style, size) }

// The forms' numbers in the set of Annex I of Circular 03/2025/TT-VPCP
// (guiding Decree 118/2025/NĐ-CP, in force since 15/9/2025).
const (
	FormReceipt    = "01" // Giấy tiếp nhận hồ sơ và hẹn trả kết quả
	FormSupplement = "02" // Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ
	FormRefusal    = "03" // Phiếu từ chối tiếp nhận giải quyết hồ sơ
	FormApology    = "04" // Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết
	FormStop       = "05" // Thông báo dừng giải quyết hồ sơ
	FormControl    = "06" // Phiếu kiểm soát quá trình giải quyết hồ sơ
	FormRegister   = "07" // Sổ theo dõi hồ sơ
)

// header is the two-column heading of every form: its number in the 2025
// set above, the office, the national motto.
func (d *doc) header(o Office, code, number string) {
	d.font("I", 7)
	d.CellFormat(d.w, 3.5, "Mẫu số "+number+" — "+o.text("basis"), "", 1, "R", false, 0, "")
	y := d.GetY()
	half := d.w / 2
	d.font("", 8)
	d.MultiCell(half, 3.8, strings.ToUpper(o.Parent), "", "C", false)
	d.font("B", 8)
	d.MultiCell(half, 3.8, strings.ToUpper(o.Name), "", "C", false)
	if code != "" {
		d.font("", 8)
		d.MultiCell(half, 3.8, "Mã hồ sơ: "+code, "", "C", false)
	}
	left := d.GetY()
	d.SetXY(12+half, y)
	d.font("B", 8)
	d.MultiCell(half, 3.8, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "", "C", false)
	d.SetX(12 + half)
	d.MultiCell(half, 3.8, "Độc lập - Tự do - Hạnh phúc", "", "C", false)
	d.SetY(max(left, d.GetY()) + 3)
}

// column is a table's column: its heading, width (mm) and whether its
// cells are centred.
type column struct {
	name   string
	w      float64
	centre bool
}

// table draws a bordered table: the grey heading row, then rows at size pt
// and height h mm, or empty across the page when there are none.
func (d *doc) table(cols []column, rows [][]string, size, h float64, empty string) {
	d.font("B", 8)
	d.SetFillColor(230, 230, 230)
	for _, c := range cols {
		d.CellFormat(c.w, 7, c.name, "1", 0, "C", true, 0, "")
	}
	d.Ln(-1)
	d.font("", size)
	for _, cells := range rows {
		for j, c := range cols {
			align := "L"
			if c.centre {
				align = "C"
			}
			d.CellFormat(c.w, h, cells[j], "1", 0, align, false, 0, "")
		}
		d.Ln(-1)
	}
	if len(rows) == 0 {
		d.CellFormat(d.w, 7, empty, "1", 1, "C", false, 0, "")
	}
}

func (d *doc) title(s, sub string) {
	d.font("B", 11)
	d.MultiCell(d.w, 5.5, s, "", "C", false)
	if sub != "" {
		d.font("I", 8.5)
		d.MultiCell(d.w, 4.5, sub, "", "C", false)
	}
	d.Ln(2)
}

// line writes a paragraph; label in bold when given.
func (d *doc) line(label, text string) {
	if label != "" {
		d.font("B", 9)
		d.Write(4.8, label+" ")
	}
	d.font("", 9)
	d.Write(4.8, text)
	d.Ln(5.2)
}

func (d *doc) dated(o Office, at time.Time) {
	d.font("I", 8.5)
	d.CellFormat(d.w, 5, fmt.Sprintf("%s, ngày %02d tháng %02d năm %d", o.Place, at.Day(), at.Month(), at.Year()), "", 1, "R", false, 0, "")
}

// signatures draws two signature blocks side by side.
func (d *doc) signatures(left, right, rightName string) {
	d.Ln(2)
	half := d.w / 2
	y := d.GetY()
	d.font("B", 8.5)
	d.CellFormat(half, 4.5, left, "", 0, "C", false, 0, "")
	d.CellFormat(half, 4.5, right, "", 1, "C", false, 0, "")
	d.font("I", 7.5)
	d.CellFormat(half, 4, "(Ký và ghi rõ họ tên)", "", 0, "C", false, 0, "")
	d.CellFormat(half, 4, "(Ký và ghi rõ họ tên)", "", 1, "C", false, 0, "")
	d.SetY(y + 22)
	d.font("B", 8.5)
	d.CellFormat(half, 4.5, "", "", 0, "C", false, 0, "")
	d.CellFormat(half, 4.5, rightName, "", 1, "C", false, 0, "")
}

// qr puts a QR code of text at the current right margin, size mm.
func (d *doc) qr(name, text string, x, y, size float64) error {
	img, err := receipt.QR(text, 256)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return err
	}
	d.RegisterImageOptionsReader(name, fpdf.ImageOptions{ImageType: "PNG"}, &buf)
	d.ImageOptions(name, x, y, size, size, false, fpdf.ImageOptions{ImageType: "PNG"}, 0, "")
	return nil
}

func (d *doc) bytes() ([]byte, error) {
	var out bytes.Buffer
	if err := d.Output(&out); err != nil {
		return nil, fmt.Errorf("PDF: %w", err)
	}
	return out.Bytes(), nil
}

// hm is "10 giờ 05 phút, ngày 29/04/2026".
func hm(t time.Time) string {
	return fmt.Sprintf("%02d giờ %02d phút, ngày %s", t.Hour(), t.Minute(), t.Format("02/01/2006"))
}
