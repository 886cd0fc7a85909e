package counter

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"motcua/internal/api"
	"motcua/internal/catalogue"
	"motcua/internal/intake"
	"motcua/internal/problem"
	"motcua/internal/queue"
	"motcua/internal/ui"
	"motcua/internal/vntext"
)

// Intake: receiving the called citizen's dossier at the counter. The clerk finds
// the procedure (typed without diacritics), ticks the papers handed in, fills
// the applicant in (a CCCD QR scanned into its field fills name, ID, birth date
// and address), and ends with one of three outcomes, each printed: receive
// (Mẫu 01, two copies, with the appointment), incomplete (Mẫu 02) or refuse
// (Mẫu 03).

// IntakeServer is what intake needs besides the queue.
type IntakeServer interface {
	Procedures(ctx context.Context) ([]catalogue.Procedure, error)
	Intake(ctx context.Context, req intake.Request) (api.IntakeAnswer, error)
	Fetch(ctx context.Context, path string) ([]byte, error)
	SetDossierStatus(ctx context.Context, code string, status intake.Status, note string) (api.DossierView, error)
}

// intakeForm holds the form's widgets while it is open.
type intakeForm struct {
	search                               *ui.KeyEntry
	results                              *fyne.Container
	chosen                               *catalogue.Procedure
	docs                                 *fyne.Container
	checks                               []*widget.Check
	cccd, name, phone, address, id, sets *ui.KeyEntry
	reason, missing                      *ui.KeyEntry
	byPost                               *widget.Check   // the result by post; unticked: at the desk
	notify                               *widget.Check   // the applicant agreed to messages at the phone
	portal                               *ui.KeyEntry    // the national portal's code of a dossier filed online
	online                               *fyne.Container // the online help desk's outcome: shown for a procedure filed online
	title                                *widget.Label
}

// OpenIntake opens the intake form (F7).
func (a *App) OpenIntake() {
	ok := a.screen == screenWork && a.live.Online && !a.busy
	if ok {
		a.openMode(modeIntake)
	}
	if ok && len(a.procs) == 0 {
		a.cfg.UI.Go(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			if ps, err := a.srv.Procedures(ctx); err == nil {
				a.cfg.UI.Post(func() {
					a.procs = ps
					a.ui.filterProcedures()
				})
			}
		})
	}
	a.render()
}

func (w *widgets) buildIntake() form {
	a := w.a
	key := a.typedKey
	f := &intakeForm{search: ui.NewKeyEntry(key), results: container.NewVBox(), docs: container.NewVBox(),
		cccd: ui.NewKeyEntry(key), name: ui.NewKeyEntry(key), phone: ui.NewKeyEntry(key), address: ui.NewKeyEntry(key), id: ui.NewKeyEntry(key),
		sets: ui.NewKeyEntry(key), reason: ui.NewKeyEntry(key), missing: ui.NewKeyEntry(key), title: widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})}
	w.intake = f
	f.search.SetPlaceHolder(a.tr("procedure search"))
	f.search.OnChanged = func(string) { w.filterProcedures() }
	f.cccd.SetPlaceHolder(a.tr("scan cccd"))
	f.cccd.OnSubmitted = func(text string) { w.fillFromCCCD(text) }
	f.sets.SetText("1")
	f.byPost = widget.NewCheck(a.tr("by post"), nil)
	f.notify = widget.NewCheck(a.tr("notify consent"), nil)
	f.reason.SetPlaceHolder(a.tr("reason"))
	f.missing.SetPlaceHolder(a.tr("other missing"))
	receive := widget.NewButton(a.tr("receive"), func() { w.submitIntake("receive") })
	receive.Importance = widget.SuccessImportance
	incomplete := widget.NewButton(a.tr("incomplete"), func() { w.submitIntake("incomplete") })
	incomplete.Importance = widget.WarningImportance
	refuse := widget.NewButton(a.tr("refuse"), func() { w.submitIntake("refuse") })
	f.portal = ui.NewKeyEntry(key)
	f.portal.SetPlaceHolder(a.tr("portal code"))
	filed := widget.NewButton(a.tr("online filed"), func() { w.submitIntake("online_filed") })
	filed.Importance = widget.SuccessImportance
	f.online = container.NewVBox(widget.NewLabelWithStyle(a.tr("online help"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), f.portal,
		container.NewGridWithColumns(2, filed, widget.NewButton(a.tr("online not filed"), func() { w.submitIntake("online_not_filed") })))
	f.online.Hide()
	refuse.Importance = widget.DangerImportance
	applicant := widget.NewForm(
		widget.NewFormItem(a.tr("cccd"), f.cccd),
		widget.NewFormItem(a.tr("applicant"), f.name),
		widget.NewFormItem(a.tr("id number"), f.id),
		widget.NewFormItem(a.tr("phone"), f.phone),
		widget.NewFormItem(a.tr("notify label"), f.notify),
		widget.NewFormItem(a.tr("address"), f.address),
		widget.NewFormItem(a.tr("sets"), f.sets),
		widget.NewFormItem(a.tr("delivery"), f.byPost))
	f.title.Wrapping = fyne.TextWrapWord
	w.filterProcedures()
	// Two columns, so the whole form fits 1280×800 without scrolling: the
	// procedure and its papers, then who hands them in.
	return form{title: a.tr("intake title"),
		body: container.NewGridWithColumns(2,
			container.NewVBox(f.search, f.results, f.title, f.docs, f.missing, f.online),
			container.NewVBox(applicant, f.reason)),
		buttons: container.NewGridWithColumns(2, receive, incomplete, refuse, widget.NewButton(a.tr("cancel"), a.CancelMode)),
		focus:   f.search}
}

