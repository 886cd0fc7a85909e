package client

import "testing"

func TestAppAgent(t *testing.T) {
	for _, c := range []struct{ program, want string }{
		{"motcua-kiosk", "motcua-kiosk/0.213+g1a2b3c4"},
		{"motcua-display.exe", "motcua-display/0.213+g1a2b3c4"},
		{"kiosk.test", "motcua-kiosk.test/0.213+g1a2b3c4"},
	} {
		if got := appAgent(c.program, "0.213+g1a2b3c4"); got != c.want {
			t.Errorf("%s: %q, want %q", c.program, got, c.want)
		}
	}
}
