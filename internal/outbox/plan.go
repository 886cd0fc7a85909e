package outbox

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"motcua/internal/api"
	"motcua/internal/intake"
	"motcua/internal/notify"
	"motcua/internal/queue"
)

// Lookup is what planning reads besides the event: the phone given for a
// ticket, a dossier, the tickets waiting now with their place.
type Lookup interface {
	Contact(ticketID string) string
	Dossier(code string) (intake.Dossier, bool, error)
	Snapshot() queue.Snapshot
	Position(t queue.Ticket) (ahead, eta int)
	Devices() []queue.Device
}

// plan is the messages one event calls for under the office's settings.
// Each has the id of what it tells (the ticket or dossier, the kind, the
// event's seq where a kind may come again), so planning an event twice
// queues nothing new.
func plan(ev queue.Event, o queue.Office, look Lookup, province string, now time.Time, loc *time.Location) []notify.Message {
	s := o.Notify
	if !s.On() {
		return nil
	}
	var out []notify.Message
	add := func(id string, k notify.Kind, phone string, params map[string]string) {
		if phone == "" || !s.Sends(k) {
			return
		}
		params["office"] = o.Name
		out = append(out, notify.New(id, k, phone, params, s, now, loc))
	}
	if t := ev.Ticket; t != nil {
		ticket := func(k notify.Kind, params map[string]string) {
			params["number"] = t.Display
			add("t:"+t.ID+"/"+string(k), k, look.Contact(t.ID), params)
		}
		switch ev.Type {
		case queue.EvCalled:
			ticket(notify.Called, map[string]string{"counter": strconv.Itoa(t.Counter)})
			near(o, look, add)
		case queue.EvPassed:
			ticket(notify.Passed, map[string]string{"minutes": strconv.Itoa(o.WithDefaults().Rules.RemoteLapseMinutes)})
		case queue.EvLapsed:
			ticket(notify.Lapsed, map[string]string{})
		case queue.EvDone:
			if !ratedAt(look.Devices(), t.Counter) {
				ticket(notify.RateLink, map[string]string{"link": ticketLink(o, t)})
			}
		}
		return out
	}
	if m := ev.Message; m != nil && ev.Type == queue.EvContact && m.State == "given" {
		// A number taken from a phone, its citizen asking for its
		// messages: confirmed once its phone is kept.
		for _, t := range look.Snapshot().Tickets {
			if t.ID == m.ID && t.Channel == queue.ChannelRemote {
				add("t:"+t.ID+"/"+string(notify.Confirmed), notify.Confirmed, look.Contact(t.ID), map[string]string{
					"number": t.Display, "service": serviceName(o, t.ServiceID), "code": t.CheckIn, "link": remoteLink(province, t)})
			}
		}
		return out
	}
	if d := ev.Dossier; d != nil && ev.Type == queue.EvDossier && d.Code != "" {
		k, again := dossierKind(d)
		if k == "" {
			return nil
		}
		dos, ok, err := look.Dossier(d.Code)
		if err != nil || !ok || !dos.Notify || dos.Applicant.Phone == "" {
			return nil
		}
		id := "d:" + d.Code + "/" + string(k)
		if again {
			id += "/" + strconv.FormatUint(ev.Seq, 10)
		}
		params := map[string]string{"code": dos.Code, "link": lookupLink(o, dos)}
		switch k {
		case notify.Received, notify.Delayed:
			params["due"] = day(dos.DueAt, loc)
			if dos.Apology != nil {
				params["reason"] = dos.Apology.Reason
			}
		case notify.Supplement:
			params["missing"] = strings.Join(dos.Missing, "; ")
		case notify.Ready:
			params["place"] = o.Name
		case notify.Returned:
			params["date"] = day(dos.ReturnedAt, loc)
		}
		add(id, k, dos.Applicant.Phone, params)
	}
	return out
}

// near is "your turn is near" for every waiting ticket with a phone that
// is now within the office's thresholds (each told once: its id).
func near(o queue.Office, look Lookup, add func(string, notify.Kind, string, map[string]string)) {
	for _, t := range look.Snapshot().Tickets {
		if t.State != queue.Waiting || t.Away {
			continue
		}
		phone := look.Contact(t.ID)
		if phone == "" {
			continue
		}
		ahead, eta := look.Position(t)
		if ahead <= o.Notify.Ahead() || eta <= o.Notify.Minutes() {
			add("t:"+t.ID+"/"+string(notify.Near), notify.Near, phone, map[string]string{
				"number": t.Display, "ahead": strconv.Itoa(ahead), "minutes": strconv.Itoa(max(eta, 1))})
		}
	}
}

// dossierKind is the kind a dossier's change tells, and whether it may
// come again for the same dossier (a second supplement, a second apology).
func dossierKind(d *queue.DossierMark) (notify.Kind, bool) {
	status := ""
	if d.Facts != nil {
		status = d.Facts.Status
	}
	switch {
	case d.Action == string(intake.Received) && status == string(intake.Received):
		return notify.Received, false
	case d.Action == "status "+string(intake.Supplement):
		return notify.Supplement, true
	case d.Action == "apology":
		return notify.Delayed, true
	case d.Action == "status "+string(intake.Ready):
		return notify.Ready, false
	case d.Action == "handover" || d.Action == "status "+string(intake.Returned):
		return notify.Returned, false
	}
	return "", false
}

func serviceName(o queue.Office, id string) string {
	for _, s := range o.Services {
		if s.ID == id {
			return s.Name
		}
	}
	return id
}

// ratedAt says whether a counter has a rating screen paired to it.
func ratedAt(devices []queue.Device, counter int) bool {
	for _, d := range devices {
		if d.Kind == queue.DeviceRating && d.Counter == counter {
			return true
		}
	}
	return false
}

func ticketLink(o queue.Office, t *queue.Ticket) string {
	if o.PublicURL == "" || t.Token == "" {
		return ""
	}
	return strings.TrimRight(o.PublicURL, "/") + api.Path(api.PageTicket, t.Token)
}

// remoteLink is a remote number's page at the province (its citizen is
// outside the office's network).
func remoteLink(province string, t queue.Ticket) string {
	if province == "" || t.Token == "" {
		return ""
	}
	return strings.TrimRight(province, "/") + "/so/" + t.Token
}

func lookupLink(o queue.Office, d intake.Dossier) string {
	if o.PublicURL == "" {
		return ""
	}
	return fmt.Sprintf("%s%s?ma=%s&pin=%s", strings.TrimRight(o.PublicURL, "/"), api.PageLookup, d.Code, d.LookupPIN)
}

func day(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return ""
	}
	return t.In(loc).Format("02/01/2006")
}
