// Package intake is the dossier (hồ sơ) a clerk receives at the counter: its
// code, applicant, documents, appointment, status flow (received → processing
// → ready → returned; supplement requested, refused, withdrawn), the apology
// (Mẫu 04) at most once, and early / on-time / late classing. Standard library
// only; the store keeps dossiers, the server computes appointments with
// internal/calendar.
package intake

import (
	"crypto/rand"
	"fmt"
	"math/big"
	"regexp"
	"strings"
	"time"

	"motcua/internal/problem"
)

// Status is where a dossier is.
type Status string

// Dossier statuses.
const (
	Incomplete Status = "incomplete"           // not received: Mẫu 02 lists what is missing
	Refused    Status = "refused"              // Mẫu 03, with the reason
	Received   Status = "received"             // Mẫu 01, with the appointment
	Processing Status = "processing"           // with the deciding agency
	Supplement Status = "supplement_requested" // more papers needed: the clock stops
	Ready      Status = "ready"                // the result waits at the desk
	Returned   Status = "returned"             // handed back
	Withdrawn  Status = "withdrawn"            // stopped at the applicant's request (Mẫu 05)
	Stopped    Status = "stopped"              // stopped by law, with the reason (Mẫu 05)
	// A help session at the desk that helps citizens file online (Directive
	// 24/CT-TTg): filed on the national portal (its dossier code kept), or
	// not, and why. No paper is taken; no form is printed.
	OnlineFiled    Status = "online_filed"
	OnlineNotFiled Status = "online_not_filed"
)

// Statuses are every status a dossier can have (what a page that shows one
// must say in words).
var Statuses = []Status{Incomplete, Refused, Received, Processing, Supplement, Ready, Returned, Withdrawn, Stopped}

// Stops tells whether the status ends a dossier's processing before a
// result (dừng giải quyết, Mẫu 05 of the 2025 set): withdrawn by the
// applicant or stopped by law. Both leave the open stock; the reports count
// them together.
func (s Status) Stops() bool { return s == Withdrawn || s == Stopped }

// next lists the allowed status changes.
var next = map[Status][]Status{
	Received:   {Processing, Supplement, Ready, Refused, Withdrawn, Stopped},
	Processing: {Supplement, Ready, Refused, Withdrawn, Stopped},
	Supplement: {Received, Withdrawn, Stopped}, // received again: the clock restarts
	Ready:      {Returned},
}

// Applicant is who files the dossier. Personal data: the ID number is shown
// masked everywhere but the intake screen, and all of it is erased after the
// retention period.
type Applicant struct {
	Name      string `json:"name"`
	Phone     string `json:"phone,omitempty"`
	Address   string `json:"address,omitempty"`
	IDNumber  string `json:"id_number,omitempty"`
	BirthDate string `json:"birth_date,omitempty"` // dd/mm/yyyy
	Sex       string `json:"sex,omitempty"`
}

// Document is one paper of the dossier and whether it was handed in.
type Document struct {
	Name     string `json:"name"`
	Quantity int    `json:"quantity"`
	Kind     string `json:"kind,omitempty"`
	Optional bool   `json:"optional,omitempty"`
	Received bool   `json:"received"`
	// Scan is the paper's electronic copy, or Exempt why it has none
	// (scan.go).
	Scan   *Scan     `json:"scan,omitempty"`
	Exempt Exemption `json:"exempt,omitempty"`
}

// Change is one step of the dossier's history.
type Change struct {
	At   time.Time `json:"at"`
	By   string    `json:"by"`
	From Status    `json:"from,omitempty"`
	To   Status    `json:"to"`
	Note string    `json:"note,omitempty"`
}

// Apology is the Mẫu 04 letter: the result will be late, with a new date.
type Apology struct {
	At     time.Time `json:"at"`
	NewDue time.Time `json:"new_due"`
	Reason string    `json:"reason"`
	By     string    `json:"by"`
}

