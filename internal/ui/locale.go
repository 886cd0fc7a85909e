package ui

import (
	"os"
	"strings"
)

// UseVietnameseLocale gives the app a locale when the machine gives it none
// ("C" or "POSIX", as an autostarted kiosk or a systemd unit often has):
// vi_VN.UTF-8, so that Fyne reads it (and says no "Error parsing user
// locale C") and the screens are Vietnamese first. A real locale is kept.
// Call it first thing in main, before the app is made.
func UseVietnameseLocale() {
	for _, key := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		v := os.Getenv(key)
		switch {
		case v == "":
		case isCLocale(v):
			os.Unsetenv(key)
		default:
			return // the machine's own
		}
	}
	os.Setenv("LANG", "vi_VN.UTF-8")
}

func isCLocale(v string) bool {
	return v == "C" || v == "POSIX" || strings.HasPrefix(v, "C.")
}
