package kiosk

import (
	"context"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"motcua/internal/problem"
	"motcua/internal/queue"
	"motcua/internal/ui"
)

// The phone screen: after the ticket printed, a citizen who wants to leave
// the room may give a mobile number on big keys, for the ticket's messages
// ("your turn is near", "called to counter N"). It is offered only when the
// office sends messages, is never needed, and the digits are forgotten as
// soon as the screen goes.

// phoneState is the phone screen's ticket, digits and outcome.
type phoneState struct {
	ticket string
	digits string
	msg    string
	done   bool
}

// OpenPhone shows the phone screen for the ticket just printed.
func (k *Kiosk) OpenPhone() {
	if k.last == nil {
		return
	}
	k.touched, k.screen, k.phone = k.cfg.Now(), "phone", phoneState{ticket: k.last.ID}
	k.render()
}

// PhoneKey types one key ("⌫" deletes).
func (k *Kiosk) PhoneKey(key string) {
	k.touched = k.cfg.Now()
	if k.phone.done {
		return
	}
	switch {
	case key == "⌫":
		if n := len(k.phone.digits); n > 0 {
			k.phone.digits = k.phone.digits[:n-1]
		}
	case len(k.phone.digits) < 10:
		k.phone.digits += key
	}
	k.phone.msg = ""
	k.render()
}

// SendPhone gives the number to the server for the ticket's messages.
func (k *Kiosk) SendPhone() {
	if k.busy || !k.live.Online || k.phone.done {
		return
	}
	digits := queue.Digits(k.phone.digits)
	if len(digits) != 10 || digits[0] != '0' {
		k.phone.msg = k.tr("phone ten digits")
		k.render()
		return
	}
	k.busy = true
	ticket := k.phone.ticket
	k.cfg.UI.Go(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		defer cancel()
		err := k.srv.GivePhone(ctx, ticket, digits)
		k.cfg.UI.Post(func() {
			k.busy = false
			if k.screen != "phone" || k.phone.ticket != ticket {
				return // the citizen went on; nothing to show
			}
			if err != nil {
				e := problem.As(err)
				k.phone.msg = k.pick(e.Message, e.MessageEN)
			} else {
				k.phone = phoneState{ticket: ticket, done: true, msg: k.tr("phone done")}
				k.backAt = k.cfg.Now().Add(k.cfg.ShowTicketFor)
			}
			k.render()
		})
	})
}

func (s *screens) phoneScreen() fyne.CanvasObject {
	k := s.k
	title := widget.NewLabelWithStyle(k.tr("phone title"), fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	title.Wrapping, title.SizeName = fyne.TextWrapWord, theme.SizeNameSubHeadingText
	hint := widget.NewLabelWithStyle(k.tr("phone hint"), fyne.TextAlignCenter, fyne.TextStyle{})
	hint.Wrapping = fyne.TextWrapWord
	keys := s.keypad(k.tr("phone confirm"), k.PhoneKey, k.SendPhone)
	top := container.NewVBox(title, hint, s.typed, s.said)
	return container.NewBorder(top, ui.NewWrapButton(k.tr("home"), func() { k.Home() }), nil, nil, keys)
}

// updatePhone shows the digits as a number is read aloud (0912 345 678).
func (s *screens) updatePhone(st phoneState) {
	shown := st.digits + "__________"[len(st.digits):]
	shown = shown[:4] + " " + shown[4:7] + " " + shown[7:]
	if s.typed.Text != shown {
		s.typed.Text = shown
		s.typed.Refresh()
	}
	s.said.SetText(st.msg)
}
