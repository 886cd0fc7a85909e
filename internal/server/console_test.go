package server

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// consolePost posts a form with the session cookie (and Origin, when set),
// without following redirects; it returns the status, the Location and the page.
func (e *env) consolePost(path, cookie, origin string, form url.Values) (int, string, string) {
	e.t.Helper()
	req, _ := http.NewRequest("POST", e.http.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if cookie != "" {
		req.AddCookie(&http.Cookie{Name: consoleCookie, Value: cookie})
	}
	if origin != "" {
		req.Header.Set("Origin", origin)
	}
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Location"), string(body)
}

// The console lets only an admin in, only from its own pages, and a refused
// form comes back as typed.
func TestConsoleGuards(t *testing.T) {
	e := newEnv(t, WSConfig{})
	for _, user := range []string{"lan", "tam"} { // a clerk, the supervisor
		code, _, page := e.consolePost("/admin/login", "", "", url.Values{"username": {user}, "pin": {"2468"}})
		if code != http.StatusForbidden || !strings.Contains(page, "Chỉ quản trị viên") {
			t.Errorf("%s at the console's login: %d", user, code)
		}
	}
	code, where, _ := e.consolePost("/admin/login", "", "", url.Values{"username": {"boss"}, "pin": {"2468"}})
	if code != http.StatusSeeOther || where != "/admin" {
		t.Fatalf("the admin's login: %d → %q", code, where)
	}
	admin := e.login("boss") // a session like the cookie's
	if code, where, _ := e.consolePost("/admin", "", "", url.Values{"name": {"X"}}); code != http.StatusSeeOther || where != "/admin/login" {
		t.Errorf("a post without a session: %d → %q", code, where)
	}
	if code, _, _ := e.consolePost("/admin", admin, "http://evil.example", url.Values{"version": {"1"}, "name": {"Bị đổi"}}); code != http.StatusForbidden {
		t.Errorf("a post from another site: %d, want 403", code)
	}
	code, _, page := e.consolePost("/admin", admin, e.http.URL, url.Values{"version": {"1"}, "name": {"Văn phòng mới"}, "retention_days": {"hai năm"}})
	if code != http.StatusBadRequest || !strings.Contains(page, "Văn phòng mới") || !strings.Contains(page, "must be a whole number") {
		t.Errorf("a form with a word for a number: %d, the page keeps what was typed and says why: %v", code, strings.Contains(page, "Văn phòng mới"))
	}
	if v, o := e.store.Settings(); v != 1 || o.Name != testOffice().Name {
		t.Fatalf("the refused posts changed the settings: version %d %q", v, o.Name)
	}
	if code, where, _ := e.consolePost("/admin", admin, e.http.URL, url.Values{"version": {"1"}, "name": {"Văn phòng mới"}}); code != http.StatusSeeOther || where != "/admin?saved=1" {
		t.Fatalf("the office form: %d → %q", code, where)
	}
	if _, o := e.store.Settings(); o.Name != "Văn phòng mới" {
		t.Errorf("saved %q", o.Name)
	}
}
