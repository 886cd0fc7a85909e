package provinceweb

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"strings"
	"sync"
	"time"

	"motcua/internal/api"
	"motcua/internal/door"
	"motcua/internal/notify"
	"motcua/internal/problem"
	"motcua/internal/reply"
)

// Phone verification: an office whose settings say notify.verify_phone
// takes a number or a booking from afar only once its citizen has typed
// the one-time code sent to the phone given — so nobody books with a
// stranger's phone, nor holds slots with made-up ones. The request waits
// here, in memory, for the code's minutes (a restart of the province's
// service drops the few waiting: their citizens ask again); the code goes
// by the office's own outbox (Zalo through us, or its modem), asked over
// its uplink. The code is kept as a hash; five wrong ones end the request;
// a phone gets at most codesPerHour codes an hour.

const (
	codeTries     = 5
	codesPerHour  = 3
	maxWaiting    = 20000 // requests waiting for a code, all offices
	verifyAskWait = 5 * time.Second
)

// waitingCode is a request held until its phone's code comes back.
type waitingCode struct {
	addr    string
	masked  string // the phone as the page shows it (091****678)
	remote  *api.RemoteTicketRequest
	booking *api.BookingRequest
	hash    [32]byte
	tries   int
	expires time.Time
}

type codes struct {
	mu      sync.Mutex
	waiting map[string]*waitingCode
	sent    map[string][]time.Time // a phone's codes in the last hour
}

// phone is the masked phone of the request id waiting for its code.
func (c *codes) phone(id string) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if x, ok := c.waiting[id]; ok {
		return x.masked, true
	}
	return "", false
}

// codeSent is the answer "type the code": a request waiting (202).
type codeSent struct{ api.VerifyAnswer }

func (c codeSent) Error() string { return "the phone's one-time code was sent" }

func (s *Server) codes() *codes {
	s.codesOnce.Do(func() { s.codeBook = &codes{waiting: map[string]*waitingCode{}, sent: map[string][]time.Time{}} })
	return s.codeBook
}

// askCode holds a request whose office verifies phones and has the office
// send the code: the answer is a codeSent (or why not).
func (s *Server) askCode(ctx context.Context, office, phone string, minutes int, w waitingCode) error {
	now := s.now()
	c := s.codes()
	c.mu.Lock()
	for id, x := range c.waiting {
		if now.After(x.expires) {
			delete(c.waiting, id)
		}
	}
	recent := c.sent[phone][:0]
	for _, t := range c.sent[phone] {
		if now.Sub(t) < time.Hour {
			recent = append(recent, t)
		}
	}
	c.sent[phone] = recent
	switch {
	case len(recent) >= codesPerHour:
		c.mu.Unlock()
		return problem.Errorf(problem.ETooMany, "Số điện thoại này đã nhận %d mã trong một giờ; xin thử lại sau", "this phone has had %d codes in an hour; please try again later", codesPerHour)
	case len(c.waiting) >= maxWaiting:
		c.mu.Unlock()
		return problem.Errorf(problem.ETooMany, "Đang có quá nhiều yêu cầu chờ mã; xin thử lại sau ít phút", "too many requests are waiting for their codes; please try again in a few minutes")
	}
	c.sent[phone] = append(recent, now)
	c.mu.Unlock()
	n, err := rand.Int(rand.Reader, big.NewInt(1_000_000))
	if err != nil {
		return err
	}
	code := fmt.Sprintf("%06d", n.Int64())
	var raw [16]byte
	rand.Read(raw[:])
	id := hex.EncodeToString(raw[:])
	w.hash, w.masked = sha256.Sum256([]byte(id+code)), notify.Masked(phone)
	w.expires = now.Add(time.Duration(minutes) * time.Minute)
	ask, cancel := context.WithTimeout(ctx, verifyAskWait)
	defer cancel()
	a, err := s.hub().Ask(ask, office, api.DoorRequest{Kind: api.DoorTell, Phone: phone,
		Tell: &api.Tell{Kind: notify.Code, Params: map[string]string{"otp": code, "minutes": fmt.Sprint(minutes)}}})
	if err = doorRefusal(a, err, http.StatusAccepted); err != nil {
		return err
	}
	c.mu.Lock()
	c.waiting[id] = &w
	c.mu.Unlock()
	return codeSent{api.VerifyAnswer{Verify: strings.Replace(api.PublicVerifications, "{id}", id, 1), Page: "/xac-nhan/" + id,
		Phone: notify.Masked(phone), Minutes: minutes}}
}

// doorRefusal is an office's answer as an error: nil when it is the
// status wanted.
func doorRefusal(a api.DoorAnswer, err error, want int) error {
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return door.ErrAway
	case err != nil:
		return err
	case a.Error != nil:
		return a.Error.Problem()
	case a.Status != want:
		return problem.Errorf(problem.EInternal, "Văn phòng trả lời không rõ", "the office's answer does not read")
	}
	return nil
}