// Dossier is one filing.
type Dossier struct {
	Code   string `json:"code"` // <agency>-YYMMDD-NNNN
	Agency string `json:"agency"`
	Seq    int    `json:"seq"`

	Procedure     string `json:"procedure"` // catalogue code
	ProcedureName string `json:"procedure_name"`
	Service       string `json:"service"`
	// ProcessingAmount and ProcessingUnit are the procedure's deadline.
	ProcessingAmount int    `json:"processing_amount"`
	ProcessingUnit   string `json:"processing_unit"`
	// ProcessingCutOff is the procedure's cut-off (catalogue.Duration.CutOff).
	ProcessingCutOff string `json:"processing_cut_off,omitempty"`

	Applicant Applicant `json:"applicant"`
	// Notify: the applicant agreed to messages about the dossier at
	// Applicant.Phone (erased with the applicant's details).
	Notify bool `json:"notify,omitempty"`
	// PortalCode is the national portal's code of a dossier filed online
	// with the help desk's help (OnlineFiled).
	PortalCode string `json:"portal_code,omitempty"`
	// Fee is the amount due (đồng), from the procedure's fees at intake;
	// FeeParts its parts; Paid how it was paid (payment.go).
	Fee       int64      `json:"fee,omitempty"`
	FeeParts  []FeePart  `json:"fee_parts,omitempty"`
	Paid      *Payment   `json:"paid,omitempty"`
	Documents []Document `json:"documents"`
	Sets      int        `json:"sets"`
	Delivery  string     `json:"delivery"` // "desk" or "post"
	Missing   []string   `json:"missing,omitempty"`
	Reason    string     `json:"reason,omitempty"`

	Clerk     string `json:"clerk"`
	ClerkName string `json:"clerk_name"`
	Counter   int    `json:"counter,omitempty"`
	TicketID  string `json:"ticket_id,omitempty"`
	LookupPIN string `json:"lookup_pin,omitempty"`

	Status       Status    `json:"status"`
	ReceivedAt   time.Time `json:"received_at"`
	DueAt        time.Time `json:"due_at,omitzero"`
	ReadyAt      time.Time `json:"ready_at,omitzero"`
	ReturnedAt   time.Time `json:"returned_at,omitzero"`
	Apology      *Apology  `json:"apology,omitempty"`
	ReturnTicket string    `json:"return_ticket,omitempty"`
	// Handovers are the papers' passages between the desk, the deciding
	// department and signing, as the clerks record them (Mẫu 06).
	Handovers []Handover `json:"handovers,omitempty"`
	// Result is the electronic result, when one is attached.
	Result  *Scan    `json:"result_scan,omitempty"`
	History []Change `json:"history"`
	Erased  bool     `json:"erased,omitempty"` // personal data erased after retention
}

// Code is the dossier code for a sequence number on a day, the number
// written with width digits (the office's setting: 4 to 7).
func Code(agency string, day time.Time, seq, width int) string {
	return fmt.Sprintf("%s-%s-%0*d", agency, day.Format("060102"), width, seq)
}

var agencyPattern = regexp.MustCompile(`^[A-Z0-9][A-Z0-9.]{0,19}$`)

// ValidAgency reports whether an agency code can start dossier codes.
func ValidAgency(a string) bool { return agencyPattern.MatchString(a) }

// NewPIN is a random 6-digit lookup PIN printed on the receipt (receipts of
// earlier versions carry 4 digits; they keep working).
func NewPIN() string {
	n, err := rand.Int(rand.Reader, big.NewInt(1000000))
	if err != nil {
		panic(err) // the system's randomness is gone: nothing safe to do
	}
	return fmt.Sprintf("%06d", n.Int64())
}

