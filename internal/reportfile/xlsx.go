package reportfile

import (
	"fmt"

	"github.com/xuri/excelize/v2"
)

// XLSX is the report as a workbook: one sheet per table (its title on row
// 1, the period on row 2, the header on row 3, frozen with the labels),
// figures as numbers with their formats (shares as percentages), and native
// Excel charts where a picture says more: served per service and per counter,
// arrivals by hour, and the dossiers on a sheet of their own.
func XLSX(r Report) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return nil, err
	}
	head, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DCE6F1"}}})
	if err != nil {
		return nil, err
	}
	minutes, share := "0.0", "0.0%"
	styles := map[Kind]int{}
	for kind, format := range map[Kind]*string{Count: nil, Minutes: &minutes, Share: &share} {
		st := &excelize.Style{NumFmt: 1}
		if format != nil {
			st = &excelize.Style{CustomNumFmt: format}
		}
		if styles[kind], err = f.NewStyle(st); err != nil {
			return nil, err
		}
	}
	for i, t := range r.Tables() {
		sheet := t.Sheet
		if i == 0 {
			f.SetSheetName("Sheet1", sheet)
		} else if _, err := f.NewSheet(sheet); err != nil {
			return nil, err
		}
		f.SetCellValue(sheet, "A1", r.Office+" — "+t.Title+" / "+t.TitleEN)
		f.SetCellStyle(sheet, "A1", "A1", bold)
		f.SetCellValue(sheet, "A2", r.Period())
		header := []any{"Nhóm / Group"}
		for _, c := range Columns {
			header = append(header, c.Head+"\n"+c.HeadEN)
		}
		f.SetSheetRow(sheet, "A3", &header)
		last, _ := excelize.CoordinatesToCellName(len(Columns)+1, 3)
		f.SetCellStyle(sheet, "A3", last, head)
		f.SetRowHeight(sheet, 3, 45)
		f.SetColWidth(sheet, "A", "A", 34)
		lastCol, _ := excelize.ColumnNumberToName(len(Columns) + 1)
		f.SetColWidth(sheet, "B", lastCol, 12)
		for j, row := range t.Rows {
			line := []any{row.Label}
			for _, c := range Columns {
				line = append(line, c.Value(row.Tally))
			}
			cell, _ := excelize.CoordinatesToCellName(1, 4+j)
			f.SetSheetRow(sheet, cell, &line)
		}
		if len(t.Rows) > 0 {
			for k, c := range Columns {
				from, _ := excelize.CoordinatesToCellName(2+k, 4)
				to, _ := excelize.CoordinatesToCellName(2+k, 3+len(t.Rows))
				f.SetCellStyle(sheet, from, to, styles[c.Kind])
			}
		}
		f.SetPanes(sheet, &excelize.Panes{Freeze: true, XSplit: 1, YSplit: 3, TopLeftCell: "B4", ActivePane: "bottomRight"})
		if err := chart(f, sheet, t, len(Columns)+3); err != nil {
			return nil, err
		}
	}
	if d := r.Figures.Dossiers; d != nil {
		const sheet = "Hồ sơ"
		f.NewSheet(sheet)
		f.SetCellValue(sheet, "A1", r.Office+" — Hồ sơ / Dossiers")
		f.SetCellStyle(sheet, "A1", "A1", bold)
		f.SetCellValue(sheet, "A2", r.Period())
		f.SetColWidth(sheet, "A", "A", 44)
		for j, fig := range DossierFigures(d) {
			row := 3 + j
			f.SetCellValue(sheet, fmt.Sprintf("A%d", row), fig.Label)
			f.SetCellValue(sheet, fmt.Sprintf("B%d", row), fig.Value)
			f.SetCellStyle(sheet, fmt.Sprintf("B%d", row), fmt.Sprintf("B%d", row), styles[fig.Kind])
		}
	}
	const grades = "Chấm điểm"
	f.NewSheet(grades)
	f.SetCellValue(grades, "A1", r.Office+" — Chấm điểm theo Thông tư 01/2018 / Circular 01/2018 grades")
	f.SetCellStyle(grades, "A1", "A1", bold)
	f.SetCellValue(grades, "A2", r.Period())
	gh := make([]any, len(GradeHead))
	for i, h := range GradeHead {
		gh[i] = h
	}
	f.SetSheetRow(grades, "A3", &gh)
	f.SetCellStyle(grades, "A3", "G3", head)
	f.SetColWidth(grades, "A", "A", 44)
	f.SetColWidth(grades, "B", "G", 16)
	for j, g := range r.Grades() {
		cells := g.Cells()
		line := make([]any, len(cells))
		for i, c := range cells {
			line[i] = c
		}
		f.SetSheetRow(grades, fmt.Sprintf("A%d", 4+j), &line)
	}
	f.SetActiveSheet(0)
	buf, err := f.WriteToBuffer()
	if err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// chart draws the table's served count (by hour: its arrivals) as a column
// chart beside it, for the tables where the rows compare.
func chart(f *excelize.File, sheet string, t Table, col int) error {
	value, title := 3, "Đã phục vụ / Served" // column C
	switch t.Sheet {
	case "Giờ":
		value, title = 2, "Số người đến theo giờ / Arrivals by hour" // column B: issued
	case "Dịch vụ", "Quầy", "Ngày":
	default:
		return nil
	}
	if len(t.Rows) == 0 {
		return nil
	}
	valueCol, _ := excelize.ColumnNumberToName(value)
	at, _ := excelize.CoordinatesToCellName(col, 4)
	quoted := "'" + sheet + "'"
	return f.AddChart(sheet, at, &excelize.Chart{
		Type: excelize.Col,
		Series: []excelize.ChartSeries{{Name: title,
			Categories: fmt.Sprintf("%s!$A$4:$A$%d", quoted, 3+len(t.Rows)),
			Values:     fmt.Sprintf("%s!$%s$4:$%s$%d", quoted, valueCol, valueCol, 3+len(t.Rows))}},
		Title:  excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: t.Title}}},
		Legend: excelize.ChartLegend{Position: "none"},
		Format: excelize.GraphicOptions{ScaleX: 1.2, ScaleY: 1.2},
	})
}
