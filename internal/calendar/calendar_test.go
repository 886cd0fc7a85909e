package calendar

import (
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

var hcm, _ = time.LoadLocation("Asia/Ho_Chi_Minh")

func shipped(t *testing.T) *Calendar {
	t.Helper()
	var years []Year
	for _, f := range []string{"vn-2026.json", "vn-2027.json"} {
		data, err := os.ReadFile("../../assets/calendar/" + f)
		if err != nil {
			t.Fatal(err)
		}
		y, err := ParseYear(data)
		if err != nil {
			t.Fatal(err)
		}
		years = append(years, y)
	}
	c, err := New(hcm, DefaultHours(), years...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, hcm)
	if err != nil {
		panic(err)
	}
	return t
}

func TestDue(t *testing.T) {
	c := shipped(t)
	for _, tc := range []struct {
		name, received string
		amount         int
		unit           string
		want           string
	}{
		// Working days, counted in office hours (8 h a day).
		{"plain week", "2026-03-04 10:00", 3, WorkingDays, "2026-03-09 10:00"},
		{"one day from opening", "2026-03-04 07:30", 1, WorkingDays, "2026-03-05 07:30"},
		{"after closing counts from the next morning", "2026-03-02 18:00", 3, WorkingDays, "2026-03-06 07:30"},
		{"before opening", "2026-03-02 06:45", 1, WorkingDays, "2026-03-03 07:30"},
		{"lunch break", "2026-03-02 12:15", 1, WorkingDays, "2026-03-03 13:30"},
		{"received on a Sunday", "2026-03-08 09:00", 1, WorkingDays, "2026-03-10 07:30"},
		{"30/4 and 1/5", "2026-04-29 10:00", 3, WorkingDays, "2026-05-06 10:00"},
		{"Giỗ Tổ on a Sunday gives Monday 27/4 off", "2026-04-24 09:00", 1, WorkingDays, "2026-04-28 09:00"},
		{"Tết 2026", "2026-02-13 14:00", 2, WorkingDays, "2026-02-24 14:00"},
		{"1/1 and its swapped Friday", "2025-12-31 09:00", 1, WorkingDays, "no holiday calendar for 2025"},
		{"New Year swap", "2026-01-01 09:00", 1, WorkingDays, "2026-01-06 07:30"},
		{"make-up Saturday 10/1 is a working day", "2026-01-09 15:00", 1, WorkingDays, "2026-01-10 15:00"},
		{"2/9 2026", "2026-08-31 10:00", 1, WorkingDays, "2026-09-03 10:00"},
		{"24/11 from 2026", "2026-11-23 08:00", 1, WorkingDays, "2026-11-25 08:00"},
		{"15 working days over the year end", "2026-12-21 08:00", 15, WorkingDays, "2027-01-12 08:00"},
		// Calendar days: from the day after receipt, off days move forward.
		{"calendar days", "2026-03-02 10:00", 15, CalendarDays, "2026-03-17 17:30"},
		{"calendar days landing on a Saturday", "2026-03-02 10:00", 5, CalendarDays, "2026-03-09 17:30"},
		{"calendar days landing on Sunday 26/4 and Monday 27/4 off", "2026-04-16 10:00", 10, CalendarDays, "2026-04-28 17:30"},
		{"calendar days after closing", "2026-03-06 18:00", 1, CalendarDays, "2026-03-10 17:30"},
		// Same day and hours.
		{"same day", "2026-03-02 15:00", 0, SameDay, "2026-03-02 17:30"},
		{"same day after closing", "2026-03-02 17:45", 0, SameDay, "2026-03-03 17:30"},
		{"working hours", "2026-03-02 16:30", 4, WorkingHours, "2026-03-03 10:30"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := c.Due(at(tc.received), tc.amount, tc.unit)
			if strings.HasPrefix(tc.want, "no ") {
				if err == nil || !strings.Contains(err.Error(), tc.want) {
					t.Fatalf("err %v, want %q", err, tc.want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if s := got.Format("2006-01-02 15:04"); s != tc.want {
				t.Errorf("due %s, want %s", s, tc.want)
			}
		})
	}
}

// The hours count agrees on dates with "from the day after receipt, N working
// days, a day off moves forward", for every start in 2026 at 10:00.
func TestHoursAgreeWithDays(t *testing.T) {
	c := shipped(t)
	for d := at("2026-01-01 10:00"); d.Year() == 2026; d = d.AddDate(0, 0, 1) {
		if !c.Working(d) {
			continue
		}
		for n := 1; n <= 10; n++ {
			got, err := c.Due(d, n, WorkingDays)
			if err != nil {
				t.Fatal(err)
			}
			day, left := d, n
			for left > 0 {
				day = day.AddDate(0, 0, 1)
				if c.Working(day) {
					left--
				}
			}
			if got.Format("2006-01-02") != day.Format("2006-01-02") {
				t.Fatalf("%s + %d working days: hours give %s, days give %s", d.Format("2006-01-02"), n, got.Format("2006-01-02"), day.Format("2006-01-02"))
			}
		}
	}
}

func TestSaturdayMornings(t *testing.T) {
	h := DefaultHours()
	h.Saturday = []Session{{"07:30", "11:30"}}
	y, _ := ParseYear([]byte(`{"year":2026,"entries":[]}`))
	c, err := New(hcm, h, y)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := c.Due(at("2026-03-06 16:00"), 1, WorkingDays) // Friday 16:00: 1.5 h Fri + 4 h Sat + 2.5 h Mon
	if s := got.Format("2006-01-02 15:04"); s != "2026-03-09 10:00" {
		t.Errorf("with Saturday mornings: %s", s)
	}
}

func TestParseYearRejects(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`{`, "not valid JSON"},
		{`{"year":2026,"entries":[{"date":"2027-01-01","kind":"holiday"}]}`, "not in the year"},
		{`{"year":2026,"entries":[{"date":"2026-01-01","kind":"holiday"},{"date":"2026-01-01","kind":"holiday"}]}`, "listed twice"},
		{`{"year":2026,"entries":[{"date":"2026-01-05","kind":"makeup"}]}`, "not a weekend day"},
		{`{"year":2026,"entries":[{"date":"2026-01-03","kind":"substitute_off"}]}`, "is a weekend day"},
		{`{"year":2026,"entries":[{"date":"2026-01-05","kind":"party"}]}`, `kind "party"`},
	} {
		_, err := ParseYear([]byte(tc.in))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.in, err, tc.want)
		}
	}
	if _, err := New(hcm, Hours{Weekday: []Session{{"13:00", "12:00"}}}); err == nil {
		t.Error("a session ending before it starts was accepted")
	}
}

