package queue

import "time"

// EventType names a change. Clients switch on it.
type EventType string

// Event types. Every event carries the ticket and/or counter as they are after it.
const (
	EvIssued        EventType = "ticket.issued"
	EvCalled        EventType = "ticket.called"
	EvRecalled      EventType = "ticket.recalled"
	EvServing       EventType = "ticket.serving"
	EvNoShow        EventType = "ticket.no_show"
	EvRejoined      EventType = "ticket.rejoined"
	EvTransferred   EventType = "ticket.transferred"
	EvDone          EventType = "ticket.done"
	EvCancelled     EventType = "ticket.cancelled"
	EvExpired       EventType = "ticket.expired"    // the day ended while it waited
	EvRated         EventType = "ticket.rated"      // a rating, or "no rating" when the time ran out
	EvCheckedIn     EventType = "ticket.checked_in" // a remote ticket's citizen arrived (a kiosk)
	EvPassed        EventType = "ticket.passed"     // a remote ticket's turn came while it was away
	EvLapsed        EventType = "ticket.lapsed"     // … and its citizen did not come in time
	EvBooking       EventType = "booking.changed"   // a booking came from the province, was cancelled there, or checked in
	EvCounter       EventType = "counter.changed"
	EvDayStarted    EventType = "day.started"
	EvDevice        EventType = "device.alert"       // a device reports trouble (printer out of paper, …)
	EvFloor         EventType = "numbering.floor"    // numbering goes on above numbers printed but not on file (after a restore)
	EvDossier       EventType = "dossier.changed"    // a dossier was received, moved, apologised for, linked or erased
	EvAccess        EventType = "dossier.accessed"   // someone opened or printed a dossier (the access log)
	EvSettings      EventType = "settings.changed"   // the office's settings changed (the console, import-config)
	EvServiceClosed EventType = "service.closed"     // a service issues no more tickets today (Closure says why)
	EvServiceOpened EventType = "service.opened"     // a service closed today issues again
	EvAlert         EventType = "alert.raised"       // something needs the desk head's look (Raised says what)
	EvAlertAck      EventType = "alert.acknowledged" // a supervisor saw to it, with a note
	EvMessage       EventType = "message.changed"    // a message to a citizen queued, tried, sent, given up or erased
	EvContact       EventType = "contact.changed"    // a phone given for a ticket's messages, or erased
)

// ActorKind says who did something.
type ActorKind string

// Actor kinds.
const (
	ActorClerk  ActorKind = "clerk"
	ActorAdmin  ActorKind = "admin"
	ActorDevice ActorKind = "device"
	ActorSystem ActorKind = "system"
	// ActorProvince: a citizen's request from outside, brought by the
	// province over the office's uplink (a remote ticket).
	ActorProvince ActorKind = "province"
)

// Actor is who caused an event: a clerk's username or a device id.
type Actor struct {
	Kind ActorKind `json:"kind"`
	ID   string    `json:"id"`
	Name string    `json:"name,omitempty"`
}

// Event is one change, as stored in the event log and sent on the feed. Seq, Prev
// and Hash are set by the store when the event is committed.
type Event struct {
	Seq     uint64    `json:"seq"`
	Type    EventType `json:"type"`
	Time    time.Time `json:"time"`
	Actor   Actor     `json:"actor"`
	Ticket  *Ticket   `json:"ticket,omitempty"`
	Counter *Counter  `json:"counter,omitempty"`
	// Day is set on day.started.
	Day string `json:"day,omitempty"`
	// Alert is set on device.alert.
	Alert *Alert `json:"alert,omitempty"`
	// Floors is set on numbering.floor: per service, the number the next
	// ticket of Day comes after.
	Floors map[string]int `json:"floors,omitempty"`
	// Dossier is set on dossier.changed and dossier.accessed.
	Dossier *DossierMark `json:"dossier,omitempty"`
	// Raised is set on alert.raised and alert.acknowledged.
	Raised *Raised `json:"raised,omitempty"`
	// Closure is set on service.closed and service.opened.
	Closure *Closure `json:"closure,omitempty"`
	// Settings is set on settings.changed.
	Settings *SettingsMark `json:"settings,omitempty"`
	// Booking is set on booking.changed.
	Booking *Booked `json:"booking,omitempty"`
	// Message is set on message.changed and contact.changed.
	Message *MessageMark `json:"message,omitempty"`
	Prev    string       `json:"prev,omitempty"`
	Hash    string       `json:"hash,omitempty"`
}

