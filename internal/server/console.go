package server

import (
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"motcua/internal/api"
	"motcua/internal/auth"
	"motcua/internal/calendar"
	"motcua/internal/catalogue"
	"motcua/internal/intake"
	"motcua/internal/problem"
	"motcua/internal/queue"
	"motcua/internal/reply"
	"motcua/internal/vntext"
	"motcua/internal/web"

	"golang.org/x/crypto/bcrypt"
)

// The admin console at /admin: server-rendered pages (html/template) that
// work with plain form posts, no script and no CDN. A login sets a session
// cookie (HttpOnly, SameSite=Strict, path /admin); every post must come from
// this server's own pages (its Origin, when the browser sends one, is this
// host). Every change goes through the same ChangeSettings as the JSON API:
// checked, refused when it would break the day, on the chain. A refused
// form comes back with what was typed and the reason in both languages.

const consoleCookie = "motcua_admin"

var consolePages = func() map[string]*template.Template {
	funcs := template.FuncMap{"inc": func(i int) int { return i + 1 }, "join": func(ids []string) string { return strings.Join(ids, ", ") },
		"joinsemi": func(names []string) string { return strings.Join(names, "; ") },
		"kind":     func(k string) string { return deviceKinds[k] },
		"daykind":  func(k string) string { return dayKinds[k] },
		"clock": func(loc *time.Location, t time.Time) string {
			if loc == nil {
				loc = time.UTC
			}
			return t.In(loc).Format("15:04")
		},
		"minutes": func(v float64) string { return strings.Replace(fmt.Sprintf("%.1f", v), ".", ",", 1) },
		"openAlerts": func(as []queue.Raised) int {
			n := 0
			for _, a := range as {
				if a.AckAt.IsZero() {
					n++
				}
			}
			return n
		},
		"counterState": func(c queue.CounterRoom) string {
			switch {
			case c.State == queue.CounterClosed:
				return "đóng / closed"
			case c.State == queue.CounterPaused:
				return "tạm nghỉ / paused"
			case c.Busy:
				return "đang phục vụ / serving"
			}
			return "rảnh / idle"
		}}
	out := map[string]*template.Template{}
	for _, page := range []string{"login", "office", "services", "counters", "users", "devices", "catalogue", "calendar", "sync", "audit", "reports", "live"} {
		out[page] = template.Must(template.New("").Funcs(funcs).ParseFS(web.Console(), "layout.html", page+".html"))
	}
	return out
}()

// consolePage is what a page's template reads.
type consolePage struct {
	Page, Title, TitleEN string
	Who                  string
	Error                *problem.Error
	Notice               string
	Version              uint64
	Office               queue.Office
	New                  queue.ServiceConfig // the add-a-service form, as typed
	NewCounter           queue.CounterConfig // the add-a-counter form, as typed
	Working              map[int]string      // counter number -> who works there now, and its state
	Users                []User              // the staff page's rows
	NewUser              User                // the add-a-user form, as typed
	NewSecret            *shownSecret        // a PIN or device key made just now, shown once
	Devices              []Device
	NewDevice            Device
	PairCode             string
	Procedures           []catalogue.Procedure
	Preview              *cataloguePreview
	Years                []calendar.Year
	NewDay               calendar.Entry
	FilterWho            string // the audit's filters, as typed
	FilterWhat           string
	Roles                []roleLabel
	Username             string
	SetPIN               bool                           // the login form asks for a new PIN
	Today                map[string]queue.ServiceStatus // the services page: each one now (closed today, waiting)
	Seen                 map[string]seenView            // the devices page: each one as last heard from
	Admin                bool                           // the settings' pages are in the menu
	Report               *reportView                    // the reports page
	Room                 *queue.Room                    // the live page
	Zone                 *time.Location                 // the office's, for its times
	Sync                 *api.SyncStatus                // the live page and the sync page: the shipping to the province
	Shipping             queue.Sync                     // the sync page's form: the settings, the password masked
	History              []auditRow
}

// shownSecret is a PIN or a device key made just now, and whose it is:
// shown on the answer page once, kept nowhere but as a hash.
type shownSecret struct{ Owner, Secret string }

// cataloguePreview is an uploaded catalogue before it is applied.
type cataloguePreview struct {
	File, Content           string
	Added, Changed, Removed []string
}

var dayKinds = map[string]string{calendar.Holiday: "Ngày lễ, Tết / holiday", calendar.SubstituteOff: "Nghỉ bù / day off in lieu", calendar.MakeUp: "Làm bù / make-up working day"}

var deviceKinds = map[string]string{DeviceKiosk: "Kiosk lấy số / kiosk", DeviceDisplay: "Bảng gọi số / board", DeviceRating: "Màn hình đánh giá / rating screen"}

type roleLabel struct{ ID, Label string }

var roleLabels = []roleLabel{{RoleClerk, "Cán bộ một cửa / clerk"}, {RoleSupervisor, "Trưởng bộ phận / supervisor"}, {RoleAdmin, "Quản trị / admin"}}

type auditRow struct {
	Version uint64
	When    string
	Who     string
	Changes []string
}

