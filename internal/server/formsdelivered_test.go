package server

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"motcua/internal/feed"
)

// formOf reads the first form posting to action from page: every input's
// name and value as the browser would send them untouched (checkboxes only
// when checked; selects with their selected option).
func formOf(t *testing.T, page, action string) url.Values {
	t.Helper()
	start := strings.Index(page, `action="`+action+`"`)
	if start < 0 {
		t.Fatalf("no form posting to %s", action)
	}
	body := page[start:]
	body = body[:strings.Index(body, "</form>")]
	attr := func(tag, name string) (string, bool) {
		m := regexp.MustCompile(`\s` + name + `="([^"]*)"`).FindStringSubmatch(tag)
		if m == nil {
			return "", regexp.MustCompile(`\s` + name + `[\s>]`).MatchString(tag)
		}
		return html.UnescapeString(m[1]), true
	}
	form := url.Values{}
	for _, tag := range regexp.MustCompile(`<input[^>]*>`).FindAllString(body, -1) {
		name, ok := attr(tag, "name")
		if !ok {
			continue
		}
		typ, _ := attr(tag, "type")
		if _, checked := attr(tag, "checked"); (typ == "checkbox" || typ == "radio") && !checked {
			continue
		}
		value, _ := attr(tag, "value")
		form.Add(name, value)
	}
	for _, sel := range regexp.MustCompile(`(?s)<select[^>]*>.*?</select>`).FindAllString(body, -1) {
		name, _ := attr(sel, "name")
		if m := regexp.MustCompile(`<option value="([^"]*)"[^>]*selected`).FindStringSubmatch(sel); m != nil {
			form.Add(name, html.UnescapeString(m[1]))
		}
	}
	return form
}

// The office page saves as it is delivered: a new office's admin who
// changes only the authority and the place (the fields left empty show
// their defaults as placeholders) has them saved.
func TestOfficeFormSavesAsDelivered(t *testing.T) {
	e := newEnv(t, feed.Config{})
	admin := e.login("boss")
	form := formOf(t, e.consoleGet("/admin", admin), "/admin")
	if form.Get("alert_slow") != "" {
		t.Fatalf("the test wants the delivered slow factor empty, it is %q", form.Get("alert_slow"))
	}
	form.Set("authority", "UBND phường Hòa Bình")
	form.Set("place", "Hòa Bình")
	code, where, page := e.consolePost("/admin", admin, e.http.URL, form)
	if code != http.StatusSeeOther || where != "/admin?saved=1" {
		t.Fatalf("saving the office page as delivered: %d → %q\n%s", code, where, page)
	}
	if _, o := e.store.Settings(); o.Authority != "UBND phường Hòa Bình" || o.Place != "Hòa Bình" || o.Alerts.SlowFactor != 0 {
		t.Errorf("saved %q %q (slow factor %v)", o.Authority, o.Place, o.Alerts.SlowFactor)
	}
}

// The console's home says what a new office has left to do, each line a
// link to the page that does it, and takes a line off once it is done.
func TestConsoleChecklist(t *testing.T) {
	e := newEnv(t, feed.Config{})
	admin := e.login("boss")
	page := e.consoleGet("/admin", admin)
	if !strings.Contains(page, "việc trước ngày làm việc đầu tiên") || !strings.Contains(page, `<li class="todo"><a href="/admin">○ Thông tin văn phòng`) {
		t.Fatalf("the checklist of a new office:\n%s", page)
	}
	if !strings.Contains(page, `<li class="done"><a href="/admin/users">✓ Cán bộ tiếp nhận: 2`) {
		t.Errorf("the clerks' line is not done with two clerks")
	}
	form := formOf(t, page, "/admin")
	form.Set("authority", "UBND phường Hòa Bình")
	form.Set("place", "Hòa Bình")
	if code, _, _ := e.consolePost("/admin", admin, e.http.URL, form); code != http.StatusSeeOther {
		t.Fatalf("saving: %d", code)
	}
	if page := e.consoleGet("/admin", admin); !strings.Contains(page, `<li class="done"><a href="/admin">✓ Thông tin văn phòng`) {
		t.Errorf("the office's details line after saving them is not done")
	}
}

// The reports page takes and shows its days as a Vietnamese writes them —
// 01/11/2026, not an en-US browser's 11/01/2026 — and the API reads them
// too.
func TestReportDaysAsWritten(t *testing.T) {
	e := newEnv(t, feed.Config{})
	admin := e.login("boss")
	page := e.consoleGet("/admin/reports?from=1/11/2026&to=30/11/2026", admin)
	if !strings.Contains(page, `name="from" value="01/11/2026"`) || !strings.Contains(page, `name="to" value="30/11/2026"`) || strings.Contains(page, `type="date"`) {
		t.Errorf("the period's fields:\n%s", page)
	}
	if code := e.call("GET", "/api/v1/admin/report?from=01/11/2026&to=30/11/2026", admin, "", nil); code != 200 {
		t.Errorf("the API with days as written: %d", code)
	}
}

