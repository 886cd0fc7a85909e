// Package scantest gives tests a real scanner: SANE's test backend, enabled
// for the test alone (SANE_CONFIG_DIR names a folder whose dll.conf loads
// only "test"), driven by the real scanimage. sane-utils is installed by make
// test-deps; a machine without it fails the test, never skips it.
package scantest

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"motcua/internal/queue"
	"motcua/internal/scan"
)

// Scanner enables SANE's test backend for t and returns it as a scanner
// that scans a pattern (a page with something on it).
func Scanner(t testing.TB) scan.Scanner {
	t.Helper()
	if _, err := exec.LookPath("scanimage"); err != nil {
		t.Fatal("scanimage is missing: make test-deps installs sane-utils")
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "dll.conf"), []byte("test\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("SANE_CONFIG_DIR", dir)
	return scan.Scanner{Device: "test", Args: []string{"--test-picture", "Color pattern"}}
}

// PDF scans n pages from the test backend at cfg and makes them one PDF,
// as the counter does.
func PDF(t testing.TB, n int, cfg queue.ScanConfig) []byte {
	t.Helper()
	s := Scanner(t)
	var pages [][]byte
	for range n {
		img, err := s.Page(context.Background(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		jpg, err := scan.JPEG(img, cfg)
		if err != nil {
			t.Fatal(err)
		}
		pages = append(pages, jpg)
	}
	pdf, err := scan.PDF(pages, cfg.DPI)
	if err != nil {
		t.Fatal(err)
	}
	return pdf
}
