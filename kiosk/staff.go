package kiosk

import (
	"context"
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
	"golang.org/x/crypto/bcrypt"

	"motcua/internal/problem"
	"motcua/internal/receipt"
	"motcua/internal/ui"
)

// Staff open the staff screen with the kiosk's PIN: reprint one of the last
// tickets printed here (marked "BẢN IN LẠI" on paper) and print a test page.
// Five wrong PINs lock the pad for a minute.

const (
	staffTries = 5
	staffLock  = time.Minute
)

// OpenStaff shows the PIN pad.
func (k *Kiosk) OpenStaff() {
	k.touched, k.pin, k.screen = k.cfg.Now(), "", "staff-pin"
	if k.cfg.Now().Before(k.staffLockedUntil) {
		k.staffMsg = k.tr("locked")
	} else {
		k.staffMsg = ""
	}
	k.render()
}

// PressPIN takes one key of the PIN pad: a digit, "⌫" or "OK".
func (k *Kiosk) PressPIN(key string) {
	k.touched = k.cfg.Now()
	switch {
	case key == "⌫":
		if len(k.pin) > 0 {
			k.pin = k.pin[:len(k.pin)-1]
		}
	case key == "OK":
		k.checkPIN()
	case len(k.pin) < 12:
		k.pin += key
	}
	k.render()
}

// checkPIN opens the staff screen for the right PIN; the caller holds k.mu.
func (k *Kiosk) checkPIN() {
	now := k.cfg.Now()
	pin := k.pin
	k.pin = ""
	if now.Before(k.staffLockedUntil) {
		k.staffMsg = k.tr("locked")
		return
	}
	if bcrypt.CompareHashAndPassword([]byte(k.cfg.StaffPIN), []byte(pin)) != nil {
		k.staffFails++
		k.staffMsg = k.tr("wrong pin")
		if k.staffFails >= staffTries {
			k.staffFails, k.staffLockedUntil = 0, now.Add(staffLock)
			k.staffMsg = k.tr("locked")
		}
		return
	}
	k.staffFails, k.staffMsg, k.screen = 0, "", "staff"
}

// Reprint prints the i-th most recent ticket again, marked as a reprint.
func (k *Kiosk) Reprint(i int) {
	if i < 0 || i >= len(k.recent) {
		return
	}
	r := k.recent[i]
	k.touched = k.cfg.Now()
	r.Reprint = true
	k.staffPrint(r, fmt.Sprintf(k.tr("reprinted"), r.Number))
}

// TestPrint prints a sample ticket, to check the paper and the printer.
func (k *Kiosk) TestPrint() {
	office := ""
	if k.live.Snap != nil {
		office = k.live.Snap.Office
	}
	k.touched = k.cfg.Now()
	k.staffPrint(receipt.Ticket{Office: office, Number: "0000", Service: "IN THỬ — TEST PRINT", IssuedAt: k.cfg.Now(),
		URL: k.cfg.PublicURL, Checklist: []string{"Tiếng Việt có dấu: ă â đ ê ô ơ ư — ạ ả ã á à ệ ộ ự"}}, k.tr("test printed"))
}

// staffPrint prints r off the UI goroutine and shows the outcome on the staff screen.
func (k *Kiosk) staffPrint(r receipt.Ticket, ok string) {
	k.cfg.UI.Go(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		err := k.print(ctx, r)
		k.notePrinter(ctx, err)
		k.cfg.UI.Post(func() {
			switch {
			case k.cfg.Printer == nil:
				k.staffMsg = k.tr("no printer")
			case err != nil:
				e := problem.As(err)
				k.staffMsg = k.pick(e.Message, e.MessageEN)
			default:
				k.staffMsg = ok
			}
			k.render()
		})
	})
}

func (s *screens) staffPIN() fyne.CanvasObject {
	k := s.k
	pad := container.NewGridWithColumns(3)
	for _, key := range []string{"1", "2", "3", "4", "5", "6", "7", "8", "9", "⌫", "0", "OK"} {
		pad.Add(widget.NewButton(key, func() { k.PressPIN(key) }))
	}
	s.dots = ui.Big(" ", 48, true)
	s.status = widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{})
	return container.NewVBox(
		widget.NewLabelWithStyle(k.tr("staff pin"), fyne.TextAlignCenter, fyne.TextStyle{Bold: true}),
		s.dots, s.status, pad,
		ui.NewWrapButton(k.tr("home"), func() { k.Home() }))
}

func (s *screens) staff() fyne.CanvasObject {
	k := s.k
	s.recent = container.NewVBox()
	s.status = widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	s.status.Wrapping = fyne.TextWrapWord
	list := container.NewVBox(widget.NewLabelWithStyle(k.tr("reprint title"), fyne.TextAlignCenter, fyne.TextStyle{Bold: true}), s.recent)
	bottom := container.NewVBox(s.status, ui.NewWrapButton(k.tr("test print"), func() { k.TestPrint() }), ui.NewWrapButton(k.tr("home"), func() { k.Home() }),
		widget.NewLabelWithStyle(ui.About("kiosk"), fyne.TextAlignCenter, fyne.TextStyle{Italic: true}))
	return container.NewBorder(nil, bottom, nil, nil, container.NewVScroll(list))
}

// updateStaff lists the tickets to reprint and the last outcome.
func (s *screens) updateStaff(recent []receipt.Ticket, msg string) {
	k := s.k
	var rows []fyne.CanvasObject
	for i, r := range recent {
		rows = append(rows, ui.NewWrapButton(fmt.Sprintf(k.tr("reprint"), r.Number, r.Service, r.IssuedAt.Format("15:04")), func() { k.Reprint(i) }))
	}
	if len(recent) == 0 {
		rows = append(rows, widget.NewLabelWithStyle(k.tr("none printed"), fyne.TextAlignCenter, fyne.TextStyle{}))
	}
	s.recent.Objects = rows
	s.recent.Refresh()
	s.status.SetText(msg)
}
