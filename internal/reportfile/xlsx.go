package reportfile

import (
	"fmt"

	"github.com/xuri/excelize/v2"
)

// grid is one sheet's table: its title, header and rows, and how each
// column's figures are formatted (the first column is the label).
type grid struct {
	sheet, title string
	header       []string
	rows         [][]any
	kinds        []Kind
}

// XLSX is the report as a workbook: one sheet per table (its title on row
// 1, the period on row 2, the header on row 3, frozen with the labels),
// figures as numbers with their formats (shares as percentages), and native
// Excel charts where a picture says more: served per service, counter and
// day, arrivals by hour, the on-time rate by month.
func XLSX(r Report) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	w := &workbook{f: f, r: r}
	if err := w.styles(); err != nil {
		return nil, err
	}
	charts := map[string]struct {
		col   int
		title string
	}{"Dịch vụ": {3, "Đã phục vụ / Served"}, "Quầy": {3, "Đã phục vụ / Served"}, "Ngày": {3, "Đã phục vụ / Served"},
		"Giờ": {2, "Số người đến theo giờ / Arrivals by hour"}, "Hồ sơ theo tháng": {len(DossierColumns) + 1, "Tỉ lệ đúng hạn theo tháng / On-time rate by month"}}
	for _, t := range r.Grids() {
		g := grid{sheet: t.Sheet, title: t.Title + " / " + t.TitleEN, header: []string{"Nhóm / Group"}, kinds: t.Kinds}
		for i := range t.Head {
			g.header = append(g.header, t.Head[i]+"\n"+t.HeadEN[i])
		}
		for i, label := range t.Labels {
			line := []any{label}
			for _, v := range t.Values[i] {
				line = append(line, v)
			}
			g.rows = append(g.rows, line)
		}
		err := w.write(g)
		if c, ok := charts[t.Sheet]; ok && err == nil {
			err = w.chart(g, c.col, c.title)
		}
		if err != nil {
			return nil, err
		}
	}
	if figs := r.ChannelFigures(); len(figs) > 0 {
		g := grid{sheet: "Từ xa, đặt lịch", title: "Lấy số từ xa, đặt lịch / Remote and booked", header: []string{"", "Số / Figure"}}
		for _, fig := range figs {
			g.rows = append(g.rows, []any{fig.Label, fig.Cell()})
		}
		if err := w.write(g); err != nil {
			return nil, err
		}
	}
	ratings := grid{sheet: "Đánh giá", title: "Đánh giá của người dân / Ratings", header: []string{"", "Số / Figure"}}
	for _, fig := range r.RatingFigures() {
		ratings.rows = append(ratings.rows, []any{fig.Label, fig.Value})
	}
	if err := w.write(ratings); err != nil {
		return nil, err
	}
	w.shares(ratings, r.RatingFigures())
	if d := r.Figures.Dossiers; d != nil {
		g := grid{sheet: "Hồ sơ", title: "Hồ sơ / Dossiers", header: []string{"", "Số / Figure"}}
		for _, fig := range r.Dossiers() {
			g.rows = append(g.rows, []any{fig.Label, fig.Cell()})
		}
		if err := w.write(g); err != nil {
			return nil, err
		}
		w.shares(g, r.Dossiers())
	}
	grades := grid{sheet: "Chấm điểm", title: "Chấm điểm theo Thông tư 01/2018 / Circular 01/2018 grades", header: GradeHead,
		kinds: []Kind{Grade, Grade, Grade, Count, Grade}} // the figures numbers, one decimal; words where there is none
	for _, g := range r.Grades() {
		grades.rows = append(grades.rows, g.Values())
	}
	if err := w.write(grades); err != nil {
		return nil, err
	}
	f.DeleteSheet("Sheet1")
	f.SetActiveSheet(0)
	buf, err := f.WriteToBuffer()
	if err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// workbook writes the report's sheets.
type workbook struct {
	f          *excelize.File
	r          Report
	bold, head int
	byKind     map[Kind]int
}

func (w *workbook) styles() error {
	var err error
	if w.bold, err = w.f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}}); err != nil {
		return err
	}
	if w.head, err = w.f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DCE6F1"}}}); err != nil {
		return err
	}
	minutes, share, points := "0.0", "0.0%", "0.00"
	w.byKind = map[Kind]int{}
	for kind, st := range map[Kind]*excelize.Style{Count: {NumFmt: 1}, Minutes: {CustomNumFmt: &minutes}, Share: {CustomNumFmt: &share}, Points: {CustomNumFmt: &points}, Grade: {CustomNumFmt: &minutes}} {
		if w.byKind[kind], err = w.f.NewStyle(st); err != nil {
			return err
		}
	}
	return nil
}

// write puts g on its own sheet.
func (w *workbook) write(g grid) error {
	f := w.f
	if _, err := f.NewSheet(g.sheet); err != nil {
		return err
	}
	f.SetCellValue(g.sheet, "A1", w.r.Office+" — "+g.title)
	f.SetCellStyle(g.sheet, "A1", "A1", w.bold)
	f.SetCellValue(g.sheet, "A2", w.r.Period())
	header := make([]any, len(g.header))
	for i, h := range g.header {
		header[i] = h
	}
	f.SetSheetRow(g.sheet, "A3", &header)
	last, _ := excelize.CoordinatesToCellName(len(g.header), 3)
	f.SetCellStyle(g.sheet, "A3", last, w.head)
	f.SetRowHeight(g.sheet, 3, 45)
	f.SetColWidth(g.sheet, "A", "A", 44)
	lastCol, _ := excelize.ColumnNumberToName(max(2, len(g.header)))
	f.SetColWidth(g.sheet, "B", lastCol, 13)
	for j, row := range g.rows {
		cell, _ := excelize.CoordinatesToCellName(1, 4+j)
		f.SetSheetRow(g.sheet, cell, &row)
	}
	for k, kind := range g.kinds {
		if len(g.rows) == 0 {
			break
		}
		from, _ := excelize.CoordinatesToCellName(2+k, 4)
		to, _ := excelize.CoordinatesToCellName(2+k, 3+len(g.rows))
		f.SetCellStyle(g.sheet, from, to, w.byKind[kind])
	}
	return f.SetPanes(g.sheet, &excelize.Panes{Freeze: true, XSplit: 1, YSplit: 3, TopLeftCell: "B4", ActivePane: "bottomRight"})
}

// shares gives a figures' sheet its formats (one kind a row).
func (w *workbook) shares(g grid, figs []Figure) {
	for j, fig := range figs {
		cell := fmt.Sprintf("B%d", 4+j)
		w.f.SetCellStyle(g.sheet, cell, cell, w.byKind[fig.Kind])
	}
}

// chart draws column col of g as a column chart beside the table.
func (w *workbook) chart(g grid, col int, title string) error {
	if len(g.rows) == 0 {
		return nil
	}
	valueCol, _ := excelize.ColumnNumberToName(col)
	at, _ := excelize.CoordinatesToCellName(len(g.header)+2, 4)
	quoted := "'" + g.sheet + "'"
	return w.f.AddChart(g.sheet, at, &excelize.Chart{
		Type: excelize.Col,
		Series: []excelize.ChartSeries{{Name: title,
			Categories: fmt.Sprintf("%s!$A$4:$A$%d", quoted, 3+len(g.rows)),
			Values:     fmt.Sprintf("%s!$%s$4:$%s$%d", quoted, valueCol, valueCol, 3+len(g.rows))}},
		Title:  excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: title}}},
		Legend: excelize.ChartLegend{Position: "none"},
		Format: excelize.GraphicOptions{ScaleX: 1.2, ScaleY: 1.2},
	})
}
