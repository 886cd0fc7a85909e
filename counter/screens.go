package counter

import (
	"fmt"
	"image/color"
	"slices"
	"strconv"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"motcua/internal/queue"
	"motcua/internal/ui"
)

// widgets are built once per screen and updated in place, so the feed's updates
// never take the keyboard focus from a field the clerk is typing in.
type widgets struct {
	a     *App
	built screen // the screen the widgets below belong to

	// login
	user, pin     *widget.Entry
	newPIN, again *widget.Entry // asked for when the PIN was a one-time code
	padAt         int           // which PIN box the keypad fills
	counter       *widget.Select
	hint          *widget.Label // how the keypad fills the boxes, while choosing a PIN

	// work
	header, msg                                   *widget.Label
	banner                                        *fyne.Container
	current, waiting, order, missed               *fyne.Container
	left, right                                   *fyne.Container
	lists                                         fyne.CanvasObject // the right side without a form
	formArea, formBody, formButtons               *fyne.Container   // the right side with one
	formTitle, formMsg                            *widget.Label
	next, recall, noShow, transfer, finish, pause *ui.WrapButton // the keys: wrap rather than widen
	lang, logout                                  *widget.Button
	formMode                                      mode
	intake                                        *intakeForm
	panel                                         *dossierPanel
	dossierBtn, intakeBtn, handBack               *ui.WrapButton
	note, reason                                  *ui.KeyEntry
	service                                       string
}

func newWidgets(a *App) *widgets {
	w := &widgets{a: a, user: widget.NewEntry(), pin: widget.NewPasswordEntry(), newPIN: widget.NewPasswordEntry(), again: widget.NewPasswordEntry(), note: ui.NewKeyEntry(a.typedKey), reason: ui.NewKeyEntry(a.typedKey)}
	w.user.SetText(a.cfg.Username)
	w.pin.OnSubmitted = func(string) { w.submitLogin() }
	w.newPIN.OnSubmitted = func(string) { w.submitLogin() }
	w.again.OnSubmitted = func(string) { w.submitLogin() }
	w.note.OnSubmitted = func(string) { a.Transfer(w.service, w.note.Text) }
	w.reason.OnSubmitted = func(string) { a.Call(w.reason.Text) }
	return w
}

// render shows the current screen. It runs on the UI thread.
func (a *App) render() {
	built := a.screen
	if a.screen == screenLogin && a.choosing {
		built = screenNewPIN
	}
	if a.ui.built != built {
		a.ui.built = built
		if a.screen == screenLogin {
			a.win.SetContent(a.ui.buildLogin())
		} else {
			a.win.SetContent(a.ui.buildWork())
		}
	}
	if a.screen == screenLogin {
		a.ui.updateLogin()
	} else {
		a.ui.updateWork()
	}
}

func (w *widgets) submitLogin() {
	if w.a.choosing {
		w.a.LoginWithNewPIN(w.user.Text, w.pin.Text, w.newPIN.Text, w.again.Text, parseCounter(w.counter.Selected))
		return
	}
	w.a.Login(w.user.Text, w.pin.Text, parseCounter(w.counter.Selected))
}

// pinBoxes are the login's PIN boxes the keypad fills in turn.
func (w *widgets) pinBoxes() []*widget.Entry {
	if w.a.choosing {
		return []*widget.Entry{w.pin, w.newPIN, w.again}
	}
	return []*widget.Entry{w.pin}
}

// padKey is a press on the login's keypad: a digit goes to the box it is
// at, ⌫ takes one back (into the box before once this one is empty), OK
// moves to the next box or, at the last, logs in.
func (w *widgets) padKey(k string) {
	boxes := w.pinBoxes()
	w.padAt = min(w.padAt, len(boxes)-1)
	box := boxes[w.padAt]
	switch k {
	case "⌫":
		if r := []rune(box.Text); len(r) > 0 {
			box.SetText(string(r[:len(r)-1]))
		} else if w.padAt > 0 {
			w.padAt--
		}
	case "OK":
		if w.padAt < len(boxes)-1 {
			w.padAt++
			return
		}
		w.submitLogin()
	default:
		box.SetText(box.Text + k)
	}
}

