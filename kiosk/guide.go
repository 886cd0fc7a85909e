package kiosk

import (
	"context"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"motcua/internal/catalogue"
	"motcua/internal/queue"
	"motcua/internal/ui"
)

// loadProcedures fetches the procedure catalogue; called on every (re)connect,
// so a catalogue changed on the server reaches the kiosk with its restart.
func (k *Kiosk) loadProcedures(ctx context.Context) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	procs, err := k.srv.Procedures(ctx)
	if err != nil {
		return // the next reconnect tries again; search still finds services
	}
	k.cfg.UI.Post(func() {
		k.procs = procs
		if k.Screen() == "search" {
			k.render()
		}
	})
}

// OpenGuide shows the procedure's documents, fee and processing time.
func (k *Kiosk) OpenGuide(code string) {
	k.touched = k.cfg.Now()
	for i := range k.procs {
		if k.procs[i].Code == code {
			p := k.procs[i]
			k.guide, k.screen = &p, "guide"
		}
	}
	k.render()
}

// TakeFromGuide takes a ticket for the guide's procedure; withChecklist prints
// the documents to bring under the ticket.
func (k *Kiosk) TakeFromGuide(withChecklist bool) {
	p := k.guide
	if p == nil {
		return
	}
	var proc *catalogue.Procedure
	if withChecklist {
		proc = p
	}
	k.issue(k.serviceFor(p), proc)
}

// serviceFor is where the guide's procedure is served: the desk that helps
// file online when the office takes no paper for it, else its own service.
func (k *Kiosk) serviceFor(p *catalogue.Procedure) string {
	if h := k.onlineHelp(); p.OnlineOnly() && h != "" {
		return h
	}
	return p.Service
}

// onlineHelp is the service that helps citizens file online ("": none).
func (k *Kiosk) onlineHelp() string {
	if k.live.Snap == nil {
		return ""
	}
	return k.live.Snap.Rules.OnlineHelpService
}

// BackToSearch leaves the guide for the search results it came from.
func (k *Kiosk) BackToSearch() {
	k.touched, k.guide, k.screen = k.cfg.Now(), nil, "search"
	k.render()
}

func (s *screens) guide(snap *queue.Snapshot, p *catalogue.Procedure) fyne.CanvasObject {
	k := s.k
	label := func(text string, bold bool) *widget.Label {
		l := widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: bold})
		l.Wrapping = fyne.TextWrapWord
		return l
	}
	title := label(k.pick(p.Name, p.NameEN), true)
	title.Alignment = fyne.TextAlignCenter
	body := container.NewVBox()
	if p.OnlineOnly() && k.onlineHelp() != "" {
		online := label(k.tr("online only"), true)
		online.Importance = widget.WarningImportance
		body.Add(online)
	}
	for _, svc := range snap.Services {
		if svc.ID == k.serviceFor(p) {
			nums := make([]string, len(svc.Counters))
			for i, n := range svc.Counters {
				nums[i] = fmt.Sprint(n)
			}
			body.Add(label(fmt.Sprintf(k.tr("where"), k.pick(svc.Name, svc.NameEN), strings.Join(nums, ", ")), false))
		}
	}
	body.Add(label(k.tr("documents"), true))
	for _, line := range p.Checklist() {
		body.Add(label("•  "+line, false))
	}
	feeVI, feeEN := p.FeeText()
	body.Add(label(k.tr("fee")+" "+k.pick(feeVI, feeEN), false))
	timeVI, timeEN := p.Processing.Text()
	body.Add(label(k.tr("processing")+" "+k.pick(timeVI, timeEN), false))

	take := ui.NewWrapButton(k.tr("take"), func() { k.TakeFromGuide(false) })
	take.Importance = widget.HighImportance
	actions := container.NewVBox(take)
	if k.cfg.Printer != nil {
		withList := ui.NewWrapButton(k.tr("take with list"), func() { k.TakeFromGuide(true) })
		withList.Importance = widget.HighImportance
		actions.Add(withList)
	}
	actions.Add(container.NewGridWithColumns(2,
		ui.NewWrapButton(k.tr("back"), func() { k.BackToSearch() }),
		ui.NewWrapButton(k.tr("home"), func() { k.Home() })))
	if k.cfg.Landscape {
		return container.NewBorder(title, nil, nil, nil, container.NewGridWithColumns(2, container.NewVScroll(body), container.NewCenter(actions)))
	}
	return container.NewBorder(title, actions, nil, nil, container.NewVScroll(body))
}
