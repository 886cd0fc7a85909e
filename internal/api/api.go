// Package api is motcua's wire: every request and response body, the error
// body, the feed's frames and the paths, declared once and used by both
// internal/server and internal/client, so that a key renamed on one side fails
// to compile on the other (docs/API.md describes them for people). It imports
// only the standard library and the domain packages.
package api

import (
	"fmt"
	"net/url"
	"strings"

	"motcua/internal/calendar"
)

// Paths. A path with {names} is a net/http pattern: the server registers it
// after its method ("POST " + TicketCancel) and clients fill it with Path.
const (
	Healthz       = "/healthz"
	Services      = "/api/v1/services"
	ServiceToday  = "/api/v1/services/{id}/{action}" // close, open: for the rest of today
	Procedures    = "/api/v1/procedures"
	Hours         = "/api/v1/hours" // the working hours the office keeps (its calendar's), to post
	Announce      = "/api/v1/announce.wav"
	Tickets       = "/api/v1/tickets"
	TicketByToken = "/api/v1/tickets/{token}"
	TicketCancel  = "/api/v1/tickets/{id}/cancel"
	TicketRejoin  = "/api/v1/tickets/{id}/rejoin"
	// TicketPhone: the phone a citizen gives at the kiosk after the ticket
	// printed, for its messages (the kiosk that issued it, within minutes).
	TicketPhone = "/api/v1/tickets/{id}/phone"
	// Messages: the messages to citizens of ?ticket=ID or ?dossier=CODE (staff).
	Messages = "/api/v1/messages"
	// CheckIns: a remote ticket's citizen at a kiosk, with its code.
	CheckIns      = "/api/v1/checkins"
	DeviceAlerts  = "/api/v1/devices/alerts"
	DevicePrinted = "/api/v1/devices/printed"
	DeviceStatus  = "/api/v1/devices/status"
	Login         = "/api/v1/login"
	Logout        = "/api/v1/logout"
	Me            = "/api/v1/me"
	CounterAction = "/api/v1/counters/{n}/{action}"
	CounterRating = "/api/v1/counters/{n}/rating"
	State         = "/api/v1/state"
	AdminBackup   = "/api/v1/admin/backup"
	AdminReport   = "/api/v1/admin/report"
	AdminSettings = "/api/v1/admin/settings"
	AdminDevices  = "/api/v1/admin/devices"
	AdminAlerts   = "/api/v1/admin/alerts"
	AdminLive     = "/api/v1/admin/live"
	AdminExport   = "/api/v1/admin/export"
	// Statement: POST a bank statement (CSV): its credits matched to the
	// dossiers whose fee they pay.
	Statement       = "/api/v1/payments/statement"
	AdminAck        = "/api/v1/admin/alerts/ack"
	Pairing         = "/api/v1/pairing"
	Paired          = "/api/v1/pairing/{token}"
	AccessLog       = "/api/v1/admin/access-log"
	Dossiers        = "/api/v1/dossiers"
	Dossier         = "/api/v1/dossiers/{code}"
	DossierForm     = "/api/v1/dossiers/{code}/{form}"
	DossierStatus   = "/api/v1/dossiers/{code}/status"
	DossierApolog   = "/api/v1/dossiers/{code}/apology"
	DossierHandover = "/api/v1/dossiers/{code}/handover"
	// DossierPayment: GET the fee and its VietQR; POST a payment recorded.
	DossierPayment = "/api/v1/dossiers/{code}/payment"
	// A paper's scan (PUT, the PDF as the body; n counts from 1), its
	// exemption (POST), the electronic result (PUT), a stored file (GET).
	DossierScan   = "/api/v1/dossiers/{code}/documents/{n}/scan"
	DossierExempt = "/api/v1/dossiers/{code}/documents/{n}/exempt"
	DossierResult = "/api/v1/dossiers/{code}/result"
	DossierFile   = "/api/v1/dossiers/{code}/scans/{sha}"
	// HeaderScanSource says where an uploaded scan came from: "scanner" or
	// "folder".
	HeaderScanSource = "X-Scan-Source"
	Register         = "/api/v1/register.pdf"
	Lookup           = "/api/v1/lookup"
	LookupTicket     = "/api/v1/lookup/ticket"
	Feed             = "/ws"

	// Pages for browsers.
	PageStatic = "/static/"
	PageBoard  = "/board"
	PageTicket = "/t/{token}" // the ticket's QR
	PageLookup = "/tra-cuu"   // the receipt's QR, with ?ma=CODE&pin=PIN
	PagePublic = "/cong-khai" // the office's results, for anyone
)

// Counter actions: the {action} of CounterAction.
const (
	ActNext     = "next"
	ActCall     = "call"
	ActRecall   = "recall"
	ActStart    = "start"
	ActNoShow   = "no-show"
	ActFinish   = "finish"
	ActTransfer = "transfer"
	ActPause    = "pause"
	ActResume   = "resume"
	ActOpen     = "open"
	ActClose    = "close"
)

// Path fills pattern's {names}, in order, with values (path-escaped).
// It panics when the counts differ: a programming error, found by any test.
func Path(pattern string, values ...any) string {
	var b strings.Builder
	rest, i := pattern, 0
	for {
		open := strings.IndexByte(rest, '{')
		if open < 0 {
			b.WriteString(rest)
			break
		}
		end := strings.IndexByte(rest[open:], '}')
		if i >= len(values) {
			panic(fmt.Sprintf("api.Path(%q): %d values for more names", pattern, len(values)))
		}
		b.WriteString(rest[:open])
		b.WriteString(url.PathEscape(fmt.Sprint(values[i])))
		rest, i = rest[open+end+1:], i+1
	}
	if i != len(values) {
		panic(fmt.Sprintf("api.Path(%q): %d values for %d names", pattern, len(values), i))
	}
	return b.String()
}

// HoursAnswer is the working hours the office keeps — its calendar's, which
// its due dates count — for a board or a page to post, never typed twice:
// the sessions of a weekday and of a Saturday (none: not a working day),
// and the same in words ("7:30–11:30, 13:30–17:30").
type HoursAnswer struct {
	Weekday  []calendar.Session `json:"weekday"`
	Saturday []calendar.Session `json:"saturday,omitempty"`
	Text     string             `json:"text"`
	// AnyHour: some service issues tickets at any hour (neither its own
	// hours nor the office's are set; the demo office).
	AnyHour bool `json:"any_hour,omitempty"`
}
