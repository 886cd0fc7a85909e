// Package calendar answers when a dossier's result is due: office hours
// (morning and afternoon sessions), weekends, and per-year entries of three
// kinds — holiday, substitute day off, make-up working day — loaded as data
// (lunar dates are published each year, not computed). Standard library only.
//
// Deadlines in working days are counted the way deployed one-stop systems do,
// in office hours (a working day is the day's session time, 8 h by default),
// from the moment of receipt; a dossier received outside office hours starts
// at the next session. This agrees on dates with "counting starts the day after
// receipt; a deadline on a day off moves to the next working day": N working
// days after receipt at 10:00 is the Nth working day after at 10:00, and a
// count that ends exactly at closing falls due at the next opening.
package calendar

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"sort"
	"strings"
	"time"

	"motcua/internal/problem"
)

// Kinds of calendar entries.
const (
	Holiday       = "holiday"        // ngày lễ, Tết
	SubstituteOff = "substitute_off" // nghỉ bù, nghỉ hoán đổi
	MakeUp        = "makeup"         // làm bù: a weekend day worked
)

// Entry is one day of a year's calendar.
type Entry struct {
	Date        string `json:"date"` // YYYY-MM-DD
	Kind        string `json:"kind"`
	Name        string `json:"name"`
	Provisional bool   `json:"provisional,omitempty"` // not yet published officially
}

// Year is one year's entries, as shipped in assets/calendar/vn-YYYY.json.
type Year struct {
	Year    int     `json:"year"`
	Source  string  `json:"source,omitempty"`
	Entries []Entry `json:"entries"`
}

// Session is an office-hours session, "07:30"–"11:30".
type Session struct {
	Start string `json:"start"`
	End   string `json:"end"`
}

// Hours are the office's sessions on weekdays and, where Saturday mornings
// count for deadlines (a per-office setting, normally not), on Saturdays.
type Hours struct {
	Weekday  []Session `json:"weekday,omitempty"`
	Saturday []Session `json:"saturday,omitempty"`
}

// DefaultHours: 07:30–11:30 and 13:30–17:30, 8 h a day; Saturdays do not count.
func DefaultHours() Hours {
	return Hours{Weekday: []Session{{"07:30", "11:30"}, {"13:30", "17:30"}}}
}

// Check says whether the hours are well formed: each session HH:MM to a
// later HH:MM, the sessions in order and apart.
func (h Hours) Check() error {
	if _, err := spans(h.Weekday); err != nil {
		return err
	}
	_, err := spans(h.Saturday)
	return err
}

// Span is a weekday's opening (its first session's start) and closing (its
// last session's end); "" both when the hours have no weekday session.
func (h Hours) Span() (opens, closes string) {
	if len(h.Weekday) == 0 {
		return "", ""
	}
	return h.Weekday[0].Start, h.Weekday[len(h.Weekday)-1].End
}

// Text is the hours as a board posts them: "7:30–11:30, 13:30–17:30", and
// Saturday's after "thứ Bảy / Sat" where it has any.
func (h Hours) Text() string {
	list := func(ss []Session) string {
		parts := make([]string, 0, len(ss))
		for _, x := range ss {
			parts = append(parts, strings.TrimPrefix(x.Start, "0")+"–"+strings.TrimPrefix(x.End, "0"))
		}
		return strings.Join(parts, ", ")
	}
	out := list(h.Weekday)
	if len(h.Saturday) > 0 {
		out += "; thứ Bảy / Sat " + list(h.Saturday)
	}
	return out
}

type span struct{ start, end int } // minutes after midnight

// Calendar is an office's working calendar.
type Calendar struct {
	loc      *time.Location
	weekday  []span
	saturday []span
	dayLen   int // minutes in a weekday: one working day
	days     map[string]Entry
	years    map[int]bool
	list     []Year // as given, for Years
	hours    Hours
}

