// Package bolt keeps motcua's queue in one bbolt file and runs every command
// through the domain (internal/queue) in a single writer goroutine that commits
// whatever is queued in one transaction (group commit), replies only after the
// commit returned, and publishes the events after that.
//
// The bucket tree:
//
//	meta/
//	    version            -> "5" (the schema's version, migrate.go; Open migrates an older one, refuses a newer one)
//	    office             -> the office config in force (JSON; the latest of settings/)
//	    paperwork          -> "1": dossiers and the access log are on the chain
//	events/                   append-only log, FillPercent 1.0
//	    <seq uint64 BE>    -> sha256 chain hash (32 bytes) + the event's JSON
//	days/
//	    <YYYYMMDD>/
//	        tickets/
//	            <ticket id> -> ticketRecord
//	        summary        -> the closed day's queue.Report (JSON), stored at the
//	                          rollover or the first report after it; reports read it
//	        floor/
//	            <service id> -> the number the day's next ticket comes after
//	                            (uint64 BE; numbering.floor: printed, not on file)
//	        closed/
//	            <service id> -> why it issues no more tickets that day
//	                            (service.closed; service.opened deletes it)
//	        dossiers       -> the dossiers' day tallies: group ("" all, "c:"+clerk,
//	                          "p:"+procedure) -> intake.Flows, kept by the writer
//	        alerts/
//	            <cause key>  -> queue.Raised (alert.raised; alert.acknowledged
//	                            adds who saw to it): raised once a day
//	counters/
//	    <number uint64 BE> -> counterRecord
//	tokens/
//	    <public token>     -> "<YYYYMMDD> <ticket id>", to look up older tickets
//	sessions/
//	    <sha256(token)>    -> sessionRecord
//	dossiers/
//	    <dossier code>     -> intake.Dossier (JSON)
//	dossier_seq/
//	    <agency>-<YYMMDD>  -> last sequence number (uint64 BE)
//	settings/              the office's settings, one version per change
//	    <version uint64 BE> -> settingsRecord (JSON: version, time, by, office)
//	dossier_access/        append-only: who opened which dossier
//	    <event seq BE>     -> accessRecord (JSON), under its dossier.accessed event's seq
//	outbox/                the messages to citizens (outbox.go)
//	    <message id>       -> notify.Message ("t:<ticket id>/<kind>", "d:<code>/<kind>[/<seq>]")
//	outbox_pending/
//	    <message id>       -> "" while not sent or given up
//	contacts/
//	    <ticket id>        -> the phone given for its messages (erased after the retention)
//
// Who writes what: everything but sessions is written only by the single
// writer, in the transaction of the events that describe it: tickets, day
// summaries and floors, counters and tokens (queue events carry them whole);
// the settings (a settings.changed event carries the SHA-256 of the version
// it wrote and of the one before); dossiers (a dossier.changed event carries the SHA-256 of the record after the
// change, never its contents, so applicants' details stay erasable) and the
// access log (a dossier.accessed event per line); the messages to citizens
// and the phones given for them (message.changed and contact.changed carry
// the record's hash, never the phone). Verify checks the chain, then
// every dossier record and access-log line against it. Sessions (a token's hash
// and expiry) are written outside the writer, in a db.Update of their own.
//
// Every event is chained to the one before it: hash = sha256(previous event's
// hash + the event's JSON as stored); the first event's previous hash is 32 zero
// bytes. Changing, removing or reordering an event breaks
// the chain, which Verify reports.
package bolt

import (
	"encoding/binary"
	"time"

	"motcua/internal/queue"
)

// FileName is the database file inside the data directory.
const FileName = "motcua.db"

var (
	bMeta     = []byte("meta")
	bEvents   = []byte("events")
	bDays     = []byte("days")
	bTickets  = []byte("tickets")
	bCounters = []byte("counters")
	bTokens   = []byte("tokens")
	bSessions = []byte("sessions")
	bDossiers = []byte("dossiers")
	bDosSeq   = []byte("dossier_seq")
	bAccess   = []byte("dossier_access")
	bFloor    = []byte("floor")
	bClosed   = []byte("closed")
	bAlerts   = []byte("alerts")
	bSettings = []byte("settings")
	bBookings = []byte("bookings") // code -> queue.Booked; meta's kBookings is the province's last change held

	kVersion = []byte("version")
	kOffice  = []byte("office")
	// kPaperwork marks a store whose dossiers and access log are on the chain.
	kPaperwork = []byte("paperwork")
	kFacts     = []byte("facts") // the dossiers' facts are on the chain (chainFacts)
	kBookings  = []byte("bookings_change")
)

// hashLen is the size of the chain hash that starts every stored event.
const hashLen = 32

// ticketRecord is the stored form of a ticket. It converts to and from
// queue.Ticket (same fields), so the compiler keeps the two in step while the
// storage keys stay independent of the API's.
type ticketRecord struct {
	ID             string            `json:"id"`
	Day            string            `json:"d"`
	Number         int               `json:"n"`
	Display        string            `json:"dn"`
	ServiceID      string            `json:"s"`
	FirstServiceID string            `json:"fs"`
	Priority       string            `json:"p,omitempty"`
	Channel        queue.Channel     `json:"ch"`
	Token          string            `json:"tk"`
	State          queue.TicketState `json:"st"`
	Counter        int               `json:"c,omitempty"`
	Clerk          string            `json:"ck,omitempty"`
	Recalls        int               `json:"rc,omitempty"`
	Transfers      int               `json:"tr,omitempty"`
	Note           string            `json:"no,omitempty"`
	Reason         string            `json:"re,omitempty"`
	IssuedBy       string            `json:"by,omitempty"`
	Away           bool              `json:"aw,omitempty"`
	CheckIn        string            `json:"ci,omitempty"`
	IssuedAt       time.Time         `json:"ia"`
	QueuedAt       time.Time         `json:"qa"`
	CalledAt       time.Time         `json:"ca,omitzero"`
	ServingAt      time.Time         `json:"sa,omitzero"`
	DoneAt         time.Time         `json:"da,omitzero"`
	NoShowAt       time.Time         `json:"na,omitzero"`
	EndedAt        time.Time         `json:"ea,omitzero"`
	PassedAt       time.Time         `json:"pa,omitzero"`
	CheckedInAt    time.Time         `json:"cia,omitzero"`
	Slot           time.Time         `json:"sl,omitzero"`
	Rating         *queue.Rating     `json:"rt,omitempty"`
}

// counterRecord is the stored form of a counter.
type counterRecord struct {
	Number         int                `json:"n"`
	Name           string             `json:"name,omitempty"`
	Services       []string           `json:"s"`
	State          queue.CounterState `json:"st"`
	Clerk          string             `json:"ck,omitempty"`
	ClerkName      string             `json:"cn,omitempty"`
	Current        string             `json:"cur,omitempty"`
	PriorityStreak int                `json:"ps,omitempty"`
	Since          time.Time          `json:"since,omitzero"`
	RatingFor      string             `json:"rf,omitempty"`
	RatingNumber   string             `json:"rn,omitempty"`
	RatingUntil    time.Time          `json:"ru,omitzero"`
}

func u64(n uint64) []byte {
	b := make([]byte, 8)
	binary.BigEndian.PutUint64(b, n)
	return b
}
