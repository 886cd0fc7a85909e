package kiosk

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"motcua/internal/api"
	"motcua/internal/intake"
	"motcua/internal/problem"
	"motcua/internal/receipt"
	"motcua/internal/ui"
)

// The "Nhận kết quả / Tra cứu hồ sơ" screen: the citizen scans the QR on the
// receipt (a USB scanner types it into the focused field) or types the dossier
// code and the lookup PIN (6 digits; 4 on older receipts) on the on-screen keys; a ready result gives a
// ticket for the return counter, linked to the dossier.

// lookupState is the lookup screen's input and outcome.
type lookupState struct {
	code, pin string
	field     string // "code" or "pin": where the on-screen keys type
	found     *api.LookupAnswer
	msg       string
}

// OpenLookup shows the lookup screen, empty.
func (k *Kiosk) OpenLookup() {
	k.touched, k.screen, k.look = k.cfg.Now(), "lookup", lookupState{field: "code"}
	k.render()
	if k.ui.scan != nil {
		k.win.Canvas().Focus(k.ui.scan)
	}
}

// LookupKey types one on-screen key into the chosen field ("⌫" deletes).
func (k *Kiosk) LookupKey(key string) {
	k.touched = k.cfg.Now()
	f := &k.look.code
	limit := 30
	if k.look.field == "pin" {
		f, limit = &k.look.pin, 6
	}
	switch {
	case key == "⌫":
		if len(*f) > 0 {
			*f = (*f)[:len(*f)-1]
		}
	case len(*f) < limit:
		*f += key
	}
	k.render()
}

// LookupField chooses where the keys type: "code" or "pin".
func (k *Kiosk) LookupField(f string) {
	k.touched, k.look.field = k.cfg.Now(), f
	k.render()
}

// Scanned takes what a QR scanner typed: the receipt's lookup URL
// (…/tra-cuu?ma=CODE&pin=1234), or a code and PIN separated by a space.
func (k *Kiosk) Scanned(text string) {
	code, pin := parseScan(text)
	k.look.code, k.look.pin = code, pin
	k.Lookup()
}

func parseScan(text string) (code, pin string) {
	text = strings.TrimSpace(text)
	if i := strings.Index(text, "?"); i >= 0 {
		if q, err := url.ParseQuery(text[i+1:]); err == nil {
			return strings.ToUpper(q.Get("ma")), q.Get("pin")
		}
	}
	f := strings.Fields(text)
	if len(f) >= 2 {
		return strings.ToUpper(f[0]), f[1]
	}
	return strings.ToUpper(text), ""
}

// Lookup asks the server for the dossier.
func (k *Kiosk) Lookup() {
	code, pin := k.look.code, k.look.pin
	k.touched = k.cfg.Now()
	k.cfg.UI.Go(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		found, err := k.srv.LookupDossier(ctx, code, pin)
		k.cfg.UI.Post(func() {
			if err != nil {
				e := problem.As(err)
				k.look.found, k.look.msg = nil, e.Message
				if k.lang == "en" {
					k.look.msg = e.MessageEN
				}
			} else {
				k.look.found, k.look.msg = &found, ""
			}
			k.render()
		})
	})
}

// TakeReturnTicket takes a ticket to collect the ready result, and prints it.
func (k *Kiosk) TakeReturnTicket() {
	if k.busy || k.look.found == nil || !k.look.found.Ready {
		return
	}
	k.busy = true
	code, pin, paper := k.look.code, k.look.pin, k.paper(nil)
	k.cfg.UI.Go(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		t, err := k.srv.ReturnTicket(ctx, code, pin)
		var r receipt.Ticket
		if err == nil {
			r = paper(t)
			r.Procedure, r.Checklist = "Nhận kết quả hồ sơ "+code, []string{"Phiếu tiếp nhận và hẹn trả kết quả (Mẫu 01)", "Giấy tờ tùy thân"}
			perr := k.print(ctx, r)
			if perr != nil {
				k.srv.Cancel(ctx, t.ID, "không in được phiếu / printing failed")
				err = perr
			}
			k.notePrinter(ctx, perr)
		}
		k.cfg.UI.Post(func() { k.issued(t, r, err) })
	})
}

