// Package archtest holds the test that keeps dependencies pointing inward
// (DESIGN.md §2, docs/ARCHITECTURE.md): it fails when a forbidden import appears.
package archtest

import (
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

const module = "motcua"

// rules: for each package directory (prefix), what its non-test files may not import.
// "std" alone means: the standard library only.
var rules = []struct {
	dir       string
	stdOnly   bool
	forbidden []string
}{
	{dir: "internal/queue", stdOnly: true},
	{dir: "internal/intake", stdOnly: true},
	{dir: "internal/calendar", stdOnly: true},
	{dir: "internal/voice", stdOnly: true},
	{dir: "internal/web", stdOnly: true},
	{dir: "internal/catalogue", forbidden: []string{"motcua/internal/bolt", "motcua/internal/server", "motcua/internal/client", "go.etcd.io/bbolt", "fyne.io/fyne/v2", "github.com/gorilla/websocket"}},
	{dir: "internal/printout", forbidden: []string{"motcua/internal/bolt", "motcua/internal/server", "motcua/internal/client", "go.etcd.io/bbolt", "fyne.io/fyne/v2", "github.com/gorilla/websocket"}},
	{dir: "internal/bolt", forbidden: []string{"motcua/internal/server", "motcua/internal/client", "github.com/gorilla/websocket", "fyne.io/fyne/v2"}},
	{dir: "internal/server", forbidden: []string{"motcua/internal/bolt", "motcua/internal/client", "go.etcd.io/bbolt", "fyne.io/fyne/v2"}},
	{dir: "internal/client", forbidden: []string{"motcua/internal/bolt", "motcua/internal/server", "go.etcd.io/bbolt", "fyne.io/fyne/v2"}},
	{dir: "internal/ui", forbidden: []string{"motcua/internal/bolt", "motcua/internal/server", "go.etcd.io/bbolt", "fyne.io/fyne/v2/app"}},
	{dir: "kiosk", forbidden: []string{"motcua/counter", "motcua/display", "motcua/internal/bolt", "motcua/internal/testserver", "go.etcd.io/bbolt", "github.com/gorilla/websocket", "fyne.io/fyne/v2/app"}},
	{dir: "counter", forbidden: []string{"motcua/kiosk", "motcua/display", "motcua/internal/bolt", "go.etcd.io/bbolt", "github.com/gorilla/websocket", "fyne.io/fyne/v2/app"}},
	{dir: "display", forbidden: []string{"motcua/kiosk", "motcua/counter", "motcua/internal/bolt", "go.etcd.io/bbolt", "github.com/gorilla/websocket", "fyne.io/fyne/v2/app"}},
	// The server binary stays pure Go: no cgo through Fyne.
	{dir: "cmd/motcua-server", forbidden: []string{"fyne.io/fyne/v2"}},
}

func TestImportsPointInward(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, r := range rules {
		dir := filepath.Join(root, r.dir)
		if _, err := os.Stat(dir); err != nil {
			continue // not written yet
		}
		filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return err
			}
			f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
			if err != nil {
				t.Errorf("%s: %v", path, err)
				return nil
			}
			checked++
			rel, _ := filepath.Rel(root, path)
			for _, imp := range f.Imports {
				p, _ := strconv.Unquote(imp.Path.Value)
				if r.stdOnly && !isStd(p) {
					t.Errorf("%s imports %q: %s may use the standard library only", rel, p, r.dir)
				}
				for _, bad := range r.forbidden {
					if p == bad || strings.HasPrefix(p, bad+"/") {
						t.Errorf("%s imports %q, which %s must not", rel, p, r.dir)
					}
				}
			}
			return nil
		})
	}
	if checked == 0 {
		t.Fatal("no file checked: the rules point at nothing")
	}
}

// isStd: standard library paths have no dot in their first element and are not ours.
func isStd(p string) bool {
	first, _, _ := strings.Cut(p, "/")
	return !strings.Contains(first, ".") && first != module
}

func TestRuleCatchesAForbiddenImport(t *testing.T) {
	if isStd("go.etcd.io/bbolt") || isStd("motcua/internal/bolt") || !isStd("net/http") {
		t.Fatal("isStd misclassifies")
	}
}
