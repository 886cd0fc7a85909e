// Package archtest holds the tests that keep docs/ARCHITECTURE.md true: its
// package table is go list's (map_test.go), and dependencies point inward —
// a package that reaches, directly or through any package it imports,
// something it must not fails.
package archtest

import (
	"bufio"
	"bytes"
	"os/exec"
	"strings"
	"testing"
)

const module = "motcua"

// domain is what the pure packages may use besides the standard library.
var domain = []string{"motcua/internal/problem", "motcua/internal/formtext", "motcua/internal/notify", "motcua/internal/vietqr", "motcua/internal/statement", "motcua/internal/queue", "motcua/internal/intake", "motcua/internal/calendar", "motcua/internal/catalogue", "motcua/internal/csvsafe"}

// rules: for each package pattern, what its transitive dependencies (go list
// -deps, test files left out) may be. allowOnly: the standard library and these
// motcua packages only; forbidden: none of these module or package prefixes.
var rules = []struct {
	pkg       string
	allowOnly []string
	forbidden []string
}{
	{pkg: "./internal/problem", allowOnly: []string{}},
	// csvsafe is how every CSV is written (a leaf, like problem).
	{pkg: "./internal/csvsafe", allowOnly: []string{}},
	// formtext is the forms' wording (the Circular's), which the office
	// settings check: domain, like the rules.
	{pkg: "./internal/formtext", allowOnly: []string{"motcua/internal/problem"}},
	{pkg: "./internal/queue", allowOnly: []string{"motcua/internal/problem", "motcua/internal/formtext", "motcua/internal/calendar", "motcua/internal/notify", "motcua/internal/vietqr", "motcua/internal/statement", "motcua/internal/csvsafe"}}, // calendar: the office's working hours; notify: what it tells citizens; vietqr: where its fees are paid
	{pkg: "./internal/vietqr", allowOnly: []string{"motcua/internal/problem"}},
	{pkg: "./internal/statement", allowOnly: []string{"motcua/internal/problem", "motcua/internal/csvsafe"}},
	{pkg: "./internal/notify", allowOnly: []string{"motcua/internal/problem"}},
	{pkg: "./internal/calendar", allowOnly: []string{"motcua/internal/problem"}},
	{pkg: "./internal/catalogue", allowOnly: []string{"motcua/internal/problem", "motcua/internal/csvsafe"}},
	{pkg: "./internal/intake", allowOnly: []string{"motcua/internal/problem", "motcua/internal/formtext", "motcua/internal/notify", "motcua/internal/vietqr", "motcua/internal/statement", "motcua/internal/queue", "motcua/internal/calendar", "motcua/internal/catalogue", "motcua/internal/csvsafe"}},
	{pkg: "./internal/api", allowOnly: domain},
	{pkg: "./internal/voice", allowOnly: []string{}},
	{pkg: "./internal/web", allowOnly: []string{}},
	{pkg: "./internal/escpos", allowOnly: []string{"motcua/internal/problem"}},
	{pkg: "./internal/printout", allowOnly: []string{"motcua/internal/problem", "motcua/internal/escpos"}},
	{pkg: "./internal/bolt", forbidden: []string{"motcua/internal/server", "motcua/internal/client", "github.com/gorilla/websocket", "fyne.io/fyne/v2"}},
	// The pieces of the server: none reaches the store's package, the
	// client or Fyne, and none reaches back into the server.
	{pkg: "./internal/reply", forbidden: []string{"motcua/internal/server", "motcua/internal/console", "motcua/internal/feed", "motcua/internal/bolt", "go.etcd.io/bbolt", "fyne.io/fyne/v2"}},
	{pkg: "./internal/auth", forbidden: []string{"motcua/internal/server", "motcua/internal/console", "motcua/internal/feed", "motcua/internal/reply", "motcua/internal/bolt", "go.etcd.io/bbolt", "fyne.io/fyne/v2"}},
	{pkg: "./internal/feed", forbidden: []string{"motcua/internal/server", "motcua/internal/console", "motcua/internal/auth", "motcua/internal/bolt", "motcua/internal/client", "go.etcd.io/bbolt", "fyne.io/fyne/v2"}},
	{pkg: "./internal/console", forbidden: []string{"motcua/internal/server", "motcua/internal/feed", "motcua/internal/bolt", "motcua/internal/client", "go.etcd.io/bbolt", "github.com/gorilla/websocket", "fyne.io/fyne/v2"}},
	{pkg: "./internal/server", forbidden: []string{"motcua/internal/bolt", "motcua/internal/client", "go.etcd.io/bbolt", "fyne.io/fyne/v2"}},
	{pkg: "./internal/client", forbidden: []string{"motcua/internal/bolt", "motcua/internal/server", "go.etcd.io/bbolt", "fyne.io/fyne/v2"}},
	{pkg: "./internal/ui", forbidden: []string{"motcua/internal/bolt", "motcua/internal/server", "motcua/internal/client", "go.etcd.io/bbolt", "github.com/gorilla/websocket", "fyne.io/fyne/v2/app"}},
	// The apps reach the server through interfaces; the concrete client (HTTP
	// and gorilla) is wired in cmd/.
	{pkg: "./kiosk", forbidden: []string{"motcua/counter", "motcua/display", "motcua/internal/client", "motcua/internal/bolt", "motcua/internal/server", "motcua/internal/testserver", "go.etcd.io/bbolt", "github.com/gorilla/websocket", "fyne.io/fyne/v2/app"}},
	{pkg: "./counter/...", forbidden: []string{"motcua/kiosk", "motcua/display", "motcua/internal/client", "motcua/internal/bolt", "motcua/internal/server", "motcua/internal/testserver", "go.etcd.io/bbolt", "github.com/gorilla/websocket", "fyne.io/fyne/v2/app"}},
	{pkg: "./display", forbidden: []string{"motcua/kiosk", "motcua/counter", "motcua/internal/client", "motcua/internal/bolt", "motcua/internal/server", "motcua/internal/testserver", "go.etcd.io/bbolt", "github.com/gorilla/websocket", "fyne.io/fyne/v2/app"}},
	// The server binary stays pure Go: nothing it uses reaches Fyne (cgo).
	{pkg: "./cmd/motcua-server", forbidden: []string{"fyne.io/fyne/v2", "github.com/go-gl"}},
}

