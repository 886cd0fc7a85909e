package queue

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"motcua/internal/calendar"
	"motcua/internal/problem"
)

// A service with hours issues no ticket from a kiosk outside them, and
// says so in words a citizen understands — before: when it opens; after:
// come back the next working day — while staff at a counter may still
// issue one; its status carries the hours, for the kiosk to say it first.
func TestServiceHours(t *testing.T) {
	o := testOffice()
	o.TimeZone = "Asia/Ho_Chi_Minh"
	o.Services[0].Opens, o.Services[0].Closes = "07:30", "16:30"
	loc, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	day := time.Date(2026, 11, 23, 0, 0, 0, 0, loc)
	s, err := NewState(o, day.Add(6*time.Hour), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	tok := 0
	issue := func(at time.Duration, who Actor) error {
		tok++
		_, _, err := s.Execute(day.Add(at), Command{Op: OpIssue, Actor: who, ServiceID: "a", Token: "t" + string(rune('a'+tok))})
		return err
	}
	for _, c := range []struct {
		at     time.Duration
		who    Actor
		closed string // "" issued
	}{
		{7 * time.Hour, kiosk, "mở lúc 07:30"},
		{7*time.Hour + 30*time.Minute, kiosk, ""},
		{16*time.Hour + 29*time.Minute, kiosk, ""},
		{16*time.Hour + 30*time.Minute, kiosk, "quay lại vào ngày làm việc tiếp theo"},
		{17 * time.Hour, clerk(1), ""}, // staff let a citizen in
	} {
		err := issue(c.at, c.who)
		switch {
		case c.closed == "" && err != nil:
			t.Errorf("at %s by %s: %v", c.at, c.who.Kind, err)
		case c.closed != "" && (problem.CodeOf(err) != problem.EClosed || !strings.Contains(problem.As(err).Message, c.closed) || problem.As(err).MessageEN == ""):
			t.Errorf("at %s by %s: %v, want closed saying %q", c.at, c.who.Kind, err, c.closed)
		}
	}
	st := s.Services()[0]
	if st.Opens != "07:30" || st.Closes != "16:30" {
		t.Fatalf("the status's hours: %q–%q", st.Opens, st.Closes)
	}
	for at, want := range map[time.Duration][2]bool{7 * time.Hour: {true, false}, 12 * time.Hour: {false, false}, 18 * time.Hour: {false, true}} {
		if before, after := st.Hours(day.Add(at).UTC(), loc); before != want[0] || after != want[1] {
			t.Errorf("Hours at %s: %v %v, want %v", at, before, after, want)
		}
	}
}

// A service without hours of its own issues in the office's working day,
// the hours its deadlines count in and its boards post; with neither, at
// any hour (the demo) and the office says so.
func TestServicesKeepTheOfficesHours(t *testing.T) {
	loc, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	day := time.Date(2026, 11, 23, 0, 0, 0, 0, loc)
	o := testOffice()
	o.TimeZone = "Asia/Ho_Chi_Minh"
	if !o.AnyHour() {
		t.Fatal("an office without hours issues at any hour")
	}
	if got := o.WorkingHours(); len(got.Weekday) != 2 || got.Weekday[1].End != "17:30" {
		t.Fatalf("default working hours: %+v", got)
	}
	o.Hours = calendar.Hours{Weekday: []calendar.Session{{Start: "07:00", End: "11:30"}, {Start: "13:30", End: "17:00"}}}
	o.Services[1].Opens, o.Services[1].Closes = "08:00", "10:00" // its own
	if o.AnyHour() {
		t.Fatal("every service has hours now")
	}
	s, err := NewState(o, day.Add(6*time.Hour), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	st := s.Services()
	if st[0].Opens != "07:00" || st[0].Closes != "17:00" || st[1].Opens != "08:00" || st[1].Closes != "10:00" {
		t.Fatalf("hours posted: %s–%s, %s–%s", st[0].Opens, st[0].Closes, st[1].Opens, st[1].Closes)
	}
	for i, c := range []struct {
		at      time.Duration
		service string
		closed  string
	}{
		{6*time.Hour + 59*time.Minute, "a", "mở lúc 07:00"},
		{7 * time.Hour, "a", ""},
		{12 * time.Hour, "a", ""}, // the lunch break: the room still fills
		{17 * time.Hour, "a", "(07:00–17:00)"},
		{7 * time.Hour, "b", "mở lúc 08:00"},
		{10 * time.Hour, "b", "(08:00–10:00)"},
	} {
		_, _, err := s.Execute(day.Add(c.at), Command{Op: OpIssue, Actor: kiosk, ServiceID: c.service, Token: fmt.Sprintf("h%d", i)})
		switch {
		case c.closed == "" && err != nil:
			t.Errorf("%s at %s: %v", c.service, c.at, err)
		case c.closed != "" && (problem.CodeOf(err) != problem.EClosed || !strings.Contains(problem.As(err).Message, c.closed)):
			t.Errorf("%s at %s: %v, want closed saying %q", c.service, c.at, err, c.closed)
		}
	}
	o.Hours.Weekday[1].Start = "11:00" // overlaps the morning
	if err := o.Validate(); problem.CodeOf(err) != problem.EInvalid {
		t.Errorf("overlapping sessions: %v", err)
	}
}
