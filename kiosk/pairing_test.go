package kiosk

import (
	"context"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"slices"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"motcua/internal/api"
	"motcua/internal/client"
	"motcua/internal/testserver"
	"motcua/internal/testwait"
	"motcua/internal/ui"
	"motcua/internal/uitest"
)

// A kiosk without a key shows a pairing code; once the admin types it on the
// console's devices page, the kiosk gets its key, keeps it and starts; the
// key issues tickets. Revoked, the kiosk forgets the key and shows a new
// code; paired again, it starts again with a new key.
func TestPairingScreen(t *testing.T) {
	a := test.NewApp()
	t.Cleanup(a.Quit)
	a.Settings().SetTheme(ui.TouchTheme())
	url0, _ := realServer(t, "127.0.0.1:0", t.TempDir())
	w := test.NewWindow(nil)
	w.Resize(fyne.NewSize(900, 1000))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	keys := make(chan string, 2)
	bridge := ui.NewBridge(uitest.OnUI, nil)
	uitest.OnUI(func() {
		ui.Device{Win: w, Prefs: a.Preferences(), Pairer: client.New(url0, ""), Bridge: bridge, Poll: 20 * time.Millisecond}.Run(ctx,
			func(ctx context.Context, dev api.PairedAnswer, refused func()) {
				New(w, client.New(url0, dev.Key), Config{UI: bridge, Refused: refused, HeartbeatEvery: time.Hour}).Start(ctx)
				keys <- dev.Key
			})
	})
	codeOnScreen := func() string {
		t.Helper()
		var code string
		testwait.Until(t, 10*time.Second, func() bool {
			uitest.OnUI(func() { code = uitest.PairingCode(w.Content()) })
			return code != ""
		}, func() string { return "no pairing code on the screen:\n" + uitest.Text(w.Content()) })
		return code
	}
	// The admin, in the console.
	jar, _ := cookiejar.New(nil)
	web := &http.Client{Jar: jar, Timeout: 10 * time.Second}
	if _, err := web.PostForm(url0+"/admin/login", url.Values{"username": {testserver.AdminUser}, "pin": {testserver.PIN}}); err != nil {
		t.Fatal(err)
	}
	devices := func(form url.Values) {
		t.Helper()
		form.Set("version", "0")
		resp, err := web.PostForm(url0+"/admin/devices", form)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("%s in the console: %v %v", form.Get("action"), resp, err)
		}
		resp.Body.Close()
	}
	started := func() string {
		t.Helper()
		select {
		case key := <-keys:
			return key
		case <-time.After(10 * time.Second):
			t.Fatal("the kiosk never got its key")
		}
		return ""
	}
	code := codeOnScreen()
	uitest.OnUI(func() { uitest.ShotIfAsked(t, w.Canvas(), "kiosk-pairing.png") })
	devices(url.Values{"action": {"pair"}, "code": {code}, "id": {"kiosk-moi"}, "kind": {"kiosk"}})
	first := started()
	if kept := a.Preferences().String("device_key"); kept != first {
		t.Errorf("the key kept in the preferences: %q", kept)
	}
	if kept := ui.KeptServers(a.Preferences()); !slices.Equal(kept, []string{url0}) {
		t.Errorf("the servers kept from the pairing: %v (the server: %s)", kept, url0)
	}
	if _, err := client.New(url0, first).Issue(ctx, "ho_tich", ""); err != nil {
		t.Errorf("the paired kiosk's key does not issue: %v", err)
	}

	devices(url.Values{"action": {"revoke"}, "id": {"kiosk-moi"}})
	code = codeOnScreen() // the feed refused the key: pairing again
	if kept := a.Preferences().String("device_key"); kept != "" {
		t.Errorf("the revoked key is still kept: %q", kept)
	}
	devices(url.Values{"action": {"pair"}, "code": {code}, "id": {"kiosk-moi"}, "kind": {"kiosk"}})
	if second := started(); second == first || second == "" {
		t.Errorf("paired again with key %q (the first was %q)", second, first)
	}
}
