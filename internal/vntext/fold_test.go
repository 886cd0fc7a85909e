package vntext

import "testing"

func TestFold(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Đăng ký khai sinh", "dang ky khai sinh"},
		{"ĐẤT ĐAI – XÂY DỰNG", "dat dai xay dung"},
		{"Chứng thực bản sao từ bản chính", "chung thuc ban sao tu ban chinh"},
		{"  Hộ   tịch, cư trú. ", "ho tich cu tru"},
		{"Người cao tuổi (từ 60 tuổi)", "nguoi cao tuoi tu 60 tuoi"},
		{"ưởng ỡ ặ ề ố ủy", "uong o a e o uy"},
		{"khai sinh", "khai sinh"},
		{"", ""},
	}
	for _, tc := range tests {
		if got := Fold(tc.in); got != tc.want {
			t.Errorf("Fold(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	// Decomposed input (as some keyboards send it) folds the same.
	if got := Fold("Đa\u0306ng ky\u0301"); got != "dang ky" {
		t.Errorf("decomposed: %q", got)
	}
}

func TestMatch(t *testing.T) {
	title := "Đăng ký khai sinh"
	for _, q := range []string{"khai sinh", "KHAI SINH", "Khai Sinh", "khai sinh", "kh si", "đăng ký", "dang", ""} {
		if !Match(q, title) {
			t.Errorf("%q does not find %q", q, title)
		}
	}
	for _, q := range []string{"khai tu", "sinh khai x", "ai sinh", "kết hôn"} {
		if Match(q, title) {
			t.Errorf("%q finds %q", q, title)
		}
	}
}

func FuzzFold(f *testing.F) {
	f.Add("Đăng ký khai sinh")
	f.Add("\xff\xfe")
	f.Fuzz(func(t *testing.T, s string) {
		once := Fold(s)
		if Fold(once) != once {
			t.Errorf("Fold is not idempotent on %q", s)
		}
		if !Match(s, s) && Fold(s) != "" {
			t.Errorf("%q does not match itself", s)
		}
	})
}