// Public returns the event as a waiting-room board or a phone may see it.
func (e Event) Public() Event {
	if e.Ticket != nil {
		t := e.Ticket.Public()
		e.Ticket = &t
	}
	// A device's alert is for staff: its text (up to 500 characters, from any
	// device key) never reaches the public feed. The event itself stays, so
	// the public feed's seq has no gap.
	e.Alert, e.Dossier, e.Settings, e.Raised, e.Booking, e.Message = nil, nil, nil, nil, nil, nil
	e.Prev, e.Hash = "", ""
	return e
}

// Alert is a device's report of trouble, for the supervisors.
type Alert struct {
	Code    string `json:"code"`    // e.g. printer_paper_out, printer_offline, printer_ok
	Message string `json:"message"` // what the device said, in Vietnamese
}

// SettingsMark is a change of the office's settings on the event chain: the
// version it made, the SHA-256 of the stored document before and after (any
// edit of a stored version breaks the chain's check), and what changed, field
// by field, before → after; and the office's profile in force afterwards
// (its name, services, counters, rating scale, zone — no user, key or
// secret), from which the province lays out and re-derives its reports.
type SettingsMark struct {
	Version uint64   `json:"version"`
	Before  string   `json:"before,omitempty"` // hex SHA-256 of the previous version's document; empty for the first
	After   string   `json:"after"`            // hex SHA-256 of this version's document
	Changes []string `json:"changes"`          // e.g. services[1].name: "Hộ tịch" → "Hộ tịch – Chứng thực"
	Office  *Office  `json:"office,omitempty"` // absent on the events of a store before schema 5
}

// MessageMark is a message to a citizen on the event chain (or the phone
// a citizen gave for a ticket's messages): which message, its kind, its
// state and channel, and the SHA-256 of its stored record afterwards —
// never the phone or the text, so they stay erasable and never reach the
// province in the events it is shipped.
type MessageMark struct {
	ID      string `json:"id"`
	Kind    string `json:"kind"`  // a notify kind; "contact" for a phone given at the kiosk
	State   string `json:"state"` // queued, sending, sent, failed, erased; given for a contact
	Channel string `json:"channel,omitempty"`
	Record  string `json:"record,omitempty"` // hex SHA-256 of the stored record after the change
}

// DossierMark is a dossier's change or access on the event chain: which
// dossier, what happened, and for a change the SHA-256 of its stored record
// afterwards — never its contents, so the applicant's details stay erasable
// while any edit of the record breaks the chain's check.
type DossierMark struct {
	Code   string `json:"code,omitempty"`   // empty for an access to many (the register)
	Action string `json:"action"`           // received, status processing, apology, return ticket, erased; view, print mau-01, register …
	Record string `json:"record,omitempty"` // hex SHA-256 of the stored record after a change
	// Facts are the record's figures after a change (none on an access).
	Facts *DossierFacts `json:"facts,omitempty"`
}

// DossierFacts are what a dossier's figures are made of, without a word
// about its applicant: the procedure, who received it, its dates and the
// steps of its status. They ride on each dossier.changed event, so the
// province counts dossiers from the event log alone (docs/PROVINCE.md); no
// name, ID number, phone, address, note or reason is among them.
type DossierFacts struct {
	Procedure  string      `json:"procedure"`
	Service    string      `json:"service,omitempty"`
	Clerk      string      `json:"clerk,omitempty"` // username
	Counter    int         `json:"counter,omitempty"`
	Status     string      `json:"status"`
	Delivery   string      `json:"delivery,omitempty"`
	ReceivedAt time.Time   `json:"received_at"`
	DueAt      time.Time   `json:"due_at,omitzero"`
	ReadyAt    time.Time   `json:"ready_at,omitzero"`
	ReturnedAt time.Time   `json:"returned_at,omitzero"`
	ApologyAt  time.Time   `json:"apology_at,omitzero"` // Mẫu 04 (DueAt is then the new day)
	Steps      []FactsStep `json:"steps,omitempty"`
	// Digitised: every paper handed in scanned or exempted; EResult: an
	// electronic result attached (the digitisation figures).
	Digitised bool `json:"digitised,omitempty"`
	EResult   bool `json:"e_result,omitempty"`
	// Fee is the amount due (đồng); Paid how it was paid (cash,
	// transfer) and when — no payer, no reference.
	Fee    int64     `json:"fee,omitempty"`
	Paid   string    `json:"paid,omitempty"`
	PaidAt time.Time `json:"paid_at,omitzero"`
}

// FactsStep is one step of a dossier's status, when it was taken.
type FactsStep struct {
	At time.Time `json:"at"`
	To string    `json:"to"`
}
