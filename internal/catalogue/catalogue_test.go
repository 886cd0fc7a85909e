package catalogue

import (
	"strings"
	"testing"

	"motcua/internal/problem"
)

var services = []string{"ho_tich", "chung_thuc", "dat_dai"}

const good = `{"procedures":[{"code":"1.001193","name":"Đăng ký khai sinh","field":"Hộ tịch","service":"ho_tich",
 "processing":{"amount":0,"unit":"same_day"},"documents":[{"name":"Tờ khai","quantity":1,"kind":"original"}]}]}`

func TestParseJSON(t *testing.T) {
	c, err := ParseJSON([]byte(good), services)
	if err != nil {
		t.Fatal(err)
	}
	p, ok := c.ByCode("1.001193")
	if !ok || p.Name != "Đăng ký khai sinh" || p.Documents[0].Quantity != 1 {
		t.Fatalf("parsed %+v", c)
	}
	if _, ok := c.ByCode("nope"); ok {
		t.Fatal("unknown code found")
	}
}

func TestParseJSONRejects(t *testing.T) {
	proc := func(edit string) string { return strings.Replace(good, `"field":"Hộ tịch"`, edit, 1) }
	for _, tc := range []struct{ name, in, want string }{
		{"not json", `{`, "not valid JSON"},
		{"trailing", good + `{}`, "data after"},
		{"unknown field", strings.Replace(good, `"name":"Đăng`, `"nam":"x","name":"Đăng`, 1), "unknown field"},
		{"no code", strings.Replace(good, `"1.001193"`, `" "`, 1), "code is missing"},
		{"duplicate", strings.Replace(good, "]}]}", "]},"+good[strings.Index(good, "[")+1:], 1), "duplicated"},
		{"no name", strings.Replace(good, `"Đăng ký khai sinh"`, `""`, 1), "name is missing"},
		{"unknown service", strings.Replace(good, `"ho_tich"`, `"tau_bay"`, 1), `service "tau_bay"`},
		{"no documents", strings.Replace(good, `[{"name":"Tờ khai","quantity":1,"kind":"original"}]`, `[]`, 1), "no documents"},
		{"bad unit", strings.Replace(good, `"same_day"`, `"weeks"`, 1), `unit "weeks"`},
		{"same day with amount", strings.Replace(good, `"amount":0,"unit":"same_day"`, `"amount":2,"unit":"same_day"`, 1), "must be 0"},
		{"zero working days", strings.Replace(good, `"amount":0,"unit":"same_day"`, `"amount":0,"unit":"working_days"`, 1), "out of range"},
		{"zero quantity", strings.Replace(good, `"quantity":1`, `"quantity":0`, 1), "quantity outside"},
		{"bad kind", strings.Replace(good, `"kind":"original"`, `"kind":"photo"`, 1), `kind "photo"`},
		{"negative fee", proc(`"field":"x","fees":[{"name":"Lệ phí","amount":-5}]`), "negative"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseJSON([]byte(tc.in), services)
			if err == nil {
				t.Fatal("accepted")
			}
			e := problem.As(err)
			if !strings.Contains(e.MessageEN, tc.want) || e.Message == "" || e.Message == e.MessageEN {
				t.Fatalf("error %+v, want English containing %q and a Vietnamese message", e, tc.want)
			}
		})
	}
}

func TestTexts(t *testing.T) {
	for _, tc := range []struct {
		amount int64
		want   string
	}{{0, "0 đồng"}, {999, "999 đồng"}, {1000, "1.000 đồng"}, {75000, "75.000 đồng"}, {1000000, "1.000.000 đồng"}, {-2000, "-2.000 đồng"}} {
		if got := Money(tc.amount); got != tc.want {
			t.Errorf("Money(%d) = %q, want %q", tc.amount, got, tc.want)
		}
	}
	for _, tc := range []struct {
		d      Duration
		vi, en string
	}{
		{Duration{Amount: 0, Unit: SameDay}, "Trả kết quả trong ngày", "Same day"},
		{Duration{Amount: 3, Unit: WorkingDays}, "3 ngày làm việc", "3 working days"},
		{Duration{Amount: 15, Unit: CalendarDays}, "15 ngày", "15 days"},
		{Duration{Amount: 8, Unit: WorkingHours}, "8 giờ làm việc", "8 working hours"},
		{Duration{Amount: 3, Unit: WorkingDays, CutOff: "15:00"}, "3 ngày làm việc (nhận từ 15:00: tính từ ngày làm việc tiếp theo)", "3 working days (received from 15:00: counted from the next working day)"},
	} {
		if vi, en := tc.d.Text(); vi != tc.vi || en != tc.en {
			t.Errorf("%+v reads %q / %q", tc.d, vi, en)
		}
	}
	p := Procedure{Fees: []Fee{{Name: "Lệ phí", Amount: 0}, {Name: "Phí", Amount: 8000, Note: "mỗi bản"}},
		Documents: []Document{{Name: "Tờ khai", Quantity: 1, Kind: "original"}, {Name: "Giấy chứng nhận kết hôn", Quantity: 2, Kind: "copy", Optional: true}, {Name: "Ảnh", Quantity: 2}}}
	if vi, en := p.FeeText(); vi != "Lệ phí: miễn; Phí: 8.000 đồng (mỗi bản)" || en != "Lệ phí: free; Phí: 8.000 đồng (mỗi bản)" {
		t.Errorf("fees read %q / %q", vi, en)
	}
	if vi, _ := (Procedure{}).FeeText(); vi != "Không thu phí, lệ phí" {
		t.Errorf("no fee reads %q", vi)
	}
	want := []string{"Tờ khai (1 bản chính)", "Giấy chứng nhận kết hôn (2 bản sao) — nếu có", "Ảnh (2 bản)"}
	if got := p.Checklist(); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("checklist %q", got)
	}
}

func FuzzParseJSON(f *testing.F) {
	f.Add(good)
	f.Add(`{"procedures":[{}]}`)
	f.Fuzz(func(t *testing.T, in string) {
		c, err := ParseJSON([]byte(in), services)
		if err != nil {
			if e := problem.As(err); e.Message == "" || e.MessageEN == "" {
				t.Fatalf("error without both languages: %v", err)
			}
			return
		}
		if err := c.Validate(services); err != nil {
			t.Fatalf("parsed catalogue fails validation: %v", err)
		}
	})
}
