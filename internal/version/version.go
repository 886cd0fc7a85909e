// Package version says which build of motcua this is: the version `make
// build` and the packages stamp in (git describe), or else the commit Go
// recorded, or "dev".
package version

import (
	"os/exec"
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

// FromGit is the version of the checkout in the working directory
// (Package of git describe, ".dirty" after it with uncommitted changes), or
// "0.0+unknown" outside one (a source tarball).
func FromGit() string {
	git := func(args ...string) string {
		out, err := exec.Command("git", args...).Output()
		if err != nil {
			return ""
		}
		return strings.TrimSpace(string(out))
	}
	hash := git("rev-parse", "--short=7", "HEAD")
	if hash == "" {
		return "0.0+unknown"
	}
	commits, _ := strconv.Atoi(git("rev-list", "--count", "HEAD"))
	v := Package(git("describe", "--tags", "--always"), commits, hash)
	if git("status", "--porcelain", "--untracked-files=no") != "" {
		v += ".dirty"
	}
	return v
}
