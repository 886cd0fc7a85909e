package api

import (
	"encoding/json"
	"time"

	"motcua/internal/notify"
	"motcua/internal/queue"
)

// The uplink: an office ships its chained events to the province's service
// (motcua-province serve), authenticated by the office's key
// (Authorization: Bearer KEY); the key names the office at the province.

// Uplink's paths at the province's service.
const (
	UplinkEvents = "/uplink/v1/events" // POST an UplinkBatch; the answer is an UplinkAnswer
	UplinkCursor = "/uplink/v1/cursor" // GET: an UplinkAnswer, where to ship from
	// UplinkMessages: POST a ZNSRequest, the province sends it with its
	// Zalo OA (once per id): a ZNSAnswer.
	UplinkMessages = "/uplink/v1/messages"
)

// ZNSRequest is an office's message for the province to send by ZNS: its
// id (the province sends an id once), kind (the province's approved
// template for it) and the template's parameters. The phone is in it
// because the message must reach it; the province keeps it no longer
// than the sending.
type ZNSRequest struct {
	ID     string            `json:"id"`
	Kind   notify.Kind       `json:"kind"`
	Phone  string            `json:"phone"`
	Params map[string]string `json:"params"`
}

// ZNSAnswer is what came of it (notify.Outcome on the wire).
type ZNSAnswer struct {
	Sent       bool   `json:"sent,omitempty"`
	Permanent  bool   `json:"permanent,omitempty"`
	Limited    bool   `json:"limited,omitempty"`
	RetryAfter int    `json:"retry_after,omitempty"` // seconds
	Answer     string `json:"answer"`
}

// Outcome is the answer as the office's outbox takes it.
func (a ZNSAnswer) Outcome() notify.Outcome {
	return notify.Outcome{Sent: a.Sent, Permanent: a.Permanent, Limited: a.Limited, RetryAfter: time.Duration(a.RetryAfter) * time.Second, Answer: a.Answer}
}

// AnswerOf is an outcome on the wire.
func AnswerOf(o notify.Outcome) ZNSAnswer {
	return ZNSAnswer{Sent: o.Sent, Permanent: o.Permanent, Limited: o.Limited, RetryAfter: int(o.RetryAfter / time.Second), Answer: o.Answer}
}

// UplinkBatch is a batch of an office's events, in seq order; no events is
// a sign of life. Office, when given, must be the key's office (a claim of
// another is refused); Profile is the office's settings (queue.Office),
// sent when their version changed.
type UplinkBatch struct {
	Office  string          `json:"office,omitempty"`
	Profile json.RawMessage `json:"profile,omitempty"`
	Events  []UplinkEvent   `json:"events"`
}

// UplinkEvent is one chained event as the office's store holds it: its seq,
// chain hash, and its JSON byte for byte (the hash covers it).
type UplinkEvent struct {
	Seq  uint64 `json:"seq"`
	Hash []byte `json:"hash"`
	Raw  []byte `json:"raw"`
}

// UplinkAnswer is the province's word: the key's office and how far it
// holds the office's events without a gap.
type UplinkAnswer struct {
	Office string `json:"office"`
	Folded uint64 `json:"folded"`
}

// The citizens' door (docs/PROVINCE.md): a citizen outside asks the
// province for a number; the province hands the request to the office over
// the office's own outbound uplink — the office asks for requests (a long
// poll) and answers them — so that the office opens no port to the
// internet and stays the one that numbers its tickets.
const (
	// UplinkRequests: GET, waits up to ?wait= seconds (at most 30) for the
	// citizens' requests to the key's office: 200 with []DoorRequest, or 204.
	UplinkRequests = "/uplink/v1/requests"
	// UplinkAnswers: POST []DoorAnswer, the office's answers; with ?wait=
	// it answers as UplinkRequests does, the office's next poll.
	UplinkAnswers = "/uplink/v1/answers"
)

// Kinds of a DoorRequest.
const (
	DoorRemoteTicket = "remote_ticket" // issue a remote ticket of ServiceID
	DoorTicketStatus = "ticket_status" // where the remote ticket of Token stands
	// DoorTell: send Tell to Phone through the office's outbox (a phone's
	// one-time code, a booking's confirmation): 202 when it is queued.
	DoorTell = "tell"
)

// Tell is a message the province asks an office to send: its kind (only
// notify.Code and notify.Booked are taken) and the wording's parameters.
type Tell struct {
	Kind   notify.Kind       `json:"kind"`
	Params map[string]string `json:"params"`
}

// DoorRequest is one citizen's request as the office receives it: never
// their phone number (the province keeps that for its own rules).
type DoorRequest struct {
	ID        string `json:"id"`
	Kind      string `json:"kind"`
	ServiceID string `json:"service_id,omitempty"`
	Token     string `json:"token,omitempty"`
	// Phone is given to the office only when its citizen asked for the
	// number's messages (RemoteTicketRequest.Notify), or to send a Tell.
	Phone string `json:"phone,omitempty"`
	Tell  *Tell  `json:"tell,omitempty"`
}

