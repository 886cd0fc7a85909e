package counter

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
	"motcua/internal/catalogue"
	"motcua/internal/intake"
	"motcua/internal/queue"
	"motcua/internal/ui"
)

// The dossier panel (F8 "Hồ sơ"): open a dossier by its code (or by scanning
// its receipt's QR), see where it stands, move it along (processing, ready,
// supplement requested and completed, withdrawn, refused), print the Mẫu 04
// apology with a new date, record each handover and print the Mẫu 06 control
// slip, print Mẫu 05 when a dossier stops, and the Mẫu 07 register of a period.

// DossierServer is what the panel needs besides intake.
type DossierServer interface {
	Dossier(ctx context.Context, code string) (api.DossierView, error)
	Apologise(ctx context.Context, code string, newDue time.Time, reason string) (api.DossierView, error)
	Handover(ctx context.Context, code string, req api.HandoverRequest) (api.DossierView, error)
}

type dossierPanel struct {
	code, note, due, from, to *ui.KeyEntry
	giver, receiver           *ui.KeyEntry // a handover's two sides (Mẫu 06); its result is the note
	info                      *fyne.Container
	actions                   []*ui.WrapButton // the status moves and the apology: on once a dossier is open
	shown                     *intake.Dossier
	scan                      queue.ScanConfig // the office's, with the shown dossier
}

// OpenDossiers opens the panel (F8).
func (a *App) OpenDossiers() {
	if a.screen == screenWork && a.live.Online && !a.busy {
		a.openMode(modeDossier)
	}
	a.render()
}

var statusLabels = map[intake.Status]string{
	intake.Received: "Đã tiếp nhận", intake.Processing: "Đang xử lý", intake.Supplement: "Chờ bổ sung", intake.Ready: "Đã có kết quả",
	intake.Returned: "Đã trả", intake.Refused: "Từ chối", intake.Withdrawn: "Đã rút (Mẫu 05)", intake.Stopped: "Dừng giải quyết (Mẫu 05)", intake.Incomplete: "Chưa đủ (Mẫu 02)",
}

func (w *widgets) buildDossierPanel() form {
	a := w.a
	today := a.cfg.Now().In(a.zone()).Format("02/01/2006") // the office's day, not the PC's
	key := a.typedKey
	p := &dossierPanel{code: ui.NewKeyEntry(key), note: ui.NewKeyEntry(key), due: ui.NewKeyEntry(key), from: ui.NewKeyEntry(key), to: ui.NewKeyEntry(key),
		giver: ui.NewKeyEntry(key), receiver: ui.NewKeyEntry(key), info: container.NewVBox()}
	p.giver.SetPlaceHolder(a.tr("handover from"))
	p.receiver.SetPlaceHolder(a.tr("handover to"))
	w.panel = p
	p.code.SetPlaceHolder(a.tr("dossier code"))
	p.code.OnSubmitted = func(s string) { p.code.SetText(dossierCode(s)); w.openDossier() }
	p.note.SetPlaceHolder(a.tr("dossier note"))
	p.due.SetPlaceHolder(a.tr("new due"))
	p.from.SetText(today)
	p.to.SetText(today)
	p.actions = nil
	move := func(label string, to intake.Status) *ui.WrapButton {
		b := ui.NewWrapButton(label, func() { w.moveDossier(to) })
		b.Disable() // until a dossier is open
		p.actions = append(p.actions, b)
		return b
	}
	apology := ui.NewWrapButton(a.tr("apology"), w.apologise)
	apology.Importance = widget.WarningImportance
	apology.Disable()
	p.actions = append(p.actions, apology)
	register := ui.NewWrapButton(a.tr("register"), w.printRegister)
	handover := ui.NewWrapButton(a.tr("handover"), w.recordHandover)
	handover.Disable()
	control := ui.NewWrapButton(a.tr("control slip"), w.printControl)
	control.Disable()
	scanIt := ui.NewWrapButton(a.tr("to scan"), a.ScanKey)
	scanIt.Disable()
	p.actions = append(p.actions, handover, control, scanIt)
	body := container.NewVBox(
		container.NewBorder(nil, nil, nil, widget.NewButton(a.tr("open"), w.openDossier), p.code),
		p.info, p.note,
		container.NewGridWithColumns(3, move(a.tr("to processing"), intake.Processing), move(a.tr("to ready"), intake.Ready), move(a.tr("to supplement"), intake.Supplement)),
		container.NewGridWithColumns(3, move(a.tr("supplemented"), intake.Received), move(a.tr("to withdrawn"), intake.Withdrawn), move(a.tr("to refused"), intake.Refused)),
		container.NewGridWithColumns(3, move(a.tr("to stopped"), intake.Stopped), scanIt),
		container.NewBorder(nil, nil, nil, apology, p.due),
		container.NewGridWithColumns(4, p.giver, p.receiver, handover, control),
		widget.NewSeparator(),
		container.NewGridWithColumns(3, p.from, p.to, register))
	return form{title: a.tr("dossiers title"), body: body, buttons: widget.NewButton(a.tr("close panel"), a.CancelMode), focus: p.code}
}

