package console

import (
	"net/http"
	"net/url"
	"strings"

	"motcua/internal/auth"
	"motcua/internal/problem"
	"motcua/internal/queue"
	"motcua/internal/reply"
)

const cookieName = "motcua_admin"

// pageFunc is a page's handler, given who asks.
type pageFunc func(w http.ResponseWriter, r *http.Request, p auth.Principal)

// admin is a settings page: an admin's alone.
func (c *Console) admin(page pageFunc) http.HandlerFunc { return c.gate(auth.NeedAdmin, page) }

// desk is one of the desk head's pages (reports, the live room): the
// supervisor's and the admin's.
func (c *Console) desk(page pageFunc) http.HandlerFunc { return c.gate(auth.NeedSupervisor, page) }

var errForeignForm = problem.Errorf(problem.EForbidden, "Biểu mẫu không gửi từ trang quản trị của máy chủ này", "the form was not sent from this server's console")

// gate checks the session cookie against allow and, for a post, where it
// came from, reads the form (within reply.MaxSettings), then runs page.
func (c *Console) gate(allow func(auth.Principal) error, page pageFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ck, err := r.Cookie(cookieName)
		var p auth.Principal
		if err == nil {
			p, err = c.Auth.IdentifyToken(ck.Value)
		}
		if err != nil || p.Actor.Kind == "" {
			http.Redirect(w, r, "/admin/login", http.StatusSeeOther)
			return
		}
		refuse := func(code int, title, titleEN string, err error) {
			c.render(w, code, loginPage, auth.Principal{}, &loginView{frame: frame{Title: title, TitleEN: titleEN, Error: problem.As(err)}})
		}
		if err := allow(p); err != nil {
			refuse(http.StatusForbidden, "Không được phép", "Not allowed", err)
			return
		}
		if r.Method == http.MethodPost && !sameOrigin(r) {
			refuse(http.StatusForbidden, "Không được phép", "Not allowed", errForeignForm)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, reply.MaxSettings)
		if err := r.ParseForm(); err != nil {
			refuse(http.StatusBadRequest, "Biểu mẫu hỏng", "Broken form", reply.DecodeError(err))
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

func (c *Console) logout(w http.ResponseWriter, r *http.Request) {
	if ck, err := r.Cookie(cookieName); err == nil && sameOrigin(r) {
		c.Auth.Logout(ck.Value)
	}
	http.SetCookie(w, &http.Cookie{Name: cookieName, Path: "/admin", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteStrictMode})
	http.Redirect(w, r, "/admin/login", http.StatusSeeOther)
}

func (c *Console) login(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, reply.MaxBody)
	r.ParseForm()
	username := strings.TrimSpace(r.PostFormValue("username"))
	newPIN := r.PostFormValue("new_pin")
	fail := func(err error) {
		e := problem.As(err)
		// Asked to choose a PIN (or the new one did not check): the form asks
		// for the code again with the new PIN twice.
		setPIN := e.Code == problem.ESetPIN || newPIN != "" && e.Code == problem.EInvalid
		c.render(w, reply.Status(e.Code), loginPage, auth.Principal{}, &loginView{frame: frame{Error: e}, Username: username, SetPIN: setPIN})
	}
	if !sameOrigin(r) {
		fail(errForeignForm)
		return
	}
	if newPIN != r.PostFormValue("new_pin2") {
		fail(problem.Errorf(problem.ESetPIN, "Hai lần nhập mã PIN mới không khớp", "the two new PINs differ"))
		return
	}
	token, u, err := c.Auth.Login(username, r.PostFormValue("pin"), newPIN, auth.ClientAddr(r))
	if err != nil {
		fail(err)
		return
	}
	if u.Role != queue.RoleAdmin && u.Role != queue.RoleSupervisor {
		c.Auth.Logout(token)
		if newPIN != "" { // a clerk chose a PIN at an office PC: done, but the console is not theirs
			c.render(w, http.StatusOK, loginPage, auth.Principal{}, &loginView{frame: frame{
				Notice: "Đã đặt mã PIN mới của " + u.Username + "; dùng nó để đăng nhập ở quầy. Trang quản trị chỉ dành cho quản trị viên. / " + u.Username + "'s new PIN is set; use it to log in at the counter. The console is for admins only."}})
			return
		}
		fail(auth.ErrNeedAdmin)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: cookieName, Value: token, Path: "/admin", MaxAge: int(c.Auth.TTL().Seconds()),
		HttpOnly: true, SameSite: http.SameSiteStrictMode})
	home := "/admin"
	if u.Role == queue.RoleSupervisor { // the desk head's pages; the settings are the admin's
		home = "/admin/reports"
	}
	http.Redirect(w, r, home, http.StatusSeeOther)
}
