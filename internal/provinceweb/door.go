package provinceweb

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"motcua/internal/api"
	"motcua/internal/door"
	"motcua/internal/notify"
	"motcua/internal/problem"
	"motcua/internal/province"
	"motcua/internal/queue"
	"motcua/internal/reply"
)

// The citizens' door (docs/PROVINCE.md): a citizen takes an office's
// number from a phone here; the request goes to the office over its
// uplink (internal/door) and the office numbers the ticket. The phone
// number stays here, as a keyed hash only, for one number per phone per
// office per day; the office never sees it.

const (
	answerWait = 8 * time.Second // how long a citizen's request waits for the office
	statusWait = 3 * time.Second // … a status page for the ticket's place
	pollWait   = 25 * time.Second
)

func (s *Server) hub() *door.Hub {
	s.guardOnce.Do(s.makeLimits)
	return s.door
}

// uplinkRequests is an office asking for its citizens' requests.
func (s *Server) uplinkRequests(w http.ResponseWriter, r *http.Request) {
	office, ok := s.uplinkOffice(w, r)
	if !ok {
		return
	}
	s.poll(w, r, office)
}

// poll answers the office's requests waiting, or the first to come within
// ?wait= seconds (at most 29; 25 when not said), or 204.
func (s *Server) poll(w http.ResponseWriter, r *http.Request, office string) {
	wait := pollWait
	if n, err := strconv.Atoi(r.URL.Query().Get("wait")); err == nil && n >= 0 && n < 30 {
		wait = time.Duration(n) * time.Second
	}
	reqs := s.hub().Poll(r.Context(), office, wait)
	if len(reqs) == 0 {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	writeJSON(w, http.StatusOK, reqs)
}

// uplinkAnswers is an office's answers to them; with ?wait= it is also the
// office's next poll (one exchange a request, not two).
func (s *Server) uplinkAnswers(w http.ResponseWriter, r *http.Request) {
	office, ok := s.uplinkOffice(w, r)
	if !ok {
		return
	}
	var answers []api.DoorAnswer
	if !decodeJSON(w, r, 1<<20, &answers, "Câu trả lời", "the answers") {
		return
	}
	s.hub().Answer(office, answers)
	if r.URL.Query().Has("wait") {
		s.poll(w, r, office)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// takeRemote is a citizen's request for a number: the limits (per address,
// one a day per phone and office), then the office's own answer.
func (s *Server) takeRemote(ctx context.Context, addr string, req api.RemoteTicketRequest, verified bool) (api.RemoteTicketAnswer, error) {
	if wait := s.publicStrikes().Locked(addr); wait > 0 {
		return api.RemoteTicketAnswer{}, problem.Errorf(problem.ETooMany, "Quá nhiều yêu cầu từ địa chỉ này; xin thử lại sau %d phút",
			"too many requests from this address; please try again in %d minutes", int(wait.Minutes())+1)
	}
	s.publicStrikes().Fail(addr) // every request counts: the door's rate per address
	phone, err := notify.Phone(req.Phone)
	if err != nil {
		return api.RemoteTicketAnswer{}, err
	}
	offices, err := province.Offices(ctx, s.Pool, []string{strings.TrimSpace(req.Office)})
	if err != nil {
		return api.RemoteTicketAnswer{}, err
	}
	if len(offices) != 1 {
		return api.RemoteTicketAnswer{}, problem.Errorf(problem.ENotFound, "Không có văn phòng %q", "no office %q", req.Office)
	}
	o := offices[0]
	loc, err := o.Profile.WithDefaults().Location()
	if err != nil {
		loc = time.UTC
	}
	now := s.now()
	day := queue.DayOf(now, loc)
	mac, err := province.PhoneMAC(ctx, s.Pool, phone)
	if err != nil {
		return api.RemoteTicketAnswer{}, err
	}
	if taken, err := province.PhoneTaken(ctx, s.Pool, o.ID, day, mac); err != nil || taken {
		if err == nil {
			err = province.ErrPhoneTaken
		}
		return api.RemoteTicketAnswer{}, err
	}
	if n := o.Profile.Notify; n.VerifyPhone && !verified {
		return api.RemoteTicketAnswer{}, s.askCode(ctx, o.ID, phone, n.CodeMinutes(), waitingCode{addr: addr, remote: &req})
	}
	ask, cancel := context.WithTimeout(ctx, answerWait)
	defer cancel()
	dr := api.DoorRequest{Kind: api.DoorRemoteTicket, ServiceID: req.ServiceID}
	if req.Notify {
		dr.Phone = phone
	}
	a, err := s.hub().Ask(ask, o.ID, dr)
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return api.RemoteTicketAnswer{}, door.ErrAway
	case err != nil:
		return api.RemoteTicketAnswer{}, err
	case a.Error != nil:
		return api.RemoteTicketAnswer{}, a.Error.Problem()
	case a.Ticket == nil || a.Status != http.StatusCreated:
		return api.RemoteTicketAnswer{}, problem.Errorf(problem.EInternal, "Văn phòng trả lời không rõ", "the office's answer does not read")
	}
	t := a.Ticket
	rec := province.Remote{Token: t.Token, Office: o.ID, Day: day, Service: t.ServiceID, Number: t.Number, Display: t.Display, CheckIn: t.CheckIn, Created: now}
	if err := province.RecordRemote(ctx, s.Pool, rec, mac, s.remoteRetention()); err != nil {
		return api.RemoteTicketAnswer{}, err // the office's ticket lapses unclaimed
	}
	return api.RemoteTicketAnswer{Code: t.CheckIn, Number: t.Number, Display: t.Display, StatusURL: "/so/" + t.Token}, nil
}

func (s *Server) remoteRetention() time.Duration {
	if s.RemoteRetention > 0 {
		return s.RemoteRetention
	}
	return 48 * time.Hour
}

// publicRemoteTicket is the door's JSON: POST api.PublicRemoteTickets.
func (s *Server) publicRemoteTicket(w http.ResponseWriter, r *http.Request) {
	var req api.RemoteTicketRequest
	if !decodeJSON(w, r, 4096, &req, "Yêu cầu", "the request") {
		return
	}
	a, err := s.takeRemote(r.Context(), s.clientAddr(r), req, false)
	if sent, ok := errors.AsType[codeSent](err); ok {
		writeJSON(w, http.StatusAccepted, sent.VerifyAnswer)
		return
	}
	if err != nil {
		s.doorError(w, err)
		return
	}
	writeJSON(w, http.StatusCreated, a)
}

// doorError answers a refusal with its status and both languages; what is
// not the citizen's to read goes to the log only.
func (s *Server) doorError(w http.ResponseWriter, err error) {
	e := problem.As(err)
	if e.Code == problem.EInternal {
		slog.Error("door", "err", err)
		e = problem.As(problem.Errorf(problem.EInternal, "Chưa lấy được số; xin thử lại sau", "no number could be taken; please try again later"))
	}
	uplinkError(w, reply.Status(e.Code), e)
}
