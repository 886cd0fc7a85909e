package main

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"errors"
	"fmt"
	"html/template"
	"io"
	"math/big"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/bcrypt"

	"motcua/internal/problem"
	"motcua/internal/queue"
	"motcua/internal/web"
)

// First start without a config: `motcua-server --data DIR` on a data dir
// that has no settings starts in setup mode. It prints a one-time setup code
// in its log and serves only /setup, where whoever reads the log creates the
// office (one service and counter 1 to start) and the first admin, who
// chooses their PIN there (it is never shown). Then the server starts as usual and the console takes
// over. No default credentials exist at any time.

var setupPage = template.Must(template.New("").Funcs(template.FuncMap{}).ParseFS(web.Console(), "layout.html", "setup.html"))

// setupData is what the setup page shows.
type setupData struct {
	Page, Title, TitleEN, Who, Notice string
	Error                             *problem.Error
	Office                            queue.Office
	Username, AdminName               string
	Created                           bool
}

// setupCode is 10 random letters and digits (no 0/O, 1/l): typed once, from the log.
func setupCode() string {
	const alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
	var b strings.Builder
	for range 10 {
		n, _ := rand.Int(rand.Reader, big.NewInt(int64(len(alphabet))))
		b.WriteByte(alphabet[n.Int64()])
	}
	return b.String()
}

// runSetup serves /setup on addr until the office is created, and returns
// its settings.
func runSetup(ctx context.Context, addr string, stdout io.Writer) (fileConfig, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fileConfig{}, problem.Errorf(problem.EInvalid, "Không mở được cổng %s: %v", "cannot listen on %s: %v", addr, err)
	}
	code := setupCode()
	fmt.Fprintf(stdout, "motcua-server: chưa có văn phòng — mở http://%s/setup, mã cài đặt / no office yet — open /setup, setup code: %s\n", ln.Addr(), code)
	fmt.Fprintf(stdout, "motcua-server listening on http://%s (setup)\n", ln.Addr())
	done := make(chan fileConfig, 1)
	var once sync.Once
	tries := 0
	var mu sync.Mutex
	mux := http.NewServeMux()
	render := func(w http.ResponseWriter, status int, d setupData) {
		d.Page, d.Title, d.TitleEN = "setup", "Cài đặt văn phòng", "Set up the office"
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("Content-Security-Policy", "default-src 'self'; script-src 'none'; frame-ancestors 'none'")
		w.WriteHeader(status)
		setupPage.ExecuteTemplate(w, "layout", d)
	}
	mux.HandleFunc("GET /admin/console.css", func(w http.ResponseWriter, r *http.Request) {
		http.ServeFileFS(w, r, web.Console(), "console.css")
	})
	mux.HandleFunc("GET /setup", func(w http.ResponseWriter, r *http.Request) { render(w, http.StatusOK, setupData{}) })
	mux.HandleFunc("POST /setup", func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
		r.ParseForm()
		f := r.PostForm
		d := setupData{Office: queue.Office{Name: strings.TrimSpace(f.Get("name")), AgencyCode: strings.TrimSpace(f.Get("agency_code")),
			PublicURL: strings.TrimSpace(f.Get("public_url")), TimeZone: "Asia/Ho_Chi_Minh"},
			Username: strings.TrimSpace(f.Get("username")), AdminName: strings.TrimSpace(f.Get("admin_name"))}
		mu.Lock()
		tries++
		wrong := tries > 10 || subtle.ConstantTimeCompare([]byte(strings.TrimSpace(f.Get("code"))), []byte(code)) != 1
		mu.Unlock()
		if wrong { // ten tries in all: after that, only a restart (and a new code in the log) helps
			d.Error = problem.As(problem.Errorf(problem.EForbidden, "Sai mã cài đặt (xem nhật ký của máy chủ)", "wrong setup code (see the server's log)"))
			render(w, http.StatusForbidden, d)
			return
		}
		cfg, err := newOffice(d, f.Get("pin"), f.Get("pin2"))
		if err != nil {
			d.Error = problem.As(err)
			render(w, http.StatusBadRequest, d)
			return
		}
		d.Created = true
		render(w, http.StatusOK, d)
		once.Do(func() { done <- cfg })
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/setup", http.StatusSeeOther) })
	hs := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go hs.Serve(ln)
	defer func() {
		sctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		hs.Shutdown(sctx) // the answer goes out first
	}()
	select {
	case cfg := <-done:
		return cfg, nil
	case <-ctx.Done():
		return fileConfig{}, errors.New("stopped during setup")
	}
}

// newOffice is the settings the setup form makes: the office with one
// service and counter 1, and its first admin with the PIN typed twice.
func newOffice(d setupData, pin, again string) (fileConfig, error) {
	o := d.Office
	o.Services = []queue.ServiceConfig{{ID: "tiep_nhan", Name: "Tiếp nhận hồ sơ", NameEN: "Dossier intake", RangeStart: 1001, RangeEnd: 1999}}
	o.Counters = []queue.CounterConfig{{Number: 1, Services: []string{"tiep_nhan"}}}
	if err := o.Validate(); err != nil {
		return fileConfig{}, err
	}
	if err := checkPublicURL(o.PublicURL); err != nil {
		return fileConfig{}, err
	}
	if err := queue.CheckNewPIN(pin); err != nil {
		return fileConfig{}, err
	}
	if pin != again {
		return fileConfig{}, problem.Errorf(problem.EInvalid, "Hai lần nhập mã PIN không khớp", "the two PINs differ")
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(pin), bcrypt.DefaultCost)
	if err != nil {
		return fileConfig{}, err
	}
	users := []queue.StaffUser{{Username: d.Username, Name: d.AdminName, Role: queue.RoleAdmin, PINHash: string(hash)}}
	if err := queue.ValidateStaff(users); err != nil {
		return fileConfig{}, err
	}
	return fileConfig{Office: o, Users: users}, nil
}
