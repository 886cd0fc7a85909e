package version

import (
	"runtime/debug"
	"testing"
)

func TestOf(t *testing.T) {
	info := func(v string, settings ...debug.BuildSetting) func() (*debug.BuildInfo, bool) {
		return func() (*debug.BuildInfo, bool) {
			return &debug.BuildInfo{Main: debug.Module{Version: v}, Settings: settings}, true
		}
	}
	rev := debug.BuildSetting{Key: "vcs.revision", Value: "1a2b3c4d5e6f7a8b9c0d"}
	for _, c := range []struct {
		stamp string
		info  func() (*debug.BuildInfo, bool)
		want  string
	}{
		{"0.213+g1a2b3c4", info("(devel)", rev), "0.213+g1a2b3c4"},
		{"", info("(devel)", rev), "1a2b3c4d5e6f"},
		{"", info("(devel)", rev, debug.BuildSetting{Key: "vcs.modified", Value: "true"}), "1a2b3c4d5e6f+dirty"},
		{"", info("v1.4.0"), "v1.4.0"},
		{"", info("(devel)"), "dev"},
		{"", func() (*debug.BuildInfo, bool) { return nil, false }, "dev"},
	} {
		if got := of(c.stamp, c.info); got != c.want {
			t.Errorf("of(%q) = %q, want %q", c.stamp, got, c.want)
		}
	}
}

func TestPackage(t *testing.T) {
	for _, c := range []struct {
		describe string
		commits  int
		hash     string
		want     string
	}{
		{"v1.2.0", 300, "1a2b3c4", "1.2.0"},
		{"v1.2.0-14-g1a2b3c4", 314, "1a2b3c4", "1.2.0+14.g1a2b3c4"},
		{"v1.2.0-14-g1a2b3c4-dirty", 314, "1a2b3c4", "1.2.0+14.g1a2b3c4"},
		{"1a2b3c4", 213, "1a2b3c4", "0.213+g1a2b3c4"},
		{"", 0, "1a2b3c4", "0.0+g1a2b3c4"},
		{"vnext", 5, "1a2b3c4", "0.5+g1a2b3c4"},
	} {
		if got := Package(c.describe, c.commits, c.hash); got != c.want {
			t.Errorf("Package(%q) = %q, want %q", c.describe, got, c.want)
		}
	}
}
