package api

import (
	"time"

	"motcua/internal/intake"
	"motcua/internal/queue"
	"motcua/internal/statement"
)

// IntakeRequest is the body of POST Dossiers: the intake service's own input.
type IntakeRequest = intake.Request

// IntakeAnswer is what the intake screen gets back: the dossier unmasked (it
// is the intake screen) and the path of the form to print.
type IntakeAnswer struct {
	Dossier intake.Dossier `json:"dossier"`
	Form    string         `json:"form"`
	// Scan is how the office scans the papers (the scan step that follows).
	Scan queue.ScanConfig `json:"scan"`
}

// DossierView is a dossier as staff see it after intake: ID masked, with its
// timeliness (early, on_time, late; empty while it runs).
type DossierView struct {
	intake.Dossier
	Timeliness string           `json:"timeliness,omitempty"`
	Scan       queue.ScanConfig `json:"scan"`
	// Messages are the messages to the applicant about it, where each
	// stands (the phone masked).
	Messages []MessageView `json:"messages,omitempty"`
}

// StatusRequest is the body of POST DossierStatus.
type StatusRequest struct {
	Status intake.Status `json:"status"`
	Note   string        `json:"note"`
}

// ApologyRequest is the body of POST DossierApolog (Mẫu 04).
type ApologyRequest struct {
	NewDue time.Time `json:"new_due"`
	Reason string    `json:"reason"`
}

// HandoverRequest is the body of POST DossierHandover (Mẫu 06's rows).
type HandoverRequest struct {
	From   string `json:"from"`
	To     string `json:"to"`
	Result string `json:"result,omitempty"`
}

// LookupTicketRequest is the body of POST LookupTicket.
type LookupTicketRequest struct {
	Code string `json:"code"`
	PIN  string `json:"pin"`
}

// LookupAnswer is what a citizen sees of a dossier with its code and PIN (GET
// Lookup): no personal data.
type LookupAnswer struct {
	Code          string        `json:"code"`
	ProcedureName string        `json:"procedure_name"`
	Status        intake.Status `json:"status"`
	ReceivedAt    time.Time     `json:"received_at"`
	DueAt         time.Time     `json:"due_at,omitzero"`
	Ready         bool          `json:"ready"`
	Delivery      string        `json:"delivery,omitempty"`
	ReturnTicket  string        `json:"return_ticket,omitempty"`
	// TimeZone is the office's: the page shows the appointment in it.
	TimeZone string `json:"time_zone"`
	// Papers handed in, each "đã số hóa" or not; EResult: the result is
	// there as an electronic file too.
	Papers  []LookupPaper `json:"papers,omitempty"`
	EResult bool          `json:"e_result,omitempty"`
	// Fee is the amount due (đồng); Paid whether it is paid.
	Fee  int64 `json:"fee,omitempty"`
	Paid bool  `json:"paid,omitempty"`
}

// LookupOf is the dossier as its lookup shows it.
func LookupOf(d intake.Dossier, tz string) LookupAnswer {
	a := LookupAnswer{TimeZone: tz, Code: d.Code, ProcedureName: d.ProcedureName, Status: d.Status, ReceivedAt: d.ReceivedAt, DueAt: d.DueAt,
		Ready: d.Status == intake.Ready, Delivery: d.Delivery, ReturnTicket: d.ReturnTicket, EResult: d.Result != nil,
		Fee: d.Fee, Paid: d.Paid != nil}
	for _, doc := range d.Documents {
		if doc.Received {
			a.Papers = append(a.Papers, LookupPaper{Name: doc.Name, Digitised: doc.ScanState() != "", Exempt: doc.Exempt != ""})
		}
	}
	return a
}

// LookupPaper is one paper of a dossier as its lookup shows it: its name
// and whether it is digitised (scanned, or exempted by the Circular), never
// the file.
type LookupPaper struct {
	Name      string `json:"name"`
	Digitised bool   `json:"digitised"`
	Exempt    bool   `json:"exempt,omitempty"`
}

// ScanExemptRequest is the body of POST DossierExempt.
type ScanExemptRequest struct {
	Exemption intake.Exemption `json:"exemption"`
}

// PaymentView is a dossier's fee as the counter shows it: the amount due
// (đồng) and its parts, the VietQR payload to pay it (empty when the office
// names no account), whether it is paid and how.
type PaymentView struct {
	Amount  int64            `json:"amount"`
	Parts   []intake.FeePart `json:"parts,omitempty"`
	Payload string           `json:"payload,omitempty"`
	Account string           `json:"account,omitempty"` // the beneficiary as staff read it: bank BIN, account, name
	Paid    bool             `json:"paid"`
	Payment *intake.Payment  `json:"payment,omitempty"`
}

// PaymentRequest is the body of POST DossierPayment.
type PaymentRequest struct {
	Method    string `json:"method"` // cash, transfer
	Reference string `json:"reference,omitempty"`
}

// StatementAnswer is what a bank statement's import came to: the lines
// that paid a dossier's fee, those left for the clerk, the repeats.
type StatementAnswer = statement.Result
