package archtest

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestTheMapIsTrue compares docs/ARCHITECTURE.md's package table with go
// list: every package of the module has its row, every row is a package,
// and each row's imports are the package's own (test files left out).
func TestTheMapIsTrue(t *testing.T) {
	raw, err := os.ReadFile("../../docs/ARCHITECTURE.md")
	if err != nil {
		t.Fatal(err)
	}
	mapped, err := parseMap(raw)
	if err != nil {
		t.Fatal(err)
	}
	real := listImports(t)
	for pkg, imports := range real {
		got, ok := mapped[pkg]
		switch {
		case !ok:
			t.Errorf("docs/ARCHITECTURE.md has no row for %s (it imports %s)", pkg, strings.Join(imports, ", "))
		case !slices.Equal(got, imports):
			t.Errorf("docs/ARCHITECTURE.md says %s imports %s; it imports %s", pkg, orNone(got), orNone(imports))
		}
	}
	for pkg := range mapped {
		if _, ok := real[pkg]; !ok {
			t.Errorf("docs/ARCHITECTURE.md has a row for %s, which go list does not know", pkg)
		}
	}
}

// The parser reads the rows it should and refuses a malformed one.
func TestParseMap(t *testing.T) {
	doc := "text\n| package | holds | imports of motcua (checked) | outside |\n|---|---|---|---|\n" +
		"| `internal/queue` | the rules | problem, formtext | — |\n| `kiosk` | screens | — | fyne |\n\n| other | table |\n"
	got, err := parseMap([]byte(doc))
	if err != nil || len(got) != 2 || !slices.Equal(got["internal/queue"], []string{"formtext", "problem"}) || len(got["kiosk"]) != 0 {
		t.Fatalf("parsed %v, %v", got, err)
	}
	if _, err := parseMap([]byte("| `kiosk` | screens |\n")); err == nil {
		t.Error("a row without its imports was taken")
	}
	if _, err := parseMap([]byte("| `kiosk` | a | — | — |\n| `kiosk` | b | — | — |\n")); err == nil {
		t.Error("a package with two rows was taken")
	}
}

var mapRow = regexp.MustCompile("^\\| `([^`]+)` \\|")

// parseMap reads the package table: a row is "| `path` | holds | imports |
// outside |", the imports named without "internal/" and comma-separated,
// "—" for none.
func parseMap(doc []byte) (map[string][]string, error) {
	out := map[string][]string{}
	sc := bufio.NewScanner(bytes.NewReader(doc))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		m := mapRow.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		cells := strings.Split(strings.Trim(line, "| "), " | ")
		if len(cells) != 4 {
			return nil, &mapError{line}
		}
		pkg := strings.TrimSuffix(m[1], "/")
		if _, twice := out[pkg]; twice {
			return nil, &mapError{line}
		}
		var imports []string
		for _, name := range strings.Split(cells[2], ",") {
			if name = strings.TrimSpace(name); name != "" && name != "—" {
				imports = append(imports, name)
			}
		}
		slices.Sort(imports)
		out[pkg] = imports
	}
	return out, sc.Err()
}

type mapError struct{ line string }

func (e *mapError) Error() string {
	return "a malformed or repeated row in the package table: " + e.line
}

// listImports is every package of the module (its path without "motcua/")
// and the module's packages it imports, named without "internal/".
func listImports(t *testing.T) map[string][]string {
	t.Helper()
	cmd := exec.Command("go", "list", "-f", `{{.ImportPath}}{{"\t"}}{{join .Imports " "}}`, "./...")
	cmd.Dir = "../.."
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	real := map[string][]string{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		pkg, list, _ := strings.Cut(sc.Text(), "\t")
		var imports []string
		for _, imp := range strings.Fields(list) {
			if rest, ours := strings.CutPrefix(imp, module+"/"); ours {
				imports = append(imports, strings.TrimPrefix(rest, "internal/"))
			}
		}
		slices.Sort(imports)
		real[strings.TrimPrefix(pkg, module+"/")] = imports
	}
	return real
}

func orNone(list []string) string {
	if len(list) == 0 {
		return "nothing of ours"
	}
	return strings.Join(list, ", ")
}
