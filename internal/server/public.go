package server

import (
	"cmp"
	"fmt"
	"html/template"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"motcua/internal/calendar"
	"motcua/internal/intake"
	"motcua/internal/queue"
	"motcua/internal/web"
)

// The public transparency page (/cong-khai): this month's and quarter's
// on-time rate by field (lĩnh vực), the dossiers overdue now, the citizens'
// satisfaction this month and today's mean wait. Counts only: no name, ID
// number, phone or address ever reaches it, nor a clerk's name. It is made
// at most once a minute, whoever asks.

var publicPage = template.Must(template.New("").ParseFS(web.Console(), "congkhai.html"))

// publicView is what the page shows.
type publicView struct {
	Office, Made         string
	WaitToday, Satisfied string
	ServedToday, Rated   int
	Overdue              int
	Periods              []publicPeriod
}

type publicPeriod struct {
	Title, TitleEN string
	Rows           []publicRow
}

type publicRow struct {
	Field                            string
	Received, Resolved, InTime, Late int
	Rate                             string
}

// publicCache keeps the page for a minute.
type publicCache struct {
	mu   sync.Mutex
	at   time.Time
	view *publicView
}

func (s *Server) handlePublic(w http.ResponseWriter, r *http.Request) {
	view, err := s.publicView()
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", "default-src 'self'; script-src 'none'; frame-ancestors 'none'")
	if err != nil {
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprint(w, "<p>Chưa lấy được số liệu; thử lại sau. / The figures are not available; try again later.</p>")
		return
	}
	publicPage.ExecuteTemplate(w, "congkhai", view)
}

func (s *Server) publicView() (*publicView, error) {
	s.public.mu.Lock()
	defer s.public.mu.Unlock()
	now := s.now()
	if s.public.view != nil && now.Sub(s.public.at) < time.Minute && now.After(s.public.at) {
		return s.public.view, nil
	}
	c := s.conf()
	local := now.In(c.loc)
	today, month, quarter, _ := calendar.Starts(local)
	tomorrow := today.AddDate(0, 0, 1)
	percent := func(v float64) string { return strings.Replace(fmt.Sprintf("%.1f%%", 100*v), ".", ",", 1) }
	view := &publicView{Office: c.office.Name, Made: local.Format("15:04 02/01/2006")}
	day, err := s.q.Report(queue.DayOf(today, c.loc), queue.DayOf(today, c.loc))
	if err != nil {
		return nil, err
	}
	view.WaitToday, view.ServedToday = "—", day.Total.Served
	if day.Total.Called > 0 {
		view.WaitToday = fmt.Sprintf("%.0f", day.Total.WaitMeanMinutes)
	}
	mon, err := s.q.Report(queue.DayOf(month, c.loc), queue.DayOf(today, c.loc))
	if err != nil {
		return nil, err
	}
	view.Satisfied, view.Rated = "—", mon.Total.Rated
	if mon.Total.Rated > 0 {
		view.Satisfied = percent(mon.Total.SatisfiedShare)
	}
	if s.dossiers != nil {
		flows, err := s.dossiers.DossierFlows(tomorrow) // counts only: no dossier is read
		if err != nil {
			return nil, err
		}
		view.Overdue = intake.Sum(flows[""], today, tomorrow, c.loc).OpenOverdue
		field := map[string]string{}
		for _, p := range s.catalogue.Load().Procedures {
			field[p.Code] = p.Field
		}
		byField := map[string]map[string]*intake.Flows{}
		for group, days := range flows {
			if !strings.HasPrefix(group, "p:") {
				continue
			}
			f := cmp.Or(field[group[2:]], "Khác / Other")
			if byField[f] == nil {
				byField[f] = map[string]*intake.Flows{}
			}
			intake.Merge(byField[f], days)
		}
		for _, per := range []struct {
			title, en string
			from      time.Time
		}{{fmt.Sprintf("Tháng %d/%d", today.Month(), today.Year()), "This month", month}, {fmt.Sprintf("Quý %d/%d", (today.Month()-1)/3+1, today.Year()), "This quarter", quarter}} {
			p := publicPeriod{Title: per.title, TitleEN: per.en}
			fields := make([]string, 0, len(byField))
			for f := range byField {
				fields = append(fields, f)
			}
			slices.Sort(fields)
			for _, f := range append(fields, "Tổng / Total") {
				days := byField[f]
				if f == "Tổng / Total" {
					days = flows[""]
				}
				t := intake.Sum(days, per.from, tomorrow, c.loc)
				if t.Received+t.Resolved == 0 {
					continue
				}
				row := publicRow{Field: f, Received: t.Received, Resolved: t.Resolved, InTime: t.Early + t.OnTime, Late: t.Late, Rate: "—"}
				if t.Resolved > 0 {
					row.Rate = percent(t.OnTimeRate)
				}
				p.Rows = append(p.Rows, row)
			}
			view.Periods = append(view.Periods, p)
		}
	}
	s.public.at, s.public.view = now, view
	return view, nil
}
