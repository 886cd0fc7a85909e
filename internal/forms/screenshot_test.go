package forms

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestScreenshots renders page 1 of a Mẫu 01 receipt to PNG with pdftoppm into
// $MOTCUA_SCREENSHOTS (`make screenshots`). Skipped otherwise.
func TestScreenshots(t *testing.T) {
	dir := os.Getenv("MOTCUA_SCREENSHOTS")
	if dir == "" {
		t.Skip("set MOTCUA_SCREENSHOTS to a directory")
	}
	pdf, err := Receipt(office, dossier(), "http://192.168.1.10:8080/tra-cuu?ma=H29.100-260429-0007&pin=4821", loc)
	if err != nil {
		t.Fatal(err)
	}
	src := filepath.Join(t.TempDir(), "mau-01.pdf")
	os.WriteFile(src, pdf, 0o600)
	out := filepath.Join(dir, "mau-01")
	if b, err := exec.Command("pdftoppm", "-png", "-r", "110", "-f", "2", "-l", "2", "-singlefile", src, out).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v %s", err, b)
	}
}