// ParseYear reads one year's entries and checks them.
func ParseYear(data []byte) (Year, error) {
	var y Year
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&y); err != nil {
		return y, errorf("Lịch năm không đọc được: %v", "calendar year is not valid JSON: %v", err)
	}
	seen := map[string]bool{}
	for _, e := range y.Entries {
		d, err := time.Parse("2006-01-02", e.Date)
		if err != nil || d.Year() != y.Year {
			return y, errorf("Lịch năm %d: ngày %q không hợp lệ hoặc không thuộc năm này", "calendar %d: date %q is invalid or not in the year", y.Year, e.Date)
		}
		if seen[e.Date] {
			return y, errorf("Lịch năm %d: ngày %s khai báo hai lần", "calendar %d: date %s listed twice", y.Year, e.Date)
		}
		seen[e.Date] = true
		weekend := d.Weekday() == time.Saturday || d.Weekday() == time.Sunday
		switch {
		case e.Kind == MakeUp && !weekend:
			return y, errorf("Lịch năm %d: ngày làm bù %s không phải cuối tuần", "calendar %d: make-up day %s is not a weekend day", y.Year, e.Date)
		case e.Kind == SubstituteOff && weekend:
			return y, errorf("Lịch năm %d: ngày nghỉ bù %s rơi vào cuối tuần", "calendar %d: substitute day off %s is a weekend day", y.Year, e.Date)
		case e.Kind != Holiday && e.Kind != SubstituteOff && e.Kind != MakeUp:
			return y, errorf("Lịch năm %d: loại %q; dùng holiday, substitute_off hoặc makeup", "calendar %d: kind %q; use holiday, substitute_off or makeup", y.Year, e.Kind)
		}
	}
	return y, nil
}

// New builds a calendar in loc from the office hours and the years' entries.
func New(loc *time.Location, hours Hours, years ...Year) (*Calendar, error) {
	if len(hours.Weekday) == 0 {
		hours = DefaultHours()
	}
	c := &Calendar{loc: loc, days: map[string]Entry{}, years: map[int]bool{}, list: years, hours: hours}
	var err error
	if c.weekday, err = spans(hours.Weekday); err != nil {
		return nil, err
	}
	if c.saturday, err = spans(hours.Saturday); err != nil {
		return nil, err
	}
	for _, s := range c.weekday {
		c.dayLen += s.end - s.start
	}
	for _, y := range years {
		c.years[y.Year] = true
		for _, e := range y.Entries {
			c.days[e.Date] = e
		}
	}
	return c, nil
}

// Years returns the years the calendar was built from.
func (c *Calendar) Years() []Year { return c.list }

// Hours returns the office hours it counts in.
func (c *Calendar) Hours() Hours { return c.hours }

// CheckYears checks each year as ParseYear does a file's.
func CheckYears(years []Year) error {
	seen := map[int]bool{}
	for _, y := range years {
		if seen[y.Year] {
			return errorf("Lịch năm %d có hai lần", "calendar %d is given twice", y.Year)
		}
		seen[y.Year] = true
		raw, _ := json.Marshal(y)
		if _, err := ParseYear(raw); err != nil {
			return err
		}
	}
	return nil
}

func spans(ss []Session) ([]span, error) {
	var out []span
	for _, s := range ss {
		a, err1 := clock(s.Start)
		b, err2 := clock(s.End)
		if err1 != nil || err2 != nil || b <= a || len(out) > 0 && a < out[len(out)-1].end {
			return nil, errorf("Giờ làm việc %q–%q không hợp lệ", "office hours %q-%q are invalid", s.Start, s.End)
		}
		out = append(out, span{a, b})
	}
	return out, nil
}

func clock(s string) (int, error) {
	t, err := time.Parse("15:04", s)
	if err != nil {
		return 0, err
	}
	return t.Hour()*60 + t.Minute(), nil
}

// Entry returns the calendar's entry for the local date of t, if any.
func (c *Calendar) Entry(t time.Time) (Entry, bool) {
	e, ok := c.days[t.In(c.loc).Format("2006-01-02")]
	return e, ok
}

// sessions are the working sessions of t's local date (none on a day off).
func (c *Calendar) sessions(t time.Time) []span {
	e, listed := c.Entry(t)
	switch {
	case listed && (e.Kind == Holiday || e.Kind == SubstituteOff):
		return nil
	case listed && e.Kind == MakeUp:
		return c.weekday
	}
	switch t.In(c.loc).Weekday() {
	case time.Sunday:
		return nil
	case time.Saturday:
		return c.saturday
	}
	return c.weekday
}

// Working reports whether t's local date is a working day.
func (c *Calendar) Working(t time.Time) bool { return len(c.sessions(t)) > 0 }

// at is midnight + minutes of t's local date.
func (c *Calendar) at(t time.Time, minutes int) time.Time {
	y, m, d := t.In(c.loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, c.loc).Add(time.Duration(minutes) * time.Minute)
}

func (c *Calendar) nextDay(t time.Time) time.Time {
	y, m, d := t.In(c.loc).Date()
	return time.Date(y, m, d+1, 0, 0, 0, 0, c.loc)
}

// covered checks that t's year is loaded, so no deadline is computed on guesses.
func (c *Calendar) covered(t time.Time) error {
	if y := t.In(c.loc).Year(); !c.years[y] {
		have := make([]int, 0, len(c.years))
		for y := range c.years {
			have = append(have, y)
		}
		sort.Ints(have)
		return errorf("Chưa có lịch nghỉ lễ năm %d (đang có: %v); hãy nạp lịch năm đó", "no holiday calendar for %d (loaded: %v); load that year", y, have)
	}
	return nil
}

