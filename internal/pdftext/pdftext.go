// Package pdftext reads a PDF's text back with pdftotext (poppler-utils, which
// make installs), as a reader would see it, for the tests of the forms.
// Imported by tests only.
package pdftext

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Of returns the text of pdf with runs of white space made single spaces.
func Of(t testing.TB, pdf []byte, layout bool) string {
	t.Helper()
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Fatal("not a PDF")
	}
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Fatal("pdftotext is needed (make test installs poppler-utils)")
	}
	path := filepath.Join(t.TempDir(), "f.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	args := []string{path, "-"}
	if layout {
		args = append([]string{"-layout"}, args...)
	}
	out, err := exec.Command("pdftotext", args...).Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return strings.Join(strings.Fields(string(out)), " ")
}
