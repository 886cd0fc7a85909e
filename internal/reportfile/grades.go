package reportfile

import (
	"math"
	"strconv"
	"strings"

	"motcua/internal/intake"
	"motcua/internal/queue"
)

// Grades are the Circular 01/2018 indicators an office computes itself
// (DOMAIN.md): 1 total time, 3 contacts, 7 the clerk's attitude; each 0–2,
// -1 without data. Score is the available ones' sum scaled to all of them
// (nine for the agency, three for a clerk), and Grade its band.
//
// An indicator made of fewer than MinCases cases (dossiers resolved for 1
// and 3, ratings for 7) is not enough data: it is shown as such with its
// count and left out, and with none left there is no score and no grade —
// one rating never makes an agency "Xuất sắc".
type Grades struct {
	Who                                string // "" for the agency, else the clerk's label
	Indicator1, Indicator3, Indicator7 float64
	Dossiers, Ratings                  int // the cases indicators 1 and 3, and 7, are made of
	Available                          int
	Score                              float64
	Grade                              string
	Min                                int // the fewest cases a figure is made of (MinCases unless the office says)
}

// MinCases is the fewest cases an indicator, a score or a grade is made
// of unless the office says (Rules.MinCases, Report.MinCases); fewer are
// "chưa đủ số liệu / not enough data".
const MinCases = 10

// attitude is indicator 7 from ratings: the top level of the scale 2, the
// other levels that ask no reason 1, the ones that do 0; "no rating" left out.
func attitude(ratings map[string]int, scale []queue.RatingOption) float64 {
	top := ""
	for _, o := range scale {
		if top == "" || o.Score > scoreOf(scale, top) {
			top = o.ID
		}
	}
	points, n := 0, 0
	for _, o := range scale {
		c := ratings[o.ID]
		n += c
		switch {
		case o.NeedsReason:
		case o.ID == top:
			points += 2 * c
		default:
			points += c
		}
	}
	if n == 0 {
		return -1
	}
	return math.Round(10*float64(points)/float64(n)) / 10
}

func scoreOf(scale []queue.RatingOption, id string) int {
	for _, o := range scale {
		if o.ID == id {
			return o.Score
		}
	}
	return 0
}

// band is a grade from a score up.
type band struct {
	from float64
	name string
}

var (
	agencyBands = []band{{15, "Xuất sắc"}, {12, "Tốt"}, {9, "Khá"}, {6, "Trung bình"}, {math.Inf(-1), "Yếu"}}
	clerkBands  = []band{{5, "Tốt (≥ 5)"}, {3.5, "Đạt (3,5–5)"}, {math.Inf(-1), "Chưa đạt (< 3,5)"}}
)

// ratingCount is how many answered on the scale ("no rating" left out).
func ratingCount(ratings map[string]int, scale []queue.RatingOption) int {
	n := 0
	for _, o := range scale {
		n += ratings[o.ID]
	}
	return n
}

// grade scores the indicators made of MinCases or more out of all (9 for
// the agency, 3 for a clerk) and bands it: the agency's 15 / 12 / 9 / 6, a
// clerk's 5 / 3.5.
func grade(who string, d *intake.Period, ratings map[string]int, scale []queue.RatingOption, all, min int) Grades {
	g := Grades{Who: who, Indicator1: -1, Indicator3: -1, Indicator7: attitude(ratings, scale), Ratings: ratingCount(ratings, scale), Min: min}
	if d != nil {
		g.Indicator1, g.Indicator3, g.Dossiers = d.Indicator1, d.Indicator3, d.Resolved
	}
	sum := 0.0
	for i, v := range []float64{g.Indicator1, g.Indicator3, g.Indicator7} {
		cases := g.Dossiers
		if i == 2 {
			cases = g.Ratings
		}
		if v >= 0 && cases >= min {
			g.Available++
			sum += v
		}
	}
	if g.Available == 0 {
		return g
	}
	g.Score = math.Round(10*sum*float64(all)/float64(g.Available)) / 10
	bands := agencyBands
	if all == 3 {
		bands = clerkBands
	}
	for _, b := range bands {
		if g.Score >= b.from {
			g.Grade = b.name
			break
		}
	}
	return g
}

// Grades are the agency's grade, then each clerk's.
func (r Report) Grades() []Grades {
	out := []Grades{grade("", r.Figures.Dossiers, r.Figures.Total.Ratings, r.Rating, 9, r.minCases())}
	for _, c := range r.Figures.Clerks {
		label := c.Username
		if name := r.Clerks[c.Username]; name != "" {
			label = name + " (" + c.Username + ")"
		}
		out = append(out, grade(label, r.Figures.DossiersByClerk[c.Username], c.Ratings, r.Rating, 3, r.minCases()))
	}
	return out
}

// GradeHead is the grades table's header.
var GradeHead = []string{"Đối tượng / Who", "Chỉ số 1: thời gian / total time", "Chỉ số 3: số lần liên hệ / contacts", "Chỉ số 7: thái độ / attitude",
	"Chỉ số có dữ liệu / indicators with data", "Điểm quy đổi / scaled score", "Xếp loại / grade"}

// Values are the grade's line of the table: its figures as numbers (a
// workbook sums them), or as words where there is no figure — no data, or
// not enough ("chưa đủ số liệu (3)": its count).
func (g Grades) Values() []any {
	who := g.Who
	if who == "" {
		who = "Cơ quan (thang 18, quy đổi từ các chỉ số đủ số liệu) / Agency"
	}
	ind := func(v float64, cases int) any {
		switch {
		case v < 0:
			return "—"
		case cases < g.Min:
			return "chưa đủ số liệu / not enough data (" + strconv.Itoa(cases) + ")"
		}
		return v
	}
	var score, name any = "—", "chưa đủ số liệu / not enough data"
	if g.Available > 0 {
		score, name = g.Score, g.Grade
	}
	return []any{who, ind(g.Indicator1, g.Dossiers), ind(g.Indicator3, g.Dossiers), ind(g.Indicator7, g.Ratings), g.Available, score, name}
}

// Cells are the grade's line as text, its figures with one decimal after
// point (a decimal comma for a person's page: "2,0"; a dot for a machine's
// file: "2.0").
func (g Grades) Cells(point byte) []string {
	vals := g.Values()
	out := make([]string, len(vals))
	for i, v := range vals {
		switch x := v.(type) {
		case float64:
			out[i] = strings.ReplaceAll(strconv.FormatFloat(x, 'f', 1, 64), ".", string(point))
		case int:
			out[i] = strconv.Itoa(x) + "/3"
		default:
			out[i] = x.(string)
		}
	}
	return out
}