func (s *Server) consoleRoutes(m *http.ServeMux) {
	m.HandleFunc("GET /admin/console.css", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/css; charset=utf-8")
		css, _ := fs.ReadFile(web.Console(), "console.css")
		w.Write(css)
	})
	m.HandleFunc("GET /admin/login", func(w http.ResponseWriter, r *http.Request) {
		s.render(w, http.StatusOK, "login", consolePage{Title: "Đăng nhập quản trị", TitleEN: "Administrator login"})
	})
	m.HandleFunc("POST /admin/login", s.consoleLogin)
	m.HandleFunc("POST /admin/logout", func(w http.ResponseWriter, r *http.Request) {
		if c, err := r.Cookie(consoleCookie); err == nil && sameOrigin(r) {
			s.auth.Logout(c.Value)
		}
		http.SetCookie(w, &http.Cookie{Name: consoleCookie, Path: "/admin", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteStrictMode})
		http.Redirect(w, r, "/admin/login", http.StatusSeeOther)
	})
	m.HandleFunc("GET /admin", s.console(s.settingsPage("office", "Văn phòng", "Office")))
	m.HandleFunc("POST /admin", s.console(s.saveOffice))
	m.HandleFunc("GET /admin/services", s.console(s.settingsPage("services", "Dịch vụ", "Services")))
	m.HandleFunc("POST /admin/services", s.console(s.saveServices))
	m.HandleFunc("POST /admin/services/today", s.console(s.saveServiceToday))
	m.HandleFunc("GET /admin/counters", s.console(s.countersPage))
	m.HandleFunc("POST /admin/counters", s.console(s.saveCounters))
	m.HandleFunc("GET /admin/users", s.console(s.usersPage))
	m.HandleFunc("POST /admin/users", s.console(s.saveUsers))
	m.HandleFunc("GET /admin/devices", s.console(s.devicesPage))
	m.HandleFunc("POST /admin/devices", s.console(s.saveDevices))
	m.HandleFunc("GET /admin/catalogue", s.console(s.cataloguePage))
	m.HandleFunc("POST /admin/catalogue", s.console(s.saveCatalogue))
	m.HandleFunc("GET /admin/catalogue.csv", s.console(func(w http.ResponseWriter, r *http.Request, p auth.Principal) {
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="danh-muc-thu-tuc.csv"`)
		w.Write(append([]byte("\xef\xbb\xbf"), s.catalogue.Load().CSV()...)) // a byte-order mark: spreadsheets then read UTF-8
	}))
	m.HandleFunc("GET /admin/calendar", s.console(s.calendarPage))
	m.HandleFunc("POST /admin/calendar", s.console(s.saveCalendar))
	m.HandleFunc("GET /admin/sync", s.console(s.syncPage))
	m.HandleFunc("POST /admin/sync", s.console(s.saveSync))
	m.HandleFunc("GET /admin/audit", s.console(s.auditPage))
	m.HandleFunc("GET /admin/reports", s.consoleFor(auth.NeedSupervisor, s.reportsPage))
	m.HandleFunc("GET /admin/live", s.consoleFor(auth.NeedSupervisor, s.livePage))
	m.HandleFunc("GET /admin/reports/export", s.consoleFor(auth.NeedSupervisor, func(w http.ResponseWriter, r *http.Request, p auth.Principal) {
		if err := s.export(w, r); err != nil {
			reply.Error(w, r, err)
		}
	}))
	m.HandleFunc("GET /admin/live.json", s.consoleFor(auth.NeedSupervisor, func(w http.ResponseWriter, r *http.Request, p auth.Principal) {
		reply.JSON(w, http.StatusOK, s.q.Room())
	}))
	m.HandleFunc("GET /admin/live/feed", s.consoleFor(auth.NeedSupervisor, s.liveFeed))
	m.HandleFunc("GET /admin/live.part", s.consoleFor(auth.NeedSupervisor, func(w http.ResponseWriter, r *http.Request, p auth.Principal) {
		room := s.q.Room()
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		consolePages["live"].ExecuteTemplate(w, "room", consolePage{Room: &room, Zone: s.conf().loc, Sync: s.syncView()})
	}))
	m.HandleFunc("POST /admin/live/ack", s.consoleFor(auth.NeedSupervisor, s.saveAck))
	m.HandleFunc("GET /admin/reports/file", s.consoleFor(auth.NeedSupervisor, func(w http.ResponseWriter, r *http.Request, p auth.Principal) {
		if err := s.reportFile(w, r, r.URL.Query().Get("format")); err != nil {
			reply.Error(w, r, err)
		}
	}))
}

// console checks the session cookie (an admin's) and, for a post, where it
// came from, then runs page.
func (s *Server) console(page func(w http.ResponseWriter, r *http.Request, p auth.Principal)) http.HandlerFunc {
	return s.consoleFor(auth.NeedAdmin, page)
}

// consoleFor is a console page that allow lets in (auth.NeedAdmin, or
// auth.NeedSupervisor for the desk head's pages: reports, the live room).
func (s *Server) consoleFor(allow func(auth.Principal) error, page func(w http.ResponseWriter, r *http.Request, p auth.Principal)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c, err := r.Cookie(consoleCookie)
		var p auth.Principal
		if err == nil {
			p, err = s.auth.IdentifyToken(c.Value)
		}
		if err != nil || p.Actor.Kind == "" {
			http.Redirect(w, r, "/admin/login", http.StatusSeeOther)
			return
		}
		if err := allow(p); err != nil {
			s.render(w, http.StatusForbidden, "login", consolePage{Title: "Không được phép", TitleEN: "Not allowed", Error: problem.As(err)})
			return
		}
		if r.Method == http.MethodPost && !sameOrigin(r) {
			s.render(w, http.StatusForbidden, "login", consolePage{Title: "Không được phép", TitleEN: "Not allowed",
				Error: problem.Errorf(problem.EForbidden, "Biểu mẫu không gửi từ trang quản trị của máy chủ này", "the form was not sent from this server's console")})
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, maxSettings)
		if err := r.ParseForm(); err != nil {
			s.render(w, http.StatusBadRequest, "login", consolePage{Title: "Biểu mẫu hỏng", TitleEN: "Broken form", Error: problem.As(reply.DecodeError(err))})
			return
		}
		page(w, r, p)
	}
}

// sameOrigin is false for a post whose Origin names another site (a page
// elsewhere making the admin's browser post here).
func sameOrigin(r *http.Request) bool {
	o := r.Header.Get("Origin")
	if o == "" {
		return true // an old browser, or a tool: the SameSite cookie still guards
	}
	u, err := url.Parse(o)
	return err == nil && u.Host == r.Host
}

func (s *Server) consoleLogin(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, reply.MaxBody)
	r.ParseForm()
	username := strings.TrimSpace(r.PostFormValue("username"))
	newPIN := r.PostFormValue("new_pin")
	fail := func(err error) {
		e := problem.As(err)
		// Asked to choose a PIN (or the new one did not check): the form asks
		// for the code again with the new PIN twice.
		setPIN := e.Code == problem.ESetPIN || newPIN != "" && e.Code == problem.EInvalid
		s.render(w, reply.Status(e.Code), "login", consolePage{Title: "Đăng nhập quản trị", TitleEN: "Administrator login", Error: e, Username: username, SetPIN: setPIN})
	}
	if !sameOrigin(r) {
		fail(problem.Errorf(problem.EForbidden, "Biểu mẫu không gửi từ trang quản trị của máy chủ này", "the form was not sent from this server's console"))
		return
	}
	if newPIN != r.PostFormValue("new_pin2") {
		fail(problem.Errorf(problem.ESetPIN, "Hai lần nhập mã PIN mới không khớp", "the two new PINs differ"))
		return
	}
	token, u, err := s.auth.Login(username, r.PostFormValue("pin"), newPIN, auth.ClientAddr(r))
	if err != nil {
		fail(err)
		return
	}
	if u.Role != RoleAdmin && u.Role != RoleSupervisor {
		s.auth.Logout(token)
		if newPIN != "" { // a clerk chose a PIN at an office PC: done, but the console is not theirs
			s.render(w, http.StatusOK, "login", consolePage{Title: "Đăng nhập quản trị", TitleEN: "Administrator login",
				Notice: "Đã đặt mã PIN mới của " + u.Username + "; dùng nó để đăng nhập ở quầy. Trang quản trị chỉ dành cho quản trị viên. / " + u.Username + "'s new PIN is set; use it to log in at the counter. The console is for admins only."})
			return
		}
		fail(auth.ErrNeedAdmin)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: consoleCookie, Value: token, Path: "/admin", MaxAge: int(s.auth.TTL().Seconds()),
		HttpOnly: true, SameSite: http.SameSiteStrictMode})
	home := "/admin"
	if u.Role == RoleSupervisor { // the desk head's pages; the settings are the admin's
		home = "/admin/reports"
	}
	http.Redirect(w, r, home, http.StatusSeeOther)
}

func (s *Server) render(w http.ResponseWriter, code int, page string, data consolePage) {
	data.Page = page
	if data.Zone == nil {
		data.Zone = s.conf().loc
	}
	if page != "reports" && page != "live" { // the settings' pages are the admin's alone
		data.Admin = data.Who != ""
	}
	if page == "devices" { // how each device was last heard from
		data.Seen = s.seenViews()
	}
	if page == "services" { // how each service stands today, beside its settings
		data.Today = map[string]queue.ServiceStatus{}
		for _, st := range s.q.Services() {
			data.Today[st.ID] = st
		}
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	csp := "default-src 'self'; script-src 'none'; frame-ancestors 'none'"
	if page == "live" { // its one script, from this server, follows the feed
		csp = "default-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'"
	}
	w.Header().Set("Content-Security-Policy", csp)
	w.WriteHeader(code)
	if err := consolePages[page].ExecuteTemplate(w, "layout", data); err != nil {
		fmt.Fprintf(w, "<p>%s</p>", template.HTMLEscapeString(err.Error()))
	}
}

func who(p auth.Principal) string { return p.Actor.Name + " (" + p.Actor.ID + ")" }

// settingsPage shows a page of the settings in force ("office", "services"),
// with the notice after a save.
func (s *Server) settingsPage(page, title, titleEN string) func(http.ResponseWriter, *http.Request, auth.Principal) {
	return func(w http.ResponseWriter, r *http.Request, p auth.Principal) {
		v, office := s.q.Settings()
		notice := ""
		if r.URL.Query().Get("saved") != "" {
			notice = "Đã lưu; kiosk, quầy và bảng đã nhận cấu hình mới. / Saved; kiosks, counters and boards have the new settings."
		}
		s.render(w, http.StatusOK, page, consolePage{Title: title, TitleEN: titleEN, Who: who(p), Version: v, Office: office, Notice: notice})
	}
}

// saveOffice applies the office form; a refusal shows the form as typed.
func (s *Server) saveOffice(w http.ResponseWriter, r *http.Request, p auth.Principal) {
	base, office := s.formBase(r)
	f := r.PostForm
	for _, field := range []struct {
		key string
		to  *string
	}{{"name", &office.Name}, {"name_en", &office.NameEN}, {"authority", &office.Authority}, {"place", &office.Place},
		{"agency_code", &office.AgencyCode}, {"time_zone", &office.TimeZone}, {"public_url", &office.PublicURL}} {
		if f.Has(field.key) { // a field the form did not send keeps its value
			*field.to = strings.TrimSpace(f.Get(field.key))
		}
	}
	var err error
	if f.Has("retention_days") {
		office.RetentionDays, err = formInt(f, "retention_days", "số ngày giữ thông tin", "retention days")
	}
	for _, n := range []struct {
		key, vi, en string
		to          *int
	}{{"alert_wait", "cảnh báo chờ lâu (phút)", "long wait alert (minutes)", &office.Alerts.WaitMinutes},
		{"alert_paused", "cảnh báo tạm nghỉ lâu (phút)", "long pause alert (minutes)", &office.Alerts.PausedMinutes},
		{"alert_silent", "cảnh báo thiết bị im lặng (phút)", "silent device alert (minutes)", &office.Alerts.SilentMinutes},
		{"target_wait", "mục tiêu thời gian chờ (phút)", "target wait (minutes)", &office.Rules.TargetWaitMinutes},
		{"dossier_digits", "số chữ số của mã hồ sơ", "dossier code digits", &office.DossierDigits}} {
		if f.Has(n.key) && err == nil {
			*n.to, err = formInt(f, n.key, n.vi, n.en)
		}
	}
	if f.Has("alert_slow") && err == nil {
		v, e := strconv.ParseFloat(strings.Replace(strings.TrimSpace(f.Get("alert_slow")), ",", ".", 1), 64)
		if e != nil || v < 0 || v > 100 {
			err = problem.Errorf(problem.EInvalid, "Hệ số phục vụ chậm %q phải là số từ 0 đến 100", "the slow service factor %q must be a number from 0 to 100", f.Get("alert_slow"))
		}
		office.Alerts.SlowFactor = v
	}
	s.apply(w, r, p, formChange{base: base, office: office, err: err, page: "office", title: "Văn phòng", titleEN: "Office", path: "/admin", typed: true})
}

// saveServices applies one row of the services page (save, up, down,
// remove) or the add form.
func (s *Server) saveServices(w http.ResponseWriter, r *http.Request, p auth.Principal) {
	base, office := s.formBase(r)
	office.Services = slices.Clone(office.Services)
	f := r.PostForm
	var added queue.ServiceConfig
	err := func() error {
		if f.Get("action") == "add" {
			svc, err := serviceForm(f, queue.ServiceConfig{ID: strings.TrimSpace(f.Get("id"))})
			added = svc
			if err != nil {
				return err
			}
			office.Services = append(office.Services, svc)
			return nil
		}
		i, err := strconv.Atoi(f.Get("index"))
		if err != nil || i < 0 || i >= len(office.Services) {
			return problem.Errorf(problem.EConflict, "Danh sách dịch vụ đã đổi; hãy tải lại trang", "the list of services changed; reload the page")
		}
		switch f.Get("action") {
		case "save":
			svc, err := serviceForm(f, office.Services[i])
			office.Services[i] = svc
			return err
		case "up":
			if i > 0 {
				office.Services[i-1], office.Services[i] = office.Services[i], office.Services[i-1]
			}
		case "down":
			if i+1 < len(office.Services) {
				office.Services[i+1], office.Services[i] = office.Services[i], office.Services[i+1]
			}
		case "remove":
			id := office.Services[i].ID
			office.Services = slices.Delete(office.Services, i, i+1)
			office.Counters = slices.Clone(office.Counters)
			for c := range office.Counters { // counters stop serving it
				office.Counters[c].Services = slices.DeleteFunc(slices.Clone(office.Counters[c].Services), func(s string) bool { return s == id })
			}
		default:
			return problem.Errorf(problem.EInvalid, "Thao tác không rõ", "unknown action")
		}
		return nil
	}()
	s.apply(w, r, p, formChange{base: base, office: office, err: err, page: "services", title: "Dịch vụ", titleEN: "Services", path: "/admin/services",
		typed: f.Get("action") == "save", fill: func(c *consolePage) { c.New = added }})
}

// formChange is what a console form made of the settings, and where it
// came from.
type formChange struct {
	base                 uint64
	office               queue.Office
	err                  error // the form itself did not read
	page, title, titleEN string
	path                 string               // the page to go back to once saved
	typed                bool                 // a refusal shows the office as typed (else as in force)
	fill                 func(c *consolePage) // the page's own fields, as typed
}

// apply puts the form's office in force and goes back to its page; a
// refusal shows the page again with the reason and nothing lost.
// saveServiceToday closes a service for the rest of today, or opens it.
func (s *Server) saveServiceToday(w http.ResponseWriter, r *http.Request, p auth.Principal) {
	f := r.PostForm
	st, err := s.serviceToday(r, p, f.Get("id"), f.Get("action"), f.Get("reason"))
	v, office := s.q.Settings()
	page := consolePage{Title: "Dịch vụ", TitleEN: "Services", Who: who(p), Version: v, Office: office}
	if err != nil {
		page.Error = problem.As(err)
		s.render(w, reply.Status(page.Error.Code), "services", page)
		return
	}
	page.Notice = "Đã mở lại " + st.Name + ": kiosk cấp số ngay. / " + st.Name + " is open again: the kiosks issue at once."
	switch {
	case st.ClosedToday && st.Waiting > 0:
		page.Notice = fmt.Sprintf("Đã tạm ngừng %s đến hết hôm nay; %d người đang chờ vẫn được phục vụ. / %s issues no more tickets today; the %d waiting are still served.", st.Name, st.Waiting, st.Name, st.Waiting)
	case st.ClosedToday:
		page.Notice = "Đã tạm ngừng " + st.Name + " đến hết hôm nay; không còn ai chờ. / " + st.Name + " issues no more tickets today; nobody waits for it."
	}
	s.render(w, http.StatusOK, "services", page)
}

func (s *Server) apply(w http.ResponseWriter, r *http.Request, p auth.Principal, c formChange) {
	err := c.err
	if err == nil {
		_, err = s.q.ChangeSettings(r.Context(), p.Actor, c.base, c.office)
	}
	if err == nil {
		http.Redirect(w, r, c.path+"?saved=1", http.StatusSeeOther)
		return
	}
	office := c.office
	if !c.typed {
		_, office = s.q.Settings()
	}
	page := consolePage{Title: c.title, TitleEN: c.titleEN, Who: who(p), Version: c.base, Office: office, Error: problem.As(err)}
	if c.fill != nil {
		c.fill(&page)
	}
	s.render(w, reply.Status(problem.As(err).Code), c.page, page)
}

// serviceForm reads a service's fields over svc.
func serviceForm(f url.Values, svc queue.ServiceConfig) (queue.ServiceConfig, error) {
	svc.Name, svc.NameEN, svc.Subtitle = strings.TrimSpace(f.Get("name")), strings.TrimSpace(f.Get("name_en")), strings.TrimSpace(f.Get("subtitle"))
	if f.Has("opens") {
		svc.Opens, svc.Closes = strings.TrimSpace(f.Get("opens")), strings.TrimSpace(f.Get("closes"))
	}
	if f.Has("procedures") {
		svc.Procedures = nil
		for _, name := range strings.Split(f.Get("procedures"), ";") {
			if name = strings.TrimSpace(name); name != "" && !slices.Contains(svc.Procedures, name) {
				svc.Procedures = append(svc.Procedures, name)
			}
		}
	}
	var err error
	for _, n := range []struct {
		key, vi, en string
		to          *int
	}{{"range_start", "số đầu", "first number", &svc.RangeStart}, {"range_end", "số cuối", "last number", &svc.RangeEnd},
		{"daily_cap", "tối đa mỗi ngày", "daily cap", &svc.DailyCap}, {"minutes_per_ticket", "phút mỗi số", "minutes per ticket", &svc.MinutesPerTicket}} {
		if !f.Has(n.key) {
			continue
		}
		v, e := formInt(f, n.key, n.vi, n.en)
		*n.to = v
		if err == nil {
			err = e
		}
	}
	return svc, err
}

// formInt reads a whole number (empty: 0).
func formInt(f url.Values, key, vi, en string) (int, error) {
	raw := strings.TrimSpace(f.Get(key))
	if raw == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil {
		return 0, problem.Errorf(problem.EInvalid, "Ô %q phải là số nguyên, không phải %q", "%q must be a whole number, not %q", vi, raw)
	}
	return n, nil
}

// formBase is the settings version a form was made from, and the office in
// force now (the base of the change; ChangeSettings refuses it when the
// version moved meanwhile).
func (s *Server) formBase(r *http.Request) (uint64, queue.Office) {
	base, _ := strconv.ParseUint(r.PostForm.Get("version"), 10, 64)
	_, office := s.q.Settings()
	return base, office
}

func (s *Server) auditPage(w http.ResponseWriter, r *http.Request, p auth.Principal) {
	history, err := s.q.SettingsHistory()
	q := r.URL.Query()
	page := consolePage{Title: "Nhật ký thay đổi cấu hình", TitleEN: "Settings audit", Who: who(p),
		FilterWho: strings.TrimSpace(q.Get("who")), FilterWhat: strings.TrimSpace(q.Get("what"))}
	if err != nil {
		page.Error = problem.As(err)
	}
	for i, h := range history {
		row := auditRow{Version: h.Version, When: h.Time.In(s.conf().loc).Format("15:04:05 02/01/2006"), Who: h.By.Name}
		if row.Who == "" {
			row.Who = h.By.ID
		} else {
			row.Who += " (" + h.By.ID + ")"
		}
		if i+1 < len(history) {
			was := history[i+1]
			row.Changes = slices.Concat(queue.Changes(was.Office, h.Office), queue.StaffChanges(was.Users, h.Users),
				queue.DeviceChanges(was.Devices, h.Devices), queue.SyncChanges(was.Shipping(), h.Shipping()))
		} else {
			row.Changes = []string{"khởi tạo từ tệp cấu hình / seeded from the config file"}
		}
		if keep(row, page.FilterWho, page.FilterWhat) {
			page.History = append(page.History, row)
		}
	}
	s.render(w, http.StatusOK, "audit", page)
}

func (s *Server) countersPage(w http.ResponseWriter, r *http.Request, p auth.Principal) {
	v, office := s.q.Settings()
	page := consolePage{Title: "Quầy", TitleEN: "Counters", Who: who(p), Version: v, Office: office, Working: s.working()}
	if r.URL.Query().Get("saved") != "" {
		page.Notice = "Đã lưu; quầy và bảng đã nhận cấu hình mới. / Saved; counters and boards have the new settings."
	}
	s.render(w, http.StatusOK, "counters", page)
}

// working says who works at each counter now, from the live state.
func (s *Server) working() map[int]string {
	out := map[int]string{}
	for _, c := range s.q.Snapshot().Counters {
		switch {
		case c.State == queue.CounterClosed:
			out[c.Number] = "đóng / closed"
		case c.State == queue.CounterPaused:
			out[c.Number] = c.ClerkName + " — tạm nghỉ / paused"
		case c.Current != "":
			out[c.Number] = c.ClerkName + " — đang phục vụ / serving"
		default:
			out[c.Number] = c.ClerkName
		}
	}
	return out
}

// saveCounters applies one row of the counters page (save, remove) or the
// add form.
func (s *Server) saveCounters(w http.ResponseWriter, r *http.Request, p auth.Principal) {
	base, office := s.formBase(r)
	office.Counters = slices.Clone(office.Counters)
	f := r.PostForm
	ids := func() []string {
		var out []string
		for _, id := range strings.FieldsFunc(f.Get("services"), func(r rune) bool { return r == ',' || r == ' ' || r == ';' }) {
			out = append(out, strings.ToLower(id))
		}
		return out
	}
	var added queue.CounterConfig
	err := func() error {
		if f.Get("action") == "add" {
			n, err := formInt(f, "number", "số quầy", "counter number")
			added = queue.CounterConfig{Number: n, Name: strings.TrimSpace(f.Get("name")), Services: ids()}
			office.Counters = append(office.Counters, added)
			return err
		}
		i, err := strconv.Atoi(f.Get("index"))
		if err != nil || i < 0 || i >= len(office.Counters) {
			return problem.Errorf(problem.EConflict, "Danh sách quầy đã đổi; hãy tải lại trang", "the list of counters changed; reload the page")
		}
		switch f.Get("action") {
		case "save":
			office.Counters[i] = queue.CounterConfig{Number: office.Counters[i].Number, Name: strings.TrimSpace(f.Get("name")), Services: ids()}
		case "remove":
			office.Counters = slices.Delete(office.Counters, i, i+1)
		default:
			return problem.Errorf(problem.EInvalid, "Thao tác không rõ", "unknown action")
		}
		return nil
	}()
	s.apply(w, r, p, formChange{base: base, office: office, err: err, page: "counters", title: "Quầy", titleEN: "Counters", path: "/admin/counters",
		typed: f.Get("action") == "save", fill: func(c *consolePage) { c.NewCounter, c.Working = added, s.working() }})
}

// staff is the users in force: the store's, or the config's when the store
// has none yet (one made before it kept them).
func (s *Server) staff() []User {
	if users := s.q.Users(); users != nil {
		return users
	}
	m := s.auth.Users()
	out := make([]User, 0, len(m))
	for _, u := range m {
		out = append(out, u)
	}
	slices.SortFunc(out, func(a, b User) int { return strings.Compare(a.Username, b.Username) })
	return out
}

func (s *Server) usersPage(w http.ResponseWriter, r *http.Request, p auth.Principal) {
	v, _ := s.q.Settings()
	page := consolePage{Title: "Cán bộ", TitleEN: "Staff", Who: who(p), Version: v, Users: s.staff(), Roles: roleLabels, NewUser: User{Role: RoleClerk}}
	if r.URL.Query().Get("saved") != "" {
		page.Notice = "Đã lưu. / Saved."
	}
	s.render(w, http.StatusOK, "users", page)
}

// saveUsers applies one row of the staff page (save, reset, unlock) or the
// add form. A one-time code made here is shown on the answer page itself,
// once: it is in no URL, no log and no file, only its hash in the settings;
// it lets the user in once, to choose the PIN nobody else sees.
func (s *Server) saveUsers(w http.ResponseWriter, r *http.Request, p auth.Principal) {
	base, _ := strconv.ParseUint(r.PostForm.Get("version"), 10, 64)
	users := slices.Clone(s.staff())
	f := r.PostForm
	username := strings.TrimSpace(f.Get("username"))
	page := consolePage{Title: "Cán bộ", TitleEN: "Staff", Who: who(p), Version: base, Roles: roleLabels, NewUser: User{Role: RoleClerk}}
	// A new user, or a reset PIN, gets a one-time code: the user gives it at
	// the next login and chooses their own PIN then.
	oneTimeCode := func(u *User) error {
		code := intake.NewPIN()
		hash, err := bcrypt.GenerateFromPassword([]byte(code), bcrypt.DefaultCost)
		u.PINHash, u.MustSetPIN, page.NewSecret = string(hash), true, &shownSecret{Owner: u.Username, Secret: code}
		return err
	}
	err := func() error {
		i := slices.IndexFunc(users, func(u User) bool { return u.Username == username })
		action := f.Get("action")
		if action == "add" {
			u := User{Username: username, Name: strings.TrimSpace(f.Get("name")), Role: f.Get("role")}
			page.NewUser = u
			if i >= 0 {
				return problem.Errorf(problem.EConflict, "Đã có cán bộ %q", "there is a user %q already", username)
			}
			users = append(users, u)
			return oneTimeCode(&users[len(users)-1])
		}
		if i < 0 {
			return problem.Errorf(problem.EConflict, "Không còn cán bộ %q; hãy tải lại trang", "there is no user %q any more; reload the page", username)
		}
		switch action {
		case "save":
			users[i].Name, users[i].Role, users[i].Disabled = strings.TrimSpace(f.Get("name")), f.Get("role"), f.Get("disabled") != ""
		case "reset":
			return oneTimeCode(&users[i])
		case "unlock":
			s.auth.Unlock(username)
			page.Notice = "Đã mở khoá " + username + ": các lần nhập sai mã PIN được xoá. / " + username + " is unlocked: the wrong PINs are forgotten."
		default:
			return problem.Errorf(problem.EInvalid, "Thao tác không rõ", "unknown action")
		}
		return queue.KeepsAnAdmin(s.staff(), users)
	}()
	if err == nil && f.Get("action") != "unlock" {
		page.Version, err = s.q.ChangeUsers(r.Context(), p.Actor, base, users)
	}
	if err != nil {
		page.Error, page.NewSecret = problem.As(err), nil
		page.Users = s.staff()
		s.render(w, reply.Status(problem.As(err).Code), "users", page)
		return
	}
	if page.NewSecret == nil && page.Notice == "" {
		http.Redirect(w, r, "/admin/users?saved=1", http.StatusSeeOther)
		return
	}
	page.Users = s.staff()
	if page.NewUser.Username == username {
		page.NewUser = User{Role: RoleClerk} // added: the form is free again
	}
	s.render(w, http.StatusOK, "users", page)
}

// devicesInForce is the devices in force: the store's, or the config's.
func (s *Server) devicesInForce() []Device {
	if devices := s.q.Devices(); devices != nil {
		return devices
	}
	return queue.HashedDevices(s.auth.Devices())
}

func (s *Server) devicesPage(w http.ResponseWriter, r *http.Request, p auth.Principal) {
	v, _ := s.q.Settings()
	page := consolePage{Title: "Thiết bị", TitleEN: "Devices", Who: who(p), Version: v, Devices: s.devicesInForce(), NewDevice: Device{Kind: DeviceKiosk}}
	if r.URL.Query().Get("saved") != "" {
		page.Notice = "Đã thu hồi; thiết bị đó không vào được nữa. / Revoked; that device can no longer connect."
	}
	s.render(w, http.StatusOK, "devices", page)
}

// saveDevices adds a device with a new key, gives one a new key, or revokes
// one. A key made here is shown on the answer page only; the settings keep
// its hash.
func (s *Server) saveDevices(w http.ResponseWriter, r *http.Request, p auth.Principal) {
	base, _ := strconv.ParseUint(r.PostForm.Get("version"), 10, 64)
	devices := slices.Clone(s.devicesInForce())
	f := r.PostForm
	id := strings.TrimSpace(f.Get("id"))
	page := consolePage{Title: "Thiết bị", TitleEN: "Devices", Who: who(p), Version: base, NewDevice: Device{Kind: DeviceKiosk}}
	newKey := func(d *Device) {
		key := auth.RandomToken(24)
		d.Key, d.KeyHash, page.NewSecret = key, "", &shownSecret{Owner: d.ID, Secret: key}
	}
	err := func() error {
		i := slices.IndexFunc(devices, func(d Device) bool { return d.ID == id })
		switch f.Get("action") {
		case "add", "pair":
			n, err := formInt(f, "counter", "quầy", "counter")
			d := Device{ID: id, Kind: f.Get("kind"), Counter: n}
			if d.Kind != DeviceRating {
				d.Counter = 0
			}
			page.NewDevice = d
			if err != nil {
				return err
			}
			if i >= 0 {
				return problem.Errorf(problem.EConflict, "Đã có thiết bị %q", "there is a device %q already", id)
			}
			devices = append(devices, d)
			newKey(&devices[len(devices)-1])
			if f.Get("action") == "pair" {
				page.PairCode = strings.TrimSpace(f.Get("code"))
				if !s.pairingWaits(page.PairCode) {
					return problem.Errorf(problem.ENotFound, "Không có thiết bị nào đang chờ với mã %q (mã hết hạn sau 10 phút)", "no device waits with the code %q (codes expire after 10 minutes)", page.PairCode)
				}
			}
		case "rekey", "revoke":
			if i < 0 {
				return problem.Errorf(problem.EConflict, "Không còn thiết bị %q; hãy tải lại trang", "there is no device %q any more; reload the page", id)
			}
			if f.Get("action") == "revoke" {
				devices = slices.Delete(devices, i, i+1)
			} else {
				newKey(&devices[i])
			}
		default:
			return problem.Errorf(problem.EInvalid, "Thao tác không rõ", "unknown action")
		}
		return nil
	}()
	if err == nil {
		page.Version, err = s.q.ChangeDevices(r.Context(), p.Actor, base, devices)
	}
	if err == nil && f.Get("action") == "pair" { // the key goes to the device, not to this page
		d := devices[len(devices)-1]
		s.pair(page.PairCode, api.PairedAnswer{ID: d.ID, Kind: d.Kind, Counter: d.Counter, Key: page.NewSecret.Secret})
		page.NewSecret = nil
		page.Notice = "Đã ghép nối " + d.ID + ": thiết bị nhận khoá ngay. / " + d.ID + " is paired: the device gets its key now."
	}
	if err != nil {
		page.Error, page.NewSecret = problem.As(err), nil
		page.Devices = s.devicesInForce()
		s.render(w, reply.Status(problem.As(err).Code), "devices", page)
		return
	}
	if page.NewSecret == nil && page.Notice == "" {
		http.Redirect(w, r, "/admin/devices?saved=1", http.StatusSeeOther)
		return
	}
	page.Devices, page.NewDevice = s.devicesInForce(), Device{Kind: DeviceKiosk}
	s.render(w, http.StatusOK, "devices", page)
}

func (s *Server) cataloguePage(w http.ResponseWriter, r *http.Request, p auth.Principal) {
	v, _ := s.q.Settings()
	page := consolePage{Title: "Thủ tục", TitleEN: "Procedures", Who: who(p), Version: v, Procedures: s.catalogue.Load().Procedures}
	if r.URL.Query().Get("saved") != "" {
		page.Notice = "Đã áp dụng danh mục; kiosk và quầy dùng nó ngay. / The catalogue is in force; kiosks and counters use it at once."
	}
	s.render(w, http.StatusOK, "catalogue", page)
}

// saveCatalogue previews an uploaded catalogue (what it adds, changes and
// removes; an error names its line) or applies the previewed one.
func (s *Server) saveCatalogue(w http.ResponseWriter, r *http.Request, p auth.Principal) {
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		r.ParseMultipartForm(maxSettings) // the upload (ParseForm left it unread)
	}
	base, _ := strconv.ParseUint(r.FormValue("version"), 10, 64)
	page := consolePage{Title: "Thủ tục", TitleEN: "Procedures", Who: who(p), Version: base, Procedures: s.catalogue.Load().Procedures}
	name, content := r.FormValue("file"), r.FormValue("content")
	if r.FormValue("action") == "preview" {
		file, head, err := r.FormFile("upload")
		if err != nil {
			page.Error = problem.As(problem.Errorf(problem.EInvalid, "Hãy chọn một tệp CSV hoặc JSON", "choose a CSV or JSON file"))
			s.render(w, http.StatusBadRequest, "catalogue", page)
			return
		}
		raw, _ := io.ReadAll(io.LimitReader(file, maxSettings))
		file.Close()
		name, content = head.Filename, string(raw)
	}
	_, office := s.q.Settings()
	c, err := catalogue.Parse(name, []byte(content), office.ServiceIDs())
	if err == nil && r.FormValue("action") == "apply" {
		if _, err = s.q.ChangeCatalogue(r.Context(), p.Actor, base, c); err == nil {
			http.Redirect(w, r, "/admin/catalogue?saved=1", http.StatusSeeOther)
			return
		}
	}
	if err != nil {
		page.Error = problem.As(err)
		s.render(w, reply.Status(page.Error.Code), "catalogue", page)
		return
	}
	added, changed, removed := catalogue.Diff(*s.catalogue.Load(), c)
	page.Preview = &cataloguePreview{File: name, Content: content, Added: added, Changed: changed, Removed: removed}
	s.render(w, http.StatusOK, "catalogue", page)
}

// years is the working calendar in force (none when intake is off).
func (s *Server) years() []calendar.Year {
	if cal := s.conf().desk.Calendar; cal != nil {
		return cal.Years()
	}
	return nil
}

func (s *Server) calendarPage(w http.ResponseWriter, r *http.Request, p auth.Principal) {
	v, _ := s.q.Settings()
	page := consolePage{Title: "Lịch làm việc", TitleEN: "Working calendar", Who: who(p), Version: v, Years: sortedYears(s.years()), NewDay: calendar.Entry{Kind: calendar.Holiday}}
	if r.URL.Query().Get("saved") != "" {
		page.Notice = "Đã lưu; ngày hẹn trả tính theo lịch mới. / Saved; due dates follow the new calendar."
	}
	s.render(w, http.StatusOK, "calendar", page)
}

// saveCalendar adds a day to its year, removes one, or imports a year's
// file (the shape of assets/calendar/vn-YYYY.json), which replaces that
// year whole.
func (s *Server) saveCalendar(w http.ResponseWriter, r *http.Request, p auth.Principal) {
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		r.ParseMultipartForm(maxSettings) // the upload (ParseForm left it unread)
	}
	base, _ := strconv.ParseUint(r.FormValue("version"), 10, 64)
	f := r.Form
	day := calendar.Entry{Date: strings.TrimSpace(f.Get("date")), Kind: f.Get("kind"), Name: strings.TrimSpace(f.Get("name"))}
	years := slices.Clone(s.years())
	notice := ""
	err := func() error {
		if years == nil {
			return problem.Errorf(problem.EConflict, "Máy chủ này không tiếp nhận hồ sơ: không có lịch để sửa", "this server does no intake: there is no calendar to edit")
		}
		if f.Get("action") == "import" {
			y, err := uploadedYear(r)
			if err != nil {
				return err
			}
			if i := slices.IndexFunc(years, func(o calendar.Year) bool { return o.Year == y.Year }); i >= 0 {
				years[i] = y
			} else {
				years = append(years, y)
			}
			notice = fmt.Sprintf("Đã nhập lịch năm %d: %d ngày đặc biệt, thay lịch cũ của năm đó; ngày hẹn trả tính theo lịch mới. / The %d calendar is imported: %d special days, in place of that year's; due dates follow it.", y.Year, len(y.Entries), y.Year, len(y.Entries))
			return nil
		}
		t, err := time.Parse("2006-01-02", day.Date)
		if err != nil {
			return problem.Errorf(problem.EInvalid, "Ngày %q phải dạng 2026-09-02", "the date %q must look like 2026-09-02", day.Date)
		}
		i := slices.IndexFunc(years, func(y calendar.Year) bool { return y.Year == t.Year() })
		if i < 0 {
			years, i = append(years, calendar.Year{Year: t.Year(), Source: "console"}), len(years)
		}
		y := years[i]
		y.Entries = slices.DeleteFunc(slices.Clone(y.Entries), func(e calendar.Entry) bool { return e.Date == day.Date })
		if f.Get("action") == "add" {
			y.Entries = append(y.Entries, day)
			slices.SortFunc(y.Entries, func(a, b calendar.Entry) int { return strings.Compare(a.Date, b.Date) })
		}
		years[i] = y
		return nil
	}()
	if err == nil {
		_, err = s.q.ChangeCalendar(r.Context(), p.Actor, base, years)
	}
	page := consolePage{Title: "Lịch làm việc", TitleEN: "Working calendar", Who: who(p), Version: base, NewDay: day}
	if err != nil {
		page.Years, page.Error = sortedYears(s.years()), problem.As(err)
		s.render(w, reply.Status(page.Error.Code), "calendar", page)
		return
	}
	if notice == "" {
		http.Redirect(w, r, "/admin/calendar?saved=1", http.StatusSeeOther)
		return
	}
	page.Version, _ = s.q.Settings()
	page.Years, page.Notice, page.NewDay = sortedYears(s.years()), notice, calendar.Entry{Kind: calendar.Holiday}
	s.render(w, http.StatusOK, "calendar", page)
}

// uploadedYear is the calendar year in the form's file, checked.
func uploadedYear(r *http.Request) (calendar.Year, error) {
	file, _, err := r.FormFile("upload")
	if err != nil {
		return calendar.Year{}, problem.Errorf(problem.EInvalid, "Hãy chọn tệp lịch của một năm (JSON, như assets/calendar/vn-2027.json)", "choose a year's calendar file (JSON, like assets/calendar/vn-2027.json)")
	}
	defer file.Close()
	raw, _ := io.ReadAll(io.LimitReader(file, maxSettings))
	y, err := calendar.ParseYear(raw)
	if err != nil {
		return calendar.Year{}, err
	}
	if y.Year < 2000 || y.Year > 2100 {
		return calendar.Year{}, problem.Errorf(problem.EInvalid, "Tệp lịch thiếu năm hoặc năm %d không hợp lệ", "the calendar file has no year, or %d is not one", y.Year)
	}
	if y.Source == "" {
		y.Source = "console"
	}
	return y, nil
}

func sortedYears(years []calendar.Year) []calendar.Year {
	out := slices.Clone(years)
	slices.SortFunc(out, func(a, b calendar.Year) int { return a.Year - b.Year })
	return out
}

// keep says whether an audit row passes the filters: who made it (a part of
// the name or username) and what it changed (a part of any change's path or
// value), both without regard to case or marks.
func keep(row auditRow, who, what string) bool {
	has := func(text, part string) bool { return strings.Contains(vntext.Fold(text), vntext.Fold(part)) }
	if who != "" && !has(row.Who, who) {
		return false
	}
	return what == "" || slices.ContainsFunc(row.Changes, func(c string) bool { return has(c, what) })
}
