package console

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"time"

	"motcua/internal/auth"
	"motcua/internal/calendar"
	"motcua/internal/problem"
	"motcua/internal/queue"
	"motcua/internal/reply"
	"motcua/internal/reportfile"
)

// reportView is the reports page: the period chosen, its tables, charts and
// the links to the same report as files.
type reportView struct {
	From, To  string // the period, 2026-04-01 (the presets' and the files' links)
	FromText  string // as the form's fields show them: 01/04/2026, whatever the browser's language
	ToText    string
	Presets   []reportPreset
	Period    string
	Target    int
	Grids     []reportfile.Grid // the tickets' tables, then the dossiers'
	Dossiers  []reportfile.Figure
	Ratings   []reportfile.Figure
	Channels  []reportfile.Figure // remote and booked tickets' own figures
	Grades    [][]string          // Circular 01's, the agency first
	GradeHead []string
	Charts    []template.HTML
	Query     template.URL // from=…&to=…, for the files' links (checked dates: safe in a URL)
}

// reportPreset is a period a click away.
type reportPreset struct {
	Label, From, To string
	On              bool
}

// presets are today, this week, month, quarter and year, and the last month
// and quarter, in the office's time.
func presets(now time.Time) []reportPreset {
	day := func(t time.Time) string { return t.Format("2006-01-02") }
	today, month, quarter, year := calendar.Starts(now)
	monday := today.AddDate(0, 0, -((int(today.Weekday()) + 6) % 7))
	q := int(today.Month()-1)/3 + 1
	return []reportPreset{
		{Label: "Hôm nay / Today", From: day(today), To: day(today)},
		{Label: "Tuần này / This week", From: day(monday), To: day(today)},
		{Label: "Tháng này / This month", From: day(month), To: day(today)},
		{Label: "Tháng trước / Last month", From: day(month.AddDate(0, -1, 0)), To: day(month.AddDate(0, 0, -1))},
		{Label: fmt.Sprintf("Quý %d / Q%d", q, q), From: day(quarter), To: day(today)},
		{Label: "Quý trước / Last quarter", From: day(quarter.AddDate(0, -3, 0)), To: day(quarter.AddDate(0, 0, -1))},
		{Label: fmt.Sprintf("Năm %d / Year", today.Year()), From: day(year), To: day(today)},
	}
}

// reportsView is the reports page.
type reportsView struct {
	frame
	Report *reportView
}

// reportsPage shows a period's report: this month unless the form says.
func (c *Console) reportsPage(w http.ResponseWriter, r *http.Request, p auth.Principal) {
	view := &reportView{Presets: presets(c.Now().In(c.InForce.Zone()))}
	q := r.URL.Query()
	if q.Get("from") == "" && q.Get("to") == "" {
		q.Set("from", view.Presets[2].From)
		q.Set("to", view.Presets[2].To)
		r.URL.RawQuery = q.Encode()
	}
	// A day written by a person (01/04/2026) is read as the office writes
	// it, and shown so in the fields: an en-US browser's date field would
	// show 04/01/2026.
	for _, k := range []string{"from", "to"} {
		if t, err := time.Parse("2/1/2006", strings.TrimSpace(q.Get(k))); err == nil {
			q.Set(k, t.Format("2006-01-02"))
		}
	}
	r.URL.RawQuery = q.Encode()
	view.From, view.To = q.Get("from"), q.Get("to")
	view.FromText, view.ToText = dayText(view.From), dayText(view.To)
	for i := range view.Presets {
		view.Presets[i].On = view.Presets[i].From == view.From && view.Presets[i].To == view.To
	}
	page := &reportsView{Report: view}
	rep, err := c.Reports.Report(r)
	if err != nil {
		page.Error = problem.As(err)
		c.render(w, reply.Status(page.Error.Code), reportsPage, p, page)
		return
	}
	view.Period, view.Target, view.Grids = rep.Period(), rep.Figures.TargetWaitMinutes, rep.Grids()
	if rep.Figures.Dossiers != nil {
		view.Dossiers = rep.Dossiers()
	}
	for _, g := range rep.Grades() {
		view.Grades = append(view.Grades, g.Cells(','))
	}
	view.GradeHead = reportfile.GradeHead
	view.Ratings = rep.RatingFigures()
	view.Channels = rep.ChannelFigures()
	view.Query = template.URL(url.Values{"from": {view.From}, "to": {view.To}}.Encode())
	_, office := c.Settings.Settings()
	view.Charts = reportCharts(rep, office)
	c.render(w, http.StatusOK, reportsPage, p, page)
}