// errorf is a bilingual error that is the request's fault.
var portalCode = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._/-]{0,39}$`)

func errorf(vi, en string, args ...any) error { return problem.Invalidf(vi, en, args...) }

func conflictf(vi, en string, args ...any) error {
	return problem.Errorf(problem.EConflict, vi, en, args...)
}

// Check validates a new intake before it is stored.
func (d Dossier) Check() error {
	switch {
	case strings.TrimSpace(d.Applicant.Name) == "":
		return errorf("Thiếu họ tên người nộp", "the applicant's name is missing")
	case d.Status == Received && d.Sets < 1:
		return errorf("Số bộ hồ sơ phải từ 1", "at least one set of papers")
	case d.Status == Received && d.Delivery != "desk" && d.Delivery != "post":
		return errorf("Nơi nhận kết quả: tại bộ phận một cửa (desk) hoặc qua bưu điện (post)", "delivery is desk or post")
	case d.Status == Incomplete && len(d.Missing) == 0:
		return errorf("Hồ sơ chưa đủ cần liệt kê giấy tờ còn thiếu", "an incomplete dossier lists what is missing")
	case d.Status == Refused && len([]rune(strings.TrimSpace(d.Reason))) < 5:
		return errorf("Từ chối tiếp nhận cần ghi rõ lý do", "a refusal needs its reason")
	case d.Status == OnlineFiled && !portalCode.MatchString(d.PortalCode):
		return errorf("Cần mã hồ sơ trên Cổng dịch vụ công (chữ không dấu, số, . - _ /, tối đa 40)", "the national portal's dossier code is needed (ASCII letters, digits, . - _ /, at most 40)")
	case d.Status == OnlineNotFiled && len([]rune(strings.TrimSpace(d.Reason))) < 5:
		return errorf("Chưa nộp được trực tuyến: cần ghi rõ lý do", "not filed online: the reason is needed")
	case d.Status != Received && d.Status != Incomplete && d.Status != Refused && d.Status != OnlineFiled && d.Status != OnlineNotFiled:
		return errorf("Kết quả tiếp nhận %q không hợp lệ", "intake outcome %q is invalid", d.Status)
	}
	if id := d.Applicant.IDNumber; id != "" && !regexp.MustCompile(`^[0-9]{9}$|^[0-9]{12}$`).MatchString(id) {
		return errorf("Số CMND/CCCD phải có 9 hoặc 12 chữ số", "the ID number has 9 or 12 digits")
	}
	return nil
}

// MissingOnce is the list of missing documents, each once, in order.
func MissingOnce(docs []Document, extra []string) []string {
	var out []string
	seen := map[string]bool{}
	add := func(s string) {
		s = strings.TrimSpace(s)
		if k := strings.ToLower(s); s != "" && !seen[k] {
			seen[k] = true
			out = append(out, s)
		}
	}
	for _, d := range docs {
		if !d.Received && !d.Optional {
			add(d.Name)
		}
	}
	for _, s := range extra {
		add(s)
	}
	return out
}

// Move changes the status, keeping the history. Supplement → received restarts
// the clock: the caller sets the new due date.
func (d *Dossier) Move(to Status, at time.Time, by, note string) error {
	allowed := false
	for _, s := range next[d.Status] {
		allowed = allowed || s == to
	}
	if !allowed {
		return errorf("Không chuyển được hồ sơ từ %q sang %q", "a dossier cannot go from %q to %q", d.Status, to)
	}
	if (to == Refused || to == Supplement || to == Stopped) && len([]rune(strings.TrimSpace(note))) < 5 {
		return errorf("Cần ghi rõ lý do", "a reason is needed")
	}
	d.History = append(d.History, Change{At: at, By: by, From: d.Status, To: to, Note: note})
	d.Status = to
	switch to {
	case Ready:
		d.ReadyAt = at
	case Returned:
		d.ReturnedAt = at
	case Received:
		d.ReceivedAt = at
	}
	return nil
}

// Apologise records the Mẫu 04 apology with a new date, at most once, before
// the result is ready.
func (d *Dossier) Apologise(at, newDue time.Time, by, reason string) error {
	switch {
	case d.Apology != nil:
		return errorf("Hồ sơ này đã có thư xin lỗi (chỉ một lần)", "this dossier already has its apology (once only)")
	case d.Status != Received && d.Status != Processing:
		return errorf("Chỉ xin lỗi, hẹn lại khi hồ sơ đang giải quyết", "an apology is only for a dossier being processed")
	case !newDue.After(d.DueAt):
		return errorf("Ngày hẹn mới phải sau ngày hẹn cũ", "the new date must be after the old one")
	case len([]rune(strings.TrimSpace(reason))) < 5:
		return errorf("Cần ghi rõ lý do chậm", "the reason for the delay is needed")
	}
	d.Apology = &Apology{At: at, NewDue: newDue, Reason: reason, By: by}
	d.History = append(d.History, Change{At: at, By: by, From: d.Status, To: d.Status, Note: "Mẫu 04: " + reason})
	d.DueAt = newDue
	return nil
}

// Timeliness classes a dossier by DOMAIN.md: the day the result was ready
// against the appointment day (same day = on time). Not ready yet: late once the
// appointment has passed, else "".
func (d Dossier) Timeliness(now time.Time, loc *time.Location) string {
	if d.DueAt.IsZero() {
		return ""
	}
	day := func(t time.Time) string { return t.In(loc).Format("2006-01-02") }
	done := d.ReadyAt
	if done.IsZero() {
		if d.Status == Received || d.Status == Processing {
			if day(now) > day(d.DueAt) {
				return "late"
			}
		}
		return ""
	}
	switch {
	case day(done) < day(d.DueAt):
		return "early"
	case day(done) == day(d.DueAt):
		return "on_time"
	}
	return "late"
}

// MaskID hides all but the first 3 and last 3 digits of an ID number.
func MaskID(id string) string {
	if len(id) <= 6 {
		return strings.Repeat("*", len(id))
	}
	return id[:3] + strings.Repeat("*", len(id)-6) + id[len(id)-3:]
}

// Masked is the dossier as everyone but the intake screen sees it.
func (d Dossier) Masked() Dossier {
	d.Applicant.IDNumber = MaskID(d.Applicant.IDNumber)
	return d
}

// Erase removes the applicant's personal data and keeps what statistics need.
func (d *Dossier) Erase() {
	d.Applicant = Applicant{Name: "(đã xoá theo thời hạn lưu trữ)"}
	d.LookupPIN = ""
	d.eraseScans()
	d.Erased = true
}

// Handover is one passage of a dossier's papers (Mẫu 06, the control slip):
// who gave them, who received them — a unit and a person, as the clerk
// writes them —, when, and what came of the step.
type Handover struct {
	At     time.Time `json:"at"`
	From   string    `json:"from"`
	To     string    `json:"to"`
	Result string    `json:"result,omitempty"`
	By     string    `json:"by"` // the clerk who recorded it
}

// RecordHandover adds h to the control slip of a dossier being processed
// (received, processing, waiting for a supplement, or its result at the
// desk to hand back).
func (d *Dossier) RecordHandover(h Handover) error {
	switch d.Status {
	case Received, Processing, Supplement, Ready:
	default:
		return errorf("Hồ sơ %s không đang được giải quyết (trạng thái %s): không ghi giao nhận được", "dossier %s is not being processed (status %s): no handover to record", d.Code, d.Status)
	}
	h.From, h.To, h.Result = strings.TrimSpace(h.From), strings.TrimSpace(h.To), strings.TrimSpace(h.Result)
	if h.From == "" || h.To == "" {
		return errorf("Ghi rõ bên giao và bên nhận", "say who gave and who received")
	}
	if len([]rune(h.From)) > 200 || len([]rune(h.To)) > 200 || len([]rune(h.Result)) > 500 {
		return errorf("Bên giao, bên nhận (tối đa 200 ký tự) hoặc kết quả (500) quá dài", "the giver, the receiver (200 characters at most) or the result (500) is too long")
	}
	d.Handovers = append(d.Handovers, h)
	return nil
}
