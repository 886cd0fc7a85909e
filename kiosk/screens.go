package kiosk

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"motcua/internal/api"
	"motcua/internal/printout"
	"motcua/internal/problem"
	"motcua/internal/queue"
	"motcua/internal/receipt"
	"motcua/internal/ui"
)

// screens are the kiosk's widgets that outlive one screen.
type screens struct {
	k     *Kiosk
	clock *widget.Label
	err   *widget.Label
	scan  *widget.Entry // the lookup screen's field a QR scanner types into
}

func newScreens(k *Kiosk) *screens {
	return &screens{k: k, clock: widget.NewLabel(""), err: widget.NewLabel("")}
}

func (s *screens) setError(err error) {
	e := problem.As(err)
	key := "issue failed"
	if printout.IsTrouble(err) {
		key = "print failed"
	}
	s.err.SetText(fmt.Sprintf(s.k.tr(key), s.k.pick(e.Message, e.MessageEN)))
}

// render shows the current screen. It runs on the UI thread.
func (k *Kiosk) render() {
	k.mu.Lock()
	screen, snap, last, priority, keys, procs, guide := k.screen, k.live.Snap, k.last, k.priority, k.keys, k.procs, k.guide
	k.mu.Unlock()
	var content fyne.CanvasObject
	switch screen {
	case "home":
		content = k.ui.home(snap, priority)
	case "priority":
		content = k.ui.priorityChoice(snap)
	case "search":
		content = k.ui.search(snap, procs, keys)
	case "guide":
		content = k.ui.guide(snap, guide)
	case "staff-pin":
		content = k.ui.staffPIN()
	case "staff":
		content = k.ui.staff()
	case "lookup":
		content = k.ui.lookup()
	case "ticket":
		content = k.ui.ticket(*last)
	case "error":
		content = k.ui.message(k.ui.err)
	default:
		content = k.ui.offline()
	}
	k.win.SetContent(content)
}

func (s *screens) home(snap *queue.Snapshot, priority string) fyne.CanvasObject {
	title := widget.NewLabelWithStyle(snap.Office, fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	title.Wrapping = fyne.TextWrapWord
	prompt := widget.NewLabelWithStyle(s.k.tr("prompt"), fyne.TextAlignCenter, fyne.TextStyle{})
	prompt.Wrapping = fyne.TextWrapWord
	prioText := s.k.tr("priority")
	if name := s.k.priorityLabel(snap, priority); name != "" {
		prioText = fmt.Sprintf(s.k.tr("chosen"), name)
	}
	prio := widget.NewButton(prioText, func() { s.k.ChoosePriority("") })
	if priority != "" {
		prio.Importance = widget.HighImportance
	}
	grid := container.NewGridWithColumns(2)
	if s.k.cfg.Landscape {
		grid = container.NewGridWithColumns(3)
	}
	for _, svc := range snap.Services {
		label := s.k.pick(svc.Name, svc.NameEN) + "\n" + fmt.Sprintf(s.k.tr("waiting"), svc.Waiting) + " · " + s.k.waitText(svc.ETAMinutes)
		id := svc.ID
		b := widget.NewButton(label, func() { s.k.issue(id, nil) })
		b.Importance = widget.HighImportance
		grid.Add(b)
	}
	find := widget.NewButton(s.k.tr("search"), func() { s.k.OpenSearch() })
	results := widget.NewButton(s.k.tr("results"), func() { s.k.OpenLookup() })
	corner := container.NewHBox(widget.NewButton(s.k.tr("language"), func() { s.k.ToggleLanguage() }))
	if s.k.cfg.StaffPIN != "" {
		staff := widget.NewButton(s.k.tr("staff"), func() { s.k.OpenStaff() })
		staff.Importance = widget.LowImportance
		corner.Add(staff)
	}
	top := container.NewBorder(nil, nil, nil, corner, s.clock)
	return container.NewBorder(container.NewVBox(title, top, prompt), container.NewVBox(find, results, prio), nil, nil, container.NewVScroll(grid))
}

func (s *screens) priorityChoice(snap *queue.Snapshot) fyne.CanvasObject {
	box := container.NewVBox(widget.NewLabelWithStyle(s.k.tr("choose"), fyne.TextAlignCenter, fyne.TextStyle{Bold: true}))
	for _, p := range snap.PriorityClasses {
		id := p.ID
		box.Add(widget.NewButton(s.k.pick(p.Name, p.NameEN), func() { s.k.ChoosePriority(id) }))
	}
	box.Add(widget.NewButton(s.k.tr("no priority"), func() { s.k.Home() }))
	return container.NewVScroll(box)
}

func (s *screens) ticket(t api.TicketView) fyne.CanvasObject {
	nums := ""
	for i, n := range t.Counters {
		if i > 0 {
			nums += ", "
		}
		nums += fmt.Sprint(n)
	}
	lines := container.NewVBox(
		ui.Big(s.k.tr("your number"), 28, false),
		ui.Big(t.Display, 160, true),
		ui.Big(s.k.pick(t.ServiceName, t.ServiceNameEN), 40, true),
		ui.Big(fmt.Sprintf(s.k.tr("counters"), nums), 30, false),
		ui.Big(fmt.Sprintf(s.k.tr("ahead"), t.Ahead, s.k.waitText(t.ETAMinutes)), 30, false),
	)
	if img, err := receipt.QR(s.k.ticketURL(t), 240); err == nil {
		qr := canvas.NewImageFromImage(img)
		qr.FillMode = canvas.ImageFillOriginal
		lines.Add(container.NewCenter(qr))
		lines.Add(ui.Big(s.k.tr("scan"), 24, false))
	}
	home := widget.NewButton(s.k.tr("home"), func() { s.k.Home() })
	return container.NewBorder(nil, home, nil, nil, container.NewCenter(lines))
}

func (s *screens) message(l *widget.Label) fyne.CanvasObject {
	l.Wrapping, l.Alignment = fyne.TextWrapWord, fyne.TextAlignCenter
	home := widget.NewButton(s.k.tr("home"), func() { s.k.Home() })
	return container.NewBorder(nil, home, nil, nil, container.NewCenter(l))
}

func (s *screens) offline() fyne.CanvasObject {
	return container.NewVBox(layout.NewSpacer(),
		ui.Big(texts["offline"][0], 56, true),
		ui.Big(texts["offline2"][0], 30, false),
		ui.Big(texts["offline"][1]+". "+texts["offline2"][1], 24, false),
		layout.NewSpacer())
}

// waitText says how long the wait is likely to be.
func (k *Kiosk) waitText(minutes int) string {
	if minutes <= 0 {
		return k.tr("no wait")
	}
	return fmt.Sprintf(k.tr("wait"), minutes)
}

// priorityLabel is the chosen priority class's name in the kiosk's language.
func (k *Kiosk) priorityLabel(snap *queue.Snapshot, id string) string {
	for _, p := range snap.PriorityClasses {
		if p.ID == id {
			return k.pick(p.Name, p.NameEN)
		}
	}
	return ""
}
