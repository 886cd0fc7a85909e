package server

import (
	"net/http"
	"strings"
	"time"

	"motcua/internal/api"
	"motcua/internal/auth"
	"motcua/internal/intake"
	"motcua/internal/problem"
	"motcua/internal/queue"
	"motcua/internal/reply"
	"motcua/internal/reportfile"
)

// handleReport answers a period's report (supervisor or admin):
// GET /api/v1/admin/report?from=2026-01-01&to=2026-12-31 as JSON, and with
// &format=csv, xlsx or pdf the same figures as a file.
func (s *Server) handleReport(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	if err := auth.NeedSupervisor(p); err != nil {
		return err
	}
	return s.reportFile(w, r, r.URL.Query().Get("format"))
}

// reportFile answers the request's period as JSON (format "" or json) or
// as a file.
func (s *Server) reportFile(w http.ResponseWriter, r *http.Request, format string) error {
	if _, ok := reportfile.Types[format]; !ok && format != "" && format != "json" {
		return problem.Errorf(problem.EInvalid, "Định dạng %q không có; dùng json, csv, xlsx hoặc pdf", "no format %q; use json, csv, xlsx or pdf", format)
	}
	rep, err := s.report(r)
	if err != nil {
		return err
	}
	if format == "" || format == "json" {
		reply.JSON(w, http.StatusOK, rep.Figures)
		return nil
	}
	file, err := reportfile.Encode(rep, format)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", reportfile.Types[format])
	w.Header().Set("Content-Disposition", `attachment; filename="`+rep.Name(format)+`"`)
	w.Write(file)
	return nil
}

// report is the period the request names (from, to), with its figures.
func (s *Server) report(r *http.Request) (reportfile.Report, error) {
	c := s.conf()
	from, to, err := period(r, c.loc)
	if err != nil {
		return reportfile.Report{}, err
	}
	if !to.After(from) || to.Sub(from) > 3*366*24*time.Hour {
		return reportfile.Report{}, problem.Errorf(problem.EInvalid, "Khoảng thời gian phải từ 1 ngày đến 3 năm, ngày đầu trước ngày cuối", "the period must be 1 day to 3 years, its first day before its last")
	}
	last := to.AddDate(0, 0, -1)
	tickets, err := s.q.Report(queue.DayOf(from, c.loc), queue.DayOf(last, c.loc))
	if err != nil {
		return reportfile.Report{}, err
	}
	out := reportfile.Report{Office: c.office.Name, From: from, To: last, Made: s.now().In(c.loc), Figures: api.Report{Report: tickets}, Clerks: map[string]string{}, Rating: c.office.WithDefaults().Rating.Options, Reasons: c.office.WithDefaults().Rating.Reasons,
		MinCases: c.office.WithDefaults().Rules.MinCases}
	if s.dossiers != nil {
		if err := s.tallyDossiers(&out.Figures, from, to); err != nil {
			return reportfile.Report{}, err
		}
	}
	if taken, arrived, err := s.q.PastBookings(from, to, s.now()); err != nil {
		return reportfile.Report{}, err
	} else if taken > 0 {
		out.Figures.Bookings = &api.BookingFigures{Taken: taken, Arrived: arrived}
	}
	for _, u := range s.staff() {
		out.Clerks[u.Username] = u.Name
	}
	return out, nil
}

// tallyDossiers puts the period's dossier figures in rep, from the day
// tallies: in all, by the clerk who received them, by procedure, and month
// by month.
func (s *Server) tallyDossiers(rep *api.Report, from, to time.Time) error {
	flows, err := s.dossiers.DossierFlows(to)
	if err != nil {
		return err
	}
	loc := s.conf().loc
	all := intake.Sum(flows[""], from, to, loc)
	rep.Dossiers = &all
	names, fieldOf := map[string]string{}, map[string]string{}
	for _, p := range s.catalogue.Load().Procedures {
		names[p.Code], fieldOf[p.Code] = p.Name, p.Field
	}
	rep.DossiersByClerk, rep.DossiersByProcedure = map[string]*intake.Period{}, map[string]*intake.Period{}
	fields := map[string]map[string]*intake.Flows{} // field -> its procedures' days, merged
	for group, days := range flows {
		if code, ok := strings.CutPrefix(group, "p:"); ok {
			field := fieldOf[code]
			if field == "" {
				field = "(chưa phân lĩnh vực)"
			}
			if fields[field] == nil {
				fields[field] = map[string]*intake.Flows{}
			}
			intake.Merge(fields[field], days)
		}
	}
	rep.DossiersByField = map[string]*intake.Period{}
	for field, days := range fields {
		if p := intake.Sum(days, from, to, loc); p.Received+p.Resolved+p.CarriedOver > 0 {
			rep.DossiersByField[field] = &p
		}
	}
	for group, days := range flows {
		p := intake.Sum(days, from, to, loc)
		if p.Received+p.Resolved+p.CarriedOver == 0 {
			continue
		}
		switch {
		case strings.HasPrefix(group, "c:"):
			rep.DossiersByClerk[group[2:]] = &p
		case strings.HasPrefix(group, "p:"):
			rep.DossiersByProcedure[strings.TrimSpace(group[2:]+" "+names[group[2:]])] = &p
		}
	}
	for m := time.Date(from.Year(), from.Month(), 1, 0, 0, 0, 0, loc); m.Before(to); m = m.AddDate(0, 1, 0) {
		start, end := m, m.AddDate(0, 1, 0)
		if start.Before(from) {
			start = from
		}
		if end.After(to) {
			end = to
		}
		rep.DossiersByMonth = append(rep.DossiersByMonth, api.MonthPeriod{Month: m.Format("2006-01"), Period: intake.Sum(flows[""], start, end, loc)})
	}
	return nil
}
