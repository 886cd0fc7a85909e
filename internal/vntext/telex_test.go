package vntext

import (
	"testing"
	"unicode/utf8"
)

func TestTelex(t *testing.T) {
	tests := []struct{ keys, want string }{
		{"khai sinh", "khai sinh"},
		{"Ddawng kys khai sinh", "Đăng ký khai sinh"},
		{"tieengs Vieetj", "tiếng Việt"},
		{"dduwowngf", "đường"},
		{"nguwowif", "người"},
		{"chuwngs thuwcj", "chứng thực"},
		{"xaay duwngj", "xây dựng"},
		{"hooj tichj", "hộ tịch"},
		{"hoaf", "hòa"},
		{"thuyr", "thủy"},
		{"quas", "quá"},
		{"gias", "giá"},
		{"nawm", "năm"},
		{"tuooir", "tuổi"},
		{"khoong", "không"},
		{"ass", "as"},
		{"asz", "a"},
		{"aaa", "aa"},
		{"w", "ư"},
		{"tuw phaps", "tư pháp"},
		{"keets hoon", "kết hôn"},
		{"HOOJ TICHJ", "HỘ TỊCH"},
		{"DDAATS DDAI", "ĐẤT ĐAI"},
		{"1.000178", "1.000178"},
		{"ms", "ms"},
	}
	for _, tc := range tests {
		if got := Telex(tc.keys); got != tc.want {
			t.Errorf("Telex(%q) = %q, want %q", tc.keys, got, tc.want)
		}
	}
}

func TestTelexThenSearch(t *testing.T) {
	if !Match(Telex("ddawng kys khai"), "Đăng ký khai sinh") {
		t.Error("Telex-typed query does not find the procedure")
	}
}

func FuzzTelex(f *testing.F) {
	f.Add("Ddawng kys khai sinh")
	f.Add("uowwwss zz DD")
	f.Fuzz(func(t *testing.T, keys string) {
		out := Telex(keys)
		if !utf8.ValidString(out) && utf8.ValidString(keys) {
			t.Errorf("Telex(%q) = invalid UTF-8 %q", keys, out)
		}
	})
}