// dossierCode reads a typed code or a scanned receipt URL.
func dossierCode(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.Index(s, "?"); i >= 0 {
		if q, err := url.ParseQuery(s[i+1:]); err == nil && q.Get("ma") != "" {
			return strings.ToUpper(q.Get("ma"))
		}
	}
	return strings.ToUpper(s)
}

func (w *widgets) showDossier(v api.DossierView) {
	d := v.Dossier
	for _, b := range w.panel.actions {
		b.Enable()
	}
	p := w.panel
	p.shown, p.scan = &d, v.Scan
	p.info.Objects = nil
	line := func(s string) { l := widget.NewLabel(s); l.Wrapping = fyne.TextWrapWord; p.info.Add(l) }
	line(fmt.Sprintf("%s — %s", d.Code, d.ProcedureName))
	line(fmt.Sprintf("%s · %s · %s", d.Applicant.Name, d.Applicant.IDNumber, statusLabels[d.Status]))
	if !d.DueAt.IsZero() {
		line(fmt.Sprintf(w.a.tr("due line"), d.ReceivedAt.In(w.a.zone()).Format("15:04 02/01/2006"), d.DueAt.In(w.a.zone()).Format("15:04 02/01/2006")))
	}
	if d.Apology != nil {
		line(w.a.tr("has apology"))
	}
	if n := len(d.Handovers); n > 0 {
		h := d.Handovers[n-1]
		line(fmt.Sprintf(w.a.tr("last handover"), n, h.From, h.To, h.At.In(w.a.zone()).Format("15:04 02/01")))
	}
	if d.Fee > 0 {
		if d.Paid != nil {
			how := w.a.tr("fee cash")
			if d.Paid.Method == intake.PaidTransfer {
				how = w.a.tr("fee transfer") + " " + d.Paid.Reference
			}
			line(fmt.Sprintf(w.a.tr("fee paid"), catalogue.Money(d.Fee), how))
		} else {
			line(fmt.Sprintf(w.a.tr("fee unpaid"), catalogue.Money(d.Fee)))
		}
	}
	for _, m := range v.Messages {
		line(w.a.messageLine(m))
	}
	p.info.Refresh()
	w.formArea.Refresh()
}

// refreshMessages reads the shown dossier again when one of its messages
// changed (the feed's message.changed): the clerk sees "sent" as it goes,
// without opening the dossier again.
func (w *widgets) refreshMessages(id string) {
	p, a := w.panel, w.a
	if p == nil || p.shown == nil || !strings.HasPrefix(id, "d:"+p.shown.Code+"/") {
		return
	}
	code := p.shown.Code
	a.cfg.UI.Go(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		d, err := a.srv.Dossier(ctx, code)
		if err != nil {
			return // the next change, or the clerk, reads it again
		}
		a.cfg.UI.Post(func() {
			if p.shown != nil && p.shown.Code == code {
				w.showDossier(d)
			}
		})
	})
}

