package console

import (
	"crypto/subtle"
	"net/http"
	"strings"
	"sync"

	"golang.org/x/crypto/bcrypt"

	"motcua/internal/auth"
	"motcua/internal/calendar"
	"motcua/internal/catalogue"
	"motcua/internal/problem"
	"motcua/internal/queue"
	"motcua/internal/reply"
	"motcua/internal/web"
)

// Setup is the first start's page, /setup: on a data dir without settings
// the server serves only it, and whoever reads the one-time code in the
// server's log creates the office (one service and counter 1 to start) and
// its first admin, who chooses their PIN there (it is never shown). No
// default credentials exist at any time.
//
// The code is guessed under the logins' limits (auth.Guard), per source
// address: a stranger's wrong codes lock only his own address, never the
// office's IT person at another PC. The office is made exactly once: a
// second form, even one sent at the same moment, is 409.
type Setup struct {
	code    string
	check   func(queue.Office) error // what else the office must pass (its public URL)
	sample  *Sample                  // what "start from the sample office" brings (nil: only the empty start)
	guard   *auth.Guard
	mu      sync.Mutex // one form at a time past the code
	created bool
	done    chan Created
}

// Created is the office the setup made, its first admin, and the procedure
// catalogue it starts with (the sample's, or none).
type Created struct {
	Office     queue.Office
	Users      []queue.StaffUser
	Procedures []catalogue.Procedure
}

// Sample is the office a new one may start from — a ward's services,
// counters and priority classes, and its procedure catalogue fitting them —
// so that it can take tickets and receive dossiers on its first day.
type Sample struct {
	Office     queue.Office
	Procedures []catalogue.Procedure
}

// NewSetup serves the setup for code; check is run on the office typed;
// sample, when not nil, is offered as the start.
func NewSetup(code string, check func(queue.Office) error, sample *Sample) *Setup {
	return &Setup{code: code, check: check, sample: sample, guard: auth.NewGuard(nil), done: make(chan Created, 1)}
}

// Created delivers the office once, when the form made it.
func (s *Setup) Created() <-chan Created { return s.done }

var setupPage = newPage("setup", "Cài đặt văn phòng", "Set up the office", false)

// setupView is the setup form, as typed, or the word that it is done.
type setupView struct {
	frame
	Office              queue.Office
	Username, AdminName string
	Start               string // "sample" or "empty"
	Sample              *Sample
	Created             bool
}

func (s *Setup) render(w http.ResponseWriter, code int, v *setupView) { write(w, code, setupPage, v) }

// Routes registers /setup and the stylesheet; every other path leads to /setup.
func (s *Setup) Routes(m *http.ServeMux) {
	m.HandleFunc("GET /admin/console.css", func(w http.ResponseWriter, r *http.Request) {
		http.ServeFileFS(w, r, web.Console(), "console.css")
	})
	m.HandleFunc("GET /setup", func(w http.ResponseWriter, r *http.Request) {
		s.render(w, http.StatusOK, &setupView{Start: s.start(""), Sample: s.sample})
	})
	m.HandleFunc("POST /setup", s.post)
	m.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/setup", http.StatusSeeOther) })
}

func (s *Setup) post(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, reply.MaxBody)
	r.ParseForm()
	f := r.PostForm
	v := &setupView{Office: queue.Office{Name: strings.TrimSpace(f.Get("name")), AgencyCode: strings.TrimSpace(f.Get("agency_code")),
		PublicURL: strings.TrimSpace(f.Get("public_url")), TimeZone: "Asia/Ho_Chi_Minh"},
		Username: strings.TrimSpace(f.Get("username")), AdminName: strings.TrimSpace(f.Get("admin_name")),
		Start: s.start(f.Get("start")), Sample: s.sample}
	wait, right, _ := s.guard.Try("\x00setup", auth.ClientAddr(r), false, func() (bool, error) {
		return subtle.ConstantTimeCompare([]byte(strings.TrimSpace(f.Get("code"))), []byte(s.code)) == 1, nil
	})
	switch {
	case wait > 0:
		minutes := int(wait.Minutes()) + 1
		v.Error = problem.As(problem.Errorf(problem.ETooMany, "Sai mã cài đặt quá nhiều lần từ máy này: thử lại sau %d phút", "too many wrong setup codes from this computer: try again in %d minutes", minutes))
		s.render(w, http.StatusTooManyRequests, v)
		return
	case !right:
		v.Error = problem.As(problem.Errorf(problem.EForbidden, "Sai mã cài đặt (xem nhật ký của máy chủ)", "wrong setup code (see the server's log)"))
		s.render(w, http.StatusForbidden, v)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.created {
		v.Error = problem.As(problem.Errorf(problem.EConflict, "Văn phòng đã được cài đặt: đăng nhập trang quản trị", "the office is set up already: log in to the console"))
		s.render(w, http.StatusConflict, v)
		return
	}
	made, err := s.newOffice(v, f.Get("pin"), f.Get("pin2"))
	if err != nil {
		v.Error = problem.As(err)
		s.render(w, http.StatusBadRequest, v)
		return
	}
	s.created, v.Created = true, true
	s.done <- made
	s.render(w, http.StatusOK, v)
}

// start is the start chosen: the sample when there is one and the form
// does not say "empty".
func (s *Setup) start(asked string) string {
	if s.sample == nil || asked == "empty" {
		return "empty"
	}
	return "sample"
}

// newOffice is what the form makes: the office — the sample's services,
// counters and catalogue, or one service and counter 1 — under the name,
// codes and address typed, and its first admin with the PIN typed twice.
func (s *Setup) newOffice(v *setupView, pin, again string) (Created, error) {
	o := v.Office
	var procedures []catalogue.Procedure
	if v.Start == "sample" {
		typed := o
		o = s.sample.Office
		o.Name, o.NameEN, o.AgencyCode, o.PublicURL, o.TimeZone = typed.Name, "", typed.AgencyCode, typed.PublicURL, typed.TimeZone
		o.Authority, o.Place = "", "" // the office's own, on its page
		o.Display.Ticker = ""         // the sample's words are not this office's
		procedures = s.sample.Procedures
	} else {
		o.Services = []queue.ServiceConfig{{ID: "tiep_nhan", Name: "Tiếp nhận hồ sơ", NameEN: "Dossier intake", RangeStart: 1001, RangeEnd: 1999}}
		o.Counters = []queue.CounterConfig{{Number: 1, Services: []string{"tiep_nhan"}}}
	}
	if len(o.Hours.Weekday) == 0 { // a real office keeps hours (the sample, a demo, issues at any hour)
		o.Hours = calendar.DefaultHours()
	}
	if err := o.Validate(); err != nil {
		return Created{}, err
	}
	if err := s.check(o); err != nil {
		return Created{}, err
	}
	if err := queue.CheckNewPIN(pin); err != nil {
		return Created{}, err
	}
	if pin != again {
		return Created{}, problem.Errorf(problem.EInvalid, "Hai lần nhập mã PIN không khớp", "the two PINs differ")
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(pin), bcrypt.DefaultCost)
	if err != nil {
		return Created{}, err
	}
	users := []queue.StaffUser{{Username: v.Username, Name: v.AdminName, Role: queue.RoleAdmin, PINHash: string(hash)}}
	if err := queue.ValidateStaff(users); err != nil {
		return Created{}, err
	}
	return Created{Office: o, Users: users, Procedures: procedures}, nil
}