// DoorAnswer is the office's answer to one request: its HTTP status, and
// the ticket (2xx) or the office's refusal in its own words.
type DoorAnswer struct {
	ID     string        `json:"id"`
	Status int           `json:"status"`
	Ticket *RemoteTicket `json:"ticket,omitempty"`
	Error  *ErrorBody    `json:"error,omitempty"`
}

// RemoteTicket is a remote ticket as its citizen follows it from outside:
// the number, the check-in code for the kiosk, where it stands.
type RemoteTicket struct {
	Office      string            `json:"office"` // the office's name
	Number      int               `json:"number"`
	Display     string            `json:"display"`
	ServiceID   string            `json:"service_id"`
	ServiceName string            `json:"service_name"`
	Token       string            `json:"token"`
	CheckIn     string            `json:"check_in"`
	State       queue.TicketState `json:"state"`
	Away        bool              `json:"away"`
	Passed      bool              `json:"passed,omitempty"` // its turn came while away: it keeps its place until LapsesAt
	LapsesAt    time.Time         `json:"lapses_at,omitzero"`
	Ahead       int               `json:"ahead"`
	ETAMinutes  int               `json:"eta_minutes"`
	Counter     int               `json:"counter,omitempty"` // called to
}

// PublicRemoteTickets is the province's public door for a remote ticket:
// POST a RemoteTicketRequest, 201 with a RemoteTicketAnswer.
const PublicRemoteTickets = "/api/v1/public/remote-tickets"

// RemoteTicketRequest is a citizen's request for a number from afar.
type RemoteTicketRequest struct {
	Office    string `json:"office"`
	ServiceID string `json:"service_id"`
	Phone     string `json:"phone"`
	// Notify: the citizen wants the number's messages ("near", "called")
	// at Phone; only then does the phone go to the office.
	Notify bool `json:"notify,omitempty"`
}

// RemoteTicketAnswer is the number given: its check-in code for the kiosk,
// and the page that follows it.
type RemoteTicketAnswer struct {
	Code      string `json:"code"`
	Number    int    `json:"number"`
	Display   string `json:"display"`
	StatusURL string `json:"status_url"`
}

// Bookings (đặt lịch hẹn) at the province's service.
const (
	// PublicSlots: GET ?service_id=…&date=YYYY-MM-DD, the free slots
	// ([]FreeSlot) of an office's service on a day.
	PublicSlots = "/api/v1/public/offices/{id}/slots"
	// PublicBookings: POST a BookingRequest, 201 with a BookingAnswer.
	PublicBookings = "/api/v1/public/bookings"
	// UplinkBookings: GET ?after=N (an office's key), the office's bookings
	// changed after N, in order (UplinkBookingsAnswer).
	UplinkBookings = "/uplink/v1/bookings"
)

// FreeSlot is a slot with room: its start in the office's time
// (YYYY-MM-DDTHH:MM) and how many more it takes.
type FreeSlot struct {
	Slot string `json:"slot"`
	Free int    `json:"free"`
}

// BookingRequest is a citizen's booking of a slot.
type BookingRequest struct {
	Office    string `json:"office"`
	ServiceID string `json:"service_id"`
	Slot      string `json:"slot"` // YYYY-MM-DDTHH:MM, the office's time
	Phone     string `json:"phone"`
	// Notify: the citizen wants the booking's confirmation at Phone (sent
	// by the office, when it sends messages).
	Notify bool `json:"notify,omitempty"`
}

// Phone verification (an office's notify.verify_phone): a remote ticket
// or booking asked of such an office is answered 202 with a
// VerifyAnswer, and its one-time code is sent to the phone; POST a
// VerifyRequest to the Verify path within the code's minutes, and the
// request is carried out: 201 with its RemoteTicketAnswer or
// BookingAnswer. Five wrong codes end it.
const PublicVerifications = "/api/v1/public/verifications/{id}"

// VerifyAnswer is a request waiting for its phone's code.
type VerifyAnswer struct {
	Verify  string `json:"verify"` // where to POST the code
	Page    string `json:"page"`   // the page that asks for it
	Phone   string `json:"phone"`  // the phone, masked (091****678)
	Minutes int    `json:"minutes"`
}

// VerifyRequest is the code the phone received.
type VerifyRequest struct {
	Code string `json:"code"`
}

// BookingAnswer is the booking taken: its code for the kiosk and its page
// (to see or cancel it).
type BookingAnswer struct {
	Code      string `json:"code"`
	StatusURL string `json:"status_url"`
}

// UplinkBookingsAnswer is a batch of an office's booking changes and the
// last change it holds.
type UplinkBookingsAnswer struct {
	Bookings []queue.Booked `json:"bookings"`
	Last     int64          `json:"last"`
}
