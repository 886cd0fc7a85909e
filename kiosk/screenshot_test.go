package kiosk

import (
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"

	"motcua/assets"
	"motcua/internal/catalogue"
	"motcua/internal/printout"
	"motcua/internal/receipt"
	"motcua/internal/uitest"
)

// TestScreenshots writes the kiosk's screens, drawn by Fyne's software painter
// against the demo office on a real in-process server, to $MOTCUA_SCREENSHOTS
// (`make screenshots`). Skipped otherwise.
func TestScreenshots(t *testing.T) {
	dir := uitest.ShotsDir(t)
	demo := uitest.DemoOffice(t)
	procs, err := catalogue.ParseJSON(assets.DemoProcedures, demo.ServiceIDs())
	if err != nil {
		t.Fatal(err)
	}
	testOffice, testProcedures = demo, procs.Procedures
	defer func() { testOffice, testProcedures = office(), procedures() }()
	r := newRig(t, printout.Folder{Dir: t.TempDir(), Format: "png"})
	r.w.Resize(fyne.NewSize(1080, 1400))
	shot := func(name string) {
		uitest.Thread.Lock()
		defer uitest.Thread.Unlock()
		uitest.Shot(t, r.w.Canvas(), dir, name)
	}
	r.k.cfg.UI.Post(r.k.Tick) // the clock
	shot("kiosk-home.png")
	r.tap("Tìm thủ tục")
	r.waitScreen("search")
	for _, k := range []string{"K", "H", "A", "I"} {
		r.tap(k)
	}
	shot("kiosk-search.png")
	r.tap("Đăng ký khai sinh")
	r.waitScreen("guide")
	shot("kiosk-guide.png")
	r.tap("Lấy số và in danh sách giấy tờ")
	r.waitScreen("ticket")
	shot("kiosk-ticket.png")
	// What the screenshot shows is what the window shows: its QR reads back.
	f, err := os.Open(filepath.Join(dir, "kiosk-ticket.png"))
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	bmp, _ := gozxing.NewBinaryBitmapFromImage(img)
	res, err := qrcode.NewQRCodeReader().Decode(bmp, nil)
	if err != nil || !strings.HasPrefix(res.GetText(), "http://192.168.1.10:8080/t/") {
		t.Errorf("the QR of kiosk-ticket.png: %v %v", res, err)
	}

	// What was printed, checklist and all.
	uitest.Thread.Lock()
	printed := r.k.recent[0]
	uitest.Thread.Unlock()
	img, err = receipt.Render(printed, receipt.Width80mm)
	if err != nil {
		t.Fatal(err)
	}
	f, err = os.Create(filepath.Join(dir, "printed-ticket-checklist.png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	png.Encode(f, img)

	r.tap("Về trang chủ")
	r.waitScreen("home")
	uitest.Thread.Lock()
	r.k.cfg.Landscape = true
	r.k.ui.built = "" // drawn again in the other layout
	r.w.Resize(fyne.NewSize(1600, 900))
	r.k.render()
	r.k.Tick()
	uitest.Thread.Unlock()
	shot("kiosk-home-landscape.png")

	// The lookup of a ready dossier, as after scanning the receipt's QR.
	uitest.Thread.Lock()
	r.k.cfg.Landscape = false
	r.w.Resize(fyne.NewSize(1080, 1400))
	uitest.Thread.Unlock()
	r.scanReady()
	shot("kiosk-lookup.png")
}
