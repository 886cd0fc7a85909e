// Package provinceweb is the province's web service on the PostgreSQL every
// office ships to (docs/PROVINCE.md): a dashboard of all offices, rankings,
// and the offices' reports for one office, a group or the whole province,
// as a page and as XLSX, CSV or PDF. Province staff see every office; an
// office's head sees their own.
package provinceweb

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"log/slog"
	"net/http"
	"net/netip"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"motcua/internal/api"
	"motcua/internal/auth"
	"motcua/internal/door"
	"motcua/internal/province"
)

// Server serves the province's pages.
type Server struct {
	Pool *pgxpool.Pool
	Now  func() time.Time // nil: time.Now
	Log  *log.Logger      // nil: none
	// TrustedProxies are the reverse proxies whose X-Forwarded-For names
	// the client (addr.go); none: every peer is the client.
	TrustedProxies []netip.Prefix

	guardOnce sync.Once
	guard     *auth.Guard   // the limits on guessing passwords (the offices' PIN rules)
	strikes   *auth.Strikes // wrong uplink keys per address
	public    *auth.Strikes // the citizens' door's requests per address
	door      *door.Hub     // the citizens' requests waiting for their offices
	// PublicURL is the service's address as citizens reach it: the links
	// in their messages (never the request's Host, which anyone can set).
	PublicURL string
	// RemoteRetention is how long a remote ticket's record (its phone's
	// keyed hash) is kept; default 48 h.
	RemoteRetention time.Duration
	// ZNS sends the offices' Zalo messages with the province's OA (nil:
	// not set up; the offices' messages go by their next channel).
	ZNS Sender
	// MessagesPerHour is how many messages an office may ask the province's
	// OA to send in an hour (default 2,000: a big centre's busiest hour
	// several times over); beyond, it is told to wait — a hostile or broken
	// office cannot spend the OA's quota on strangers' phones.
	MessagesPerHour int
	messages        *auth.Strikes // the offices' message requests, per office
	codesOnce       sync.Once
	codeBook        *codes   // requests waiting for their phones' codes (verify.go)
	shipping        sync.Map // office id -> a batch of it being stored
	mu              sync.Mutex
	sessions        map[string]session
}

// session is a login: the user as they were then, and their password's
// stamp; a request whose user no longer matches (reset, role or office
// changed, disabled) ends it.
type session struct {
	user    province.User
	stamp   string
	expires time.Time
}

func (s *Server) limits() *auth.Guard {
	s.guardOnce.Do(s.makeLimits)
	return s.guard
}

func (s *Server) keyStrikes() *auth.Strikes {
	s.guardOnce.Do(s.makeLimits)
	return s.strikes
}

func (s *Server) makeLimits() {
	s.guard = auth.NewGuard(s.now)
	s.strikes = auth.NewStrikes(30, 15*time.Minute, 5*time.Minute, time.Hour, s.now)
	s.public = auth.NewStrikes(60, 10*time.Minute, 10*time.Minute, time.Hour, s.now)
	perHour := s.MessagesPerHour
	if perHour <= 0 {
		perHour = 2000
	}
	s.messages = auth.NewStrikes(perHour, time.Hour, 10*time.Minute, time.Hour, s.now)
	s.door = &door.Hub{Now: s.now}
}

func (s *Server) publicStrikes() *auth.Strikes {
	s.guardOnce.Do(s.makeLimits)
	return s.public
}

const cookieName = "motcua_province"

