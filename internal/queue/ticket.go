package queue

import (
	"fmt"
	"time"
)

// TicketState is where a ticket is in its life (docs/ARCHITECTURE.md).
type TicketState string

// Ticket states. A recall keeps the state "called" and counts; a transfer puts the
// ticket back to "waiting" in another service.
const (
	Waiting   TicketState = "waiting"
	Called    TicketState = "called"
	Serving   TicketState = "serving"
	Done      TicketState = "done"
	NoShow    TicketState = "no_show"
	Cancelled TicketState = "cancelled"
	// Expired: still waiting (or at a counter) when the day ended.
	Expired TicketState = "expired"
	// Lapsed: a remote ticket whose citizen had not checked in by the
	// office's limit after its turn came (Rules.RemoteLapseMinutes).
	Lapsed TicketState = "lapsed"
)

// Channel says how a ticket was issued.
type Channel string

// Channels a ticket can come from.
const (
	ChannelKiosk       Channel = "kiosk"
	ChannelCounter     Channel = "counter"
	ChannelAppointment Channel = "appointment"
	// ChannelRemote: taken from a phone through the province ("lấy số từ
	// xa"), away until its citizen checks in at a kiosk.
	ChannelRemote Channel = "remote"
)

// Ticket is one citizen's place in a queue. It holds no personal data: the public
// Token is the only way to follow it from outside.
type Ticket struct {
	ID        string `json:"id"`
	Day       string `json:"day"`
	Number    int    `json:"number"`
	Display   string `json:"display"`
	ServiceID string `json:"service_id"`
	// FirstServiceID is the service the ticket was issued for (it differs after a transfer).
	FirstServiceID string      `json:"first_service_id"`
	Priority       string      `json:"priority,omitempty"`
	Channel        Channel     `json:"channel"`
	Token          string      `json:"token,omitempty"`
	State          TicketState `json:"state"`
	Counter        int         `json:"counter,omitempty"`
	Clerk          string      `json:"clerk,omitempty"`
	Recalls        int         `json:"recalls,omitempty"`
	Transfers      int         `json:"transfers,omitempty"`
	Note           string      `json:"note,omitempty"`
	Reason         string      `json:"reason,omitempty"`
	IssuedBy       string      `json:"issued_by,omitempty"`
	// Away: a remote ticket whose citizen has not checked in yet. It holds
	// its place (from IssuedAt) but is never called: when its turn comes it
	// is passed over (PassedAt), and lapses RemoteLapseMinutes later.
	Away bool `json:"away,omitempty"`
	// CheckIn is the short code its citizen types or scans at a kiosk; staff
	// and the citizen see it, a board never.
	CheckIn string `json:"check_in,omitempty"`

	IssuedAt  time.Time `json:"issued_at"`
	QueuedAt  time.Time `json:"queued_at"` // entered its current queue (issue, transfer, rejoin)
	CalledAt  time.Time `json:"called_at,omitzero"`
	ServingAt time.Time `json:"serving_at,omitzero"`
	DoneAt    time.Time `json:"done_at,omitzero"`
	NoShowAt  time.Time `json:"no_show_at,omitzero"`
	EndedAt   time.Time `json:"ended_at,omitzero"` // cancelled, expired or lapsed
	// PassedAt: its turn came while it was away; CheckedInAt: its citizen
	// arrived (a remote ticket).
	PassedAt    time.Time `json:"passed_at,omitzero"`
	CheckedInAt time.Time `json:"checked_in_at,omitzero"`
	// Slot: a booked ticket's appointment. From it on the ticket goes ahead
	// of walk-ins as priority tickets do (the call rule, pick.go), its place
	// among them its slot; before it, it waits as any ticket.
	Slot time.Time `json:"slot,omitzero"`

	Rating *Rating `json:"rating,omitempty"` // the citizen's rating, once finished
}

// TicketID is the permanent id of a ticket: unique because numbers are unique per
// service per day.
func TicketID(day, serviceID string, number int) string {
	return fmt.Sprintf("%s-%s-%d", day, serviceID, number)
}

// Public returns the ticket without what a waiting room or a phone must not see:
// the token, the clerk's notes and reasons, who issued it, which priority class.
func (t Ticket) Public() Ticket {
	t.Token, t.Note, t.Reason, t.IssuedBy, t.CheckIn = "", "", "", "", ""
	if t.Priority != "" {
		// Which priority class (elderly, disabled, pregnant …) says something
		// of the person holding a number in the waiting room: the public view
		// says only that the ticket goes ahead, which is all a page orders by.
		t.Priority = PublicPriority
	}
	return t
}

// PublicPriority is a priority ticket's class on the public view.
const PublicPriority = "priority"

// Waited is how long the ticket has waited in its current queue at now.
func (t Ticket) Waited(now time.Time) time.Duration {
	if t.State != Waiting {
		return 0
	}
	return now.Sub(t.QueuedAt)
}

// active reports whether the ticket is at a counter right now.
func (t Ticket) active() bool { return t.State == Called || t.State == Serving }
