package web_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"motcua/internal/api"
	"motcua/internal/browsertest"
	"motcua/internal/client"
	"motcua/internal/testserver"
	"motcua/internal/uitest"
)

// TestScreenshots writes the web board and the citizen's page, in headless
// Chromium against the demo office on a real in-process server, to
// $MOTCUA_SCREENSHOTS (`make screenshots`). Skipped otherwise.
func TestScreenshots(t *testing.T) {
	dir := uitest.ShotsDir(t)
	url, _ := testserver.Start(t, "127.0.0.1:0", t.TempDir(), uitest.DemoOffice(t))
	ctx := context.Background()
	kiosk := client.New(url, testserver.KioskKey)
	var mine api.TicketView
	for i, svc := range []string{"ho_tich", "ho_tich", "chung_thuc", "ho_tich", "ho_tich", "ho_tich", "ho_tich", "dat_dai"} {
		tk, _ := kiosk.Issue(ctx, svc, "")
		if i == 6 {
			mine = tk
		}
	}
	clerk := client.New(url, "")
	if _, err := clerk.Login(ctx, testserver.Clerk, testserver.PIN); err != nil {
		t.Fatal(err)
	}
	b := browsertest.Start(t)
	board := b.Open(url + "/board")
	phone := b.Open(url + "/t/" + mine.Token)
	board.Wait(`document.body.dataset.online`, "yes", 20*time.Second)
	for _, n := range []int{1, 2, 1} {
		clerk.Next(ctx, n)
		clerk.TicketAction(ctx, n, "finish", api.CounterRequest{})
	}
	clerk.Next(ctx, 1)
	board.Wait(`document.getElementById("hero").className`, "panel hero new", 5*time.Second)
	phone.Wait(`document.getElementById("status").textContent`, "~người trước bạn", 10*time.Second)
	board.Front() // a TV shows the board in front: media plays there
	board.Wait(`document.getElementById("caption").textContent`, "Mời công dân có số thứ tự 1003 đến quầy số 1", 10*time.Second)
	save := func(name string, png []byte) {
		if err := os.WriteFile(filepath.Join(dir, name), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	save("web-board.png", board.Screenshot(1920, 1080))
	save("web-ticket.png", phone.Screenshot(412, 860))
}