func (s *Server) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// Handler is the service's routes.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /dang-nhap", s.loginPage)
	mux.HandleFunc("POST /dang-nhap", s.login)
	mux.HandleFunc("POST /dang-xuat", s.logout)
	mux.Handle("GET /{$}", s.authed(s.dashboard))
	mux.Handle("GET /xep-hang", s.authed(s.rankings))
	mux.Handle("GET /bao-cao", s.authed(s.report))
	mux.Handle("GET /api/v1/dashboard", s.authed(s.dashboardJSON))
	mux.Handle("GET /api/v1/report", s.authed(s.reportJSON))
	mux.HandleFunc("POST "+api.UplinkEvents, s.uplinkEvents)
	mux.HandleFunc("GET "+api.UplinkCursor, s.uplinkCursor)
	mux.HandleFunc("POST "+api.UplinkMessages, s.uplinkMessages)
	mux.HandleFunc("GET "+api.UplinkRequests, s.uplinkRequests)
	mux.HandleFunc("POST "+api.UplinkAnswers, s.uplinkAnswers)
	mux.HandleFunc("POST "+api.PublicRemoteTickets, s.publicRemoteTicket)
	mux.HandleFunc("GET "+api.PublicSlots, s.publicSlots)
	mux.HandleFunc("POST "+api.PublicBookings, s.publicBooking)
	mux.HandleFunc("GET "+api.UplinkBookings, s.uplinkBookings)
	mux.HandleFunc("GET /dat-lich", s.bookingPage)
	mux.HandleFunc("POST /dat-lich", s.bookingForm)
	mux.HandleFunc("GET /lich/{token}", s.bookedPage)
	mux.HandleFunc("POST /lich/{token}/huy", s.cancelBooking)
	mux.HandleFunc("GET /lich/{token}/qr.png", s.bookedQR)
	mux.HandleFunc("GET /lay-so", s.takePage)
	mux.HandleFunc("POST /lay-so", s.takeForm)
	mux.HandleFunc("POST "+api.PublicVerifications, s.publicVerify)
	mux.HandleFunc("GET /xac-nhan/{id}", s.verifyPage)
	mux.HandleFunc("POST /xac-nhan/{id}", s.verifyForm)
	mux.HandleFunc("GET /so/{token}", s.statusPage)
	mux.HandleFunc("GET /so/{token}/qr.png", s.qrPage)
	return secure(mux)
}

// secure sets the headers every answer carries.
func secure(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("X-Frame-Options", "DENY")
		w.Header().Set("Content-Security-Policy", "default-src 'self'; style-src 'self' 'unsafe-inline'; form-action 'self'")
		w.Header().Set("Referrer-Policy", "same-origin")
		defer func() {
			if v := recover(); v != nil {
				slog.Error("panic", "op", "province "+r.Pattern, "err", fmt.Sprint(v))
				http.Error(w, "Lỗi máy chủ / server error", http.StatusInternalServerError)
			}
		}()
		h.ServeHTTP(w, r)
	})
}

type handler func(w http.ResponseWriter, r *http.Request, u province.User) error

// authed runs h for a logged-in user; pages send others to the login page,
// the JSON answers 401.
func (s *Server) authed(h handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, ok := s.user(r)
		if !ok {
			if len(r.URL.Path) > 5 && r.URL.Path[:5] == "/api/" {
				writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "cần đăng nhập / login needed"})
				return
			}
			http.Redirect(w, r, "/dang-nhap", http.StatusSeeOther)
			return
		}
		if err := h(w, r, u); err != nil {
			s.fail(w, r, err)
		}
	})
}

// badRequest is an error in what the user asked, said to them as it is.
type badRequest struct{ msg string }

func (e badRequest) Error() string { return e.msg }

var errForbidden = badRequest{"Bạn không xem được đơn vị này / you cannot see this office"}

func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	var bad badRequest
	status := http.StatusInternalServerError
	msg := "Không đọc được số liệu; thử lại sau / the figures could not be read; try again later"
	switch {
	case errors.Is(err, errForbidden):
		status, msg = http.StatusForbidden, err.Error()
	case errors.As(err, &bad):
		status, msg = http.StatusBadRequest, bad.msg
	default:
		if s.Log != nil {
			s.Log.Printf("%s %s: %v", r.Method, r.URL.Path, err)
		}
	}
	if len(r.URL.Path) > 5 && r.URL.Path[:5] == "/api/" {
		writeJSON(w, status, map[string]string{"error": msg})
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	render(w, "error", page{Title: "Lỗi / Error", Message: msg})
}

