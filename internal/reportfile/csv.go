package reportfile

import (
	"bytes"
	"encoding/csv"
	"strconv"
)

// CSV is the report's tables one after another, each under its title, with
// a byte-order mark so that spreadsheets read the Vietnamese; figures use a
// decimal point (machines read this file), shares are fractions (0.925).
func CSV(r Report) []byte {
	var b bytes.Buffer
	b.WriteString("\xef\xbb\xbf")
	w := csv.NewWriter(&b)
	w.Write([]string{r.Office, r.Period()})
	for _, t := range r.Tables() {
		w.Write(nil)
		w.Write([]string{t.Title + " / " + t.TitleEN})
		head := []string{"Nhóm / Group"}
		for _, c := range Columns {
			head = append(head, c.Head+" / "+c.HeadEN)
		}
		w.Write(head)
		for _, row := range t.Rows {
			line := []string{row.Label}
			for _, c := range Columns {
				line = append(line, strconv.FormatFloat(c.Value(row.Tally), 'f', -1, 64))
			}
			w.Write(line)
		}
	}
	figures := func(title string, figs []Figure) {
		w.Write(nil)
		w.Write([]string{title})
		for _, f := range figs {
			w.Write([]string{f.Label, strconv.FormatFloat(f.Value, 'f', -1, 64)})
		}
	}
	figures("Đánh giá / Ratings", r.RatingFigures())
	if d := r.Figures.Dossiers; d != nil {
		figures("Hồ sơ / Dossiers", DossierFigures(d))
	}
	for _, t := range r.DossierTables() {
		w.Write(nil)
		w.Write([]string{t.Title + " / " + t.TitleEN})
		head := []string{"Nhóm / Group"}
		for _, c := range DossierColumns {
			head = append(head, c.Head+" / "+c.HeadEN)
		}
		w.Write(head)
		for _, row := range t.Rows {
			line := []string{row.Label}
			for _, c := range DossierColumns {
				line = append(line, strconv.FormatFloat(c.Value(row.Period), 'f', -1, 64))
			}
			w.Write(line)
		}
	}
	w.Write(nil)
	w.Write([]string{"Chấm điểm theo Thông tư 01/2018 (chỉ số văn phòng tự tính) / Circular 01/2018 grades"})
	w.Write(GradeHead)
	for _, g := range r.Grades() {
		w.Write(g.Cells())
	}
	w.Flush()
	return b.Bytes()
}
