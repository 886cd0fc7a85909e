package server

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"motcua/internal/api"
	"motcua/internal/queue"
)

// Only an admin reads or changes the settings.
func TestSettingsAuthorization(t *testing.T) {
	e := newEnv(t, WSConfig{})
	clerk, admin := e.login("lan"), e.login("boss")
	var doc api.SettingsDocument
	if code := e.call("GET", api.AdminSettings, admin, "", &doc); code != 200 || doc.Version != 1 || len(doc.Office.Services) != 2 {
		t.Fatalf("admin GET: %d %+v", code, doc)
	}
	body, _ := json.Marshal(doc)
	for _, c := range []struct {
		who, token string
		want       int
	}{{"anonymous", "", 401}, {"kiosk", kioskKey, 403}, {"board", "tv-key-1234567890", 403}, {"rating screen", ratingKey, 403}, {"clerk", clerk, 403}} {
		if code := e.call("GET", api.AdminSettings, c.token, "", nil); code != c.want {
			t.Errorf("%s GET: %d, want %d", c.who, code, c.want)
		}
		if code := e.call("PUT", api.AdminSettings, c.token, string(body), nil); code != c.want {
			t.Errorf("%s PUT: %d, want %d", c.who, code, c.want)
		}
	}
	if v, _ := e.store.Settings(); v != 1 {
		t.Errorf("the refused PUTs made version %d", v)
	}
}

// A service added through PUT is served, issued and in every feed client's
// next snapshot, without a restart; a document that does not check is 422, one
// that would break the day or starts from an old version is 409; neither
// changes anything.
func TestSettingsChangeLive(t *testing.T) {
	e := newEnv(t, WSConfig{})
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
