package console

import (
	"fmt"
	"html/template"
	"net/http"
	"slices"
	"strings"
	"time"

	"motcua/internal/auth"
	"motcua/internal/calendar"
	"motcua/internal/problem"
	"motcua/internal/queue"
	"motcua/internal/web"
)

// frame is what the layout of every page reads; each page's view embeds it.
type frame struct {
	Page, Title, TitleEN string
	Who                  string // who is logged in; empty: no menu
	Admin                bool   // the settings' pages are in the menu
	Error                *problem.Error
	Notice               string
	Zone                 *time.Location // the office's, for its times
}

func (f *frame) base() *frame { return f }

// view is a page's data: its own fields and the frame.
type view interface{ base() *frame }

// page is one of the console's pages: its template and how it is served.
type page struct {
	name, title, titleEN string
	// script: its one script, from this server, follows the feed (the live room)
	script bool
	tmpl   *template.Template
}

var (
	loginPage     = newPage("login", "Đăng nhập quản trị", "Administrator login", false)
	officePage    = newPage("office", "Văn phòng", "Office", false)
	servicesPage  = newPage("services", "Dịch vụ", "Services", false)
	countersPage  = newPage("counters", "Quầy", "Counters", false)
	usersPage     = newPage("users", "Cán bộ", "Staff", false)
	devicesPage   = newPage("devices", "Thiết bị", "Devices", false)
	cataloguePage = newPage("catalogue", "Thủ tục", "Procedures", false)
	calendarPage  = newPage("calendar", "Lịch làm việc", "Working calendar", false)
	syncPage      = newPage("sync", "Đồng bộ lên tỉnh", "Province sync", false)
	notifyPage    = newPage("notify", "Tin nhắn cho người dân", "Messages to citizens", false)
	paymentsPage  = newPage("payments", "Phí, lệ phí: sao kê ngân hàng", "Fees: the bank statement", false)
	auditPage     = newPage("audit", "Nhật ký thay đổi cấu hình", "Settings audit", false)
	reportsPage   = newPage("reports", "Báo cáo", "Reports", false)
	livePage      = newPage("live", "Theo dõi trực tiếp", "Live room", true)
)

func newPage(name, title, titleEN string, script bool) *page {
	return &page{name: name, title: title, titleEN: titleEN, script: script,
		tmpl: template.Must(template.New("").Funcs(funcs).ParseFS(web.Console(), "layout.html", name+".html"))}
}

// render writes pg with v for p (the zero principal: no menu).
func (c *Console) render(w http.ResponseWriter, code int, pg *page, p auth.Principal, v view) {
	f := v.base()
	if p.Actor.Kind != "" {
		f.Who, f.Admin = who(p), p.Actor.Kind == queue.ActorAdmin
	}
	if f.Zone == nil {
		f.Zone = c.InForce.Zone()
	}
	write(w, code, pg, v)
}

// write answers pg drawn with v: never cached, no script but the page's own.
func write(w http.ResponseWriter, code int, pg *page, v view) {
	f := v.base()
	f.Page = pg.name
	if f.Title == "" {
		f.Title, f.TitleEN = pg.title, pg.titleEN
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	csp := "default-src 'self'; script-src 'none'; frame-ancestors 'none'"
	if pg.script {
		csp = "default-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'"
	}
	w.Header().Set("Content-Security-Policy", csp)
	w.WriteHeader(code)
	if err := pg.tmpl.ExecuteTemplate(w, "layout", v); err != nil {
		fmt.Fprintf(w, "<p>%s</p>", template.HTMLEscapeString(err.Error()))
	}
}

func who(p auth.Principal) string { return p.Actor.Name + " (" + p.Actor.ID + ")" }

// saved is the notice of a page after a save (its ?saved=1), else "".
func saved(r *http.Request, notice string) string {
	if r.URL.Query().Get("saved") != "" {
		return notice
	}
	return ""
}

var dayKinds = map[string]string{calendar.Holiday: "Ngày lễ, Tết / holiday", calendar.SubstituteOff: "Nghỉ bù / day off in lieu", calendar.MakeUp: "Làm bù / make-up working day"}

var funcs = template.FuncMap{"inc": func(i int) int { return i + 1 }, "has": slices.Contains[[]string], "join": func(ids []string) string { return strings.Join(ids, ", ") },
	"joinsemi": func(names []string) string { return strings.Join(names, "; ") },
	"kind":     func(k string) string { return queue.DeviceKindNames[k] },
	"roles":    func() []roleLabel { return roleLabels },
	"daykind":  func(k string) string { return dayKinds[k] },
	"channels": func() any { return channelChoices },
	"stamp": func(loc *time.Location, t time.Time) string {
		if loc == nil {
			loc = time.UTC
		}
		return t.In(loc).Format("15:04 02/01")
	},
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

// loginView is the login page (and the refusals at the gate).
type loginView struct {
	frame
	Username string
	SetPIN   bool // the form asks for a new PIN
}
