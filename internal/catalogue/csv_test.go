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
	if gp := c.Procedures[2]; gp.Processing != (Duration{15, CalendarDays}) || len(gp.Fees) != 0 {
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
