package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"motcua/counter"
)

// A form is kept in the folder; with a print command it is printed too; what
// the clerk is told names the file, never the folder.
func TestPrintForm(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		command string
		want    counter.Printed
		fails   bool
	}{
		{"", counter.Printed{File: "a-mau-01.pdf"}, false},
		{"true", counter.Printed{File: "a-mau-01.pdf", Printer: "true"}, false},
		{"ls /nonexistent-printer", counter.Printed{File: "a-mau-01.pdf"}, true}, // fails, and names the file it was given
	} {
		got, err := printForm(dir, c.command, "a-mau-01.pdf", []byte("%PDF-1.4"))
		if got != c.want || (err != nil) != c.fails {
			t.Errorf("%q: %+v %v, want %+v (fails %v)", c.command, got, err, c.want, c.fails)
		}
		if err != nil && strings.Contains(err.Error(), dir) {
			t.Errorf("%q: the error shows the folder: %v", c.command, err)
		}
		if b, _ := os.ReadFile(filepath.Join(dir, "a-mau-01.pdf")); string(b) != "%PDF-1.4" {
			t.Errorf("%q: the form was not kept", c.command)
		}
	}
	if _, err := printForm(filepath.Join(dir, "a-mau-01.pdf", "sub"), "", "b.pdf", nil); err == nil || strings.Contains(err.Error(), dir) {
		t.Errorf("a folder that cannot be made: %v", err)
	}
}
