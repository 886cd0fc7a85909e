package kiosk

import (
	"context"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"motcua/internal/client"
	"motcua/internal/testserver"
	"motcua/internal/ui"
	"motcua/internal/uitest"
)

// A kiosk without a key shows a pairing code; once the admin types it on the
// console's devices page, the kiosk gets its key, and the key issues tickets.
func TestPairingScreen(t *testing.T) {
	a := test.NewApp()
	t.Cleanup(a.Quit)
	url0, _ := realServer(t, "127.0.0.1:0", t.TempDir())
	w := test.NewWindow(nil)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	keys := make(chan string, 1)
	onUI := func(f func()) { uiThread.Lock(); defer uiThread.Unlock(); f() }
	onUI(func() {
		Pairing(ctx, w, client.New(url0, ""), ui.NewBridge(onUI, nil), 20*time.Millisecond, func(key string) { keys <- key })
	})
	var code string
	deadline := time.Now().Add(10 * time.Second)
	for code == "" {
		onUI(func() {
			for _, line := range strings.Split(uitest.Text(w.Content()), "\n") {
				if len(line) == 7 && line[3] == ' ' {
					code = strings.ReplaceAll(line, " ", "")
				}
			}
		})
		if time.Now().After(deadline) {
			t.Fatalf("no pairing code on the screen:\n%s", uitest.Text(w.Content()))
		}
		time.Sleep(10 * time.Millisecond)
	}
	// The admin, in the console.
	jar, _ := cookiejar.New(nil)
	web := &http.Client{Jar: jar, Timeout: 10 * time.Second}
	if _, err := web.PostForm(url0+"/admin/login", url.Values{"username": {testserver.AdminUser}, "pin": {testserver.PIN}}); err != nil {
		t.Fatal(err)
	}
	resp, err := web.PostForm(url0+"/admin/devices", url.Values{"version": {"0"}, "action": {"pair"}, "code": {code}, "id": {"kiosk-moi"}, "kind": {"kiosk"}})
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("pairing in the console: %v %v", resp, err)
	}
	resp.Body.Close()
	select {
	case key := <-keys:
		if _, err := client.New(url0, key).Issue(ctx, "ho_tich", ""); err != nil {
			t.Errorf("the paired kiosk's key does not issue: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the kiosk never got its key")
	}
}
