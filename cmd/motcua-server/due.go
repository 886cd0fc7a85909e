package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"motcua/assets"
	"motcua/internal/calendar"
	"motcua/internal/problem"
	"motcua/internal/queue"
)

// loadCalendar builds the office calendar from the shipped years, replaced or
// extended by the given files (one year each).
func loadCalendar(loc *time.Location, files []string, hours calendar.Hours) (*calendar.Calendar, error) {
	years := map[int]calendar.Year{}
	shipped, err := calendar.ParseYears(assets.Calendars, "calendar/*.json")
	if err != nil {
		return nil, err
	}
	for _, y := range shipped {
		years[y.Year] = y
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, problem.Errorf(problem.EInvalid, "Không đọc được lịch %s: %v", "cannot read calendar %s: %v", f, err)
		}
		y, err := calendar.ParseYear(data)
		if err != nil {
			return nil, err
		}
		years[y.Year] = y // an office's file replaces the shipped year
	}
	list := make([]calendar.Year, 0, len(years))
	for _, y := range years {
		list = append(list, y)
	}
	return calendar.New(loc, hours, list...)
}

type fileList []string

func (f *fileList) String() string     { return strings.Join(*f, ",") }
func (f *fileList) Set(s string) error { *f = append(*f, s); return nil }

// runDue prints the appointment date for a dossier received at a time, with a
// deadline in working or calendar days: the date first (YYYY-MM-DD), then the time.
func runDue(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("due", flag.ContinueOnError)
	fs.SetOutput(stderr)
	received := fs.String("received", "", "when the dossier was received, e.g. 2026-04-29T10:00 (office time)")
	working := fs.Int("working-days", -1, "deadline in working days")
	days := fs.Int("calendar-days", -1, "deadline in calendar days")
	var files fileList
	cutOff := fs.String("cut-off", "", "the procedure's cut-off, HH:MM: received at or after it, the dossier counts from the next working day")
	fs.Var(&files, "calendar", "a year's calendar file (JSON, docs/CALENDAR.md); replaces the shipped year; repeatable")
	if err := fs.Parse(args); err != nil {
		return usageError(err.Error())
	}
	if *received == "" || (*working < 0) == (*days < 0) {
		return usageError("due cần --received và một trong --working-days hoặc --calendar-days / due needs --received and one of --working-days or --calendar-days")
	}
	loc, err := queue.Office{}.Location() // the default office zone, Asia/Ho_Chi_Minh
	if err != nil {
		return err
	}
	cal, err := loadCalendar(loc, files, calendar.DefaultHours())
	if err != nil {
		return err
	}
	var at time.Time
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02 15:04", "2006-01-02T15:04:05", "2006-01-02"} {
		if at, err = time.ParseInLocation(layout, *received, loc); err == nil {
			break
		}
	}
	if err != nil {
		return problem.Errorf(problem.EInvalid, "Thời điểm tiếp nhận %q không đúng dạng 2026-04-29T10:00", "received time %q is not like 2026-04-29T10:00", *received)
	}
	amount, unit := *working, calendar.WorkingDays
	if *days >= 0 {
		amount, unit = *days, calendar.CalendarDays
	}
	from, err := cal.Counted(at, *cutOff)
	if err != nil {
		return err
	}
	due, err := cal.Due(from, amount, unit)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, due.Format("2006-01-02 15:04"))
	return nil
}
