package kiosk

import (
	"context"

	"motcua/internal/api"
	"motcua/internal/catalogue"
	"motcua/internal/printout"
	"motcua/internal/problem"
	"motcua/internal/queue"
	"motcua/internal/receipt"
)

// print draws the ticket and sends it to the printer, when there is one.
func (k *Kiosk) print(ctx context.Context, r receipt.Ticket) error {
	if k.cfg.Printer == nil {
		return nil
	}
	img, err := receipt.Render(r, k.cfg.PaperWidth)
	if err != nil {
		return err
	}
	return k.cfg.Printer.Print(printout.At(ctx, r.IssuedAt), img)
}

// notePrinter follows the printer after a print: its trouble goes to the
// supervisors (a device event on the server's feed), and a change of its
// state (ok, or the trouble's code) to the devices page at once; a ticket's
// own error is not the printer's news.
func (k *Kiosk) notePrinter(ctx context.Context, err error) {
	if k.cfg.Printer == nil {
		return // the heartbeat says "none"
	}
	state := "ok"
	if err != nil {
		if !printout.IsTrouble(err) {
			return
		}
		e := problem.As(err)
		state = e.Code
		k.srv.Alert(ctx, e.Code, e.Message)
	}
	if old := k.printer.Swap(&state); old == nil || *old != state {
		k.srv.Status(ctx, state)
	}
}

// printerState is the printer's last state for the heartbeat: none
// without a printer; not said before the first print.
func (k *Kiosk) printerState() string {
	if k.cfg.Printer == nil {
		return "none"
	}
	if p := k.printer.Load(); p != nil {
		return *p
	}
	return ""
}

// paper returns how a ticket issued now will be printed, with proc's checklist
// when proc is set. It reads the kiosk's state here, on the UI goroutine; the
// function it returns reads none and runs with the issue, off it.
func (k *Kiosk) paper(proc *catalogue.Procedure) func(api.TicketView) receipt.Ticket {
	var office string
	var classes []queue.PriorityClass
	if k.live.Snap != nil {
		office, classes = k.live.Snap.Office, k.live.Snap.PriorityClasses
	}
	zone := k.zone()
	base := k.cfg.PublicURL
	return func(t api.TicketView) receipt.Ticket {
		r := receipt.Ticket{Office: office, Number: t.Display, Service: t.ServiceName, Counters: t.Counters, Ahead: t.Ahead,
			ETA: t.ETAMinutes, IssuedAt: t.IssuedAt.In(zone), URL: ticketURL(base, t), Priority: priorityName(classes, t.Priority)}
		if proc != nil {
			r.Procedure, r.Checklist = proc.Name, proc.Checklist()
		}
		return r
	}
}

// remember keeps a printed ticket for staff reprints (the last 10).
func (k *Kiosk) remember(r receipt.Ticket) {
	k.recent = append([]receipt.Ticket{r}, k.recent[:min(len(k.recent), 9)]...)
}

func priorityName(classes []queue.PriorityClass, id string) string {
	for _, p := range classes {
		if p.ID == id {
			return p.Name
		}
	}
	return ""
}
