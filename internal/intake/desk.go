package intake

import (
	"slices"
	"strings"
	"time"

	"motcua/internal/calendar"
	"motcua/internal/catalogue"
	"motcua/internal/notify"
)

// Desk applies the rules of receiving a dossier at a one-stop desk: what the
// procedure asks for, which of the three outcomes the request can have, and the
// return date from the working calendar. The HTTP handlers only decode, call
// it, store and encode.
type Desk struct {
	// Agency is the office's agency code; a procedure with its own agency wins.
	Agency   string
	Calendar *calendar.Calendar
}

// Clerk is who receives the dossier.
type Clerk struct{ ID, Name string }

// Receive builds the dossier of req for proc, received now (in the office's
// time zone: the dossier code carries the office's date), and decides its
// outcome: received (every required paper handed in; a lookup PIN and a due
// date), incomplete (Mẫu 02 lists what is missing, once) or refused (Mẫu 03).
func (k Desk) Receive(proc catalogue.Procedure, req Request, by Clerk, now time.Time) (Dossier, error) {
	if req.Counter < 0 || req.Counter > 999 {
		return Dossier{}, errorf("Số quầy %d không hợp lệ", "counter %d is not valid", req.Counter)
	}
	d := Dossier{Agency: k.Agency, Procedure: proc.Code, ProcedureName: proc.Name, Service: proc.Service,
		ProcessingAmount: proc.Processing.Amount, ProcessingUnit: proc.Processing.Unit, ProcessingCutOff: proc.Processing.CutOff,
		Applicant: req.Applicant, Sets: req.Sets, Delivery: req.Delivery, Reason: strings.TrimSpace(req.Reason),
		Clerk: by.ID, ClerkName: by.Name, Counter: req.Counter, TicketID: req.TicketID, ReceivedAt: now}
	if proc.Agency != "" {
		d.Agency = proc.Agency
	}
	if req.Notify {
		phone, err := notify.Phone(req.Applicant.Phone)
		if err != nil {
			return Dossier{}, err
		}
		d.Applicant.Phone, d.Notify = phone, true
	}
	for _, doc := range proc.Documents {
		d.Documents = append(d.Documents, Document{Name: doc.Name, Quantity: doc.Quantity, Kind: doc.Kind, Optional: doc.Optional,
			Received: slices.Contains(req.Received, doc.Name)})
	}
	missing := MissingOnce(d.Documents, req.Missing)
	switch req.Outcome {
	case "receive":
		if len(missing) > 0 {
			return d, errorf("Hồ sơ còn thiếu: %s — hãy lập phiếu yêu cầu bổ sung (Mẫu 02)", "the dossier lacks: %s — issue Mẫu 02 instead", strings.Join(missing, "; "))
		}
		due, err := k.due(now, d)
		if err != nil {
			return d, err
		}
		d.Status, d.LookupPIN, d.DueAt = Received, NewPIN(), due
		d.Fee, d.FeeParts = feeOf(proc)
	case "incomplete":
		d.Status, d.Missing = Incomplete, missing
	case "refuse":
		d.Status = Refused
	case "online_filed":
		d.Status, d.PortalCode = OnlineFiled, strings.TrimSpace(req.PortalCode)
	case "online_not_filed":
		d.Status = OnlineNotFiled
	default:
		return d, errorf("outcome phải là receive, incomplete, refuse, online_filed hoặc online_not_filed", "outcome must be receive, incomplete, refuse, online_filed or online_not_filed")
	}
	if err := d.Check(); err != nil {
		return d, err
	}
	d.History = []Change{{At: now, By: by.ID, To: d.Status, Note: d.Reason}}
	return d, nil
}

// Move moves d along its status flow; a dossier received again after a
// supplement starts its clock again from now.
func (k Desk) Move(d *Dossier, to Status, now time.Time, by, note string) error {
	if err := d.Move(to, now, by, strings.TrimSpace(note)); err != nil {
		return err
	}
	if to == Received {
		due, err := k.due(now, *d)
		if err != nil {
			return err
		}
		d.DueAt = due
	}
	return nil
}

// IntakeForm is the file name of the form the intake printed: Mẫu 01 for a
// received dossier, 02 for an incomplete one, 03 for a refusal.
func (d Dossier) IntakeForm() string {
	switch d.Status {
	case Incomplete:
		return "mau-02.pdf"
	case Refused:
		return "mau-03.pdf"
	case OnlineFiled, OnlineNotFiled:
		return "" // a help session prints nothing
	}
	return "mau-01.pdf"
}

// due is the appointment of d received at now: counted from now, or from
// the next working day when its procedure has a cut-off now is past.
func (k Desk) due(now time.Time, d Dossier) (time.Time, error) {
	from, err := k.Calendar.Counted(now, d.ProcessingCutOff)
	if err != nil {
		return from, err
	}
	return k.Calendar.Due(from, d.ProcessingAmount, d.ProcessingUnit)
}
