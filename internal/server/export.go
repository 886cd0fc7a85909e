package server

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"motcua/internal/auth"
	"motcua/internal/csvsafe"
	"motcua/internal/intake"
	"motcua/internal/problem"
	"motcua/internal/queue"
)

// The period's tickets and dossiers as CSV rows, without personal data (no
// applicant, no token, no note): for an analyst's own spreadsheet. GET
// /api/v1/admin/export?from=…&to=…&what=tickets|dossiers, and the reports
// page's links.

func (s *Server) handleExport(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	if err := auth.NeedSupervisor(p); err != nil {
		return err
	}
	return s.export(w, r)
}

func (s *Server) export(w http.ResponseWriter, r *http.Request) error {
	c := s.conf()
	from, to, err := period(r, c.loc)
	if err != nil {
		return err
	}
	if !to.After(from) || to.Sub(from) > 3*366*24*time.Hour {
		return problem.Errorf(problem.EInvalid, "Khoảng thời gian phải từ 1 ngày đến 3 năm", "the period must be 1 day to 3 years")
	}
	what := r.URL.Query().Get("what")
	if what != "tickets" && (what != "dossiers" || s.dossiers == nil) {
		return problem.Errorf(problem.EInvalid, "Tham số what phải là tickets hoặc dossiers (khi có tiếp nhận hồ sơ)", "what must be tickets or dossiers (with intake)")
	}
	clock := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.In(c.loc).Format("2006-01-02 15:04:05")
	}
	minutes := func(a, b time.Time) string {
		if a.IsZero() || b.IsZero() || b.Before(a) {
			return ""
		}
		return strconv.FormatFloat(b.Sub(a).Minutes(), 'f', 1, 64)
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s-%s-%s.csv"`, what, from.Format("20060102"), to.AddDate(0, 0, -1).Format("20060102")))
	w.Write([]byte("\xef\xbb\xbf"))
	out := csvsafe.NewWriter(w)
	defer out.Flush()
	if what == "tickets" {
		out.Write([]string{"id", "day", "number", "first_service", "service", "priority", "channel", "state", "counter", "clerk",
			"issued_at", "called_at", "serving_at", "done_at", "wait_minutes", "service_minutes", "transfers", "recalls", "rating", "reasons"})
		return s.q.EachTicket(queue.DayOf(from, c.loc), queue.DayOf(to.AddDate(0, 0, -1), c.loc), func(t queue.Ticket) error {
			rating, reasons := "", ""
			if t.Rating != nil {
				rating = t.Rating.Option
				for i, x := range t.Rating.Reasons {
					if i > 0 {
						reasons += ";"
					}
					reasons += x
				}
			}
			start := t.ServingAt
			if start.IsZero() {
				start = t.CalledAt
			}
			return out.Write([]string{t.ID, t.Day, strconv.Itoa(t.Number), t.FirstServiceID, t.ServiceID, t.Priority, string(t.Channel), string(t.State),
				strconv.Itoa(t.Counter), t.Clerk, clock(t.IssuedAt), clock(t.CalledAt), clock(t.ServingAt), clock(t.DoneAt),
				minutes(t.QueuedAt, t.CalledAt), minutes(start, t.DoneAt), strconv.Itoa(t.Transfers), strconv.Itoa(t.Recalls), rating, reasons})
		})
	}
	list, err := s.dossiers.Dossiers(from, to)
	if err != nil {
		return err
	}
	out.Write([]string{"code", "procedure", "procedure_name", "service", "clerk", "counter", "status", "delivery",
		"received_at", "due_at", "ready_at", "returned_at", "timeliness", "supplements", "apology"})
	for _, d := range list {
		supplements := 0
		for _, h := range d.History {
			if h.To == intake.Supplement {
				supplements++
			}
		}
		apology := ""
		if d.Apology != nil {
			apology = clock(d.Apology.At)
		}
		out.Write([]string{d.Code, d.Procedure, d.ProcedureName, d.Service, d.Clerk, strconv.Itoa(d.Counter), string(d.Status), d.Delivery,
			clock(d.ReceivedAt), clock(d.DueAt), clock(d.ReadyAt), clock(d.ReturnedAt), d.Timeliness(s.now(), c.loc), strconv.Itoa(supplements), apology})
	}
	return nil
}