// reportCharts are the pictures of a report: arrivals and waits by hour,
// served per counter, the ratings.
func reportCharts(rep reportfile.Report, office queue.Office) []template.HTML {
	t := rep.Figures.Report
	var hours []string
	var arrivals, waits []float64
	for _, h := range t.Hours {
		if h.Hour >= 7 && h.Hour <= 17 || h.Issued > 0 {
			hours = append(hours, fmt.Sprintf("%dh", h.Hour))
			arrivals, waits = append(arrivals, float64(h.Issued)), append(waits, h.WaitMeanMinutes)
		}
	}
	var counters []string
	var served []float64
	for _, c := range t.Counters {
		counters, served = append(counters, fmt.Sprintf("Quầy %d", c.Number)), append(served, float64(c.Served))
	}
	var levels []string
	var votes []float64
	for _, o := range office.WithDefaults().Rating.Options {
		levels, votes = append(levels, o.Label), append(votes, float64(t.Total.Ratings[o.ID]))
	}
	levels, votes = append(levels, "Không đánh giá"), append(votes, float64(t.Total.Ratings[""]))
	whole := func(v float64) string { return fmt.Sprintf("%.0f", v) }
	tenth := func(v float64) string { return strings.Replace(fmt.Sprintf("%.1f", v), ".", ",", 1) }
	charts := []template.HTML{
		barChart("Số người đến theo giờ / Arrivals by hour", hours, arrivals, whole),
		barChart("Thời gian chờ trung bình theo giờ (phút) / Mean wait by hour (min)", hours, waits, tenth),
		barChart("Đã phục vụ theo quầy / Served per counter", counters, served, whole),
		barChart("Đánh giá của người dân / Ratings", levels, votes, whole),
	}
	if len(rep.Figures.DossiersByMonth) > 0 {
		var months []string
		var rates []float64
		for _, m := range rep.Figures.DossiersByMonth {
			months, rates = append(months, m.Month[5:]+"/"+m.Month[2:4]), append(rates, 100*m.OnTimeRate)
		}
		charts = append(charts, barChart("Tỉ lệ hồ sơ đúng hạn theo tháng (%) / On-time rate by month", months, rates, tenth))
	}
	return charts
}

// barChart draws labelled columns as an SVG, sized for a 1366-wide page
// (two charts a row), with each value over its column.
func barChart(title string, labels []string, values []float64, text func(float64) string) template.HTML {
	const w, h, top, bottom, left = 620.0, 240.0, 46.0, 36.0, 10.0
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart" viewBox="0 0 %.0f %.0f" role="img" aria-label="%s"><text x="%.0f" y="18" class="title">%s</text>`,
		w, h, template.HTMLEscapeString(title), left, template.HTMLEscapeString(title))
	peak := 0.0
	for _, v := range values {
		if text(v) != text(0) {
			peak = max(peak, v)
		}
	}
	if len(values) == 0 || peak == 0 {
		fmt.Fprintf(&b, `<text x="%.0f" y="%.0f" class="none">Chưa có số liệu / No data</text></svg>`, left, h/2)
		return template.HTML(b.String())
	}
	slot := (w - 2*left) / float64(len(values))
	for i, v := range values {
		bh := (h - top - bottom) * v / peak
		x := left + float64(i)*slot
		if v > 0 && text(v) != text(0) { // a column only for what reads as more than none
			fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f"><title>%s: %s</title></rect>`,
				x+slot*0.15, h-bottom-bh, slot*0.7, bh, template.HTMLEscapeString(labels[i]), text(v))
			fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" class="v">%s</text>`, x+slot/2, h-bottom-bh-4, text(v))
		}
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" class="l">%s</text>`, x+slot/2, h-bottom+16, template.HTMLEscapeString(labels[i]))
	}
	fmt.Fprintf(&b, `<line x1="%.0f" x2="%.0f" y1="%.0f" y2="%.0f"/></svg>`, left, w-left, h-bottom, h-bottom)
	return template.HTML(b.String())
}

// dayText is 2026-04-01 as a Vietnamese writes it, 01/04/2026 (as it came
// when it is no date).
func dayText(iso string) string {
	if t, err := time.Parse("2006-01-02", iso); err == nil {
		return t.Format("02/01/2006")
	}
	return iso
}
