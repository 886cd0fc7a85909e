package api

import (
	"time"

	"motcua/internal/queue"
)

// IssueRequest is the body of POST Tickets.
type IssueRequest struct {
	ServiceID string `json:"service_id"`
	Priority  string `json:"priority,omitempty"`
	// Phone: the citizen wants the ticket's messages there ("your turn is
	// near", "called to counter N"); kept apart from the ticket, erased
	// after the office's retention.
	Phone string `json:"phone,omitempty"`
}

// PhoneRequest is the body of POST TicketPhone.
type PhoneRequest struct {
	Phone string `json:"phone"`
}

// CheckInRequest is the body of POST CheckIns: the remote ticket's code as
// typed or scanned (its digits count: "123 456" is 123456).
type CheckInRequest struct {
	Code string `json:"code"`
}

// TicketActionRequest is the optional body of TicketCancel and TicketRejoin.
type TicketActionRequest struct {
	Reason string `json:"reason,omitempty"`
}

// CounterRequest is the optional body of CounterAction: service_id and note
// for transfer, ticket_id and reason for call.
type CounterRequest struct {
	ServiceID string `json:"service_id,omitempty"`
	Note      string `json:"note,omitempty"`
	TicketID  string `json:"ticket_id,omitempty"`
	Reason    string `json:"reason,omitempty"`
}

// RatingRequest is the body of POST CounterRating, from the rating screen.
type RatingRequest struct {
	TicketID string   `json:"ticket_id"`
	Option   string   `json:"option"`
	Reasons  []string `json:"reasons,omitempty"`
}

// PrintedRequest is the body of POST DevicePrinted: the last number a kiosk
// printed for each service on Day (YYYYMMDD). A server restored from an older
// backup then never issues those numbers again.
type PrintedRequest struct {
	Day  string         `json:"day"`
	Last map[string]int `json:"last"`
}

// Service actions: the {action} of ServiceToday.
const (
	ActCloseToday = "close"
	ActOpenToday  = "open"
)

// ServiceTodayRequest is the body of POST ServiceToday: why the service
// closes (shown on the kiosks and phones; needed to close).
type ServiceTodayRequest struct {
	Reason string `json:"reason,omitempty"`
}

// DeviceStatusRequest is the body of POST DeviceStatus, a device's
// heartbeat: its printer's state — ok, none (it has no printer), or the
// trouble's code (printer_paper_out, printer_offline, printer_cover_open …).
type DeviceStatusRequest struct {
	Printer string `json:"printer,omitempty"`
}

// DeviceView is a device of the settings as the server last heard from it
// (GET AdminDevices): zero times when not since the server started.
type DeviceView struct {
	ID        string    `json:"id"`
	Kind      string    `json:"kind"`
	Counter   int       `json:"counter,omitempty"`
	LastSeen  time.Time `json:"last_seen"`
	Agent     string    `json:"agent,omitempty"`   // the program and version
	Online    bool      `json:"online"`            // follows the feed now
	Printer   string    `json:"printer,omitempty"` // ok, none, a trouble code; empty: not said
	PrinterAt time.Time `json:"printer_at"`
}

// AckRequest is the body of POST AdminAck: today's alert (its key) and
// what was done about it.
type AckRequest struct {
	Key  string `json:"key"`
	Note string `json:"note"`
}

// AlertRequest is the body of POST DeviceAlerts.
type AlertRequest struct {
	Code    string `json:"code"`
	Message string `json:"message,omitempty"`
}

// TicketView is a ticket with where it stands: what the kiosk prints, the
// counter shows and the citizen's page follows.
type TicketView struct {
	queue.Ticket
	ServiceName   string    `json:"service_name"`
	ServiceNameEN string    `json:"service_name_en,omitempty"`
	Counters      []int     `json:"counters"`
	Ahead         int       `json:"ahead"`
	ETAMinutes    int       `json:"eta_minutes"`
	RejoinUntil   time.Time `json:"rejoin_until,omitzero"`
}

// Health is the answer of GET Healthz.
type Health struct {
	Status string `json:"status"`
	// ClockSteps says whether the server's clock went backwards since it
	// started (see docs/CONFIG.md): numbering survives it; fix the clock.
	ClockSteps queue.ClockSteps `json:"clock_steps_back"`
	// StorageFullSince is when the disk filled up (Status "storage_full"):
	// every change is refused with 503 until there is room.
	StorageFullSince time.Time `json:"storage_full_since,omitzero"`
	// Role is "primary" (it takes writes) or "standby" (it follows
	// Primary; every write is answered 503 with the primary's address);
	// Epoch numbers the primaries the office has had (devices follow the
	// highest).
	Role    string `json:"role"`
	Epoch   uint64 `json:"epoch"`
	Pos     uint64 `json:"pos,omitempty"` // the last change its store holds (a standby's copy: the same numbering)
	Primary string `json:"primary,omitempty"`
	// Standby: on a primary, its standby (connected, in step); on a
	// standby, where its copy stands.
	Standby *StandbyHealth `json:"standby,omitempty"`
}

// StandbyHealth is the standby's part of /healthz.
type StandbyHealth struct {
	Connected bool   `json:"connected"`
	InStep    bool   `json:"in_step"`
	Pos       uint64 `json:"pos,omitempty"` // the last change its copy holds (on a primary: acknowledged)
	Seq       uint64 `json:"seq,omitempty"` // its last event
	LastError string `json:"last_error,omitempty"`
	// URL (on a primary): where devices reach its standby — a device that
	// knows only the primary's address learns the second from it.
	URL string `json:"url,omitempty"`
}

// The epoch's headers: every answer says its server's epoch; a device
// says the highest it has seen and where that primary is; a standby, or a
// primary replaced by one of a higher epoch (fenced), says where the
// primary is.
const (
	EpochHeader   = "X-Motcua-Epoch"
	PrimaryHeader = "X-Motcua-Primary"
	FencedHeader  = "X-Motcua-Fenced"
)

// Role of a server in /healthz.
const (
	RolePrimary = "primary"
	RoleStandby = "standby"
	RoleFenced  = "fenced" // a primary replaced by one of a higher epoch: it takes no writes
)
