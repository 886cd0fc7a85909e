// Command describe prints the version of the checkout it runs in, for the
// builds and the packages to stamp (version.Package of git describe):
// `make build` and `make package` run it.
package main

import (
	"fmt"

	"motcua/internal/version"
)

func main() { fmt.Println(version.FromGit()) }
