package server_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"motcua/internal/api"
	"motcua/internal/calendar"
	"motcua/internal/catalogue"
	"motcua/internal/client"
	"motcua/internal/intake"
	"motcua/internal/testserver"
)

// Hours are one thing: the office's working hours are what the boards post,
// what a service without its own issues in and what return dates count in;
// a same-day result is promised at the posted closing, never after it.
func TestHoursAreOneThing(t *testing.T) {
	o := intakeOffice()
	o.TimeZone = "Asia/Ho_Chi_Minh"
	o.Hours = calendar.Hours{Weekday: []calendar.Session{{Start: "07:30", End: "11:30"}, {Start: "13:30", End: "17:00"}}}
	o.Services[1].Opens, o.Services[1].Closes = "08:00", "16:00"
	sameDay := khaiSinh
	sameDay.Processing = catalogue.Duration{Unit: catalogue.SameDay}
	url, _ := testserver.Start(t, "127.0.0.1:0", t.TempDir(), o, sameDay)
	ctx := context.Background()
	c := client.New(url, "")
	raw, err := c.Fetch(ctx, "/api/v1/hours")
	if err != nil {
		t.Fatal(err)
	}
	var h api.HoursAnswer
	if err := json.Unmarshal(raw, &h); err != nil || h.Text != "7:30–11:30, 13:30–17:00" || h.AnyHour {
		t.Fatalf("the hours posted: %s (%v)", raw, err)
	}
	services, err := c.Services(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if s := services[0]; s.Opens != "07:30" || s.Closes != "17:00" {
		t.Errorf("%s issues %s–%s, want the office's 07:30–17:00", s.ID, s.Opens, s.Closes)
	}
	if s := services[1]; s.Opens != "08:00" || s.Closes != "16:00" {
		t.Errorf("%s issues %s–%s, want its own 08:00–16:00", s.ID, s.Opens, s.Closes)
	}
	if _, err := c.Login(ctx, testserver.Clerk, testserver.PIN); err != nil {
		t.Fatal(err)
	}
	got, err := c.Intake(ctx, intake.Request{Outcome: "receive", Procedure: sameDay.Code, Applicant: intake.Applicant{Name: "Nguyễn Thị Hoa"},
		Received: []string{"Tờ khai", "Giấy chứng sinh"}, Sets: 1, Delivery: "desk"})
	if err != nil {
		t.Fatal(err)
	}
	loc, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	if due := got.Dossier.DueAt.In(loc); due.Format("15:04") != "17:00" {
		t.Errorf("a same-day result is promised at %s, want the posted closing 17:00", due.Format("02/01 15:04"))
	}
}