// maxHits is how many procedures the search lists (the form must fit).
const maxHits = 5

// filterProcedures lists the catalogue's procedures matching the search,
// ignoring marks and case.
func (w *widgets) filterProcedures() {
	f := w.intake
	if f == nil {
		return
	}
	f.results.Objects = nil
	q := f.search.Text
	n := 0
	for _, p := range w.a.procs {
		if n == maxHits || strings.TrimSpace(q) == "" {
			break
		}
		if vntext.Match(q, p.Name) || strings.HasPrefix(p.Code, strings.TrimSpace(q)) {
			f.results.Add(ui.NewWrapButton(p.Name+" ("+p.Code+")", func() { w.chooseProcedure(p) }))
			n++
		}
	}
	f.results.Refresh()
}

func (w *widgets) chooseProcedure(p catalogue.Procedure) {
	f := w.intake
	f.chosen = &p
	f.title.SetText(p.Name + " — " + processingLabel(p.Processing))
	if p.Online != "" { // fully online: the help desk records how the filing went
		f.online.Show()
	} else {
		f.online.Hide()
	}
	f.docs.Objects, f.checks = nil, nil
	for _, d := range p.Documents {
		c, row := ui.WrapCheck(d.Text(), nil)
		f.checks = append(f.checks, c)
		f.docs.Add(row)
	}
	f.docs.Refresh()
	f.results.Objects = nil
	f.results.Refresh()
	f.search.SetText("")
	w.formArea.Refresh()
}

func processingLabel(d catalogue.Duration) string {
	vi, _ := d.Text()
	return vi
}

// fillFromCCCD fills the applicant from a scanned ID card QR.
func (w *widgets) fillFromCCCD(text string) {
	f := w.intake
	c, err := intake.ParseCCCD(text)
	f.cccd.SetText("")
	if err != nil {
		e := problem.As(err)
		w.a.say(w.a.tr("failed")+" "+w.a.pick(e.Message, e.MessageEN), true)
		w.a.render()
		return
	}
	ap := c.Applicant()
	f.name.SetText(ap.Name)
	f.id.SetText(ap.IDNumber)
	f.address.SetText(ap.Address)
	w.a.say(w.a.tr("cccd read"), false)
	w.a.render()
}

