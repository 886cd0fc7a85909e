package server

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"motcua/internal/api"
	"motcua/internal/feed"
	"motcua/internal/queue"
)

// The console's sync page and the settings document set where the event log
// ships; the password is never on a page, in the document or the audit,
// and the masked string saved back keeps it. The desk head may not change
// it; a bad string is refused in both languages and changes nothing.
func TestConsoleSync(t *testing.T) {
	e := newEnv(t, feed.Config{})
	admin := e.login("boss")
	if p := e.consoleGet("/admin/sync", admin); !strings.Contains(p, "Nothing ships") {
		t.Fatalf("the page of an office that ships nothing:\n%s", p)
	}
	const dsn = "postgres://motcua:S3cr3t@tinh.example:5432/motcua?sslmode=verify-full"
	code, loc, _ := e.consolePost("/admin/sync", admin, e.http.URL, url.Values{"version": {"1"}, "dsn": {dsn}, "office": {"XA.01"}})
	if code != http.StatusSeeOther || loc != "/admin/sync?saved=1" || e.store.Sync() != (queue.Sync{DSN: dsn, Office: "XA.01"}) {
		t.Fatalf("saving: %d %q, in force %+v", code, loc, e.store.Sync())
	}
	page := e.consoleGet("/admin/sync?saved=1", admin)
	masked := "postgres://motcua:xxxxx@tinh.example:5432/motcua?sslmode=verify-full"
	if strings.Contains(page, "S3cr3t") || !strings.Contains(page, `value="`+masked+`"`) || !strings.Contains(page, "Đã lưu") {
		t.Errorf("the page after saving:\n%s", page)
	}
	// The form as shown, with another office id: the password stays.
	if code, _, _ := e.consolePost("/admin/sync", admin, e.http.URL, url.Values{"version": {"2"}, "dsn": {masked}, "office": {"XA.02"}}); code != http.StatusSeeOther || e.store.Sync().DSN != dsn {
		t.Fatalf("saving the masked form: %d, in force %+v", code, e.store.Sync())
	}
	code, _, page = e.consolePost("/admin/sync", admin, e.http.URL, url.Values{"version": {"3"}, "dsn": {"tinh.example"}, "office": {"XA.03"}})
	if code != http.StatusUnprocessableEntity && code != http.StatusBadRequest || !strings.Contains(page, "Đồng bộ tỉnh") || !strings.Contains(page, "province sync") || e.store.Sync().Office != "XA.02" {
		t.Errorf("a bad string: %d, in force %+v\n%s", code, e.store.Sync(), page)
	}
	supervisor := e.login("tam")
	if code, _, _ := e.consolePost("/admin/sync", supervisor, e.http.URL, url.Values{"version": {"3"}, "dsn": {""}}); code != http.StatusForbidden || !e.store.Sync().On() {
		t.Errorf("the desk head turning it off: %d, in force %+v", code, e.store.Sync())
	}
	audit := e.consoleGet("/admin/audit", admin)
	if strings.Contains(audit, "S3cr3t") || !strings.Contains(audit, "sync.office") || !strings.Contains(audit, "xxxxx") {
		t.Errorf("the audit:\n%s", audit)
	}

	// The settings document: masked out, masked back keeps it, absent leaves it.
	var doc api.SettingsDocument
	e.call("GET", "/api/v1/admin/settings", admin, "", &doc)
	if doc.Sync == nil || doc.Sync.DSN != masked || doc.Sync.Office != "XA.02" {
		t.Fatalf("the document's sync: %+v", doc.Sync)
	}
	doc.Sync.Office = "XA.04"
	body, _ := json.Marshal(doc)
	if code := e.call("PUT", "/api/v1/admin/settings", admin, string(body), nil); code != http.StatusOK || e.store.Sync() != (queue.Sync{DSN: dsn, Office: "XA.04"}) {
		t.Fatalf("PUT with the masked DSN: %d, in force %+v", code, e.store.Sync())
	}
	doc.Sync, doc.Version = nil, 0
	body, _ = json.Marshal(doc)
	if code := e.call("PUT", "/api/v1/admin/settings", admin, string(body), nil); code != http.StatusOK || e.store.Sync().Office != "XA.04" {
		t.Errorf("PUT without sync: %d, in force %+v", code, e.store.Sync())
	}
	// All or nothing: a bad sync leaves the office's name as it was.
	doc.Office.Name = "Tên mới"
	doc.Sync = &queue.Sync{DSN: "postgres://motcua:xxxxx@khac.example/motcua"}
	body, _ = json.Marshal(doc)
	if code := e.call("PUT", "/api/v1/admin/settings", admin, string(body), nil); code != http.StatusUnprocessableEntity || e.store.Office().Name == "Tên mới" {
		t.Errorf("PUT with a masked password for another host: %d, office %q", code, e.store.Office().Name)
	}
	// Off: the page says nothing ships.
	if code, _, _ := e.consolePost("/admin/sync", admin, e.http.URL, url.Values{"version": {"0"}, "dsn": {masked}, "office": {"XA.04"}, "off": {"1"}}); code != http.StatusSeeOther || e.store.Sync().On() {
		t.Errorf("stop shipping: %d, in force %+v", code, e.store.Sync())
	}
}
