package catalogue

import (
	"strings"
	"testing"

	"motcua/internal/problem"
)

const sampleCSV = "\xef\xbb\xbfcode,name,name_en,field,service,processing,fees,documents,agency\n" +
	`1.001193,Đăng ký khai sinh,Birth registration,Hộ tịch,ho_tich,same_day,Lệ phí=0,"Tờ khai đăng ký khai sinh|1|original; Giấy chứng sinh|1|original; Giấy chứng nhận kết hôn của cha mẹ|1|original_or_copy|optional",` + "\n" +
	`2.000815,Chứng thực bản sao từ bản chính,,Chứng thực,chung_thuc,same_day,"Phí chứng thực=2000 (mỗi trang; tối đa 200.000 đồng/bản)",Bản chính|1|original; Bản sao|1|copy,UBND` + "\n" +
	`1.009994,Cấp giấy phép xây dựng,,Xây dựng,dat_dai,15 calendar_days,,Đơn đề nghị|1|original,` + "\n"

func TestParseCSV(t *testing.T) {
	c, err := Parse("thu-tuc.csv", []byte(sampleCSV), services)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Procedures) != 3 {
		t.Fatalf("%d procedures", len(c.Procedures))
	}
	ks := c.Procedures[0]
	if ks.Processing.Unit != SameDay || len(ks.Documents) != 3 || !ks.Documents[2].Optional || ks.Documents[2].Kind != "original_or_copy" || ks.Fees[0].Amount != 0 {
		t.Errorf("khai sinh %+v", ks)
	}
	ct := c.Procedures[1]
	if ct.Fees[0].Amount != 2000 || ct.Fees[0].Note != "mỗi trang; tối đa 200.000 đồng/bản" || ct.Agency != "UBND" {
		t.Errorf("chứng thực %+v", ct)
	}
	if gp := c.Procedures[2]; gp.Processing != (Duration{Amount: 15, Unit: CalendarDays}) || len(gp.Fees) != 0 {
		t.Errorf("giấy phép %+v", gp)
	}
}

func TestParseCSVRejects(t *testing.T) {
	head := strings.Join(CSVHeader, ",") + "\n"
	for _, tc := range []struct{ in, want string }{
		{"code,name\n", "first line must be"},
		{head + "x,Tên,,,ho_tich,3 weeks,,Đơn|1,\n", `unit "weeks"`},
		{head + "x,Tên,,,ho_tich,ba ngày,,Đơn|1,\n", "line 2: processing"},
		{head + "x,Tên,,,ho_tich,same_day,Lệ phí=miễn,Đơn|1,\n", "line 2: fee"},
		{head + "x,Tên,,,ho_tich,same_day,,Đơn|một,\n", "quantity of"},
		{head + "x,Tên,,,ho_tich,same_day,,Đơn|1|copy|maybe,\n", "may only be optional"},
		{head + "x,Tên,,,ho_tich,same_day,,Đơn|1,\ny,Tên,,,ho_tich,same_day,,Đơn,\n", "line 3: document"},
		{head + "x,Tên,,,ho_tich\n", "line 2"},
	} {
		_, err := ParseCSV([]byte(tc.in), services)
		e := problem.As(err)
		if err == nil || !strings.Contains(e.MessageEN, tc.want) || e.Message == e.MessageEN {
			t.Errorf("%q: %v, want %q", tc.in, err, tc.want)
		}
	}
}

func FuzzParseCSV(f *testing.F) {
	f.Add(sampleCSV)
	f.Fuzz(func(t *testing.T, in string) {
		c, err := ParseCSV([]byte(in), services)
		if err != nil {
			if e := problem.As(err); e.Message == "" || e.MessageEN == "" {
				t.Fatalf("error without both languages: %v", err)
			}
			return
		}
		if err := c.Validate(services); err != nil {
			t.Fatal(err)
		}
	})
}

