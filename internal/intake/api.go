package intake

import "time"

// The shapes intake takes over the API (docs/API.md), shared by the server and
// its Go client.

// Request is a clerk's intake of a dossier: POST /api/v1/dossiers.
type Request struct {
	Outcome   string    `json:"outcome"` // receive, incomplete, refuse
	Procedure string    `json:"procedure"`
	Applicant Applicant `json:"applicant"`
	Received  []string  `json:"received"` // names of the documents handed in
	Missing   []string  `json:"missing,omitempty"`
	Sets      int       `json:"sets"`
	Delivery  string    `json:"delivery"`
	Reason    string    `json:"reason,omitempty"`
	TicketID  string    `json:"ticket_id,omitempty"`
	Counter   int       `json:"counter,omitempty"`
}

// Answer is what the intake screen gets back: the dossier unmasked (it is the
// intake screen) and the path of the form to print.
type Answer struct {
	Dossier Dossier `json:"dossier"`
	Form    string  `json:"form"`
}

// Lookup is what a citizen sees of a dossier with its code and PIN: no
// personal data.
type Lookup struct {
	Code          string    `json:"code"`
	ProcedureName string    `json:"procedure_name"`
	Status        Status    `json:"status"`
	ReceivedAt    time.Time `json:"received_at"`
	DueAt         time.Time `json:"due_at,omitzero"`
	Ready         bool      `json:"ready"`
	Delivery      string    `json:"delivery,omitempty"`
	ReturnTicket  string    `json:"return_ticket,omitempty"`
}

// Lookup is the dossier as its lookup shows it.
func (d Dossier) Lookup() Lookup {
	return Lookup{Code: d.Code, ProcedureName: d.ProcedureName, Status: d.Status, ReceivedAt: d.ReceivedAt, DueAt: d.DueAt,
		Ready: d.Status == Ready, Delivery: d.Delivery, ReturnTicket: d.ReturnTicket}
}
