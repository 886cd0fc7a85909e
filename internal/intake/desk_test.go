package intake

import (
	"strings"
	"testing"

	"motcua/internal/calendar"
	"motcua/internal/catalogue"
	"motcua/internal/problem"
)

// desk is an office on 2026's calendar with one day off (24/11) to step over.
func desk(t *testing.T) Desk {
	t.Helper()
	cal, err := calendar.New(loc, calendar.DefaultHours(), calendar.Year{Year: 2026, Entries: []calendar.Entry{{Date: "2026-11-24", Kind: "holiday", Name: "Ngày Văn hóa Việt Nam"}}})
	if err != nil {
		t.Fatal(err)
	}
	return Desk{Agency: "XA.01", Calendar: cal}
}

var khaiSinh = catalogue.Procedure{Code: "1.001193", Name: "Đăng ký khai sinh", Service: "ho_tich",
	Processing: catalogue.Duration{Amount: 3, Unit: catalogue.WorkingDays},
	Documents: []catalogue.Document{{Name: "Tờ khai", Quantity: 1, Kind: "original"}, {Name: "Giấy chứng sinh", Quantity: 1, Kind: "original"},
		{Name: "Sổ hộ khẩu", Quantity: 1, Kind: "copy", Optional: true}}}

func request(outcome string, received ...string) Request {
	return Request{Outcome: outcome, Procedure: khaiSinh.Code, Applicant: Applicant{Name: "Nguyễn Thị Hoa", IDNumber: "001203004567"},
		Received: received, Sets: 1, Delivery: "desk", Reason: "  ", Counter: 2}
}

