package ui

import (
	"os"
	"testing"
)

// A machine with no locale, or "C", gets vi_VN.UTF-8; a real one is kept.
func TestUseVietnameseLocale(t *testing.T) {
	for _, c := range []struct{ lcAll, lang, want string }{
		{"", "", "vi_VN.UTF-8"},
		{"C", "", "vi_VN.UTF-8"},
		{"", "C.UTF-8", "vi_VN.UTF-8"},
		{"", "POSIX", "vi_VN.UTF-8"},
		{"", "en_GB.UTF-8", "en_GB.UTF-8"},
	} {
		t.Setenv("LC_ALL", c.lcAll)
		t.Setenv("LC_MESSAGES", "")
		t.Setenv("LANG", c.lang)
		UseVietnameseLocale()
		if got := os.Getenv("LANG"); got != c.want || os.Getenv("LC_ALL") == "C" {
			t.Errorf("LC_ALL=%q LANG=%q: LANG %q LC_ALL %q, want LANG %q", c.lcAll, c.lang, got, os.Getenv("LC_ALL"), c.want)
		}
	}
}
