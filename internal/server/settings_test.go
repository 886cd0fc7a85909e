package server

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"motcua/internal/api"
	"motcua/internal/feed"
	"motcua/internal/queue"
)

// Every admin endpoint checks the role: 401 without credentials, 403 for each
// device kind and a clerk; the supervisor reads the reports and nothing else
// of the admin's.
func TestAdminAuthorizationMatrix(t *testing.T) {
	e := newEnv(t, feed.Config{})
	clerk, supervisor, admin := e.login("lan"), e.login("tam"), e.login("boss")
	var doc api.SettingsDocument
	if code := e.call("GET", api.AdminSettings, admin, "", &doc); code != 200 || doc.Version != 1 || len(doc.Office.Services) != 2 {
		t.Fatalf("admin GET: %d %+v", code, doc)
	}
	body, _ := json.Marshal(doc)
	who := []struct{ name, token string }{{"anonymous", ""}, {"kiosk", kioskKey}, {"board", "tv-key-1234567890"}, {"rating screen", ratingKey},
		{"clerk", clerk}, {"supervisor", supervisor}, {"admin", admin}}
	for _, ep := range []struct {
		method, path, body string
		supervisor         bool // the supervisor may
	}{
		{"GET", api.AdminSettings, "", false},
		{"PUT", api.AdminSettings, string(body), false},
		{"GET", api.AdminBackup, "", false},
		{"GET", api.AdminReport + "?from=2026-11-01&to=2026-11-30", "", true},
		{"GET", api.AdminDevices, "", true},
		{"GET", api.AdminAlerts, "", true},
		{"GET", api.AdminLive, "", true},
	} {
		for _, w := range who {
			want := 403
			switch {
			case w.token == "":
				want = 401
			case w.name == "admin", w.name == "supervisor" && ep.supervisor:
				want = 200
			}
			if code := e.call(ep.method, ep.path, w.token, ep.body, nil); code != want {
				t.Errorf("%s %s as %s: %d, want %d", ep.method, ep.path, w.name, code, want)
			}
		}
	}
	if v, _ := e.store.Settings(); v != 1 {
		t.Errorf("the PUTs made version %d (the admin's put the same document)", v)
	}
	// Closing a service for today is the desk head's (and an admin's).
	closeToday := api.Path(api.ServiceToday, "ho_tich", api.ActCloseToday)
	for _, w := range who[:5] {
		want := 403
		if w.token == "" {
			want = 401
		}
		if code := e.call("POST", closeToday, w.token, `{"reason":"họp"}`, nil); code != want {
			t.Errorf("POST %s as %s: %d, want %d", closeToday, w.name, code, want)
		}
	}
	var st queue.ServiceStatus
	if code := e.call("POST", closeToday, supervisor, `{"reason":"Cán bộ đi họp"}`, &st); code != 200 || !st.ClosedToday || st.ClosedReason != "Cán bộ đi họp" {
		t.Errorf("the supervisor closes: %d %+v", code, st)
	}
	if code := e.call("POST", closeToday, admin, `{"reason":"x"}`, nil); code != 409 {
		t.Errorf("closing twice: %d", code)
	}
	var opened queue.ServiceStatus
	if code := e.call("POST", api.Path(api.ServiceToday, "ho_tich", api.ActOpenToday), admin, "", &opened); code != 200 || opened.ClosedToday || opened.ID != "ho_tich" {
		t.Errorf("the admin opens: %d %+v", code, opened)
	}
	if code := e.call("POST", api.Path(api.ServiceToday, "ho_tich", "pause"), admin, "", nil); code != 404 {
		t.Errorf("an unknown action: %d", code)
	}
}

