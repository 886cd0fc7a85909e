package uitest

import (
	"encoding/json"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2"

	"motcua/assets"
	"motcua/internal/queue"
)

// ShotIfAsked writes c to name in $MOTCUA_SCREENSHOTS when it is set (a
// test that runs anyway takes its screenshot on the way).
func ShotIfAsked(t *testing.T, c fyne.Canvas, name string) {
	if dir := os.Getenv("MOTCUA_SCREENSHOTS"); dir != "" {
		Shot(t, c, dir, name)
	}
}

// ShotsDir is where `make screenshots` wants the screens ($MOTCUA_SCREENSHOTS);
// it skips the test when unset.
func ShotsDir(t *testing.T) string {
	dir := os.Getenv("MOTCUA_SCREENSHOTS")
	if dir == "" {
		t.Skip("set MOTCUA_SCREENSHOTS to a directory")
	}
	return dir
}

// DemoOffice is the office `make run` serves.
func DemoOffice(t *testing.T) queue.Office {
	var demo struct {
		Office queue.Office `json:"office"`
	}
	if err := json.Unmarshal(assets.DemoOffice, &demo); err != nil {
		t.Fatal(err)
	}
	return demo.Office
}

// Shot draws c (Fyne's software painter) into dir/name as PNG. Call it on the
// UI thread.
func Shot(t *testing.T, c fyne.Canvas, dir, name string) {
	f, err := os.Create(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, c.Capture()); err != nil {
		t.Fatal(err)
	}
}