var statusText = map[intake.Status][2]string{
	intake.Received:   {"Đã tiếp nhận, đang chờ giải quyết", "Received, waiting to be processed"},
	intake.Processing: {"Đang giải quyết", "Being processed"},
	intake.Supplement: {"Cần bổ sung hồ sơ — vui lòng liên hệ quầy", "Papers are missing — please see a counter"},
	intake.Ready:      {"ĐÃ CÓ KẾT QUẢ — mời nhận tại quầy trả kết quả", "READY — please collect it at the return counter"},
	intake.Returned:   {"Đã trả kết quả", "Already collected"},
	intake.Refused:    {"Hồ sơ bị từ chối", "Refused"},
	intake.Withdrawn:  {"Hồ sơ đã rút", "Withdrawn"},
	intake.Stopped:    {"Đã dừng giải quyết theo quy định — mời liên hệ quầy", "Processing stopped by law — please see a counter"},
}

func (s *screens) lookup() fyne.CanvasObject {
	k := s.k
	if s.scan == nil {
		s.scan = ui.NewKeyEntry(nil) // as wide as the screen gives it, whatever its hint
		s.scan.OnSubmitted = func(text string) { s.scan.SetText(""); k.Scanned(text) }
	}
	s.scan.SetPlaceHolder(k.tr("scan here"))
	s.code = ui.NewWrapButton("", func() { k.LookupField("code") })
	s.pin = ui.NewWrapButton("", func() { k.LookupField("pin") })
	keys := container.NewVBox()
	for _, row := range []string{"1234567890", "QWERTYUIOP", "ASDFGHJKL.", "ZXCVBNM-⌫"} {
		line := container.NewGridWithColumns(10)
		for _, r := range row {
			key := string(r)
			line.Add(widget.NewButton(key, func() { k.LookupKey(key) }))
		}
		keys.Add(line)
	}
	s.results = container.NewVBox()
	look := ui.NewWrapButton(k.tr("look up"), k.Lookup)
	look.Importance = widget.HighImportance
	title := widget.NewLabelWithStyle(k.tr("lookup title"), fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	title.Wrapping = fyne.TextWrapWord
	top := container.NewVBox(title,
		s.scan, container.NewGridWithColumns(2, s.code, s.pin), look, s.results)
	return container.NewBorder(top, container.NewVBox(keys, ui.NewWrapButton(k.tr("home"), func() { k.Home() })), nil, nil, nil)
}

// updateLookup shows the typed code and PIN (the PIN as dots) and the outcome.
func (s *screens) updateLookup(st lookupState) {
	k := s.k
	field := func(b *ui.WrapButton, name, label, value string) {
		text, importance := fmt.Sprintf("%s: %s▏", label, value), widget.MediumImportance
		if st.field == name {
			importance = widget.HighImportance
		}
		if b.Text != text || b.Importance != importance {
			b.Text, b.Importance = text, importance
			b.Refresh()
		}
	}
	field(s.code, "code", k.tr("code"), st.code)
	field(s.pin, "pin", k.tr("pin"), strings.Repeat("●", len(st.pin)))
	var rows []fyne.CanvasObject
	if st.msg != "" {
		l := widget.NewLabelWithStyle(st.msg, fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
		l.Wrapping = fyne.TextWrapWord
		rows = append(rows, l)
	}
	if f := st.found; f != nil {
		rows = append(rows, widget.NewLabelWithStyle(f.Code+" — "+f.ProcedureName, fyne.TextAlignCenter, fyne.TextStyle{Bold: true}),
			ui.Big(k.pick(statusText[f.Status][0], statusText[f.Status][1]), 30, true))
		if !f.DueAt.IsZero() && !f.Ready && f.Status != intake.Returned {
			rows = append(rows, widget.NewLabelWithStyle(fmt.Sprintf(k.tr("due"), f.DueAt.In(k.zone()).Format("15:04 02/01/2006")), fyne.TextAlignCenter, fyne.TextStyle{}))
		}
		for _, line := range k.paperLines(*f) {
			l := widget.NewLabelWithStyle(line, fyne.TextAlignCenter, fyne.TextStyle{})
			l.Wrapping = fyne.TextWrapWord
			rows = append(rows, l)
		}
		if f.Ready {
			take := ui.NewWrapButton(k.tr("take return"), k.TakeReturnTicket)
			take.Importance = widget.HighImportance
			rows = append(rows, take)
		}
	}
	s.results.Objects = rows
	s.results.Refresh()
}

// paperLines say of each paper handed in whether it is digitised (Circular
// 03/2025), and of the result whether it is electronic: words only.
func (k *Kiosk) paperLines(f api.LookupAnswer) []string {
	var out []string
	for _, p := range f.Papers {
		state := k.tr("paper not yet")
		switch {
		case p.Exempt:
			state = k.tr("paper exempt")
		case p.Digitised:
			state = k.tr("paper digitised")
		}
		out = append(out, p.Name+" — "+state)
	}
	if f.EResult {
		out = append(out, k.tr("e-result"))
	}
	return out
}
