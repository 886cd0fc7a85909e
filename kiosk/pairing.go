package kiosk

import (
	"context"
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"motcua/internal/api"
	"motcua/internal/ui"
)

// Pairer is what a device without a key needs from the server.
type Pairer interface {
	Pair(ctx context.Context) (api.PairingAnswer, error)
	Paired(ctx context.Context, token string) (api.PairedAnswer, bool, error)
}

// Pairing shows, in win, the code the admin types on the console's devices
// page, and asks the server every poll until the device is paired; then it
// calls done with the key (on the UI goroutine). A code that expires is
// replaced by a new one. It returns when ctx ends or the key came.
func Pairing(ctx context.Context, win fyne.Window, srv Pairer, bridge ui.Bridge, poll time.Duration, done func(key string)) {
	code := ui.Big("…", 96, true)
	status := widget.NewLabelWithStyle("Đang kết nối máy chủ… / Connecting…", fyne.TextAlignCenter, fyne.TextStyle{})
	status.Wrapping = fyne.TextWrapWord
	hint := widget.NewLabelWithStyle("Thiết bị chưa được ghép nối. Nhờ cán bộ quản trị nhập mã này ở trang Thiết bị của trang quản trị.\n"+
		"This device is not paired yet: ask the administrator to type this code on the console's Devices page.", fyne.TextAlignCenter, fyne.TextStyle{})
	hint.Wrapping = fyne.TextWrapWord
	win.SetContent(container.NewVBox(layout.NewSpacer(), ui.Big("Mã ghép nối / Pairing code", 36, true), code, hint, status, layout.NewSpacer()))
	bridge.Go(func() {
		var token string
		for ctx.Err() == nil {
			if token == "" {
				ans, err := srv.Pair(ctx)
				if err != nil {
					bridge.Post(func() {
						status.SetText("Chưa liên lạc được máy chủ; thử lại… / Cannot reach the server; retrying…")
					})
				} else {
					token = ans.Token
					shown := fmt.Sprintf("%s %s", ans.Code[:3], ans.Code[3:])
					bridge.Post(func() {
						code.Text = shown
						code.Refresh()
						status.SetText("Đang chờ ghép nối (mã dùng được 10 phút) / Waiting to be paired (the code lasts 10 minutes)")
					})
				}
			} else if got, ok, err := srv.Paired(ctx, token); ok {
				bridge.Post(func() { done(got.Key) })
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