// "3 working_days after 15:00" reads as the procedure's cut-off, writes back
// the same, and a cut-off that is not a time is refused, naming its line or
// its procedure.
func TestCSVCutOff(t *testing.T) {
	head := strings.Join(CSVHeader, ",") + "\n"
	row := func(processing string) []byte {
		return []byte(head + `1.001193,Đăng ký khai sinh,,Hộ tịch,ho_tich,` + processing + `,,Tờ khai|1|original,` + "\n")
	}
	c, err := ParseCSV(row("3 working_days after 15:00"), services)
	if err != nil || c.Procedures[0].Processing != (Duration{Amount: 3, Unit: WorkingDays, CutOff: "15:00"}) {
		t.Fatalf("%+v %v", c.Procedures, err)
	}
	if !strings.Contains(string(c.CSV()), ",3 working_days after 15:00,") {
		t.Errorf("written back as:\n%s", c.CSV())
	}
	if c, err := ParseCSV(row("same_day after 10:30"), services); err != nil || c.Procedures[0].Processing.CutOff != "10:30" {
		t.Errorf("same_day with a cut-off: %+v %v", c.Procedures, err)
	}
	for _, bad := range []string{"3 working_days after 25:00", "3 working_days after 3pm", "3 working_days after"} {
		if _, err := ParseCSV(row(bad), services); err == nil || !strings.Contains(problem.As(err).MessageEN, "line 2") && !strings.Contains(problem.As(err).MessageEN, `"1.001193": processing time: cut-off`) {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

// A procedure whose name a spreadsheet would evaluate goes out of the
// console's catalogue.csv as text and comes back in as it was.
func TestCSVCarriesNoFormula(t *testing.T) {
	head := strings.Join(CSVHeader, ",") + "\n"
	in := head + `1.001193,"=HYPERLINK(""http://x"",""y"")",@en,-Hộ tịch,ho_tich,same_day,,Tờ khai|1|original,,` + "\n"
	c, err := ParseCSV([]byte(in), services)
	if err != nil {
		t.Fatal(err)
	}
	out := string(c.CSV())
	if strings.Contains(out, `,"=HYPERLINK`) || strings.Contains(out, ",@en,") || !strings.Contains(out, `'=HYPERLINK`) {
		t.Errorf("written as:\n%s", out)
	}
	back, err := ParseCSV([]byte(out), services)
	if err != nil || back.Procedures[0].Name != `=HYPERLINK("http://x","y")` || back.Procedures[0].NameEN != "@en" || back.Procedures[0].Field != "-Hộ tịch" {
		t.Errorf("read back: %+v %v", back.Procedures, err)
	}
}

// The online column: a fully online procedure with no paper taken, one
// still taking paper; an older file without the column reads as before; a
// value the column does not know is refused.
func TestCSVOnlineColumn(t *testing.T) {
	head := strings.Join(CSVHeader, ",") + "\n"
	in := head + "1.001,Cấp bản sao trích lục,,Hộ tịch,ho_tich,same_day,,Tờ khai|1|original,,full\n" +
		"1.002,Đăng ký khai sinh,,Hộ tịch,ho_tich,same_day,,Tờ khai|1|original,,full_paper\n"
	c, err := ParseCSV([]byte(in), services)
	if err != nil || !c.Procedures[0].OnlineOnly() || c.Procedures[1].OnlineOnly() || c.Procedures[1].Online != OnlineFullPaper {
		t.Fatalf("%+v %v", c.Procedures, err)
	}
	if back, err := ParseCSV(c.CSV(), services); err != nil || back.Procedures[0].Online != OnlineFull {
		t.Fatalf("written back: %+v %v", back.Procedures, err)
	}
	older := strings.Join(CSVHeader[:9], ",") + "\n1.001,Cấp bản sao trích lục,,Hộ tịch,ho_tich,same_day,,Tờ khai|1|original,\n"
	if c, err := ParseCSV([]byte(older), services); err != nil || c.Procedures[0].Online != "" {
		t.Fatalf("an older file: %+v %v", c.Procedures, err)
	}
	if _, err := ParseCSV([]byte(head+"1.001,X,,Hộ tịch,ho_tich,same_day,,Tờ khai|1|original,,yes\n"), services); err == nil {
		t.Fatal("online \"yes\" taken")
	}
}
