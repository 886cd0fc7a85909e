package server

import (
	"net/http"
	"strings"
	"time"

	"motcua/internal/api"
	"motcua/internal/auth"
	"motcua/internal/console"
	"motcua/internal/notify"
	"motcua/internal/problem"
	"motcua/internal/queue"
	"motcua/internal/reply"
)

// Messages are the office's messages to citizens (the store's outbox,
// which internal/outbox fills and drains) and the phones given for
// tickets.
type Messages interface {
	GiveContact(ticketID, day, phone string) error
	Messages(prefix string) ([]notify.Message, error)
	console.Messages
}

// phoneWindow is how long after its issue a kiosk may add a phone to a
// ticket it printed.
const phoneWindow = 15 * time.Minute

// giveContact keeps phone for t's messages, when the office sends any.
func (s *Server) giveContact(t queue.Ticket, phone string) error {
	return s.q.GiveContact(t.ID, t.Day, phone)
}

// notifyPhone reads a phone given for messages: "" when none was; refused
// when the office sends no messages (the citizen must not believe one will
// come).
func (s *Server) notifyPhone(typed string) (string, error) {
	if strings.TrimSpace(typed) == "" {
		return "", nil
	}
	if !s.conf().office.Notify.On() {
		return "", problem.Errorf(problem.EConflict, "Văn phòng chưa gửi tin nhắn cho người dân", "this office sends no messages to citizens")
	}
	return notify.Phone(typed)
}

// handleTicketPhone is a phone given at the kiosk after the ticket printed:
// only by the kiosk that issued it, within phoneWindow, while it waits.
func (s *Server) handleTicketPhone(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	if p.Actor.Kind != queue.ActorDevice || p.Kind != DeviceKiosk {
		if p.Actor.Kind == "" {
			return auth.ErrNeedLogin
		}
		return auth.ErrNeedKiosk
	}
	var req api.PhoneRequest
	if err := reply.Decode(w, r, &req, false); err != nil {
		return err
	}
	phone, err := s.notifyPhone(req.Phone)
	if err != nil {
		return err
	}
	if phone == "" {
		return problem.Errorf(problem.EInvalid, "Chưa có số điện thoại", "no phone number given")
	}
	id := r.PathValue("id")
	var t queue.Ticket
	found := false
	for _, x := range s.q.Snapshot().Tickets {
		if x.ID == id {
			t, found = x, true
		}
	}
	if !found || t.IssuedBy != p.Actor.ID || s.now().Sub(t.IssuedAt) > phoneWindow || t.State != queue.Waiting {
		return problem.Errorf(problem.ENotFound, "Không thêm được số điện thoại cho phiếu này (chỉ ngay sau khi in, tại máy đã in)", "a phone can be added only to a waiting ticket this kiosk printed minutes ago")
	}
	if err := s.giveContact(t, phone); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// handleMessages answers the messages of a ticket or a dossier (staff).
func (s *Server) handleMessages(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	if !p.IsStaff() {
		if p.Actor.Kind == "" {
			return auth.ErrNeedLogin
		}
		return auth.ErrNeedStaff
	}
	q := r.URL.Query()
	var prefix string
	switch {
	case q.Get("ticket") != "":
		prefix = "t:" + q.Get("ticket") + "/"
	case q.Get("dossier") != "":
		prefix = "d:" + q.Get("dossier") + "/"
	default:
		return problem.Errorf(problem.EInvalid, "Cần ?ticket=… hoặc ?dossier=…", "?ticket=… or ?dossier=… is needed")
	}
	msgs, err := s.q.Messages(prefix)
	if err != nil {
		return err
	}
	out := make([]api.MessageView, 0, len(msgs))
	for _, m := range msgs {
		out = append(out, api.ViewMessage(m))
	}
	reply.JSON(w, http.StatusOK, out)
	return nil
}