func FuzzParseYear(f *testing.F) {
	data, _ := os.ReadFile("../../assets/calendar/vn-2026.json")
	f.Add(data)
	f.Fuzz(func(t *testing.T, in []byte) {
		y, err := ParseYear(in)
		if err != nil {
			return
		}
		if _, err := New(hcm, DefaultHours(), y); err != nil {
			t.Fatal(err)
		}
	})
}

// A procedure's cut-off: received at or after it, a dossier counts from the
// next working day's opening; before it, or without one, from when it came.
func TestCounted(t *testing.T) {
	c := shipped(t)
	for _, tc := range []struct{ received, cutOff, want string }{
		{"2026-03-04 14:59", "15:00", "2026-03-04 14:59"},
		{"2026-03-04 15:00", "15:00", "2026-03-05 07:30"},
		{"2026-03-04 16:45", "15:00", "2026-03-05 07:30"},
		{"2026-03-06 15:30", "15:00", "2026-03-09 07:30"}, // a Friday: Monday
		{"2026-04-29 15:10", "15:00", "2026-05-04 07:30"}, // before 30/4 and 1/5 (and the weekend)
		{"2026-03-04 16:45", "", "2026-03-04 16:45"},      // no cut-off: as received
		{"2026-03-04 11:00", "10:30", "2026-03-05 07:30"}, // another province's hour
	} {
		got, err := c.Counted(at(tc.received), tc.cutOff)
		if err != nil || !got.Equal(at(tc.want)) {
			t.Errorf("received %s, cut-off %q: counts from %s (%v), want %s", tc.received, tc.cutOff, got.In(hcm).Format("2006-01-02 15:04"), err, tc.want)
		}
	}
	if _, err := c.Counted(at("2026-03-04 16:45"), "3pm"); err == nil {
		t.Error("a cut-off of 3pm was taken")
	}
}

// The lunar calendar agrees with dates every Vietnamese calendar prints.
func TestLunar(t *testing.T) {
	for _, c := range []struct {
		y, m, d    int
		ld, lm, ly int
		leap       bool
	}{
		{2026, 2, 17, 1, 1, 2026, false},  // Tết Bính Ngọ
		{2027, 2, 6, 1, 1, 2027, false},   // Tết Đinh Mùi
		{2025, 1, 29, 1, 1, 2025, false},  // Tết Ất Tỵ
		{2023, 3, 22, 1, 2, 2023, true},   // tháng 2 nhuận Quý Mão
		{2026, 4, 26, 10, 3, 2026, false}, // Giỗ Tổ 2026
		{2024, 2, 9, 30, 12, 2023, false}, // 30 tháng Chạp Quý Mão
	} {
		ld, lm, ly, leap := Lunar(c.y, c.m, c.d)
		if ld != c.ld || lm != c.lm || ly != c.ly || leap != c.leap {
			t.Errorf("%d-%02d-%02d: lunar %d/%d/%d leap %v, want %d/%d/%d leap %v", c.y, c.m, c.d, ld, lm, ly, leap, c.ld, c.lm, c.ly, c.leap)
		}
	}
}

// Every shipped holiday that names its lunar date names the right one: "mùng
// N" (of Tết: month 1), "N tháng Chạp" (month 12), "N/M âm lịch". (A day off
// in lieu names the day it stands for, not its own.)
func TestShippedLunarLabels(t *testing.T) {
	years, err := ParseYears(os.DirFS("../../assets"), "calendar/*.json")
	if err != nil {
		t.Fatal(err)
	}
	patterns := []struct {
		re    *regexp.Regexp
		month int // 0: the second group
	}{{regexp.MustCompile(`mùng (\d+)`), 1}, {regexp.MustCompile(`(\d+) tháng Chạp`), 12}, {regexp.MustCompile(`(\d+)/(\d+) âm lịch`), 0}}
	checked := 0
	for _, y := range years {
		for _, e := range y.Entries {
			if e.Kind == "substitute_off" { // "(mùng 1 thứ Bảy)" names the day it stands for
				continue
			}
			var yy, mm, dd int
			fmt.Sscanf(e.Date, "%d-%d-%d", &yy, &mm, &dd)
			ld, lm, _, _ := Lunar(yy, mm, dd)
			for _, p := range patterns {
				m := p.re.FindStringSubmatch(e.Name)
				if m == nil {
					continue
				}
				wantDay, _ := strconv.Atoi(m[1])
				wantMonth := p.month
				if wantMonth == 0 {
					wantMonth, _ = strconv.Atoi(m[2])
				}
				checked++
				if ld != wantDay || lm != wantMonth {
					t.Errorf("%s %q: the lunar date is %d/%d", e.Date, e.Name, ld, lm)
				}
			}
		}
	}
	if checked < 8 {
		t.Errorf("only %d lunar labels checked", checked)
	}
}