// submitIntake sends the form with an outcome and prints the form the server
// answers with.
func (w *widgets) submitIntake(kind string) {
	a, f := w.a, w.intake
	if f.chosen == nil {
		a.say(a.tr("choose procedure"), true)
		a.render()
		return
	}
	req := intake.Request{Outcome: kind, Procedure: f.chosen.Code, Reason: f.reason.Text, Counter: a.counter,
		Applicant: intake.Applicant{Name: strings.TrimSpace(f.name.Text), Phone: strings.TrimSpace(f.phone.Text), Address: strings.TrimSpace(f.address.Text), IDNumber: strings.TrimSpace(f.id.Text)},
		Delivery:  "desk"}
	if f.byPost.Checked {
		req.Delivery = "post"
	}
	req.Notify = f.notify.Checked
	req.PortalCode = strings.TrimSpace(f.portal.Text)
	req.Sets, _ = strconv.Atoi(strings.TrimSpace(f.sets.Text))
	for i, c := range f.checks {
		if c.Checked {
			req.Received = append(req.Received, f.chosen.Documents[i].Name)
		}
	}
	for _, m := range strings.Split(f.missing.Text, ";") {
		if m = strings.TrimSpace(m); m != "" {
			req.Missing = append(req.Missing, m)
		}
	}
	if v := a.counterView(); v.current != nil {
		req.TicketID = v.current.ID
	}
	a.run(func(x allowed) bool { return x.rejoin }, func(ctx context.Context, n int) (outcome, error) {
		ans, err := a.srv.Intake(ctx, req)
		if err != nil {
			return nil, err
		}
		// The dossier is stored: from here on a printer's trouble is told on
		// the result, which offers to print again, and never invites a
		// second intake of the same papers.
		name := ans.Dossier.Code + "-" + strings.TrimSuffix(ans.Form[strings.LastIndex(ans.Form, "/")+1:], ".pdf") + ".pdf"
		paper := func() string { return a.tr("paper none") }
		if ans.Form != "" { // a help session at the online desk prints nothing
			paper = a.printFrom(ctx, ans.Form, name)
		}
		var pay *api.PaymentView
		if ans.Dossier.Fee > 0 {
			if v, err := a.srv.Payment(ctx, ans.Dossier.Code); err == nil {
				pay = &v
			}
		}
		return func() string {
			r := &intakeResult{view: api.DossierView{Dossier: ans.Dossier, Scan: ans.Scan}, kind: kind, code: ans.Dossier.Code, form: ans.Form, file: name, paper: paper(), pay: pay}
			if kind == "receive" {
				r.pin, r.due = ans.Dossier.LookupPIN, ans.Dossier.DueAt.In(a.zone()).Format("15:04 02/01/2006")
			}
			a.result, a.mode = r, modeResult
			msg := fmt.Sprintf(a.tr("intake done"), r.code, r.paper)
			if kind == "receive" {
				msg += " · " + fmt.Sprintf(a.tr("intake due"), r.due, r.pin)
			}
			return msg
		}, nil
	})
}

// printFrom fetches a form from the server and prints it; the outcome says
// whether it was printed, only saved, or failed, and why.
func (a *App) printFrom(ctx context.Context, path, name string) outcome {
	pdf, err := a.srv.Fetch(ctx, path)
	if err != nil {
		return func() string { return fmt.Sprintf(a.tr("paper failed"), name, a.errText(err)) }
	}
	p, err := a.cfg.Print(name, pdf)
	if err != nil {
		return func() string { return fmt.Sprintf(a.tr("paper failed"), name, a.errText(err)) }
	}
	return func() string { return a.paperText(p) }
}

// paperText says where a printed form went, without the disk's paths.
func (a *App) paperText(p Printed) string {
	switch {
	case p.Printer != "":
		return fmt.Sprintf(a.tr("paper printed"), p.File)
	case p.File != "":
		return fmt.Sprintf(a.tr("paper saved"), p.File)
	}
	return a.tr("paper none")
}

// Reprint prints the shown intake's form again (the printer jammed, or a
// second copy is wanted).
func (a *App) Reprint() {
	r := a.result
	if r == nil || a.mode != modeResult {
		return
	}
	a.run(func(x allowed) bool { return x.rejoin }, func(ctx context.Context, n int) (outcome, error) {
		paper := a.printFrom(ctx, r.form, r.file)
		return func() string {
			r.paper = paper()
			a.mode, a.ui.formMode = modeResult, modeNone // shown again, with the new outcome
			return r.paper
		}, nil
	})
}

// returnCode is the dossier a return ticket is for ("" for other tickets).
func returnCode(t *queue.Ticket) string {
	if t == nil {
		return ""
	}
	code, ok := strings.CutPrefix(t.Note, "Trả hồ sơ ")
	if !ok {
		return ""
	}
	return code
}

// HandBack marks the current return ticket's dossier returned and finishes the ticket.
func (a *App) HandBack() {
	code := returnCode(a.counterView().current)
	if code == "" {
		return
	}
	a.run(func(x allowed) bool { return x.finish }, func(ctx context.Context, n int) (outcome, error) {
		if _, err := a.srv.SetDossierStatus(ctx, code, intake.Returned, ""); err != nil {
			return nil, err
		}
		t, err := a.srv.TicketAction(ctx, n, api.ActFinish, api.CounterRequest{})
		return a.said("handed back", code, t.Display), err
	})
}
