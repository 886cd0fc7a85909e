package reportfile

import (
	"bytes"
	"math"
	"strconv"

	"motcua/internal/csvsafe"
)

// CSV is the report's tables one after another, each under its title, with
// a byte-order mark so that spreadsheets read the Vietnamese; figures use a
// decimal point (machines read this file), shares are fractions (0.925).
func CSV(r Report) []byte {
	var b bytes.Buffer
	b.WriteString("\xef\xbb\xbf")
	w := csvsafe.NewWriter(&b)
	w.Write([]string{r.Office, r.Period(), "Số: dấu chấm thập phân, không phân cách hàng nghìn; số đếm nguyên, phút 1 chữ số lẻ, tỉ lệ là phân số 4 chữ số lẻ (0.9250) / Numbers: a decimal point, no thousands separator; counts whole, minutes to 0.1, shares as fractions to 0.0001"})
	number := func(kind Kind, v float64) string { return csvNumber(kind, v) }
	for _, g := range r.Grids() {
		w.Write(nil)
		w.Write([]string{g.Title + " / " + g.TitleEN})
		head := []string{"Nhóm / Group"}
		for i := range g.Head {
			head = append(head, g.Head[i]+" / "+g.HeadEN[i])
		}
		w.Write(head)
		for i, label := range g.Labels {
			line := []string{label}
			for k, v := range g.Values[i] {
				line = append(line, number(g.Kinds[k], v))
			}
			w.Write(line)
		}
	}
	figures := func(title string, figs []Figure) {
		w.Write(nil)
		w.Write([]string{title})
		for _, f := range figs {
			value := f.Text()
			if f.enough() {
				value = number(f.Kind, f.Value)
			}
			w.Write([]string{f.Label, value})
		}
	}
	if figs := r.ChannelFigures(); len(figs) > 0 {
		figures("Lấy số từ xa, đặt lịch / Remote and booked", figs)
	}
	figures("Đánh giá / Ratings", r.RatingFigures())
	if d := r.Figures.Dossiers; d != nil {
		figures("Hồ sơ / Dossiers", r.Dossiers())
	}
	w.Write(nil)
	w.Write([]string{"Chấm điểm theo Thông tư 01/2018 (chỉ số văn phòng tự tính) / Circular 01/2018 grades"})
	w.Write(GradeHead)
	for _, g := range r.Grades() {
		w.Write(g.Cells('.'))
	}
	w.Flush()
	return b.Bytes()
}

// csvNumber writes a figure one way in every CSV: a dot, no thousands
// separator, fixed decimals by its kind (the file's first line says so).
func csvNumber(kind Kind, v float64) string {
	switch kind {
	case Minutes, Grade:
		return strconv.FormatFloat(v, 'f', 1, 64)
	case Share:
		return strconv.FormatFloat(v, 'f', 4, 64)
	case Points:
		return strconv.FormatFloat(v, 'f', 2, 64)
	}
	return strconv.FormatFloat(math.Round(v), 'f', 0, 64)
}
