package kiosk

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

// TestScreenshots writes the kiosk's screens, drawn by Fyne's software painter
// against the demo office on a real in-process server, to $MOTCUA_SCREENSHOTS
// (`make screenshots`). Skipped otherwise.
func TestScreenshots(t *testing.T) {
	dir := os.Getenv("MOTCUA_SCREENSHOTS")
	if dir == "" {
		t.Skip("set MOTCUA_SCREENSHOTS to a directory")
	}
	var demo struct {
		Office queue.Office `json:"office"`
	}
	if err := json.Unmarshal(assets.DemoOffice, &demo); err != nil {
		t.Fatal(err)
	}
	testOffice = demo.Office
	defer func() { testOffice = office() }()
	r := newRig(t, nil)
	r.w.Resize(fyne.NewSize(1080, 1400))
	shot := func(name string) {
		uiThread.Lock()
		img := r.w.Canvas().Capture()
		uiThread.Unlock()
		f, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if err := png.Encode(f, img); err != nil {
			t.Fatal(err)
		}
	}
	shot("kiosk-home.png")
	r.tap("Tìm thủ tục")
	r.waitScreen("search")
	for _, k := range []string{"K", "H", "A", "I"} {
		r.tap(k)
	}
	shot("kiosk-search.png")
	r.tap("Đăng ký khai sinh")
	r.waitScreen("ticket")
	shot("kiosk-ticket.png")
}