// A service added through PUT is served, issued and in every feed client's
// next snapshot, without a restart; a document that does not check is 422, one
// that would break the day or starts from an old version is 409; neither
// changes anything.
func TestSettingsChangeLive(t *testing.T) {
	e := newEnv(t, feed.Config{})
	admin := e.login("boss")
	pub := e.dial("")
	if fr := pub.next(); fr.Type != "snapshot" {
		t.Fatalf("first frame %q", fr.Type)
	}
	var doc api.SettingsDocument
	e.call("GET", api.AdminSettings, admin, "", &doc)
	doc.Office.Services = append(doc.Office.Services, queue.ServiceConfig{ID: "dat_dai", Name: "Đất đai", RangeStart: 3001, RangeEnd: 3999})
	doc.Office.Counters = append(doc.Office.Counters, queue.CounterConfig{Number: 3, Services: []string{"dat_dai"}})
	body, _ := json.Marshal(doc)
	var got api.SettingsDocument
	if code := e.call("PUT", api.AdminSettings, admin, string(body), &got); code != 200 || got.Version != 2 || len(got.Office.Services) != 3 {
		t.Fatalf("PUT: %d %+v", code, got)
	}
	var services []queue.ServiceStatus
	e.call("GET", "/api/v1/services", "", "", &services)
	if !slices.ContainsFunc(services, func(s queue.ServiceStatus) bool { return s.ID == "dat_dai" }) {
		t.Fatalf("the new service is not served: %+v", services)
	}
	for {
		fr := pub.next()
		if fr.Type == "snapshot" {
			if !slices.ContainsFunc(fr.Snapshot.Services, func(s queue.ServiceStatus) bool { return s.ID == "dat_dai" }) {
				t.Fatalf("the fresh snapshot lacks the new service")
			}
			break
		}
		if fr.Type == string(queue.EvSettings) && strings.Contains(string(fr.raw), `"changes"`) {
			t.Error("the public feed carries what the settings change was")
		}
	}
	if tk := e.issue("dat_dai", ""); tk.Number != 3001 {
		t.Fatalf("the new service's first ticket: %+v", tk)
	}

	for _, c := range []struct {
		name   string
		change func(*api.SettingsDocument)
		want   int
	}{
		{"two services with one id", func(d *api.SettingsDocument) { d.Office.Services[1].ID = d.Office.Services[0].ID }, 422},
		{"removing a service with a ticket waiting", func(d *api.SettingsDocument) {
			d.Office.Services = d.Office.Services[:2]
			d.Office.Counters = d.Office.Counters[:2]
		}, 409},
		{"an edit of version 1", func(d *api.SettingsDocument) { d.Version = 1; d.Office.Name = "Khác" }, 409},
	} {
		var d api.SettingsDocument
		e.call("GET", api.AdminSettings, admin, "", &d)
		c.change(&d)
		body, _ := json.Marshal(d)
		if code := e.call("PUT", api.AdminSettings, admin, string(body), nil); code != c.want {
			t.Errorf("%s: %d, want %d", c.name, code, c.want)
		}
	}
	if v, o := e.store.Settings(); v != 2 || len(o.Services) != 3 {
		t.Errorf("after the refusals: version %d, %d services", v, len(o.Services))
	}
	if code := e.call("PUT", api.AdminSettings, admin, `{"version":2,"office":`, nil); code != 400 {
		t.Errorf("a cut document: %d, want 400", code)
	}
}

// The settings document carries the staff without their PINs; a PUT may
// change a user's role (in force at once), never add one without a PIN, and
// never leave the office without an admin.
func TestSettingsDocumentStaff(t *testing.T) {
	e := newEnv(t, feed.Config{})
	admin, lan := e.login("boss"), e.login("lan")
	req, _ := http.NewRequest("GET", e.http.URL+api.AdminSettings, nil)
	req.Header.Set("Authorization", "Bearer "+admin)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if strings.Contains(string(raw), "$2a$") || strings.Contains(string(raw), "pin") || !strings.Contains(string(raw), `"username":"lan"`) {
		t.Fatalf("the settings document: %s", raw)
	}
	var doc api.SettingsDocument
	json.Unmarshal(raw, &doc)
	put := func(d api.SettingsDocument) int {
		body, _ := json.Marshal(d)
		return e.call("PUT", api.AdminSettings, admin, string(body), nil)
	}
	report := api.AdminReport + "?from=2026-11-01&to=2026-11-30"
	if code := e.call("GET", report, lan, "", nil); code != 403 {
		t.Fatalf("a clerk's report: %d", code)
	}
	promoted := doc
	promoted.Users = slices.Clone(doc.Users)
	for i := range promoted.Users {
		if promoted.Users[i].Username == "lan" {
			promoted.Users[i].Role = RoleSupervisor
		}
	}
	if code := put(promoted); code != 200 {
		t.Fatalf("promote lan: %d", code)
	}
	if code := e.call("GET", report, lan, "", nil); code != 200 {
		t.Errorf("lan as supervisor, same session: report %d", code)
	}
	stranger := promoted
	stranger.Version = 0
	stranger.Users = append(slices.Clone(promoted.Users), api.StaffView{Username: "moi", Name: "Người mới", Role: RoleClerk})
	if code := put(stranger); code != 422 {
		t.Errorf("a new user without a PIN: %d, want 422", code)
	}
	noAdmin := promoted
	noAdmin.Version = 0
	noAdmin.Users = slices.DeleteFunc(slices.Clone(promoted.Users), func(u api.StaffView) bool { return u.Role == RoleAdmin })
	if code := put(noAdmin); code != 409 {
		t.Errorf("no admin left: %d, want 409", code)
	}
	if !slices.ContainsFunc(e.store.Users(), func(u User) bool { return u.Username == "boss" && u.PINHash != "" }) {
		t.Error("the admin or their PIN was lost")
	}
}

