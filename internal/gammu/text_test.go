package gammu

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestPartsAsAPhoneJoinsThem(t *testing.T) {
	long := "Hồ sơ 000.00.18.H56-261207-0001 của ông/bà đã có kết quả. Mời ông/bà đến Bộ phận Một cửa UBND phường Bến Nghé nhận kết quả trong giờ hành chính. Tra cứu: https://tinh.example.vn/tra-cuu"
	for _, c := range []struct {
		name    string
		text    string
		unicode bool
		sizes   []int // runes a part
	}{
		{"short with marks", "Mời số 1024 đến quầy 3.", true, []int{23}},
		{"70 unicode is one part", strings.Repeat("ư", 70), true, []int{70}},
		{"71 unicode is two", strings.Repeat("ư", 71), true, []int{67, 4}},
		{"the long one with marks", long, true, []int{67, 67, 51}}, // as gammu-smsd-inject splits it
		{"160 plain is one", strings.Repeat("a", 160), false, []int{160}},
		{"161 plain is two", strings.Repeat("a", 161), false, []int{153, 8}},
		{"the long one plain", Plain(long), false, []int{153, 32}},
		{"an escape pair is not cut", strings.Repeat("a", 152) + "€" + strings.Repeat("b", 7), false, []int{152, 8}},
		{"an emoji is not cut", strings.Repeat("a", 66) + "😀" + "aaaa", true, []int{66, 5}},
	} {
		t.Run(c.name, func(t *testing.T) {
			parts := Parts(c.text, c.unicode)
			var got []int
			for _, p := range parts {
				got = append(got, utf8.RuneCountInString(p))
			}
			if strings.Join(parts, "") != c.text || len(got) != len(c.sizes) {
				t.Fatalf("parts %v, want sizes %v", got, c.sizes)
			}
			for i := range got {
				if got[i] != c.sizes[i] {
					t.Fatalf("parts %v, want sizes %v", got, c.sizes)
				}
			}
		})
	}
}

func TestPlainTakesTheMarksOff(t *testing.T) {
	for in, want := range map[string]string{
		"Đăng ký khai sinh":               "Dang ky khai sinh",
		"quầy số 3 – ĐƯỢC":                "quay so 3 ? DUOC",
		"Ưu tiên: người cao tuổi (≥ 80)":  "Uu tien: nguoi cao tuoi (? 80)",
		"https://a.vn/tra-cuu?ma=X&pin=1": "https://a.vn/tra-cuu?ma=X&pin=1",
	} {
		if got := Plain(in); got != want {
			t.Errorf("Plain(%q) = %q, want %q", in, got, want)
		}
	}
}
