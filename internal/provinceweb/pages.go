package provinceweb

import (
	"cmp"
	"net/http"
	"slices"
	"strings"
	"time"

	"motcua/internal/api"
	"motcua/internal/province"
	"motcua/internal/reportfile"
)

// page is what every template gets.
type page struct {
	Title   string
	User    province.User
	Message string
	Now     time.Time

	Offices   []province.OfficeNow // the dashboard
	Ranked    []ranked             // the rankings
	Sort      string
	From, To  string // YYYY-MM-DD, inclusive
	Choices   []choice
	Report    *reportfile.Report
	Grids     []reportfile.Grid
	Dossiers  []reportfile.Figure
	Query     string            // the report's query, for its files
	Silent    int               // offices that stopped syncing
	Alerts    []province.Raised // the last week's alerts of the offices seen
	Waiting   int               // people waiting in every office now
	AllChosen bool
}

// choice is an office in the report's form.
type choice struct {
	ID, Name string
	Chosen   bool
}

// lines are the dashboard's lines of the offices the user sees.
func (s *Server) lines(r *http.Request, u province.User) ([]province.Office, []province.OfficeNow, error) {
	offices, err := s.visible(r.Context(), u)
	if err != nil {
		return nil, nil, err
	}
	lines, err := province.Dashboard(r.Context(), s.Pool, offices, s.now())
	return offices, lines, err
}

func (s *Server) dashboard(w http.ResponseWriter, r *http.Request, u province.User) error {
	offices, lines, err := s.lines(r, u)
	if err != nil {
		return err
	}
	p := page{Title: "Toàn tỉnh hôm nay / The province today", User: u, Now: s.now().In(province.Zone(offices)), Offices: lines}
	var ids []string
	for _, l := range lines {
		p.Waiting += l.Waiting
		if l.StoppedSyncing {
			p.Silent++
		}
		ids = append(ids, l.ID)
	}
	if len(ids) > 0 {
		if p.Alerts, err = province.Alerts(r.Context(), s.Pool, ids, s.now().AddDate(0, 0, -7)); err != nil {
			return err
		}
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	return render(w, "dashboard", p)
}

func (s *Server) dashboardJSON(w http.ResponseWriter, r *http.Request, u province.User) error {
	_, lines, err := s.lines(r, u)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, lines)
	return nil
}

// span is the request's period (from, to inclusive, YYYY-MM-DD in the
// offices' zone; by default this month so far).
func (s *Server) span(r *http.Request, loc *time.Location) (from, to time.Time, err error) {
	now := s.now().In(loc)
	from = time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, loc)
	to = time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, loc).AddDate(0, 0, 1)
	q := r.URL.Query()
	if v := q.Get("from"); v != "" {
		if from, err = time.ParseInLocation("2006-01-02", v, loc); err != nil {
			return from, to, badRequest{"Ngày đầu phải dạng 2026-04-01 / the first day must be like 2026-04-01"}
		}
	}
	if v := q.Get("to"); v != "" {
		if to, err = time.ParseInLocation("2006-01-02", v, loc); err != nil {
			return from, to, badRequest{"Ngày cuối phải dạng 2026-06-30 / the last day must be like 2026-06-30"}
		}
		to = to.AddDate(0, 0, 1)
	}
	if !to.After(from) || to.Sub(from) > 3*366*24*time.Hour {
		return from, to, badRequest{"Khoảng thời gian phải từ 1 ngày đến 3 năm, ngày đầu trước ngày cuối / the period must be 1 day to 3 years, its first day before its last"}
	}
	return from, to, nil
}

// chosen are the offices the request names (office=…, repeated or comma
// separated; none: every office the user sees).
func chosen(r *http.Request, visible []province.Office) ([]province.Office, error) {
	var want []string
	for _, v := range r.URL.Query()["office"] {
		for _, id := range strings.Split(v, ",") {
			if id = strings.TrimSpace(id); id != "" {
				want = append(want, id)
			}
		}
	}
	if len(want) == 0 {
		return visible, nil
	}
	var out []province.Office
	for _, o := range visible {
		if slices.Contains(want, o.ID) {
			out = append(out, o)
		}
	}
	if len(out) != len(slices.Compact(slices.Sorted(slices.Values(want)))) {
		return nil, errForbidden
	}
	return out, nil
}

// ranked is one office in the rankings.
type ranked struct {
	Rank int
	api.OfficeFigures
	OnTime   float64 // the dossiers' on-time rate
	Resolved int
}