// PUT /api/v1/admin/settings is one change of the store: a document whose
// office checks but whose shipping does not changes nothing, not even the
// office.
func TestSettingsPutIsAllOrNothing(t *testing.T) {
	e := newEnv(t, feed.Config{})
	admin := e.login("boss")
	var doc api.SettingsDocument
	if code := e.call("GET", api.AdminSettings, admin, "", &doc); code != 200 {
		t.Fatalf("GET: %d", code)
	}
	was := doc.Office.Name
	doc.Office.Name = "Tên mới của văn phòng"
	doc.Sync = &queue.Sync{DSN: "not a database", Office: "XA.01"}
	body, _ := json.Marshal(doc)
	if code := e.call("PUT", api.AdminSettings, admin, string(body), nil); code != 422 {
		t.Fatalf("a document whose shipping does not check: %d, want 422", code)
	}
	if v, office := e.store.Settings(); v != doc.Version || office.Name != was {
		t.Fatalf("after the refusal: version %d, office %q (was %d, %q)", v, office.Name, doc.Version, was)
	}
}

// The settings document and import-config check the office as the config
// file and the setup do: a public URL that is a script, a file or carries a
// line break, an agency code that would reach a path — refused in both
// languages, nothing changed.
func TestSettingsCheckedAsAtStart(t *testing.T) {
	e := newEnv(t, feed.Config{})
	admin := e.login("boss")
	for _, c := range []struct {
		name string
		edit func(o *queue.Office)
	}{
		{"a script URL", func(o *queue.Office) { o.PublicURL = "javascript:alert(1)" }},
		{"a file URL", func(o *queue.Office) { o.PublicURL = "file:///etc/passwd" }},
		{"a URL with CRLF", func(o *queue.Office) { o.PublicURL = "http://10.0.0.2:8080/\r\nSet-Cookie: x=1" }},
		{"a URL with a user", func(o *queue.Office) { o.PublicURL = "http://admin:pw@10.0.0.2/" }},
		{"an agency code with a path", func(o *queue.Office) { o.AgencyCode = "X/../../admin" }},
	} {
		var doc api.SettingsDocument
		e.call("GET", api.AdminSettings, admin, "", &doc)
		c.edit(&doc.Office)
		body, _ := json.Marshal(doc)
		if code := e.call("PUT", api.AdminSettings, admin, string(body), nil); code < 400 || code >= 500 {
			t.Errorf("%s through the settings document: %d", c.name, code)
		}
		v, o := e.store.Settings()
		c.edit(&o)
		if _, err := ImportSettings(context.Background(), e.store, queue.SettingsVersion{Version: v, Office: o}); err == nil ||
			!strings.Contains(err.Error(), "public_url") && !strings.Contains(err.Error(), "agency_code") {
			t.Errorf("%s through import-config: %v", c.name, err)
		}
		if v2, _ := e.store.Settings(); v2 != v {
			t.Errorf("%s: the settings went from version %d to %d", c.name, v, v2)
		}
	}
	var doc api.SettingsDocument
	e.call("GET", api.AdminSettings, admin, "", &doc)
	doc.Office.PublicURL, doc.Office.AgencyCode = "https://motcua.xa.example:8443/", "H29.100_a-1"
	body, _ := json.Marshal(doc)
	if code := e.call("PUT", api.AdminSettings, admin, string(body), nil); code != 200 {
		t.Errorf("a good URL and agency code: %d", code)
	}
}