// confirmCode checks a code typed for the request id and, when it is
// right, carries the request out: its answer (api.RemoteTicketAnswer or
// api.BookingAnswer).
func (s *Server) confirmCode(ctx context.Context, addr, id, code string) (any, error) {
	c := s.codes()
	c.mu.Lock()
	w, ok := c.waiting[id]
	if ok && s.now().After(w.expires) {
		delete(c.waiting, id)
		ok = false
	}
	if !ok {
		c.mu.Unlock()
		return nil, problem.Errorf(problem.ENotFound, "Mã đã hết hạn hoặc không có yêu cầu này; xin làm lại từ đầu", "the code has expired or there is no such request; please start again")
	}
	typed := sha256.Sum256([]byte(id + strings.Join(strings.Fields(code), "")))
	if subtle.ConstantTimeCompare(typed[:], w.hash[:]) != 1 {
		w.tries++
		left := codeTries - w.tries
		if left <= 0 {
			delete(c.waiting, id)
		}
		c.mu.Unlock()
		if left <= 0 {
			return nil, problem.Errorf(problem.ETooMany, "Nhập sai mã %d lần; yêu cầu đã huỷ, xin làm lại từ đầu", "the code was wrong %d times; the request is cancelled, please start again", codeTries)
		}
		return nil, problem.Errorf(problem.EInvalid, "Mã không đúng; còn %d lần thử", "wrong code; %d tries left", left)
	}
	delete(c.waiting, id)
	c.mu.Unlock()
	if w.remote != nil {
		a, err := s.takeRemote(ctx, addr, *w.remote, true)
		return a, err
	}
	a, err := s.book(ctx, addr, *w.booking, true)
	return a, err
}

// publicVerify is POST api.PublicVerifications.
func (s *Server) publicVerify(w http.ResponseWriter, r *http.Request) {
	var req api.VerifyRequest
	if !decodeJSON(w, r, 1024, &req, "Mã", "the code") {
		return
	}
	a, err := s.confirmCode(r.Context(), s.clientAddr(r), r.PathValue("id"), req.Code)
	if err != nil {
		s.doorError(w, err)
		return
	}
	writeJSON(w, http.StatusCreated, a)
}

// verifyPage is GET /xac-nhan/{id}: the box for the code.
func (s *Server) verifyPage(w http.ResponseWriter, r *http.Request) {
	p := doorPage{Title: "Nhập mã xác nhận", VerifyID: r.PathValue("id")}
	var ok bool
	if p.Phone, ok = s.codes().phone(p.VerifyID); !ok {
		p.Error = problem.As(problem.Errorf(problem.ENotFound, "Mã đã hết hạn hoặc không có yêu cầu này; xin làm lại từ đầu", "the code has expired or there is no such request; please start again"))
		doorRender(w, http.StatusNotFound, "verify", p)
		return
	}
	doorRender(w, http.StatusOK, "verify", p)
}

// verifyForm is POST /xac-nhan/{id}: the code typed; right, the number's
// or booking's page.
func (s *Server) verifyForm(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 1024)
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	id := r.PathValue("id")
	a, err := s.confirmCode(r.Context(), s.clientAddr(r), id, r.PostForm.Get("code"))
	switch x := a.(type) {
	case api.RemoteTicketAnswer:
		if err == nil {
			http.Redirect(w, r, x.StatusURL, http.StatusSeeOther)
			return
		}
	case api.BookingAnswer:
		if err == nil {
			http.Redirect(w, r, x.StatusURL, http.StatusSeeOther)
			return
		}
	}
	if err == nil {
		err = problem.Errorf(problem.EInternal, "Chưa xong; xin thử lại sau", "not done; please try again later")
	}
	p := doorPage{Title: "Nhập mã xác nhận", VerifyID: id, Error: problem.As(err)}
	p.Phone, _ = s.codes().phone(id)
	doorRender(w, reply.Status(p.Error.Code), "verify", p)
}

var verifyPages = map[string]string{
	"verify": `{{template "top" .}}<h1>Nhập mã xác nhận <span class="en">Type the code</span></h1>
{{if .Error}}<p class="error" role="alert">{{.Error.Message}}<span class="en">{{.Error.MessageEN}}</span></p>{{end}}
{{if or (not .Error) (eq .Error.Code "invalid")}}<form method="post" action="/xac-nhan/{{.VerifyID}}">
<label for="code">Mã 6 số văn phòng vừa nhắn tới {{if .Phone}}số {{.Phone}}{{else}}điện thoại của Ông/Bà{{end}} <span class="en">The 6-digit code the office has just sent to {{if .Phone}}{{.Phone}}{{else}}your phone{{end}}</span></label>
<input id="code" name="code" type="tel" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9 ]{6,7}" maxlength="7" required autofocus placeholder="123456">
<button>Xác nhận <span class="en">Confirm</span></button></form>
<p class="hint">Chưa nhận được mã? Xin đợi một phút; tin nhắn qua Zalo hoặc SMS. Không đưa mã này cho ai. <span class="en">No code yet? Wait a minute: it comes by Zalo or SMS. Give the code to nobody.</span></p>
{{else}}<p><a class="button" href="/lay-so">Làm lại từ đầu <span class="en">Start again</span></a></p>{{end}}
{{template "bottom" .}}`,
}