func TestDeskReceive(t *testing.T) {
	k := desk(t)
	clerk := Clerk{ID: "lan", Name: "Nguyễn Thị Lan"}
	monday := day("2026-11-23 10:00") // 3 working days over the 24/11 holiday: Friday 27/11 10:00
	cases := []struct {
		name    string
		req     Request
		status  Status
		due     string
		missing []string
		err     string
	}{
		{"complete", request("receive", "Tờ khai", "Giấy chứng sinh"), Received, "2026-11-27 10:00", nil, ""},
		{"a required paper missing", request("receive", "Tờ khai"), "", "", nil, "Giấy chứng sinh"},
		{"incomplete lists what is missing, once", func() Request {
			r := request("incomplete", "Tờ khai")
			r.Missing = []string{"Giấy chứng sinh", "Giấy xác nhận cư trú"}
			return r
		}(), Incomplete, "", []string{"Giấy chứng sinh", "Giấy xác nhận cư trú"}, ""},
		{"a refusal needs its reason", request("refuse"), "", "", nil, "lý do"},
		{"refused with a reason", func() Request {
			r := request("refuse")
			r.Reason = "Không thuộc thẩm quyền của phường"
			return r
		}(), Refused, "", nil, ""},
		{"an unknown outcome", request("maybe"), "", "", nil, "outcome"},
		{"a negative counter", func() Request { r := request("receive", "Tờ khai", "Giấy chứng sinh"); r.Counter = -5; return r }(), "", "", nil, "quầy"},
	}
	for _, c := range cases {
		d, err := k.Receive(khaiSinh, c.req, clerk, monday)
		if c.err != "" {
			if err == nil || !strings.Contains(problem.As(err).Message, c.err) || problem.CodeOf(err) != problem.EInvalid {
				t.Errorf("%s: error %v, want one about %q", c.name, err, c.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if d.Status != c.status || d.Agency != "XA.01" || d.Clerk != "lan" || d.Counter != 2 || len(d.History) != 1 || d.History[0].To != c.status {
			t.Errorf("%s: dossier %+v", c.name, d)
		}
		if got := ""; !d.DueAt.IsZero() {
			got = d.DueAt.In(loc).Format("2006-01-02 15:04")
			if got != c.due {
				t.Errorf("%s: due %s, want %s", c.name, got, c.due)
			}
		} else if c.due != "" {
			t.Errorf("%s: no due date, want %s", c.name, c.due)
		}
		if (d.LookupPIN != "") != (c.status == Received) {
			t.Errorf("%s: lookup PIN %q", c.name, d.LookupPIN)
		}
		if strings.Join(d.Missing, "|") != strings.Join(c.missing, "|") {
			t.Errorf("%s: missing %q, want %q", c.name, d.Missing, c.missing)
		}
		if want := map[Status]string{Received: "mau-01.pdf", Incomplete: "mau-02.pdf", Refused: "mau-03.pdf"}[d.Status]; d.IntakeForm() != want {
			t.Errorf("%s: form %s, want %s", c.name, d.IntakeForm(), want)
		}
	}
	own := khaiSinh
	own.Agency = "H21.65"
	if d, _ := k.Receive(own, request("receive", "Tờ khai", "Giấy chứng sinh"), clerk, monday); d.Agency != "H21.65" {
		t.Errorf("a procedure's own agency: %q", d.Agency)
	}
}

// A supplement received restarts the clock from that moment; other steps keep it.
func TestDeskMoveRestartsTheClock(t *testing.T) {
	k := desk(t)
	d, err := k.Receive(khaiSinh, request("receive", "Tờ khai", "Giấy chứng sinh"), Clerk{ID: "lan"}, day("2026-11-16 09:00"))
	if err != nil {
		t.Fatal(err)
	}
	first := d.DueAt
	if err := k.Move(&d, Processing, day("2026-11-16 14:00"), "lan", ""); err != nil || !d.DueAt.Equal(first) {
		t.Fatalf("processing moved the due date: %v %v", err, d.DueAt)
	}
	if err := k.Move(&d, Supplement, day("2026-11-17 09:00"), "lan", "thiếu bản sao"); err != nil {
		t.Fatal(err)
	}
	if err := k.Move(&d, Received, day("2026-11-23 15:00"), "lan", ""); err != nil {
		t.Fatal(err)
	}
	if got := d.DueAt.In(loc).Format("2006-01-02 15:04"); got != "2026-11-27 15:00" {
		t.Errorf("due after the supplement %s, want 2026-11-27 15:00 (three working days from its receipt, over 24/11)", got)
	}
	if err := k.Move(&d, Returned, day("2026-11-24 09:00"), "lan", ""); err == nil {
		t.Error("received → returned allowed")
	}
}

// The cut-off is the procedure's: received at 15:30 on a Wednesday, a
// procedure with "after 15:00" counts from Thursday morning, one without
// from 15:30; received again after a supplement, the same rule.
func TestDeskCutOffIsTheProcedures(t *testing.T) {
	k := desk(t)
	clerk := Clerk{ID: "lan"}
	late := khaiSinh
	late.Processing.CutOff = "15:00"
	wed := day("2026-11-25 15:30")
	d, err := k.Receive(late, request("receive", "Tờ khai", "Giấy chứng sinh"), clerk, wed)
	if err != nil || d.DueAt.In(loc).Format("2006-01-02 15:04") != "2026-12-01 07:30" || d.ProcessingCutOff != "15:00" {
		t.Errorf("with the cut-off: due %s (%v), cut-off %q; want 2026-12-01 07:30 (3 working days from Thu 26/11 07:30)", d.DueAt.In(loc).Format("2006-01-02 15:04"), err, d.ProcessingCutOff)
	}
	plain, err := k.Receive(khaiSinh, request("receive", "Tờ khai", "Giấy chứng sinh"), clerk, wed)
	if err != nil || plain.DueAt.In(loc).Format("2006-01-02 15:04") != "2026-11-30 15:30" {
		t.Errorf("without: due %s (%v), want 2026-11-30 15:30", plain.DueAt.In(loc).Format("2006-01-02 15:04"), err)
	}
	early, _ := k.Receive(late, request("receive", "Tờ khai", "Giấy chứng sinh"), clerk, day("2026-11-25 14:00"))
	if got := early.DueAt.In(loc).Format("2006-01-02 15:04"); got != "2026-11-30 14:00" {
		t.Errorf("before the cut-off: due %s, want 2026-11-30 14:00", got)
	}
	if err := k.Move(&early, Supplement, day("2026-11-26 09:00"), "lan", "thiếu bản sao"); err != nil {
		t.Fatal(err)
	}
	if err := k.Move(&early, Received, day("2026-11-27 16:00"), "lan", ""); err != nil {
		t.Fatal(err)
	}
	if got := early.DueAt.In(loc).Format("2006-01-02 15:04"); got != "2026-12-03 07:30" {
		t.Errorf("received again on Friday 16:00: due %s, want 2026-12-03 07:30 (from Monday 30/11 07:30)", got)
	}
}
