// Package version says which build of motcua this is: the version `make
// build` and the packages stamp in (git describe), or else the commit Go
// recorded, or "dev".
package version

import (
	"runtime/debug"
	"strconv"
	"strings"
)

// stamp is set at link time: -ldflags "-X motcua/internal/version.stamp=…".
var stamp string

// String is this build's version.
func String() string { return of(stamp, debug.ReadBuildInfo) }

func of(stamp string, info func() (*debug.BuildInfo, bool)) string {
	if stamp != "" {
		return stamp
	}
	bi, ok := info()
	if !ok {
		return "dev"
	}
	if v := bi.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	rev, dirty := "", false
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value[:min(len(s.Value), 12)]
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	switch {
	case rev == "":
		return "dev"
	case dirty:
		return rev + "+dirty"
	}
	return rev
}

// Package is a version for a Debian package from git describe's output:
// "v1.2.0" → "1.2.0", "v1.2.0-14-g1a2b3c4" → "1.2.0+14.g1a2b3c4", and
// without a tag, a commit count and hash ("213", "1a2b3c4") → "0.213+g1a2b3c4":
// it starts with a digit and grows with every commit, as dpkg wants.
func Package(describe string, commits int, hash string) string {
	d := strings.TrimSuffix(strings.TrimSpace(describe), "-dirty")
	if strings.HasPrefix(d, "v") && len(d) > 1 && d[1] >= '0' && d[1] <= '9' {
		d = d[1:]
		if i := strings.Index(d, "-"); i > 0 { // 1.2.0-14-g1a2b3c4
			return d[:i] + "+" + strings.ReplaceAll(d[i+1:], "-", ".")
		}
		return d
	}
	return "0." + strconv.Itoa(max(commits, 0)) + "+g" + hash
}
