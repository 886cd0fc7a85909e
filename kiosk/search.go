package kiosk

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"motcua/internal/catalogue"
	"motcua/internal/queue"
	"motcua/internal/ui"
	"motcua/internal/vntext"
)

// keyboardRows are the on-screen keyboard's letters. Vietnamese letters come by
// Telex (aa â, aw ă, ow ơ, uw ư, dd đ, s f r x j for tones); search ignores marks
// anyway, so plain letters find everything.
var keyboardRows = []string{"qwertyuiop", "asdfghjkl", "zxcvbnm"}

// hit is one search result: a service, or a procedure and its service. Proc is
// set for a procedure of the catalogue (it has a guide).
type hit struct {
	Title     string
	ServiceID string
	Service   string
	Proc      *catalogue.Procedure
}

// search finds the services and procedures matching query, ignoring case and
// marks: per service, the service itself, then its procedures in the catalogue
// (by name, English name or code), then the other procedure names its config lists.
func search(snap *queue.Snapshot, procs []catalogue.Procedure, query string) []hit {
	var out []hit
	if strings.TrimSpace(query) == "" {
		return out
	}
	for _, svc := range snap.Services {
		if vntext.Match(query, svc.Name) || vntext.Match(query, svc.NameEN) {
			out = append(out, hit{Title: svc.Name, ServiceID: svc.ID, Service: svc.Name})
		}
		inCatalogue := map[string]bool{}
		for i := range procs {
			p := &procs[i]
			if p.Service != svc.ID {
				continue
			}
			inCatalogue[vntext.Fold(p.Name)] = true
			if vntext.Match(query, p.Name) || vntext.Match(query, p.NameEN) || strings.HasPrefix(p.Code, strings.TrimSpace(query)) {
				out = append(out, hit{Title: p.Name, ServiceID: svc.ID, Service: svc.Name, Proc: p})
			}
		}
		for _, p := range svc.Procedures {
			if !inCatalogue[vntext.Fold(p)] && vntext.Match(query, p) {
				out = append(out, hit{Title: p, ServiceID: svc.ID, Service: svc.Name})
			}
		}
	}
	return out
}

// OpenSearch shows the search screen with an empty query.
func (k *Kiosk) OpenSearch() {
	k.touched, k.keys, k.screen = k.cfg.Now(), "", "search"
	k.render()
}

// Type adds one key of the on-screen keyboard: a letter, " ", or "⌫".
func (k *Kiosk) Type(key string) {
	k.touched = k.cfg.Now()
	switch key {
	case "⌫":
		if r := []rune(k.keys); len(r) > 0 {
			k.keys = string(r[:len(r)-1])
		}
	default:
		if len([]rune(k.keys)) < 60 {
			k.keys += key
		}
	}
	k.render()
}

func (s *screens) search() fyne.CanvasObject {
	s.query = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title := widget.NewLabelWithStyle(s.k.tr("search title"), fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	s.results = container.NewVBox()
	board := container.NewVBox()
	for _, row := range keyboardRows {
		line := container.NewGridWithColumns(10)
		for _, r := range row {
			key := string(r)
			line.Add(widget.NewButton(strings.ToUpper(key), func() { s.k.Type(key) }))
		}
		board.Add(line)
	}
	board.Add(container.NewGridWithColumns(3,
		ui.NewWrapButton(s.k.tr("space"), func() { s.k.Type(" ") }),
		ui.NewWrapButton(s.k.tr("delete"), func() { s.k.Type("⌫") }),
		ui.NewWrapButton(s.k.tr("home"), func() { s.k.Home() })))
	hint := widget.NewLabelWithStyle(s.k.tr("hint"), fyne.TextAlignCenter, fyne.TextStyle{Italic: true})
	hint.Wrapping = fyne.TextWrapWord
	top := container.NewVBox(title, s.query)
	if s.k.cfg.Landscape { // results beside the keyboard
		return container.NewBorder(top, nil, nil, container.NewVBox(board, hint), container.NewVScroll(s.results))
	}
	return container.NewBorder(top, container.NewVBox(hint, board), nil, nil, container.NewVScroll(s.results))
}

// updateSearch shows what was typed and what it finds; the keyboard stays.
func (s *screens) updateSearch(snap *queue.Snapshot, procs []catalogue.Procedure, keys string) {
	query := vntext.Telex(keys)
	s.query.SetText(query + "▏")
	var rows []fyne.CanvasObject
	hits := search(snap, procs, query)
	for _, h := range hits {
		text := h.Title
		if h.Proc != nil {
			text = s.k.pick(h.Proc.Name, h.Proc.NameEN)
		}
		if h.Title != h.Service {
			text += "\n(" + h.Service + ")"
		}
		tap := func() { s.k.issue(h.ServiceID, nil) }
		if h.Proc != nil {
			code := h.Proc.Code
			tap = func() { s.k.OpenGuide(code) }
		}
		rows = append(rows, ui.NewWrapButton(text, tap))
	}
	if query != "" && len(hits) == 0 {
		rows = append(rows, widget.NewLabelWithStyle(s.k.tr("nothing"), fyne.TextAlignCenter, fyne.TextStyle{}))
	}
	s.results.Objects = rows
	s.results.Refresh()
}