// open is the first moment at or after t inside a session.
func (c *Calendar) open(t time.Time) (time.Time, error) {
	for range 400 {
		if err := c.covered(t); err != nil {
			return t, err
		}
		mins := t.In(c.loc).Hour()*60 + t.In(c.loc).Minute()
		for _, s := range c.sessions(t) {
			if mins < s.end {
				if mins < s.start {
					return c.at(t, s.start), nil
				}
				return t, nil
			}
		}
		t = c.nextDay(t)
	}
	return t, errorf("Không tìm thấy ngày làm việc trong 400 ngày", "no working day within 400 days")
}

// addWorking walks minutes of office time from t. A count that ends exactly at
// the end of a session falls due at the next opening.
func (c *Calendar) addWorking(t time.Time, minutes int) (time.Time, error) {
	t, err := c.open(t)
	if err != nil {
		return t, err
	}
	for {
		mins := t.In(c.loc).Hour()*60 + t.In(c.loc).Minute()
		for _, s := range c.sessions(t) {
			if mins >= s.end {
				continue
			}
			from := max(mins, s.start)
			avail := s.end - from
			if minutes < avail {
				return c.at(t, from+minutes), nil
			}
			minutes -= avail
			if minutes == 0 {
				return c.open(c.at(t, s.end))
			}
			mins = s.end
		}
		if t, err = c.open(c.nextDay(t)); err != nil {
			return t, err
		}
	}
}

// closing is the end of the last session of t's date.
func (c *Calendar) closing(t time.Time) time.Time {
	ss := c.sessions(t)
	return c.at(t, ss[len(ss)-1].end)
}

// Units of a deadline (the procedure catalogue's processing units).
const (
	SameDay      = "same_day"
	WorkingDays  = "working_days"
	CalendarDays = "calendar_days"
	WorkingHours = "working_hours"
)

// Counted is when a dossier received at received starts to count: then, or
// — received at or after cutOff ("HH:MM", the procedure's; "" for none) —
// the opening of the next working day.
func (c *Calendar) Counted(received time.Time, cutOff string) (time.Time, error) {
	if cutOff == "" {
		return received, nil
	}
	t, err := time.Parse("15:04", cutOff)
	if err != nil {
		return received, errorf("Giờ chốt %q không hợp lệ (HH:MM)", "cut-off %q is not HH:MM", cutOff)
	}
	local := received.In(c.loc)
	y, m, d := local.Date()
	if local.Before(time.Date(y, m, d, t.Hour(), t.Minute(), 0, 0, c.loc)) {
		return received, nil
	}
	return c.open(time.Date(y, m, d+1, 0, 0, 0, 0, c.loc))
}

// Due is the appointment for a dossier received at received with a deadline
// of amount units.
func (c *Calendar) Due(received time.Time, amount int, unit string) (time.Time, error) {
	if amount < 0 || amount > 3650 {
		return time.Time{}, errorf("Thời hạn %d không hợp lệ", "deadline %d is out of range", amount)
	}
	switch unit {
	case WorkingDays:
		return c.addWorking(received, amount*c.dayLen)
	case WorkingHours:
		return c.addWorking(received, amount*60)
	case SameDay:
		start, err := c.open(received)
		if err != nil {
			return start, err
		}
		return c.closing(start), nil
	case CalendarDays:
		start, err := c.open(received) // after closing: from the next working morning
		if err != nil {
			return start, err
		}
		y, m, d := start.In(c.loc).Date()
		due := time.Date(y, m, d+amount, 0, 0, 0, 0, c.loc)
		if due, err = c.open(due); err != nil { // a day off moves to the next working day
			return due, err
		}
		return c.closing(due), nil
	}
	return time.Time{}, errorf("Đơn vị thời hạn %q không hợp lệ", "deadline unit %q is invalid", unit)
}

// errorf is a bilingual error that is the input's fault (a bad year file, a
// date with no calendar).
func errorf(vi, en string, args ...any) error { return problem.Invalidf(vi, en, args...) }

// ParseYears reads every year file matching glob in fsys (the shipped years
// are assets.Calendars, "calendar/*.json").
func ParseYears(fsys fs.FS, glob string) ([]Year, error) {
	names, err := fs.Glob(fsys, glob)
	if err != nil {
		return nil, err
	}
	var out []Year
	for _, name := range names {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		y, err := ParseYear(data)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		out = append(out, y)
	}
	return out, nil
}