// The office's working hours are set on its page as an office writes them
// ("7:30-11:30, 13:30–17:00"), and a wrong one is refused in words with
// nothing saved.
func TestOfficePageSetsTheHours(t *testing.T) {
	e := newEnv(t, feed.Config{})
	admin := e.login("boss")
	form := formOf(t, e.consoleGet("/admin", admin), "/admin")
	form.Set("hours", "7:30-11:30, 13:30–17:00")
	form.Set("saturday_hours", "7:30-11:30")
	if code, where, page := e.consolePost("/admin", admin, e.http.URL, form); code != http.StatusSeeOther {
		t.Fatalf("saving the hours: %d → %q\n%s", code, where, page)
	}
	_, o := e.store.Settings()
	if h := o.Hours; len(h.Weekday) != 2 || h.Weekday[0].Start != "07:30" || h.Weekday[1].End != "17:00" || len(h.Saturday) != 1 {
		t.Fatalf("saved hours %+v", h)
	}
	form = formOf(t, e.consoleGet("/admin", admin), "/admin")
	if form.Get("hours") != "07:30-11:30, 13:30-17:00" {
		t.Errorf("the page shows the hours as %q", form.Get("hours"))
	}
	for _, bad := range []string{"7h-11h", "13:30-11:30", "07:30-11:30, 11:00-17:00"} {
		form.Set("hours", bad)
		code, _, page := e.consolePost("/admin", admin, e.http.URL, form)
		if code != http.StatusBadRequest || !strings.Contains(page, "Giờ làm việc") && !strings.Contains(page, "giờ làm việc") {
			t.Errorf("hours %q: %d\n%s", bad, code, page)
		}
	}
	if _, after := e.store.Settings(); after.Hours.Weekday[1].End != "17:00" {
		t.Errorf("a refused form changed the hours: %+v", after.Hours)
	}
}

// A service's row takes numbers from afar (ticked) with a daily cap, and
// untick turns it off: the row's checkbox is sent only when ticked.
func TestServicesPageSetsRemoteNumbers(t *testing.T) {
	e := newEnv(t, feed.Config{})
	admin := e.login("boss")
	form := formOf(t, e.consoleGet("/admin/services", admin), "/admin/services")
	form.Set("action", "save")
	form.Set("remote", "1")
	form.Set("remote_daily_cap", "40")
	if code, where, page := e.consolePost("/admin/services", admin, e.http.URL, form); code != http.StatusSeeOther {
		t.Fatalf("saving: %d → %q\n%s", code, where, page)
	}
	if _, o := e.store.Settings(); !o.Services[0].Remote || o.Services[0].RemoteDailyCap != 40 {
		t.Fatalf("saved %+v", o.Services[0])
	}
	form = formOf(t, e.consoleGet("/admin/services", admin), "/admin/services")
	if form.Get("remote") != "1" || form.Get("remote_daily_cap") != "40" {
		t.Fatalf("the page shows remote %q cap %q", form.Get("remote"), form.Get("remote_daily_cap"))
	}
	form.Del("remote") // unticked
	form.Set("action", "save")
	e.consolePost("/admin/services", admin, e.http.URL, form)
	if _, o := e.store.Settings(); o.Services[0].Remote {
		t.Fatal("unticking left the service taking remote numbers")
	}
}

// A service's row takes bookings: ticked with its slot's minutes and
// people (the defaults when left empty), unticked none; a wrong one is
// refused in words.
func TestServicesPageSetsBookings(t *testing.T) {
	e := newEnv(t, feed.Config{})
	admin := e.login("boss")
	form := formOf(t, e.consoleGet("/admin/services", admin), "/admin/services")
	form.Set("action", "save")
	form.Set("booking", "1")
	form.Set("slot_minutes", "20")
	if code, where, page := e.consolePost("/admin/services", admin, e.http.URL, form); code != http.StatusSeeOther {
		t.Fatalf("saving: %d → %q\n%s", code, where, page)
	}
	_, o := e.store.Settings()
	if b := o.Services[0].Booking; b == nil || b.SlotMinutes != 20 || b.PerSlot != 2 {
		t.Fatalf("saved booking %+v", b)
	}
	form = formOf(t, e.consoleGet("/admin/services", admin), "/admin/services")
	form.Set("action", "save")
	form.Set("slot_minutes", "2")
	if code, _, page := e.consolePost("/admin/services", admin, e.http.URL, form); code != http.StatusBadRequest || !strings.Contains(page, "từ 5 đến 240 phút") {
		t.Errorf("a 2-minute slot: %d", code)
	}
	form.Del("booking")
	form.Set("slot_minutes", "")
	e.consolePost("/admin/services", admin, e.http.URL, form)
	if _, o := e.store.Settings(); o.Services[0].Booking != nil {
		t.Error("unticking left the bookings on")
	}
}
