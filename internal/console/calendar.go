package console

import (
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"motcua/internal/auth"
	"motcua/internal/calendar"
	"motcua/internal/problem"
	"motcua/internal/reply"
)

// calendarView is the working calendar's page: the years in force and the
// add-a-day form.
type calendarView struct {
	frame
	Version uint64
	Years   []calendar.Year
	NewDay  calendar.Entry
}

func (c *Console) calendarPage(w http.ResponseWriter, r *http.Request, p auth.Principal) {
	v, _ := c.Settings.Settings()
	c.render(w, http.StatusOK, calendarPage, p, &calendarView{Version: v, Years: sortedYears(c.InForce.Years()), NewDay: calendar.Entry{Kind: calendar.Holiday},
		frame: frame{Notice: saved(r, "Đã lưu; ngày hẹn trả tính theo lịch mới. / Saved; due dates follow the new calendar.")}})
}

// saveCalendar adds a day to its year, removes one, or imports a year's
// file (the shape of assets/calendar/vn-YYYY.json), which replaces that
// year whole.
func (c *Console) saveCalendar(w http.ResponseWriter, r *http.Request, p auth.Principal) {
	readUpload(r)
	base, _ := strconv.ParseUint(r.FormValue("version"), 10, 64)
	f := r.Form
	day := calendar.Entry{Date: strings.TrimSpace(f.Get("date")), Kind: f.Get("kind"), Name: strings.TrimSpace(f.Get("name"))}
	years, notice, err := editYears(r, slices.Clone(c.InForce.Years()), day)
	if err == nil {
		_, err = c.Settings.ChangeCalendar(r.Context(), p.Actor, base, years)
	}
	page := &calendarView{Version: base, NewDay: day}
	if err != nil {
		page.Years, page.Error = sortedYears(c.InForce.Years()), problem.As(err)
		c.render(w, reply.Status(page.Error.Code), calendarPage, p, page)
		return
	}
	if notice == "" {
		http.Redirect(w, r, "/admin/calendar?saved=1", http.StatusSeeOther)
		return
	}
	page.Version, _ = c.Settings.Settings()
	page.Years, page.Notice, page.NewDay = sortedYears(c.InForce.Years()), notice, calendar.Entry{Kind: calendar.Holiday}
	c.render(w, http.StatusOK, calendarPage, p, page)
}

// editYears applies the form's action to the years in force: an imported
// year (with the notice saying so), a day added or removed.
func editYears(r *http.Request, years []calendar.Year, day calendar.Entry) ([]calendar.Year, string, error) {
	if years == nil {
		return nil, "", problem.Errorf(problem.EConflict, "Máy chủ này không tiếp nhận hồ sơ: không có lịch để sửa", "this server does no intake: there is no calendar to edit")
	}
	if r.Form.Get("action") == "import" {
		y, err := uploadedYear(r)
		if err != nil {
			return nil, "", err
		}
		if i := slices.IndexFunc(years, func(o calendar.Year) bool { return o.Year == y.Year }); i >= 0 {
			years[i] = y
		} else {
			years = append(years, y)
		}
		return years, fmt.Sprintf("Đã nhập lịch năm %d: %d ngày đặc biệt, thay lịch cũ của năm đó; ngày hẹn trả tính theo lịch mới. / The %d calendar is imported: %d special days, in place of that year's; due dates follow it.", y.Year, len(y.Entries), y.Year, len(y.Entries)), nil
	}
	t, err := time.Parse("2006-01-02", day.Date)
	if err != nil {
		return nil, "", problem.Errorf(problem.EInvalid, "Ngày %q phải dạng 2026-09-02", "the date %q must look like 2026-09-02", day.Date)
	}
	i := slices.IndexFunc(years, func(y calendar.Year) bool { return y.Year == t.Year() })
	if i < 0 {
		years, i = append(years, calendar.Year{Year: t.Year(), Source: "console"}), len(years)
	}
	y := years[i]
	y.Entries = slices.DeleteFunc(slices.Clone(y.Entries), func(e calendar.Entry) bool { return e.Date == day.Date })
	if r.Form.Get("action") == "add" {
		y.Entries = append(y.Entries, day)
		slices.SortFunc(y.Entries, func(a, b calendar.Entry) int { return strings.Compare(a.Date, b.Date) })
	}
	years[i] = y
	return years, "", nil
}

// uploadedYear is the calendar year in the form's file, checked.
func uploadedYear(r *http.Request) (calendar.Year, error) {
	file, _, err := r.FormFile("upload")
	if err != nil {
		return calendar.Year{}, problem.Errorf(problem.EInvalid, "Hãy chọn tệp lịch của một năm (JSON, như assets/calendar/vn-2027.json)", "choose a year's calendar file (JSON, like assets/calendar/vn-2027.json)")
	}
	defer file.Close()
	raw, _ := io.ReadAll(io.LimitReader(file, reply.MaxSettings))
	y, err := calendar.ParseYear(raw)
	if err != nil {
		return calendar.Year{}, err
	}
	if y.Year < 2000 || y.Year > 2100 {
		return calendar.Year{}, problem.Errorf(problem.EInvalid, "Tệp lịch thiếu năm hoặc năm %d không hợp lệ", "the calendar file has no year, or %d is not one", y.Year)
	}
	if y.Source == "" {
		y.Source = "console"
	}
	return y, nil
}

func sortedYears(years []calendar.Year) []calendar.Year {
	out := slices.Clone(years)
	slices.SortFunc(out, func(a, b calendar.Year) int { return a.Year - b.Year })
	return out
}