func (w *widgets) buildLogin() fyne.CanvasObject {
	a := w.a
	prev := ""
	if w.counter != nil {
		prev = w.counter.Selected // kept when the screen turns to choosing a PIN
	}
	w.counter = widget.NewSelect(nil, nil)
	if prev != "" {
		w.counter.SetSelected(prev)
	}
	w.newPIN.SetText("")
	w.again.SetText("")
	w.pin.SetText("")
	w.padAt = 0
	if a.choosing { // the code just typed stays: the clerk goes on with the new PIN
		w.pin.SetText(a.typedCode)
		w.padAt = 1
	}
	pad := container.NewGridWithColumns(3)
	for _, k := range []string{"1", "2", "3", "4", "5", "6", "7", "8", "9", "⌫", "0", "OK"} {
		pad.Add(widget.NewButton(k, func() { w.padKey(k) }))
	}
	w.msg = widget.NewLabel("")
	w.msg.Wrapping = fyne.TextWrapWord
	login := widget.NewButton(a.tr("login"), w.submitLogin)
	login.Importance = widget.HighImportance
	form := widget.NewForm(widget.NewFormItem(a.tr("username"), w.user))
	if a.choosing {
		form.Append(a.tr("one-time code"), w.pin)
		form.Append(a.tr("new pin"), w.newPIN)
		form.Append(a.tr("new pin again"), w.again)
	} else {
		form.Append(a.tr("pin"), w.pin)
	}
	form.Append(a.tr("counter"), w.counter)
	title := widget.NewLabelWithStyle(a.tr("title"), fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	about := widget.NewLabelWithStyle(ui.About("counter"), fyne.TextAlignCenter, fyne.TextStyle{Italic: true})
	keys := container.NewCenter(container.NewGridWrap(fyne.NewSize(360, 240), pad))
	if !a.choosing {
		box := container.NewVBox(title, form, keys, login, w.msg, about)
		return container.NewCenter(container.NewGridWrap(fyne.NewSize(560, 620), box))
	}
	// Choosing a PIN asks two more boxes and says how: the keypad goes
	// beside the form, so that all of it, the hint too, fits a 1280×720
	// screen under its window's title.
	w.hint = widget.NewLabel(a.tr("choose pin hint"))
	w.hint.Wrapping = fyne.TextWrapWord
	left := container.NewVBox(title, form, login, w.msg, w.hint)
	box := container.NewBorder(nil, about, nil, keys, left)
	return container.NewCenter(container.NewGridWrap(fyne.NewSize(960, 540), box))
}

func (w *widgets) updateLogin() {
	a := w.a
	counters, chosen, fixed, msg := slices.Clone(a.counters), a.counter, a.cfg.Counter != 0, a.msg
	opts := make([]string, len(counters))
	for i, n := range counters {
		opts[i] = strconv.Itoa(n)
	}
	if fixed || len(opts) == 0 && chosen > 0 {
		opts = []string{strconv.Itoa(chosen)}
	}
	w.counter.Options = opts
	if chosen > 0 && w.counter.Selected == "" {
		w.counter.SetSelected(strconv.Itoa(chosen))
	}
	if fixed {
		w.counter.Disable()
	}
	w.counter.Refresh()
	w.msg.SetText(msg)
}

func (w *widgets) buildWork() fyne.CanvasObject {
	a := w.a
	w.header = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	w.msg = widget.NewLabel("")
	w.msg.Wrapping = fyne.TextWrapWord
	w.lang = widget.NewButton(a.tr("language"), a.ToggleLanguage)
	w.logout = widget.NewButton(a.tr("logout"), a.Logout)
	w.banner = container.NewStack()
	w.current, w.waiting, w.order, w.missed = container.NewVBox(), container.NewVBox(), container.NewVBox(), container.NewVBox()
	w.formMode = modeNone
	w.next = ui.NewWrapButton("", a.Next)
	w.next.Importance = widget.HighImportance
	w.recall = ui.NewWrapButton("", a.Recall)
	w.noShow = ui.NewWrapButton("", a.NoShow)
	w.noShow.Importance = widget.WarningImportance
	w.transfer = ui.NewWrapButton("", a.OpenTransfer)
	w.finish = ui.NewWrapButton("", a.Finish)
	w.finish.Importance = widget.SuccessImportance
	w.pause = ui.NewWrapButton("", a.TogglePause)
	w.intakeBtn = ui.NewWrapButton("", a.OpenIntake)
	w.handBack = ui.NewWrapButton("", a.HandBack)
	w.handBack.Importance = widget.SuccessImportance
	w.dossierBtn = ui.NewWrapButton("", a.OpenDossiers)
	actions := container.NewGridWithColumns(3, w.next, w.recall, w.noShow, w.transfer, w.finish, w.pause, w.intakeBtn, w.handBack, w.dossierBtn)
	top := container.NewVBox(container.NewBorder(nil, nil, nil, container.NewHBox(w.lang, w.logout), w.header), w.banner)

	// Left: the ticket at the counter and the keys, never scrolled away (the
	// card has a fixed height; a very long transfer note scrolls inside it),
	// then the last outcome.
	card := container.NewVScroll(w.current)
	card.SetMinSize(fyne.NewSize(0, cardHeight))
	w.left = container.NewBorder(container.NewVBox(card, actions), nil, nil, nil, container.NewVScroll(w.msg))

	// Right: the queue, or the open form in its own area with its buttons
	// fixed at the bottom and its outcome just above them.
	w.lists = container.NewVScroll(container.NewVBox(w.waiting, widget.NewSeparator(), w.order, widget.NewSeparator(), w.missed))
	w.formTitle = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	w.formTitle.Wrapping = fyne.TextWrapWord
	w.formMsg = widget.NewLabel("")
	w.formMsg.Wrapping = fyne.TextWrapWord
	w.formBody, w.formButtons = container.NewStack(), container.NewStack()
	w.formArea = container.NewBorder(w.formTitle, container.NewVBox(w.formMsg, w.formButtons), nil, nil, w.formBody)
	w.formArea.Hide()
	w.right = container.NewStack(w.lists, w.formArea)
	split := container.NewHSplit(w.left, w.right)
	split.Offset = 0.42
	return container.NewBorder(top, nil, nil, nil, split)
}

// cardHeight is the current ticket's fixed height on the work screen: the
// state, the number (96 pt), the service, and three lines of details.
const cardHeight = 340

func (w *widgets) updateWork() {
	a := w.a
	v, can, online, msg, bad, mode, callID := a.counterView(), a.can(), a.live.Online, a.msg, a.msgBad, a.mode, a.callID
	name, n, snap := a.name, a.counter, a.live.Snap
	now := a.cfg.Now()

	header := fmt.Sprintf(a.tr("header"), n, name)
	if v.counter.State == queue.CounterPaused {
		header += " — " + a.tr("paused state")
	}
	w.header.SetText(header)
	w.lang.SetText(a.tr("language"))
	w.logout.SetText(a.tr("logout"))
	enable(w.logout, can.logout)
	alert := a.alert
	if online {
		w.banner.Objects = nil
		if alert != "" {
			bg := canvas.NewRectangle(color.NRGBA{R: 0xff, G: 0xa0, B: 0x00, A: 0xff})
			text := canvas.NewText(a.tr("device alert")+" "+alert, color.Black)
			seen := widget.NewButton(a.tr("seen"), func() {
				a.alert = ""
				a.render()
			})
			w.banner.Objects = []fyne.CanvasObject{bg, container.NewPadded(container.NewBorder(nil, nil, nil, seen, text))}
		}
	} else {
		bg := canvas.NewRectangle(color.NRGBA{R: 0xc6, G: 0x28, B: 0x28, A: 0xff})
		text := canvas.NewText(a.tr("offline"), color.White)
		text.TextStyle.Bold = true
		w.banner.Objects = []fyne.CanvasObject{bg, container.NewPadded(text)}
	}
	w.banner.Refresh()

	w.current.Objects = w.currentCard(v, snap, now)
	w.current.Refresh()
	for _, b := range []struct {
		btn *ui.WrapButton
		key string
		on  bool
	}{{w.next, "next", can.next}, {w.recall, "recall", can.recall}, {w.noShow, "no-show", can.noShow},
		{w.transfer, "transfer", can.transfer}, {w.finish, "finish", can.finish}} {
		b.btn.SetText(a.tr(b.key))
		enable(b.btn, b.on)
	}
	if can.resume || v.counter.State == queue.CounterPaused {
		w.pause.SetText(a.tr("resume"))
	} else {
		w.pause.SetText(a.tr("pause"))
	}
	enable(w.pause, can.pause || can.resume)
	w.intakeBtn.SetText(a.tr("intake"))
	enable(w.intakeBtn, online && mode == modeQueue && !a.busy)
	w.dossierBtn.SetText(a.tr("dossiers"))
	enable(w.dossierBtn, online && mode == modeQueue && !a.busy)
	code := returnCode(v.current)
	w.handBack.SetText(a.tr("hand back"))
	enable(w.handBack, code != "" && can.finish)

	if mode != w.formMode {
		w.formMode = mode
		w.showForm(w.formFor(mode, v, snap, callID))
	}
	w.msg.SetText(msg)
	w.msg.Importance = widget.MediumImportance
	if bad {
		w.msg.Importance = widget.DangerImportance
	}
	w.msg.Refresh()
	if mode == modeResult {
		msg = "" // the result says it all, in large type above
	}
	w.formMsg.SetText(msg)
	w.formMsg.Importance = w.msg.Importance
	w.formMsg.Refresh()
	w.fillLists(v, snap, can, now)
	w.left.Refresh() // the parts changed size: lay the columns out again
	w.right.Refresh()
}

func enable(b fyne.Disableable, on bool) {
	if on {
		b.Enable()
	} else {
		b.Disable()
	}
}

// currentCard shows the ticket at the counter, big, or that there is none.
func (w *widgets) currentCard(v view, snap *queue.Snapshot, now time.Time) []fyne.CanvasObject {
	a := w.a
	big := func(s string, size float32) *canvas.Text {
		t := ui.Big(s, size, true)
		t.Alignment = fyne.TextAlignLeading
		return t
	}
	var out []fyne.CanvasObject
	if v.counter.RatingFor != "" && now.Before(v.counter.RatingUntil) {
		left := int(v.counter.RatingUntil.Sub(now).Seconds() + 0.5)
		out = append(out, widget.NewLabel(fmt.Sprintf(a.tr("rating wait"), v.counter.RatingNumber, left)))
	}
	t := v.current
	if t == nil {
		return append(out, big(a.tr("no current"), 28))
	}
	state := a.tr("state called")
	if t.State == queue.Serving {
		state = a.tr("state serving")
	}
	out = append(out, widget.NewLabel(state), big(t.Display, 96), big(serviceName(a, snap, t.ServiceID), 28))
	if t.Priority != "" {
		out = append(out, widget.NewLabelWithStyle(fmt.Sprintf(a.tr("priority"), priorityName(a, snap, t.Priority)), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	}
	waited := t.CalledAt.Sub(t.QueuedAt)
	out = append(out, widget.NewLabel(fmt.Sprintf(a.tr("waited"), int(waited.Minutes()))))
	if t.Recalls > 0 {
		out = append(out, widget.NewLabel(fmt.Sprintf(a.tr("recalls"), t.Recalls)))
	}
	if code := returnCode(t); code != "" {
		out = append(out, widget.NewLabelWithStyle(fmt.Sprintf(a.tr("return dossier"), code), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	} else if t.Note != "" {
		note := widget.NewLabelWithStyle(fmt.Sprintf(a.tr("transfer note"), t.Note), fyne.TextAlignLeading, fyne.TextStyle{Italic: true})
		note.Wrapping = fyne.TextWrapWord
		out = append(out, note)
	}
	return out
}

// fillLists fills the right side: waiting per service, the call order, the missed.
func (w *widgets) fillLists(v view, snap *queue.Snapshot, can allowed, now time.Time) {
	a := w.a
	w.waiting.Objects, w.order.Objects, w.missed.Objects = nil, nil, nil
	bold := func(s string) *widget.Label {
		return widget.NewLabelWithStyle(s, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	w.waiting.Add(bold(a.tr("waiting")))
	w.order.Add(bold(a.tr("order")))
	w.missed.Add(bold(a.tr("missed")))
	if snap != nil && v.ok {
		for _, s := range snap.Services {
			if slices.Contains(v.counter.Services, s.ID) {
				w.waiting.Add(widget.NewLabel(fmt.Sprintf(a.tr("waiting count"), a.pick(s.Name, s.NameEN), s.Waiting)))
			}
		}
		for _, t := range snap.CallOrder(v.counter.Number, now, 15) {
			label := fmt.Sprintf("%s · %s · "+a.tr("minutes"), t.Display, serviceName(a, snap, t.ServiceID), int(now.Sub(t.QueuedAt).Minutes()))
			if t.Priority != "" {
				label += " · " + priorityName(a, snap, t.Priority)
			}
			if !t.Slot.IsZero() { // a booking: its time
				label += " · " + fmt.Sprintf(a.tr("booked at"), t.Slot.In(a.zone()).Format("15:04"))
			}
			b := widget.NewButton(label, func() { a.OpenCall(t.ID) })
			enable(b, can.call)
			w.order.Add(b)
		}
		for _, t := range snap.Tickets {
			if t.State == queue.NoShow && slices.Contains(v.counter.Services, t.ServiceID) {
				until := t.NoShowAt.Add(time.Duration(snap.Rules.RejoinWindowMinutes) * time.Minute).In(a.zone()).Format("15:04")
				b := widget.NewButton(fmt.Sprintf(a.tr("rejoin"), t.Display, until), func() { a.Rejoin(t.ID) })
				enable(b, can.rejoin)
				w.missed.Add(b)
			}
		}
	}
	for _, c := range []*fyne.Container{w.order, w.missed} {
		if len(c.Objects) == 1 {
			c.Add(widget.NewLabel(a.tr("nobody")))
		}
	}
	w.waiting.Refresh()
	w.order.Refresh()
	w.missed.Refresh()
}

func serviceName(a *App, snap *queue.Snapshot, id string) string {
	if snap != nil {
		for _, s := range snap.Services {
			if s.ID == id {
				return a.pick(s.Name, s.NameEN)
			}
		}
	}
	return id
}

func priorityName(a *App, snap *queue.Snapshot, id string) string {
	if snap != nil {
		for _, p := range snap.PriorityClasses {
			if p.ID == id {
				return a.pick(p.Name, p.NameEN)
			}
		}
	}
	return id
}
