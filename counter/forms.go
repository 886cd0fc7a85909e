package counter

import (
	"fmt"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"motcua/internal/api"
	"motcua/internal/queue"
	"motcua/internal/ui"
)

// A form opens in the right side of the work screen, in place of the queue:
// its title at the top, its fields in the middle (sized to fit 1280×800 and
// 1366×768 without scrolling), its buttons fixed at the bottom with the last
// outcome just above them, where the clerk who pressed them is looking.
type form struct {
	title   string
	body    fyne.CanvasObject
	buttons fyne.CanvasObject
	focus   fyne.Focusable // where the cursor goes when it opens (nil: the window keeps the keys)
}

// showForm puts f on the right side; the zero form shows the queue again.
func (w *widgets) showForm(f form) {
	if f.body == nil {
		w.formArea.Hide()
		w.formBody.Objects, w.formButtons.Objects = nil, nil
		w.lists.Show()
		w.a.win.Canvas().Unfocus() // the shortcuts reach the canvas again
		return
	}
	w.formTitle.SetText(f.title)
	w.formBody.Objects = []fyne.CanvasObject{container.NewVScroll(f.body)}
	w.formButtons.Objects = []fyne.CanvasObject{f.buttons}
	w.lists.Hide()
	w.formArea.Show()
	w.formArea.Refresh()
	if f.focus != nil {
		w.a.win.Canvas().Focus(f.focus)
	} else {
		w.a.win.Canvas().Unfocus()
	}
}

// formFor builds the form of a mode ("" has none).
func (w *widgets) formFor(mode mode, v view, snap *queue.Snapshot, callID string) form {
	a := w.a
	cancel := widget.NewButton(a.tr("cancel"), a.CancelMode)
	switch mode {
	case modeTransfer:
		if v.current == nil || snap == nil {
			return form{}
		}
		w.service = ""
		w.note.SetText("")
		var names, ids []string
		for _, s := range snap.Services {
			if s.ID != v.current.ServiceID {
				names, ids = append(names, a.pick(s.Name, s.NameEN)), append(ids, s.ID)
			}
		}
		choice := widget.NewRadioGroup(names, func(s string) {
			if i := slices.Index(names, s); i >= 0 {
				w.service = ids[i]
			}
		})
		confirm := widget.NewButton(a.tr("confirm"), func() { a.Transfer(w.service, w.note.Text) })
		confirm.Importance = widget.HighImportance
		w.note.SetPlaceHolder(a.tr("note"))
		return form{title: fmt.Sprintf(a.tr("transfer to"), v.current.Display), body: container.NewVBox(choice, w.note),
			buttons: container.NewGridWithColumns(2, confirm, cancel), focus: w.note}
	case modeIntake:
		return w.buildIntake()
	case modeDossier:
		return w.buildDossierPanel()
	case modeResult:
		return w.resultForm()
	case modeScan:
		return w.buildScan()
	case modeCall:
		display := callID
		if snap != nil {
			if i := slices.IndexFunc(snap.Tickets, func(t queue.Ticket) bool { return t.ID == callID }); i >= 0 {
				display = snap.Tickets[i].Display
			}
		}
		w.reason.SetText("")
		confirm := widget.NewButton(a.tr("confirm"), func() { a.Call(w.reason.Text) })
		confirm.Importance = widget.HighImportance
		return form{title: fmt.Sprintf(a.tr("call reason"), display), body: container.NewVBox(w.reason),
			buttons: container.NewGridWithColumns(2, confirm, cancel), focus: w.reason}
	}
	return form{}
}

// intakeResult is what an intake produced, shown big until the clerk closes it.
type intakeResult struct {
	view                 api.DossierView // the received dossier, for the scan step
	kind, code, pin, due string
	form, file           string           // the form's path on the server, and its file name
	paper                string           // the form printed, only saved, or failed
	pay                  *api.PaymentView // the fee and its VietQR (nil: none)
}

// resultForm shows the dossier code, the lookup PIN and the due date in large
// type, and whether the form was printed.
func (w *widgets) resultForm() form {
	a, r := w.a, w.a.result
	if r == nil {
		return form{}
	}
	big := func(s string, size float32) fyne.CanvasObject {
		t := ui.Big(s, size, true)
		t.Alignment = fyne.TextAlignLeading
		return t
	}
	line := func(s string) *widget.Label { l := widget.NewLabel(s); l.Wrapping = fyne.TextWrapWord; return l }
	size := float32(44)
	fee := w.feeBox(r)
	if fee != nil {
		size = 30 // room for the fee's QR, whole, on a laptop's screen
	}
	body := container.NewVBox(widget.NewLabel(a.tr("dossier code label")), big(r.code, size))
	if r.pin != "" {
		body.Add(widget.NewLabel(a.tr("pin label")))
		body.Add(big(r.pin, size))
	}
	if r.due != "" {
		body.Add(line(fmt.Sprintf(a.tr("due label"), r.due)))
	}
	body.Add(line(r.paper))
	if fee != nil {
		body.Add(fee)
	}
	done := widget.NewButton(a.tr("close"), a.CancelMode)
	done.Importance = widget.HighImportance
	buttons := container.NewGridWithColumns(2, done, widget.NewButton(a.tr("reprint"), a.Reprint))
	if r.kind == "receive" {
		scanIt := widget.NewButton(a.tr("to scan"), a.ScanKey)
		scanIt.Importance = widget.SuccessImportance
		buttons = container.NewVBox(scanIt, buttons) // above the others: the next step of most intakes
	}
	return form{title: a.tr("result " + r.kind), body: body, buttons: buttons}
}
