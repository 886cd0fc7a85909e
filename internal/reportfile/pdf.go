package reportfile

import (
	"bytes"
	"fmt"

	"codeberg.org/go-pdf/fpdf"

	"motcua/assets"
)

// PDF is the report on A4 landscape for the desk head's signature: the
// heading, the period, each table, the dossiers, and the signatures.
func PDF(r Report) ([]byte, error) {
	p := fpdf.New("L", "mm", "A4", "")
	p.AddUTF8FontFromBytes("Noto", "", assets.FontRegular)
	p.AddUTF8FontFromBytes("Noto", "B", assets.FontBold)
	p.AddUTF8FontFromBytes("Noto", "I", assets.FontItalic)
	p.SetMargins(10, 10, 10)
	p.SetAutoPageBreak(true, 12)
	p.AliasNbPages("{nb}")
	p.SetFooterFunc(func() {
		p.SetY(-10)
		p.SetFont("Noto", "I", 7)
		p.CellFormat(0, 4, fmt.Sprintf("%s · %s · lập lúc %s · trang %d/{nb}", r.Office, r.Period(), r.Made.Format("15:04 02/01/2006"), p.PageNo()), "", 0, "C", false, 0, "")
	})
	p.AddPage()
	width, _ := p.GetPageSize()
	d := reportPDF{p: p, w: width - 20}
	d.half = d.w / 2
	d.heading(r)
	for _, g := range r.Grids() {
		if len(g.Labels) > 0 {
			d.grid(g)
		}
	}
	if figs := r.ChannelFigures(); len(figs) > 0 {
		d.figures("Lấy số từ xa, đặt lịch / Remote and booked", figs)
	}
	d.figures("Đánh giá / Ratings", r.RatingFigures())
	if f := r.Figures.Dossiers; f != nil {
		d.figures("Hồ sơ / Dossiers", r.Dossiers())
	}
	d.grades(r.Grades())
	d.signatures()
	var b bytes.Buffer
	if err := p.Output(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// reportPDF draws a report's parts on an A4 landscape page: w is the width
// between the margins, half its half.
type reportPDF struct {
	p       *fpdf.Fpdf
	w, half float64
}

// heading is the office and the national motto side by side, the title and
// the period.
func (d reportPDF) heading(r Report) {
	p, w, half := d.p, d.w, d.half
	p.SetFont("Noto", "B", 9)
	p.MultiCell(half, 4.5, r.Office, "", "C", false)
	y := p.GetY()
	p.SetXY(10+half, 10)
	p.MultiCell(half, 4.5, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc", "", "C", false)
	p.SetY(max(y, p.GetY()) + 4)
	p.SetFont("Noto", "B", 13)
	p.MultiCell(w, 6, "BÁO CÁO KẾT QUẢ PHỤC VỤ TẠI BỘ PHẬN MỘT CỬA", "", "C", false)
	p.SetFont("Noto", "I", 9)
	p.MultiCell(w, 5, r.Period()+fmt.Sprintf(" · mục tiêu thời gian chờ: %d phút", r.Figures.TargetWaitMinutes), "", "C", false)
	p.Ln(3)
}

// gridLabel is the width of a grid's first column, the rows' names.
const gridLabel = 52.0

// grid is one table of figures, its head again on each page it runs onto.
func (d reportPDF) grid(g Grid) {
	p, w := d.p, d.w
	if p.GetY() > 170 { // the title, the header and some rows together
		p.AddPage()
	}
	cell := (w - gridLabel) / float64(len(g.Head))
	p.SetFont("Noto", "B", 9)
	p.CellFormat(w, 6, g.Title+" / "+g.TitleEN, "", 1, "L", false, 0, "")
	header := func() {
		p.SetFont("Noto", "B", 6.5)
		p.SetFillColor(220, 230, 241)
		x, y := p.GetXY()
		p.CellFormat(gridLabel, 8, "Nhóm", "1", 0, "L", true, 0, "")
		for i, head := range g.Head { // a box of two lines, the head inside it
			cx := x + gridLabel + float64(i)*cell
			p.Rect(cx, y, cell, 8, "FD")
			lines := 2.0
			if p.GetStringWidth(head) < cell-2 {
				lines = 1
			}
			p.SetXY(cx, y+(8-4*lines)/2)
			p.MultiCell(cell, 4, head, "", "C", false)
		}
		p.SetXY(x, y+8)
	}
	header()
	p.SetFont("Noto", "", 7)
	for k, lab := range g.Labels {
		if p.GetY() > 190 {
			p.AddPage()
			header()
			p.SetFont("Noto", "", 7)
		}
		p.CellFormat(gridLabel, 5, fit(p, lab, gridLabel), "1", 0, "L", false, 0, "")
		for i, v := range g.Values[k] {
			p.CellFormat(cell, 5, format(g.Kinds[i], v), "1", 0, "R", false, 0, "")
		}
		p.Ln(5)
	}
	p.Ln(3)
}

// figures is a titled list of figures, each its label and its value.
func (d reportPDF) figures(title string, figs []Figure) {
	p := d.p
	if p.GetY() > 150 {
		p.AddPage()
	}
	p.SetFont("Noto", "B", 9)
	p.CellFormat(d.w, 6, title, "", 1, "L", false, 0, "")
	p.SetFont("Noto", "", 8)
	for _, f := range figs {
		p.CellFormat(150, 5, fit(p, f.Label, 150), "1", 0, "L", false, 0, "")
		p.CellFormat(30, 5, f.Text(), "1", 1, "R", false, 0, "")
	}
	p.Ln(3)
}

// grades is Circular 01/2018's table, the agency first.
func (d reportPDF) grades(rows []Grades) {
	p := d.p
	if p.GetY() > 160 {
		p.AddPage()
	}
	p.SetFont("Noto", "B", 9)
	p.CellFormat(d.w, 6, "Chấm điểm theo Thông tư 01/2018 (chỉ số văn phòng tự tính) / Circular 01/2018 grades", "", 1, "L", false, 0, "")
	widths := []float64{90, 30, 30, 30, 30, 27, 40}
	p.SetFont("Noto", "B", 6.5)
	p.SetFillColor(220, 230, 241)
	// The headers whole, wrapped on as many lines as the longest needs (cut
	// to fit they read "…/ tot…").
	const line = 3.2
	var split [][]string
	tall := 1
	for i, h := range GradeHead {
		lines := p.SplitText(h, widths[i]-2)
		split = append(split, lines)
		tall = max(tall, len(lines))
	}
	x0, y0 := p.GetX(), p.GetY()
	x := x0
	for i, lines := range split {
		p.Rect(x, y0, widths[i], float64(tall)*line+1, "FD")
		for j, l := range lines {
			p.SetXY(x, y0+0.5+float64(j)*line)
			p.CellFormat(widths[i], line, l, "", 0, "C", false, 0, "")
		}
		x += widths[i]
	}
	p.SetXY(x0, y0+float64(tall)*line+1)
	p.SetFont("Noto", "", 7)
	for _, g := range rows {
		if p.GetY() > 190 {
			p.AddPage()
		}
		for i, c := range g.Cells(',') {
			align := "R"
			if i == 0 || i == 6 {
				align = "L"
			}
			p.CellFormat(widths[i], 5, fit(p, c, widths[i]), "1", 0, align, false, 0, "")
		}
		p.Ln(5)
	}
}

// signatures are the preparer's and the desk head's, side by side.
func (d reportPDF) signatures() {
	p, half := d.p, d.half
	if p.GetY() > 165 {
		p.AddPage()
	}
	p.Ln(4)
	y := p.GetY()
	p.SetFont("Noto", "B", 9)
	p.MultiCell(half, 5, "NGƯỜI LẬP BIỂU", "", "C", false)
	p.SetXY(10+half, y)
	p.MultiCell(half, 5, "TRƯỞNG BỘ PHẬN MỘT CỬA", "", "C", false)
	p.SetFont("Noto", "I", 8)
	p.MultiCell(half, 4, "(Ký, ghi rõ họ tên)", "", "C", false)
	p.SetXY(10+half, p.GetY()-4)
	p.MultiCell(half, 4, "(Ký, ghi rõ họ tên)", "", "C", false)
}

// fit shortens s with an ellipsis to the width w at the current font.
func fit(p *fpdf.Fpdf, s string, w float64) string {
	if p.GetStringWidth(s) <= w-2 {
		return s
	}
	r := []rune(s)
	for len(r) > 1 && p.GetStringWidth(string(r)+"…") > w-2 {
		r = r[:len(r)-1]
	}
	return string(r) + "…"
}