func (w *widgets) openDossier() {
	a, p := w.a, w.panel
	code := dossierCode(p.code.Text)
	a.run(func(x allowed) bool { return x.rejoin }, func(ctx context.Context, n int) (outcome, error) {
		d, err := a.srv.Dossier(ctx, code)
		if err == nil {
			a.cfg.UI.Post(func() { w.showDossier(d) })
		}
		return a.said("opened", code), err
	})
}

func (w *widgets) moveDossier(to intake.Status) {
	a, p := w.a, w.panel
	if p.shown == nil {
		return
	}
	code, note := p.shown.Code, p.note.Text
	a.run(func(x allowed) bool { return x.rejoin }, func(ctx context.Context, n int) (outcome, error) {
		d, err := a.srv.SetDossierStatus(ctx, code, to, note)
		if err != nil {
			return nil, err
		}
		a.cfg.UI.Post(func() { w.showDossier(d); p.note.SetText("") })
		if to.Stops() { // the applicant gets the notice (Mẫu 05)
			return a.printFrom(ctx, api.Path(api.DossierForm, code, "mau-05.pdf"), code+"-mau-05.pdf"), nil
		}
		return a.said("moved", code, statusLabels[to]), nil
	})
}

func (w *widgets) apologise() {
	a, p := w.a, w.panel
	if p.shown == nil {
		return
	}
	due, err := time.ParseInLocation("02/01/2006 15:04", strings.TrimSpace(p.due.Text), a.zone())
	if err != nil {
		a.say(a.tr("bad due"), true)
		a.render()
		return
	}
	code, reason := p.shown.Code, p.note.Text
	a.run(func(x allowed) bool { return x.rejoin }, func(ctx context.Context, n int) (outcome, error) {
		d, err := a.srv.Apologise(ctx, code, due, reason)
		if err != nil {
			return nil, err
		}
		a.cfg.UI.Post(func() { w.showDossier(d) })
		return a.printFrom(ctx, api.Path(api.DossierForm, code, "mau-04.pdf"), code+"-mau-04.pdf"), nil
	})
}

// recordHandover records that the papers passed from giver to receiver,
// the note as its result (Mẫu 06's row).
func (w *widgets) recordHandover() {
	a, p := w.a, w.panel
	if p.shown == nil {
		return
	}
	code, req := p.shown.Code, api.HandoverRequest{From: p.giver.Text, To: p.receiver.Text, Result: p.note.Text}
	a.run(func(x allowed) bool { return x.rejoin }, func(ctx context.Context, n int) (outcome, error) {
		d, err := a.srv.Handover(ctx, code, req)
		if err != nil {
			return nil, err
		}
		a.cfg.UI.Post(func() { w.showDossier(d); p.note.SetText(""); p.giver.SetText(p.receiver.Text); p.receiver.SetText("") })
		return a.said("handed over", code), nil
	})
}

// printControl prints the open dossier's control slip (Mẫu 06).
func (w *widgets) printControl() {
	a, p := w.a, w.panel
	if p.shown == nil {
		return
	}
	code := p.shown.Code
	a.run(func(x allowed) bool { return x.rejoin }, func(ctx context.Context, n int) (outcome, error) {
		return a.printFrom(ctx, api.Path(api.DossierForm, code, "mau-06.pdf"), code+"-mau-06.pdf"), nil
	})
}

func (w *widgets) printRegister() {
	a, p := w.a, w.panel
	day := func(s string) (string, bool) {
		t, err := time.Parse("02/01/2006", strings.TrimSpace(s))
		return t.Format("2006-01-02"), err == nil
	}
	from, ok1 := day(p.from.Text)
	to, ok2 := day(p.to.Text)
	if !ok1 || !ok2 {
		a.say(a.tr("bad dates"), true)
		a.render()
		return
	}
	a.run(func(x allowed) bool { return x.rejoin }, func(ctx context.Context, n int) (outcome, error) {
		return a.printFrom(ctx, api.Register+"?from="+url.QueryEscape(from)+"&to="+url.QueryEscape(to), "so-theo-doi-"+from+"-"+to+".pdf"), nil
	})
}
