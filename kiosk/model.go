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
	return k.cfg.Printer.Print(ctx, img)
}

// reportTrouble tells the supervisors (a device event on the server's feed) when
// the printer is at fault; a ticket's own error is not the printer's news.
func (k *Kiosk) reportTrouble(ctx context.Context, err error) {
	if printout.IsTrouble(err) {
		e := problem.As(err)
		k.srv.Alert(ctx, e.Code, e.Message)
	}
}

// receipt is the printed form of t, with proc's checklist when proc is set.
func (k *Kiosk) receipt(t api.TicketView, proc *catalogue.Procedure) receipt.Ticket {
	k.mu.Lock()
	defer k.mu.Unlock()
	r := receipt.Ticket{Number: t.Display, Service: t.ServiceName, Counters: t.Counters, Ahead: t.Ahead,
		ETA: t.ETAMinutes, IssuedAt: t.IssuedAt.Local(), URL: k.ticketURL(t)}
	if k.live.Snap != nil {
		r.Office = k.live.Snap.Office
		r.Priority = priorityName(k.live.Snap, t.Priority)
	}
	if proc != nil {
		r.Procedure, r.Checklist = proc.Name, proc.Checklist()
	}
	return r
}

// remember keeps a printed ticket for staff reprints (the last 10).
func (k *Kiosk) remember(r receipt.Ticket) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.recent = append([]receipt.Ticket{r}, k.recent[:min(len(k.recent), 9)]...)
}

func priorityName(s *queue.Snapshot, id string) string {
	for _, p := range s.PriorityClasses {
		if p.ID == id {
			return p.Name
		}
	}
	return ""
}
