package kiosk

import (
	"context"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"motcua/internal/problem"
	"motcua/internal/queue"
	"motcua/internal/ui"
)

// The "Tôi đã lấy số trực tuyến" screen: a citizen who took a number from
// a phone shows its QR to the kiosk's reader (it types the code into the
// focused field, as a receipt's QR does) or types the six digits on big
// keys; the number is checked in and printed, and keeps the place it was
// given when taken. Priority cases still take a number on the floor.

// checkInState is the check-in screen's digits and outcome.
type checkInState struct {
	code string
	msg  string
}

// takesRemote says whether some service of the office takes numbers from
// afar: only then is there anything to check in.
func takesRemote(snap *queue.Snapshot) bool {
	if snap == nil {
		return false
	}
	for _, svc := range snap.Services {
		if svc.Remote {
			return true
		}
	}
	return false
}

// OpenCheckIn shows the check-in screen, empty, its scan field focused.
func (k *Kiosk) OpenCheckIn() {
	k.touched, k.screen, k.arrive = k.cfg.Now(), "checkin", checkInState{}
	k.render()
	if k.ui.scan != nil {
		k.win.Canvas().Focus(k.ui.scan)
	}
}

// CheckInKey types one key of the code ("⌫" deletes); the sixth digit
// checks in.
func (k *Kiosk) CheckInKey(key string) {
	k.touched = k.cfg.Now()
	switch {
	case key == "⌫":
		if n := len(k.arrive.code); n > 0 {
			k.arrive.code = k.arrive.code[:n-1]
		}
	case len(k.arrive.code) < 6:
		k.arrive.code += key
	}
	k.arrive.msg = ""
	k.render()
	if len(k.arrive.code) == 6 {
		k.CheckIn()
	}
}

// CheckIn asks the server to check the number in, and prints it.
func (k *Kiosk) CheckIn() {
	if k.busy || !k.live.Online {
		return
	}
	code := queue.Digits(k.arrive.code)
	if len(code) != 6 {
		k.arrive.msg = k.tr("checkin six digits")
		k.render()
		return
	}
	k.busy = true
	paper := k.paper(nil)
	k.cfg.UI.Go(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		t, err := k.srv.CheckIn(ctx, code)
		if err != nil {
			k.cfg.UI.Post(func() {
				k.busy = false
				e := problem.As(err)
				k.arrive.code, k.arrive.msg = "", k.pick(e.Message, e.MessageEN)
				k.render()
			})
			return
		}
		r := paper(t)
		perr := k.print(ctx, r) // checked in whatever the paper: the number is on the phone
		k.notePrinter(ctx, perr)
		k.cfg.UI.Post(func() { k.issued(t, r, nil) })
	})
}

func (s *screens) checkIn() fyne.CanvasObject {
	k := s.k
	if s.scan == nil {
		s.scan = ui.NewKeyEntry(nil)
	}
	s.scan.OnSubmitted = func(text string) {
		s.scan.SetText("")
		if k.screen == "checkin" {
			k.arrive.code = queue.Digits(text)
			k.CheckIn()
			return
		}
		k.Scanned(text)
	}
	s.scan.SetPlaceHolder(k.tr("scan here"))
	title := widget.NewLabelWithStyle(k.tr("checkin title"), fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	title.Wrapping = fyne.TextWrapWord
	keys := s.keypad(k.tr("checkin confirm"), k.CheckInKey, k.CheckIn)
	hint := widget.NewLabelWithStyle(k.tr("checkin hint"), fyne.TextAlignCenter, fyne.TextStyle{})
	hint.Wrapping = fyne.TextWrapWord
	top := container.NewVBox(title, hint, s.scan, s.typed, s.said)
	return container.NewBorder(top, ui.NewWrapButton(k.tr("home"), func() { k.Home() }), nil, nil, keys)
}

// updateCheckIn shows the digits typed (spaced as the phone shows them) and
// the outcome.
func (s *screens) updateCheckIn(st checkInState) {
	shown := st.code + "______"[len(st.code):]
	shown = shown[:3] + " " + shown[3:]
	if s.typed.Text != shown {
		s.typed.Text = shown
		s.typed.Refresh()
	}
	s.said.SetText(st.msg)
}

// keypad makes the big digit keys of the check-in and phone screens (⌫
// deletes, ✓ confirms in words), and the screen's typed digits and
// outcome, which the screen's update fills.
func (s *screens) keypad(confirm string, key func(string), done func()) *fyne.Container {
	s.typed = canvas.NewText("", theme.Color(theme.ColorNameForeground))
	s.typed.TextSize, s.typed.TextStyle, s.typed.Alignment = 64, fyne.TextStyle{Bold: true, Monospace: true}, fyne.TextAlignCenter
	s.said = widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	s.said.Wrapping = fyne.TextWrapWord
	keys := container.NewGridWithColumns(3)
	for _, k := range []string{"1", "2", "3", "4", "5", "6", "7", "8", "9", "⌫", "0", "✓"} {
		b := ui.NewWrapButton(k, func() {
			if k == "✓" {
				done()
				return
			}
			key(k)
		})
		if k == "✓" {
			b.Text, b.Importance = confirm, widget.HighImportance
		} else {
			b.Scale = 2 // digits a citizen of seventy reads without glasses
		}
		keys.Add(b)
	}
	return keys
}
