package ui

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"motcua/internal/api"
)

// Pairer is what a device without a key needs from the server.
type Pairer interface {
	Pair(ctx context.Context) (api.PairingAnswer, error)
	Paired(ctx context.Context, token string) (api.PairedAnswer, bool, error)
}

// Pairing shows, in win, the code the admin types on the console's devices
// page, and asks the server every poll until the device is paired; then it
// calls done with what the pairing gave (the key, and a rating screen's
// counter) on the UI goroutine. A code that expires is
// replaced by a new one. It returns when ctx ends or the key came.
func Pairing(ctx context.Context, win fyne.Window, srv Pairer, bridge Bridge, poll time.Duration, done func(api.PairedAnswer)) {
	code := Big("…", 96, true)
	// Lines broken by hand, not wrapped: a wrapping label in a box is laid
	// out one line tall and the next one draws over it.
	status := widget.NewLabelWithStyle("Đang kết nối máy chủ…\nConnecting…", fyne.TextAlignCenter, fyne.TextStyle{})
	hint := widget.NewLabelWithStyle("Thiết bị chưa được ghép nối.\nNhờ cán bộ quản trị nhập mã này\nở trang Thiết bị của trang quản trị.\n"+
		"This device is not paired yet: ask the administrator\nto type this code on the console's Devices page.", fyne.TextAlignCenter, fyne.TextStyle{})
	win.SetContent(container.NewVBox(layout.NewSpacer(), Big("Mã ghép nối / Pairing code", 36, true), code, hint, status, layout.NewSpacer()))
	bridge.Go(func() {
		var token string
		for ctx.Err() == nil {
			if token == "" {
				ans, err := srv.Pair(ctx)
				if err != nil {
					bridge.Post(func() {
						status.SetText("Chưa liên lạc được máy chủ; đang thử lại…\nCannot reach the server; retrying…")
					})
				} else {
					token = ans.Token
					shown := fmt.Sprintf("%s %s", ans.Code[:3], ans.Code[3:])
					bridge.Post(func() {
						code.Text = shown
						code.Refresh()
						status.SetText("Đang chờ ghép nối (mã dùng được 10 phút)\nWaiting to be paired (the code lasts 10 minutes)")
					})
				}
			} else if got, ok, err := srv.Paired(ctx, token); ok {
				bridge.Post(func() { done(got) })
				return
			} else if err != nil {
				token = "" // expired or unknown: a new code
			}
			select {
			case <-ctx.Done():
			case <-time.After(poll):
			}
		}
	})
}

// Keys a paired device keeps in its app's preferences.
const (
	keyPref     = "device_key"
	counterPref = "device_counter" // a rating screen's counter, as the admin paired it
	serversPref = "device_servers" // the office's servers: the pairing's, then as learned (comma-separated)
)

// KeptServers are the office's servers an app kept (KeepServers): the
// pairing's, then those its client learned since — the second PC's.
func KeptServers(prefs fyne.Preferences) []string {
	var out []string
	for _, s := range strings.Split(prefs.String(serversPref), ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// KeepServers keeps the office's servers for the app's next start (a
// device client's keep: client.NewDevice): a device whose given address
// is the PC that died still finds the second.
func KeepServers(prefs fyne.Preferences) func([]string) {
	return func(servers []string) { prefs.SetString(serversPref, strings.Join(servers, ",")) }
}

// Device is how a kiosk, board or rating screen gets its key: the one it
// is given (a flag, its file), else the one kept from an earlier pairing,
// else by pairing now (the key is then kept in Prefs).
type Device struct {
	Win    fyne.Window
	Prefs  fyne.Preferences
	Pairer Pairer
	Bridge Bridge
	Poll   time.Duration // how often a pairing device asks; default 2 s
	Given  api.PairedAnswer
}

// Run starts the app with run once there is a key (on the UI goroutine);
// dev.Servers are the office's servers the app kept (KeptServers), for its
// client beside its given address (client.NewDevice).
// The app calls refused when the server no longer takes the key (the admin
// revoked it): a kept key is then forgotten, the app's context ends and the
// pairing code shows again; a given key stays (its file must change).
func (d Device) Run(ctx context.Context, run func(ctx context.Context, dev api.PairedAnswer, refused func())) {
	if d.Poll <= 0 {
		d.Poll = 2 * time.Second
	}
	var start func(dev api.PairedAnswer, kept bool)
	pair := func() {
		Pairing(ctx, d.Win, d.Pairer, d.Bridge, d.Poll, func(got api.PairedAnswer) {
			d.Prefs.SetString(keyPref, got.Key)
			d.Prefs.SetInt(counterPref, got.Counter)
			if len(got.Servers) > 0 {
				KeepServers(d.Prefs)(got.Servers)
			}
			got.Servers = KeptServers(d.Prefs)
			start(got, true)
		})
	}
	start = func(dev api.PairedAnswer, kept bool) {
		appCtx, stop := context.WithCancel(ctx)
		var once sync.Once
		run(appCtx, dev, func() {
			if !kept {
				return
			}
			once.Do(func() {
				stop()
				d.Prefs.RemoveValue(keyPref)
				d.Prefs.RemoveValue(counterPref)
				// Off the UI goroutine and back: refused runs on it, and the
				// pairing screen comes after what the app had queued there.
				d.Bridge.Go(func() { d.Bridge.Post(pair) })
			})
		})
	}
	switch {
	case d.Given.Key != "":
		given := d.Given
		given.Servers = KeptServers(d.Prefs)
		start(given, false)
	case d.Prefs.String(keyPref) != "":
		start(api.PairedAnswer{Key: d.Prefs.String(keyPref), Counter: d.Prefs.Int(counterPref), Servers: KeptServers(d.Prefs)}, true)
	default:
		pair()
	}
}