// user is who holds the request's session, checked against the user as the
// database has them now: a password reset, a change of role or office, or
// a disabled account ends the session at once.
func (s *Server) user(r *http.Request) (province.User, bool) {
	c, err := r.Cookie(cookieName)
	if err != nil {
		return province.User{}, false
	}
	s.mu.Lock()
	ses, ok := s.sessions[c.Value]
	if ok && s.now().After(ses.expires) {
		delete(s.sessions, c.Value)
		ok = false
	}
	s.mu.Unlock()
	if !ok {
		return province.User{}, false
	}
	now, stamp, err := province.UserState(r.Context(), s.Pool, ses.user.Username)
	if err != nil || now != ses.user || stamp != ses.stamp {
		if err == nil || errors.Is(err, province.ErrLogin) { // a database that did not answer ends nothing
			s.mu.Lock()
			delete(s.sessions, c.Value)
			s.mu.Unlock()
		}
		return province.User{}, false
	}
	return ses.user, true
}

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	render(w, "login", page{Title: "Đăng nhập / Log in"})
}

// login checks a password under the same limits as the offices' PINs
// (auth.Guard): every attempt reserved before the check, per address and
// username, per address, and per username except from the user's own
// addresses — so concurrent guesses get no more than the free ones, and a
// stranger elsewhere cannot lock a user out.
func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 4096)
	username, password := r.PostFormValue("username"), r.PostFormValue("password")
	var u province.User
	var stamp string
	wait, ok, err := s.limits().Try(username, s.clientAddr(r), true, func() (bool, error) {
		var err error
		u, stamp, err = province.Login(r.Context(), s.Pool, username, password)
		if errors.Is(err, province.ErrLogin) {
			return false, nil
		}
		return err == nil, err
	})
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	switch {
	case wait > 0:
		minutes := int(wait.Minutes()) + 1
		w.WriteHeader(http.StatusTooManyRequests)
		render(w, "login", page{Title: "Đăng nhập / Log in", Message: fmt.Sprintf("Sai quá nhiều lần: thử lại sau %d phút / too many wrong tries: try again in %d minutes", minutes, minutes)})
		return
	case err != nil:
		if s.Log != nil {
			s.Log.Printf("login: %v", err)
		}
		w.WriteHeader(http.StatusServiceUnavailable)
		render(w, "login", page{Title: "Đăng nhập / Log in", Message: "Không kiểm tra được; thử lại sau / could not check; try again later"})
		return
	case !ok:
		w.WriteHeader(http.StatusUnauthorized)
		render(w, "login", page{Title: "Đăng nhập / Log in", Message: province.ErrLogin.Error()})
		return
	}
	b := make([]byte, 32)
	rand.Read(b)
	token := hex.EncodeToString(b)
	s.mu.Lock()
	if s.sessions == nil {
		s.sessions = map[string]session{}
	}
	s.sessions[token] = session{user: u, stamp: stamp, expires: s.now().Add(12 * time.Hour)}
	s.mu.Unlock()
	http.SetCookie(w, &http.Cookie{Name: cookieName, Value: token, Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil, MaxAge: 12 * 3600})
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(cookieName); err == nil {
		s.mu.Lock()
		delete(s.sessions, c.Value)
		s.mu.Unlock()
	}
	http.SetCookie(w, &http.Cookie{Name: cookieName, Value: "", Path: "/", MaxAge: -1})
	http.Redirect(w, r, "/dang-nhap", http.StatusSeeOther)
}

// visible are the offices the user sees: every office for the province's
// staff, their own for an office's head.
func (s *Server) visible(ctx context.Context, u province.User) ([]province.Office, error) {
	var ids []string
	if u.Role != province.RoleProvince {
		ids = []string{u.Office}
	}
	offices, err := province.Offices(ctx, s.Pool, ids)
	if err != nil {
		return nil, err
	}
	return offices, nil
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}
