package kiosk

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"motcua/internal/api"
	"motcua/internal/printout"
	"motcua/internal/problem"
	"motcua/internal/queue"
	"motcua/internal/receipt"
	"motcua/internal/ui"
)

// screens are the kiosk's widgets. Each screen is built once (again only when
// its layout changes: another screen, another language, other services) and
// then updated in place: a feed update changes the counts on the buttons, a key
// changes the typed text, and nothing under the citizen's finger moves.
type screens struct {
	k     *Kiosk
	built string // the layout the window's widgets were built for
	clock *widget.Label
	err   *widget.Label
	scan  *ui.KeyEntry // the lookup screen's field a QR scanner types into

	services map[string]*ui.WrapButton // home: one button per service
	prompt   *widget.Label             // home: what to do next
	prio     *ui.WrapButton            // home: the priority choice
	query    *widget.Label             // search: what was typed
	results  *fyne.Container           // search: the hits; lookup: the outcome
	code     *ui.WrapButton            // lookup: the code field
	pin      *ui.WrapButton            // lookup: the PIN field
	typed    *canvas.Text              // check-in: the code typed
	said     *widget.Label             // check-in: the outcome
	dots     *canvas.Text              // staff PIN: one dot per digit
	status   *widget.Label             // staff screens: the last outcome
	recent   *fyne.Container           // staff: the reprint buttons
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

// render shows the current screen; it runs on the UI goroutine.
func (k *Kiosk) render() {
	if key := k.layout(); key != k.ui.built {
		k.ui.built = key
		k.win.SetContent(k.ui.build())
	}
	k.ui.update()
	// The same widgets, laid out again: a text or a list that grew moves what
	// is below it (a container lays out only its own children on refresh).
	k.win.Content().Refresh()
}

// layout names what the current screen's widgets depend on: the screen, the
// language, and what some screens are about (the services and priority classes
// of home, the guide's procedure, the ticket shown).
func (k *Kiosk) layout() string {
	key := k.screen + "|" + k.lang
	switch k.screen {
	case "home", "priority":
		if k.live.Snap != nil {
			for _, svc := range k.live.Snap.Services {
				key += "|" + svc.ID + "=" + svc.Name + "/" + svc.NameEN
			}
			for _, p := range k.live.Snap.PriorityClasses {
				key += "|" + p.ID + "=" + p.Name + "/" + p.NameEN
			}
			if takesRemote(k.live.Snap) {
				key += "|remote"
			}
		}
	case "guide":
		key += "|" + k.guide.Code
	case "ticket":
		key += "|" + k.last.ID
	case "error":
		key += "|" + k.ui.err.Text
	}
	return key
}

// build makes the current screen's widgets.
func (s *screens) build() fyne.CanvasObject {
	k := s.k
	switch k.screen {
	case "home":
		return s.home(k.live.Snap)
	case "priority":
		return s.priorityChoice(k.live.Snap)
	case "search":
		return s.search()
	case "guide":
		return s.guide(k.live.Snap, k.guide)
	case "staff-pin":
		return s.staffPIN()
	case "staff":
		return s.staff()
	case "lookup":
		return s.lookup()
	case "checkin":
		return s.checkIn()
	case "phone":
		return s.phoneScreen()
	case "ticket":
		return s.ticket(*k.last)
	case "error":
		return s.message(s.err)
	}
	return s.offline()
}

// update fills the current screen's widgets with the state.
func (s *screens) update() {
	k := s.k
	switch k.screen {
	case "home":
		s.updateHome(k.live.Snap, k.priority)
	case "search":
		s.updateSearch(k.live.Snap, k.procs, k.keys)
	case "lookup":
		s.updateLookup(k.look)
	case "checkin":
		s.updateCheckIn(k.arrive)
	case "phone":
		s.updatePhone(k.phone)
	case "staff-pin":
		s.dots.Text = strings.Repeat("●", len(k.pin)) + " "
		s.dots.Refresh()
		s.status.SetText(k.staffMsg)
	case "staff":
		s.updateStaff(k.recent, k.staffMsg)
	}
}

func (s *screens) home(snap *queue.Snapshot) fyne.CanvasObject {
	title := widget.NewLabelWithStyle(snap.Office, fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	title.Wrapping = fyne.TextWrapWord
	s.prompt = widget.NewLabelWithStyle(s.k.tr("prompt"), fyne.TextAlignCenter, fyne.TextStyle{})
	s.prompt.Wrapping = fyne.TextWrapWord
	s.prio = ui.NewWrapButton("", func() { s.k.ChoosePriority("") })
	grid := container.NewGridWithColumns(2)
	if s.k.cfg.Landscape {
		grid = container.NewGridWithColumns(3)
	}
	s.services = map[string]*ui.WrapButton{}
	for _, svc := range snap.Services {
		id := svc.ID
		b := ui.NewWrapButton("", func() { s.k.issue(id, nil) })
		b.Importance = widget.HighImportance
		s.services[id] = b
		grid.Add(b)
	}
	find := ui.NewWrapButton(s.k.tr("search"), func() { s.k.OpenSearch() })
	results := ui.NewWrapButton(s.k.tr("results"), func() { s.k.OpenLookup() })
	corner := container.NewHBox(ui.NewWrapButton(s.k.tr("language"), func() { s.k.ToggleLanguage() }))
	if s.k.cfg.StaffPIN != "" {
		staff := ui.NewWrapButton(s.k.tr("staff"), func() { s.k.OpenStaff() })
		staff.Importance = widget.LowImportance
		corner.Add(staff)
	}
	top := container.NewBorder(nil, nil, nil, corner, s.clock)
	// The other ways in share a row (their labels wrap): the room goes to
	// the services, so that all of them show without scrolling.
	others := []fyne.CanvasObject{find, results, s.prio}
	if takesRemote(snap) {
		arrived := ui.NewWrapButton(s.k.tr("checkin"), func() { s.k.OpenCheckIn() })
		arrived.Importance = widget.HighImportance
		others = append([]fyne.CanvasObject{arrived}, others...)
	}
	cols := len(others)
	if cols == 4 { // two rows of two: four across would not fit a portrait window
		cols = 2
	}
	return container.NewBorder(container.NewVBox(title, top, s.prompt), container.NewGridWithColumns(cols, others...), nil, nil, container.NewVScroll(grid))
}

// updateHome writes the live counts and waits on the service buttons and the
// chosen priority on its button.
func (s *screens) updateHome(snap *queue.Snapshot, priority string) {
	for _, svc := range snap.Services {
		if b := s.services[svc.ID]; b != nil {
			// Three short lines rather than one long one: a button never grows
			// past its column (issue 12: labels that do not wrap move the keys).
			name := s.k.pick(svc.Name, svc.NameEN)
			if svc.Subtitle != "" && !s.k.english() { // plain words for what it is (English names explain already)
				name += "\n" + svc.Subtitle
			}
			if svc.ClosedToday { // said, not hidden: the citizen learns why, and can ask at the desk
				b.SetText(name + "\n" + s.k.tr("closed today") + "\n" + svc.ClosedReason)
				b.Importance, b.Telling = widget.MediumImportance, true
				b.Disable()
				continue
			}
			// Outside its hours: when it opens, in words, not a refusal after a tap.
			if before, after := svc.Hours(s.k.cfg.Now(), ui.Zone(snap.TimeZone)); before || after {
				words := fmt.Sprintf(s.k.tr("opens at"), svc.Opens)
				if after {
					words = s.k.tr("closed for the day")
				}
				b.SetText(name + "\n" + words)
				b.Importance, b.Telling = widget.MediumImportance, true
				b.Disable()
				continue
			}
			b.SetText(name + "\n" + fmt.Sprintf(s.k.tr("waiting"), svc.Waiting) + "\n" + s.k.waitText(svc.ETAMinutes, svc.OpenCounters))
			if b.Disabled() {
				b.Importance = widget.HighImportance
				b.Enable()
			}
		}
	}
	text, importance, prompt := s.k.tr("priority"), widget.MediumImportance, s.k.tr("prompt")
	if name := s.k.priorityLabel(snap, priority); name != "" {
		// After the priority choice, the next step says what to do.
		text, importance, prompt = fmt.Sprintf(s.k.tr("chosen"), name), widget.HighImportance, fmt.Sprintf(s.k.tr("now choose service"), name)
	}
	s.prompt.SetText(prompt)
	if s.prio.Text != text || s.prio.Importance != importance {
		s.prio.Text, s.prio.Importance = text, importance
		s.prio.Refresh()
	}
}

func (s *screens) priorityChoice(snap *queue.Snapshot) fyne.CanvasObject {
	box := container.NewVBox(widget.NewLabelWithStyle(s.k.tr("choose"), fyne.TextAlignCenter, fyne.TextStyle{Bold: true}))
	for _, p := range snap.PriorityClasses {
		id := p.ID
		box.Add(ui.NewWrapButton(s.k.pick(p.Name, p.NameEN), func() { s.k.ChoosePriority(id) }))
	}
	box.Add(ui.NewWrapButton(s.k.tr("no priority"), func() { s.k.Home() }))
	box.Add(ui.NewWrapButton(s.k.tr("back"), func() { s.k.Home() }))
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
	)
	if name := s.k.priorityLabel(s.k.live.Snap, t.Priority); name != "" { // as the paper says it
		lines.Add(ui.Big(fmt.Sprintf(s.k.tr("priority line"), name), 30, true))
	}
	// The wait, in words that wrap across the screen's whole width.
	ahead := widget.NewLabelWithStyle(fmt.Sprintf(s.k.tr("ahead"), t.Ahead, s.k.waitText(t.ETAMinutes, s.k.openCounters(t.ServiceID))), fyne.TextAlignCenter, fyne.TextStyle{})
	ahead.Wrapping, ahead.SizeName = fyne.TextWrapWord, theme.SizeNameSubHeadingText
	back := ui.NewWrapButton(s.k.tr("home"), func() { s.k.Home() })
	home := container.NewVBox(ahead, back)
	if snap := s.k.live.Snap; snap != nil && snap.Messages {
		// Beside "home", not under it: the ticket screen grows no taller.
		tell := ui.NewWrapButton(s.k.tr("phone offer"), func() { s.k.OpenPhone() })
		tell.Importance = widget.HighImportance
		home = container.NewVBox(ahead, container.NewGridWithColumns(2, tell, back))
	}
	img, err := receipt.QR(ticketURL(s.k.cfg.PublicURL, t), 240)
	if err != nil {
		return container.NewBorder(nil, home, nil, nil, container.NewCenter(lines))
	}
	qr := canvas.NewImageFromImage(img)
	qr.FillMode = canvas.ImageFillContain
	qr.SetMinSize(fyne.NewSize(240, 240)) // its size, whatever painter draws it (the software one drew a dot)
	scan := container.NewVBox(container.NewCenter(qr), ui.Big(s.k.tr("scan"), 24, false))
	if s.k.cfg.Landscape { // the code beside the number: a wide screen is not tall enough for both
		return container.NewBorder(nil, home, nil, nil, container.NewCenter(container.NewHBox(lines, scan)))
	}
	lines.Add(scan)
	return container.NewBorder(nil, home, nil, nil, container.NewCenter(lines))
}

func (s *screens) message(l *widget.Label) fyne.CanvasObject {
	l.Wrapping, l.Alignment = fyne.TextWrapWord, fyne.TextAlignCenter
	home := ui.NewWrapButton(s.k.tr("home"), func() { s.k.Home() })
	return container.NewBorder(nil, home, nil, nil, container.NewCenter(l))
}

func (s *screens) offline() fyne.CanvasObject {
	return container.NewVBox(layout.NewSpacer(),
		ui.Big(texts["offline"][0], 56, true),
		ui.Big(texts["offline2"][0], 30, false),
		ui.Big(texts["offline"][1]+". "+texts["offline2"][1], 24, false),
		layout.NewSpacer())
}

// waitText says how long the wait is likely to be. With no counter open for
// the service it promises nothing: "no wait" would be false.
func (k *Kiosk) waitText(minutes, open int) string {
	if open == 0 {
		return k.tr("no counter open")
	}
	if minutes <= 0 {
		return k.tr("no wait")
	}
	return fmt.Sprintf(k.tr("wait"), minutes)
}

// priorityLabel is the chosen priority class's name in the kiosk's language.
func (k *Kiosk) priorityLabel(snap *queue.Snapshot, id string) string {
	if snap == nil {
		return ""
	}
	for _, p := range snap.PriorityClasses {
		if p.ID == id {
			return k.pick(p.Name, p.NameEN)
		}
	}
	return ""
}

// openCounters is how many counters serving the service are open now.
func (k *Kiosk) openCounters(serviceID string) int {
	if k.live.Snap != nil {
		for _, svc := range k.live.Snap.Services {
			if svc.ID == serviceID {
				return svc.OpenCounters
			}
		}
	}
	return 0
}