func (s *Server) rankings(w http.ResponseWriter, r *http.Request, u province.User) error {
	offices, err := s.visible(r.Context(), u)
	if err != nil {
		return err
	}
	if len(offices) == 0 {
		return badRequest{"Chưa có đơn vị nào gửi số liệu / no office has shipped yet"}
	}
	loc := province.Zone(offices)
	from, to, err := s.span(r, loc)
	if err != nil {
		return err
	}
	rep, err := province.Report(r.Context(), s.Pool, offices, from, to, s.now())
	if err != nil {
		return err
	}
	figures := rep.Figures.Offices
	if len(offices) == 1 {
		figures = []api.OfficeFigures{{ID: offices[0].ID, Name: offices[0].Name(), Tally: rep.Figures.Total, Dossiers: rep.Figures.Dossiers}}
	}
	var list []ranked
	for _, f := range figures {
		x := ranked{OfficeFigures: f}
		if f.Dossiers != nil {
			x.OnTime, x.Resolved = f.Dossiers.OnTimeRate, f.Dossiers.Resolved
		}
		list = append(list, x)
	}
	by := r.URL.Query().Get("sort")
	slices.SortStableFunc(list, func(a, b ranked) int {
		switch by {
		case "satisfied":
			return cmp.Compare(b.SatisfiedShare, a.SatisfiedShare)
		case "wait":
			return cmp.Compare(a.WaitMeanMinutes, b.WaitMeanMinutes)
		}
		by = "on_time"
		return cmp.Compare(b.OnTime, a.OnTime)
	})
	for i := range list {
		list[i].Rank = i + 1
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	return render(w, "rankings", page{Title: "Xếp hạng / Rankings", User: u, Ranked: list, Sort: by,
		From: from.Format("2006-01-02"), To: to.AddDate(0, 0, -1).Format("2006-01-02")})
}

func (s *Server) build(r *http.Request, u province.User) (reportfile.Report, []province.Office, []province.Office, error) {
	visible, err := s.visible(r.Context(), u)
	if err != nil {
		return reportfile.Report{}, nil, nil, err
	}
	if len(visible) == 0 {
		return reportfile.Report{}, nil, nil, badRequest{"Chưa có đơn vị nào gửi số liệu / no office has shipped yet"}
	}
	offices, err := chosen(r, visible)
	if err != nil {
		return reportfile.Report{}, nil, nil, err
	}
	from, to, err := s.span(r, province.Zone(offices))
	if err != nil {
		return reportfile.Report{}, nil, nil, err
	}
	rep, err := province.Report(r.Context(), s.Pool, offices, from, to, s.now())
	return rep, visible, offices, err
}

func (s *Server) report(w http.ResponseWriter, r *http.Request, u province.User) error {
	rep, visible, offices, err := s.build(r, u)
	if err != nil {
		return err
	}
	if format := r.URL.Query().Get("format"); format != "" {
		kind, ok := reportfile.Types[format]
		if !ok {
			return badRequest{"Định dạng " + format + " không có; dùng xlsx, csv hoặc pdf / no such format; use xlsx, csv or pdf"}
		}
		file, err := reportfile.Encode(rep, format)
		if err != nil {
			return err
		}
		w.Header().Set("Content-Type", kind)
		w.Header().Set("Content-Disposition", `attachment; filename="`+rep.Name(format)+`"`)
		_, err = w.Write(file)
		return err
	}
	p := page{Title: "Báo cáo / Report", User: u, Report: &rep, Grids: rep.Grids(), From: rep.From.Format("2006-01-02"), To: rep.To.Format("2006-01-02"),
		AllChosen: len(offices) == len(visible)}
	if rep.Figures.Dossiers != nil {
		p.Dossiers = rep.Dossiers()
	}
	q := r.URL.Query()
	q.Del("format")
	q.Set("from", p.From)
	q.Set("to", p.To)
	p.Query = q.Encode()
	for _, o := range visible {
		p.Choices = append(p.Choices, choice{ID: o.ID, Name: o.Name(), Chosen: slices.ContainsFunc(offices, func(c province.Office) bool { return c.ID == o.ID })})
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	return render(w, "report", p)
}

func (s *Server) reportJSON(w http.ResponseWriter, r *http.Request, u province.User) error {
	rep, _, _, err := s.build(r, u)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, rep.Figures)
	return nil
}
