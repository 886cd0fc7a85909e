package client

import (
	"runtime/debug"
	"testing"
)

func TestAppAgent(t *testing.T) {
	build := func(version string, settings ...string) func() (*debug.BuildInfo, bool) {
		return func() (*debug.BuildInfo, bool) {
			bi := &debug.BuildInfo{Main: debug.Module{Version: version}}
			for i := 0; i+1 < len(settings); i += 2 {
				bi.Settings = append(bi.Settings, debug.BuildSetting{Key: settings[i], Value: settings[i+1]})
			}
			return bi, true
		}
	}
	for _, c := range []struct {
		program string
		info    func() (*debug.BuildInfo, bool)
		want    string
	}{
		{"motcua-kiosk", build("(devel)", "vcs.revision", "02a4beb0c1d2e3f4", "vcs.modified", "false"), "motcua-kiosk/02a4beb0c1d2"},
		{"motcua-display.exe", build("(devel)", "vcs.revision", "02a4beb0c1d2e3f4", "vcs.modified", "true"), "motcua-display/02a4beb0c1d2+dirty"},
		{"motcua-counter", build("v1.2.0"), "motcua-counter/v1.2.0"},
		{"kiosk.test", build(""), "motcua-kiosk.test/dev"},
		{"motcua-kiosk", func() (*debug.BuildInfo, bool) { return nil, false }, "motcua-kiosk/dev"},
	} {
		if got := appAgent(c.program, c.info); got != c.want {
			t.Errorf("%s: %q, want %q", c.program, got, c.want)
		}
	}
}
