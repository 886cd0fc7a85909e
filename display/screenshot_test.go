package display

import (
	"context"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"motcua/internal/api"
	"motcua/internal/client"
	"motcua/internal/testserver"
	"motcua/internal/ui"
	"motcua/internal/uitest"
)

// TestScreenshots writes the Fyne board, drawn by Fyne's software painter
// against the demo office on a real in-process server, to $MOTCUA_SCREENSHOTS
// (`make screenshots`). Skipped otherwise.
func TestScreenshots(t *testing.T) {
	dir := uitest.ShotsDir(t)
	app := test.NewApp()
	t.Cleanup(app.Quit)
	app.Settings().SetTheme(ui.BoardTheme())
	url, _ := testserver.Start(t, "127.0.0.1:0", t.TempDir(), uitest.DemoOffice(t))
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	kiosk := client.New(url, testserver.KioskKey)
	for _, svc := range []string{"ho_tich", "ho_tich", "chung_thuc", "ho_tich", "dat_dai", "ho_tich"} {
		kiosk.Issue(ctx, svc, "")
	}
	clerk := client.New(url, "")
	if _, err := clerk.Login(ctx, testserver.Clerk, testserver.PIN); err != nil {
		t.Fatal(err)
	}
	w := test.NewWindow(nil)
	w.Resize(fyne.NewSize(1920, 1080))
	var a *App
	uitest.OnUI(func() { a = New(w, client.New(url, ""), Config{UI: ui.NewBridge(uitest.OnUI, nil)}) })
	a.Start(ctx)
	waitFor(t, "the snapshot", func() bool { return board(a).Online })
	for _, n := range []int{1, 2, 1} {
		clerk.Next(ctx, n)
		clerk.TicketAction(ctx, n, "finish", api.CounterRequest{})
	}
	clerk.Next(ctx, 1)
	waitFor(t, "the call", func() bool { return board(a).Highlighted(time.Now()) != nil && board(a).New.Display == "1003" })
	uitest.OnUI(func() {
		a.ui.flashOn = false // draw the highlight colour
		a.render()
		uitest.Shot(t, w.Canvas(), dir, "display-board.png")
	})
}
