package intake

import (
	"strings"
	"testing"
	"time"

	"motcua/internal/problem"
)

var loc, _ = time.LoadLocation("Asia/Ho_Chi_Minh")

func day(s string) time.Time {
	t, _ := time.ParseInLocation("2006-01-02 15:04", s, loc)
	return t
}

func TestStatusFlow(t *testing.T) {
	for _, tc := range []struct {
		path []Status
		ok   bool
	}{
		{[]Status{Processing, Ready, Returned}, true},
		{[]Status{Ready, Returned}, true},
		{[]Status{Processing, Supplement, Received, Processing, Ready, Returned}, true},
		{[]Status{Withdrawn}, true},
		{[]Status{Processing, Stopped}, true},
		{[]Status{Supplement, Stopped}, true},
		{[]Status{Stopped, Received}, false},
		{[]Status{Ready, Stopped}, false},
		{[]Status{Processing, Refused}, true},
		{[]Status{Returned}, false},
		{[]Status{Ready, Processing}, false},
		{[]Status{Ready, Returned, Ready}, false},
		{[]Status{Refused, Received}, false},
		{[]Status{Supplement, Ready}, false},
	} {
		d := Dossier{Status: Received}
		var err error
		for i, s := range tc.path {
			if err = d.Move(s, day("2026-03-02 10:00").Add(time.Duration(i)*time.Hour), "lan", "lý do cụ thể"); err != nil {
				break
			}
		}
		if (err == nil) != tc.ok {
			t.Errorf("%v: err %v", tc.path, err)
		}
		if tc.ok && len(d.History) != len(tc.path) {
			t.Errorf("%v: history %d", tc.path, len(d.History))
		}
	}
	d := Dossier{Status: Received}
	if err := d.Move(Stopped, day("2026-03-02 10:00"), "lan", " "); err == nil {
		t.Error("stopped by law without a reason")
	}
	if err := d.Move(Supplement, day("2026-03-02 10:00"), "lan", ""); err == nil {
		t.Error("a supplement request without a reason")
	}
}

func TestApologyOnce(t *testing.T) {
	d := Dossier{Status: Processing, DueAt: day("2026-03-10 10:00")}
	if err := d.Apologise(day("2026-03-09 09:00"), day("2026-03-09 10:00"), "lan", "chờ xác minh"); err == nil {
		t.Fatal("a new date before the old one")
	}
	if err := d.Apologise(day("2026-03-09 09:00"), day("2026-03-13 10:00"), "lan", "chờ cơ quan khác xác minh"); err != nil {
		t.Fatal(err)
	}
	if !d.DueAt.Equal(day("2026-03-13 10:00")) || d.Apology == nil {
		t.Fatalf("after the apology %+v", d)
	}
	if err := d.Apologise(day("2026-03-12 09:00"), day("2026-03-16 10:00"), "lan", "lại chậm nữa"); err == nil || !strings.Contains(err.Error(), "once only") {
		t.Fatalf("a second apology: %v", err)
	}
}

func TestTimeliness(t *testing.T) {
	due := day("2026-03-10 10:00")
	for _, tc := range []struct {
		ready, now string
		want       string
	}{
		{"2026-03-09 16:00", "", "early"},
		{"2026-03-10 17:00", "", "on_time"},
		{"2026-03-11 08:00", "", "late"},
		{"", "2026-03-10 17:29", ""},
		{"", "2026-03-11 07:30", "late"},
	} {
		d := Dossier{Status: Processing, DueAt: due}
		if tc.ready != "" {
			d.Status, d.ReadyAt = Ready, day(tc.ready)
		}
		if got := d.Timeliness(day(tc.now), loc); got != tc.want {
			t.Errorf("ready %q now %q: %q, want %q", tc.ready, tc.now, got, tc.want)
		}
	}
}

func TestMissingOnceAndMasks(t *testing.T) {
	docs := []Document{{Name: "Tờ khai", Received: true}, {Name: "Giấy chứng sinh"}, {Name: "Giấy kết hôn", Optional: true}}
	if got := MissingOnce(docs, []string{"giấy chứng sinh", "Ảnh 4x6"}); strings.Join(got, "|") != "Giấy chứng sinh|Ảnh 4x6" {
		t.Errorf("missing %q", got)
	}
	if got := MaskID("001203004567"); got != "001******567" {
		t.Errorf("mask %q", got)
	}
	d := Dossier{Applicant: Applicant{Name: "Nguyễn Văn A", IDNumber: "001203004567", Phone: "0912345678"}, LookupPIN: "1234"}
	if d.Masked().Applicant.IDNumber != "001******567" || d.Applicant.IDNumber != "001203004567" {
		t.Error("Masked changed the original or did not mask")
	}
	d.Erase()
	if d.Applicant.IDNumber != "" || d.Applicant.Phone != "" || d.LookupPIN != "" || !d.Erased {
		t.Errorf("erased %+v", d)
	}
	for _, c := range []struct {
		seq, width int
		want       string
	}{{7, 4, "H29.100-260429-0007"}, {7, 6, "H29.100-260429-000007"}, {1234567, 7, "H29.100-260429-1234567"}} {
		if got := Code("H29.100", day("2026-04-29 10:00"), c.seq, c.width); got != c.want {
			t.Errorf("Code(%d, width %d) = %q, want %q", c.seq, c.width, got, c.want)
		}
	}
}

func TestParseCCCD(t *testing.T) {
	c, err := ParseCCCD("001203004567|123456789|Nguyễn Thị Hoa|15081990|Nữ|Số 5 ngõ 12 Hòa Bình, Hà Nội|01072021\n")
	if err != nil {
		t.Fatal(err)
	}
	a := c.Applicant()
	if a.Name != "Nguyễn Thị Hoa" || a.IDNumber != "001203004567" || a.BirthDate != "15/08/1990" || a.Sex != "Nữ" || !strings.HasPrefix(a.Address, "Số 5") {
		t.Fatalf("applicant %+v", a)
	}
	for _, bad := range []string{"", "abc", "0012|1|A|15081990|Nam|x|01072021", "001203004567||A|1508199|Nam|x|01072021", "001203004567||A|15081990|Male|x|01072021"} {
		if _, err := ParseCCCD(bad); err == nil {
			t.Errorf("ParseCCCD(%q) accepted", bad)
		}
	}
}

func FuzzParseCCCD(f *testing.F) {
	f.Add("001203004567|123456789|Nguyễn Thị Hoa|15081990|Nữ|Hà Nội|01072021")
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseCCCD(s)
		if err != nil {
			if e, ok := err.(*problem.Error); !ok || e.Message == "" || e.MessageEN == "" {
				t.Fatalf("error without both languages: %v", err)
			}
			return
		}
		if len(c.ID) != 12 || c.Name == "" {
			t.Fatalf("accepted %+v", c)
		}
	})
}