func TestDependenciesPointInward(t *testing.T) {
	for _, r := range rules {
		deps := listDeps(t, r.pkg)
		if len(deps) == 0 {
			t.Errorf("%s: go list found no package", r.pkg)
			continue
		}
		for pkg, ds := range deps {
			for _, d := range ds {
				if bad := verdict(d, r.allowOnly, r.forbidden); bad != "" {
					t.Errorf("%s depends on %s, %s", pkg, d, bad)
				}
			}
		}
	}
}

// verdict says why dep is not allowed, or "" when it is.
func verdict(dep string, allowOnly, forbidden []string) string {
	if allowOnly != nil && !isStd(dep) && !within(dep, allowOnly) {
		return "but may use only the standard library and " + strings.Join(allowOnly, ", ")
	}
	if within(dep, forbidden) {
		return "which it must not"
	}
	return ""
}

func within(p string, prefixes []string) bool {
	for _, pre := range prefixes {
		if p == pre || strings.HasPrefix(p, pre+"/") {
			return true
		}
	}
	return false
}

// listDeps runs go list -deps for pattern and returns, for each package the
// pattern names, every package it depends on (itself left out).
func listDeps(t *testing.T, pattern string) map[string][]string {
	t.Helper()
	cmd := exec.Command("go", "list", "-f", `{{.ImportPath}}{{"\t"}}{{join .Deps " "}}`, pattern)
	cmd.Dir = "../.."
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list %s: %v", pattern, err)
	}
	deps := map[string][]string{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		pkg, list, _ := strings.Cut(sc.Text(), "\t")
		deps[pkg] = strings.Fields(list)
	}
	return deps
}

// isStd: standard library paths have no dot in their first element and are not ours.
func isStd(p string) bool {
	first, _, _ := strings.Cut(p, "/")
	return !strings.Contains(first, ".") && first != module
}

func TestVerdicts(t *testing.T) {
	cases := []struct {
		dep                  string
		allowOnly, forbidden []string
		ok                   bool
	}{
		{"net/http", []string{}, nil, true},
		{"go.etcd.io/bbolt", []string{}, nil, false},
		{"motcua/internal/problem", []string{"motcua/internal/problem"}, nil, true},
		{"motcua/internal/bolt", []string{"motcua/internal/problem"}, nil, false},
		{"fyne.io/fyne/v2/theme", nil, []string{"fyne.io/fyne/v2"}, false},
		{"fyne.io/fyne/v2/app", nil, []string{"fyne.io/fyne/v2/app"}, false},
		{"fyne.io/fyne/v2/widget", nil, []string{"fyne.io/fyne/v2/app"}, true},
		{"motcua/internal/clientx", nil, []string{"motcua/internal/client"}, true},
	}
	for _, c := range cases {
		if got := verdict(c.dep, c.allowOnly, c.forbidden) == ""; got != c.ok {
			t.Errorf("verdict(%q, %v, %v) allowed = %v, want %v", c.dep, c.allowOnly, c.forbidden, got, c.ok)
		}
	}
}
