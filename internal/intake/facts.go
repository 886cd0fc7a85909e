package intake

import (
	"motcua/internal/queue"
)

// Facts are d's figures for the event log (queue.DossierFacts): FlowsOf
// counts the same from them as from d, and nothing of the applicant, no
// note and no reason is among them.
func (d Dossier) Facts() *queue.DossierFacts {
	f := &queue.DossierFacts{Procedure: d.Procedure, Service: d.Service, Clerk: d.Clerk, Counter: d.Counter,
		Status: string(d.Status), Delivery: d.Delivery, ReceivedAt: d.ReceivedAt, DueAt: d.DueAt,
		ReadyAt: d.ReadyAt, ReturnedAt: d.ReturnedAt, Digitised: d.Digitised(), EResult: d.Result != nil}
	if d.Apology != nil {
		f.ApologyAt = d.Apology.At
	}
	f.Fee = d.Fee
	if d.Paid != nil {
		f.Paid, f.PaidAt = d.Paid.Method, d.Paid.At
	}
	for _, c := range d.History {
		f.Steps = append(f.Steps, queue.FactsStep{At: c.At, To: string(c.To)})
	}
	return f
}

// FromFacts is the dossier the facts describe, as far as the figures go
// (the province's side: FlowsOf and Groups read it as they read the record).
func FromFacts(code string, f queue.DossierFacts) Dossier {
	d := Dossier{Code: code, Procedure: f.Procedure, Service: f.Service, Clerk: f.Clerk, Counter: f.Counter,
		Status: Status(f.Status), Delivery: f.Delivery, ReceivedAt: f.ReceivedAt, DueAt: f.DueAt,
		ReadyAt: f.ReadyAt, ReturnedAt: f.ReturnedAt}
	if !f.ApologyAt.IsZero() {
		d.Apology = &Apology{At: f.ApologyAt, NewDue: f.DueAt}
	}
	d.Fee = f.Fee
	if f.Paid != "" {
		d.Paid = &Payment{Method: f.Paid, Amount: f.Fee, At: f.PaidAt}
	}
	for _, s := range f.Steps {
		d.History = append(d.History, Change{At: s.At, To: Status(s.To)})
	}
	// One paper stands for them all: digitised or not is what the figures read.
	if f.Digitised {
		d.Documents = []Document{{Received: true, Exempt: ExemptOnline}}
	} else {
		d.Documents = []Document{{Received: true}}
	}
	if f.EResult {
		d.Result = &Scan{}
	}
	return d
}
