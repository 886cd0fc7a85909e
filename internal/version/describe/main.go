// Command describe prints the version of the checkout it runs in, for the
// builds and the packages to stamp (version.Package of git describe):
// `make build` and `make package` run it.
package main

import (
	"fmt"
	"os/exec"
	"strconv"
	"strings"

	"motcua/internal/version"
)

func git(args ...string) string {
	out, err := exec.Command("git", args...).Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}

func main() {
	hash := git("rev-parse", "--short=7", "HEAD")
	if hash == "" {
		fmt.Println("0.0+unknown") // not a git checkout (a tarball)
		return
	}
	commits, _ := strconv.Atoi(git("rev-list", "--count", "HEAD"))
	v := version.Package(git("describe", "--tags", "--always"), commits, hash)
	if git("status", "--porcelain", "--untracked-files=no") != "" {
		v += ".dirty"
	}
	fmt.Println(v)
}
