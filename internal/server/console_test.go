package server

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"motcua/internal/api"
	"motcua/internal/feed"
	"motcua/internal/notify"
	"motcua/internal/problem"
	"motcua/internal/queue"
)

// consoleCookie is the console's session cookie, as a browser holds it.
const consoleCookie = "motcua_admin"

// consoleGet is a console page as the holder of cookie sees it.
func (e *env) consoleGet(path, cookie string) string {
	e.t.Helper()
	req, _ := http.NewRequest("GET", e.http.URL+path, nil)
	req.AddCookie(&http.Cookie{Name: consoleCookie, Value: cookie})
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

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

// The console lets an admin in to everything and the supervisor to the
// reports only, only from its own pages, and a refused form comes back as
// typed.
func TestConsoleGuards(t *testing.T) {
	e := newEnv(t, feed.Config{})
	if code, _, page := e.consolePost("/admin/login", "", "", url.Values{"username": {"lan"}, "pin": {"2468"}}); code != http.StatusForbidden || !strings.Contains(page, "Chỉ quản trị viên") {
		t.Errorf("a clerk at the console's login: %d", code)
	}
	if code, where, _ := e.consolePost("/admin/login", "", "", url.Values{"username": {"tam"}, "pin": {"2468"}}); code != http.StatusSeeOther || where != "/admin/reports" {
		t.Errorf("the supervisor's login: %d → %q", code, where)
	}
	head := e.login("tam")
	for _, page := range []string{"/admin", "/admin/services", "/admin/users", "/admin/devices", "/admin/audit"} {
		if got := e.consoleGet(page, head); !strings.Contains(got, "Không được phép") {
			t.Errorf("the supervisor on %s:\n%.300s", page, got)
		}
	}
	if got := e.consoleGet("/admin/reports", head); !strings.Contains(got, "Tổng hợp") || strings.Contains(got, `href="/admin/users"`) {
		t.Errorf("the supervisor's reports page:\n%.300s", got)
	}
	clerk := e.login("lan")
	if got := e.consoleGet("/admin/reports", clerk); !strings.Contains(got, "Không được phép") {
		t.Errorf("a clerk on the reports page:\n%.300s", got)
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

// The staff page: a user added gets a PIN shown once that logs in; a new PIN
// replaces the old; a disabled user's session ends; the last admin stays;
// an unlock forgets the wrong PINs.
func TestConsoleStaff(t *testing.T) {
	e := newEnv(t, feed.Config{})
	admin := e.login("boss")
	pinOf := func(page string) string {
		i := strings.Index(page, `class="code">`)
		if i < 0 {
			t.Fatalf("no PIN on the page")
		}
		return page[i+len(`class="code">`) : i+len(`class="code">`)+6]
	}
	post := func(form url.Values) (int, string) {
		form.Set("version", "0")
		code, _, page := e.consolePost("/admin/users", admin, e.http.URL, form)
		return code, page
	}
	loginWith := func(user, pin string) int {
		return e.call("POST", "/api/v1/login", "", `{"username":"`+user+`","pin":"`+pin+`"}`, nil)
	}
	choosing := func(user, pin, newPIN string) (int, string) {
		var body api.ErrorBody
		code := e.call("POST", "/api/v1/login", "", `{"username":"`+user+`","pin":"`+pin+`","new_pin":"`+newPIN+`"}`, &body)
		return code, body.Error.Code
	}
	code, page := post(url.Values{"action": {"add"}, "username": {"hoa.nt"}, "name": {"Nguyễn Thị Hoa"}, "role": {RoleClerk}})
	if code != 200 {
		t.Fatalf("add: %d", code)
	}
	first := pinOf(page)
	// The code shown lets hoa in only to choose her PIN: 403 set_pin
	// without one, 400 for a weak one, then the session; the code is spent.
	if code, what := choosing("hoa.nt", first, ""); code != 403 || what != problem.ESetPIN {
		t.Fatalf("the one-time code alone: %d %s", code, what)
	}
	for _, weak := range []string{"1234", "111111", "123456", "98765", first} {
		if code, _ := choosing("hoa.nt", first, weak); code != 400 {
			t.Errorf("the new PIN %q: %d", weak, code)
		}
	}
	if code, _ := choosing("hoa.nt", first, "482916"); code != 200 {
		t.Fatalf("choosing a PIN with the code: %d", code)
	}
	if loginWith("hoa.nt", first) != 401 || loginWith("hoa.nt", "482916") != 200 {
		t.Fatalf("after choosing, the code still works or the PIN chosen does not")
	}
	_, page = post(url.Values{"action": {"reset"}, "username": {"hoa.nt"}})
	second := pinOf(page)
	if loginWith("hoa.nt", "482916") != 401 || loginWith("hoa.nt", second) != 403 {
		t.Fatalf("after a reset the old PIN still works or the code does not lead to choosing")
	}
	if code, _ := choosing("hoa.nt", second, "907315"); code != 200 || loginWith("hoa.nt", "907315") != 200 {
		t.Fatalf("choosing after the reset: %d", code)
	}
	session := e.login("lan")
	if code, _ := post(url.Values{"action": {"save"}, "username": {"lan"}, "name": {"Nguyễn Thị Lan"}, "role": {RoleClerk}, "disabled": {"1"}}); code != 303 {
		t.Fatalf("disable: %d", code)
	}
	if e.call("GET", "/api/v1/me", session, "", nil) != 401 || loginWith("lan", "2468") != 401 {
		t.Error("a disabled user's session or login still works")
	}
	if code, page := post(url.Values{"action": {"save"}, "username": {"boss"}, "name": {"Quản trị"}, "role": {RoleClerk}}); code != 409 || !strings.Contains(page, "at least one enabled admin") {
		t.Errorf("demoting the last admin: %d", code)
	}
	for range 5 {
		loginWith("minh", "0000")
	}
	if loginWith("minh", "2468") != 429 {
		t.Fatal("five wrong PINs did not lock minh")
	}
	post(url.Values{"action": {"unlock"}, "username": {"minh"}})
	if loginWith("minh", "2468") != 200 {
		t.Error("after the unlock the right PIN is still refused")
	}
	history, _ := e.store.SettingsHistory()
	var changes []string
	for _, h := range history {
		changes = append(changes, fmt.Sprint(h.Version))
	}
	if n, err := e.store.Verify(); err != nil || len(history) != 6 { // seed, add, hoa's PIN, reset, hoa's PIN, disable
		t.Errorf("history %v, verify %d %v", changes, n, err)
	}
	if n := len(slices.DeleteFunc(slices.Clone(history), func(h queue.SettingsVersion) bool { return h.By.ID != "hoa.nt" })); n != 2 {
		t.Errorf("hoa chose her PIN twice; the record says so %d times", n)
	}
	if audit := e.consoleGet("/admin/audit?who=hoa.nt", admin); strings.Count(audit, "<tr><td>") != 2 || !strings.Contains(audit, "users[hoa.nt].must_set_pin: true → false") {
		t.Errorf("the audit of hoa's own changes:\n%s", audit)
	}
	if users := e.store.Users(); !slices.ContainsFunc(users, func(u User) bool {
		return u.Username == "hoa.nt" && !u.MustSetPIN && strings.HasPrefix(u.PINHash, "$2") && !strings.Contains(u.PINHash, "907315")
	}) {
		t.Errorf("the stored users: the PIN kept in clear, or the user missing")
	}
}

// The devices page: a kiosk added gets a key shown once that issues tickets;
// a new key retires the old; a revoked device is refused at once. The store
// keeps the keys' hashes only.
func TestConsoleDevices(t *testing.T) {
	e := newEnv(t, feed.Config{})
	admin := e.login("boss")
	post := func(form url.Values) (int, string) {
		form.Set("version", "0")
		code, _, page := e.consolePost("/admin/devices", admin, e.http.URL, form)
		return code, page
	}
	keyOf := func(page string) string {
		i := strings.Index(page, `class="code key">`)
		if i < 0 {
			t.Fatalf("no key on the page")
		}
		rest := page[i+len(`class="code key">`):]
		return rest[:strings.Index(rest, "<")]
	}
	issue := func(key string) int {
		return e.call("POST", "/api/v1/tickets", key, `{"service_id":"ho_tich"}`, nil)
	}
	code, page := post(url.Values{"action": {"add"}, "id": {"kiosk-sanh"}, "kind": {DeviceKiosk}})
	if code != 200 {
		t.Fatalf("add: %d", code)
	}
	first := keyOf(page)
	if issue(first) != 201 {
		t.Fatal("the new kiosk's key does not issue")
	}
	if issue(kioskKey) != 201 {
		t.Error("the config's kiosk lost its key when another was added")
	}
	_, page = post(url.Values{"action": {"rekey"}, "id": {"kiosk-sanh"}})
	second := keyOf(page)
	if issue(first) != 401 || issue(second) != 201 {
		t.Error("after a new key the old one still works or the new one does not")
	}
	on := e.dial(second) // the kiosk follows the feed
	on.next()
	board := e.dial("tv-key-1234567890")
	board.next()
	if code, _ := post(url.Values{"action": {"revoke"}, "id": {"kiosk-sanh"}}); code != 303 || issue(second) != 401 {
		t.Errorf("revoke: %d; the revoked key still issues", code)
	}
	// Its feed ends at once (it reconnects and is refused); the others stay.
	on.conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	for {
		if _, _, err := on.conn.ReadMessage(); err != nil {
			if ne, ok := err.(net.Error); ok && ne.Timeout() {
				t.Fatal("the revoked kiosk's feed is still open")
			}
			break
		}
	}
	if fr := board.next(); fr.Type != string(queue.EvSettings) && fr.Type != "snapshot" {
		t.Errorf("the board's feed after the revoke: %s", fr.Type)
	}
	if code, _ := post(url.Values{"action": {"add"}, "id": {"rate-9"}, "kind": {DeviceRating}, "counter": {"9"}}); code != 422 && code != 400 {
		t.Errorf("a rating screen for no counter: %d", code)
	}
	for _, d := range e.store.Devices() {
		if d.Key != "" || len(d.KeyHash) != 64 {
			t.Errorf("device %s is stored with %q / %q", d.ID, d.Key, d.KeyHash)
		}
	}
}

// The catalogue page: an upload with an error names its line and changes
// nothing; a good one is previewed (what it changes) and then applied, live
// for the kiosks; the current one downloads as CSV.
func TestConsoleCatalogue(t *testing.T) {
	e := newEnv(t, feed.Config{})
	admin := e.login("boss")
	upload := func(name, content string) (int, string) {
		var body bytes.Buffer
		m := multipart.NewWriter(&body)
		m.WriteField("version", "0")
		m.WriteField("action", "preview")
		fw, _ := m.CreateFormFile("upload", name)
		fw.Write([]byte(content))
		m.Close()
		req, _ := http.NewRequest("POST", e.http.URL+"/admin/catalogue", &body)
		req.Header.Set("Content-Type", m.FormDataContentType())
		req.AddCookie(&http.Cookie{Name: consoleCookie, Value: admin})
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		page, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(page)
	}
	current := string(e.srv.catalogue.Load().CSV())
	broken := strings.Replace(current, "same_day", "soon", 1)
	if code, page := upload("danh-muc.csv", broken); code != 400 || !strings.Contains(page, "line 2") {
		t.Errorf("a catalogue with an error: %d, the line not named", code)
	}
	edited := strings.Replace(current, "Đăng ký khai sinh", "Đăng ký khai sinh (trẻ em)", 1)
	code, page := upload("danh-muc.csv", edited)
	if code != 200 || !strings.Contains(page, "1.001193 Đăng ký khai sinh (trẻ em)") || !strings.Contains(page, "Áp dụng") {
		t.Fatalf("the preview: %d\n%s", code, page)
	}
	if code, where, _ := e.consolePost("/admin/catalogue", admin, e.http.URL, url.Values{"version": {"0"}, "action": {"apply"}, "file": {"danh-muc.csv"}, "content": {edited}}); code != 303 || where != "/admin/catalogue?saved=1" {
		t.Fatalf("apply: %d → %q", code, where)
	}
	var procs []struct{ Name string }
	e.call("GET", "/api/v1/procedures", kioskKey, "", &procs)
	if len(procs) != 1 || procs[0].Name != "Đăng ký khai sinh (trẻ em)" {
		t.Errorf("the kiosks' catalogue after the change: %+v", procs)
	}
	if got := e.store.Procedures(); len(got) != 1 || got[0].Name != "Đăng ký khai sinh (trẻ em)" {
		t.Errorf("stored: %+v", got)
	}
	history, _ := e.store.SettingsHistory()
	if len(history) != 2 {
		t.Errorf("%d versions, want the seed and the catalogue", len(history))
	}
}

// The audit filters by who and by what, ignoring case and marks.
func TestConsoleAuditFilters(t *testing.T) {
	e := newEnv(t, feed.Config{})
	admin := e.login("boss")
	e.consolePost("/admin", admin, e.http.URL, url.Values{"version": {"0"}, "name": {"Văn phòng Đổi Tên"}})
	e.consolePost("/admin/services", admin, e.http.URL, url.Values{"version": {"0"}, "action": {"add"}, "id": {"dat_dai"}, "name": {"Đất đai"}, "range_start": {"3001"}, "range_end": {"3999"}})
	page := func(query string) string { return e.consoleGet("/admin/audit?"+query, admin) }
	rows := func(p string) int { return strings.Count(p, "<tr><td>") }
	if n := rows(page("")); n != 3 {
		t.Fatalf("the audit has %d rows, want 3 (seed, office, service)", n)
	}
	if p := page("what=dat%20dai"); rows(p) != 1 || !strings.Contains(p, "dat_dai") {
		t.Errorf("what=dat dai: %d rows", rows(p))
	}
	if n := rows(page("who=QUAN%20TRI")); n != 2 {
		t.Errorf("who=QUAN TRI: %d rows, want the admin's 2", n)
	}
	if n := rows(page("who=config")); n != 1 {
		t.Errorf("who=config: %d rows, want the seed", n)
	}
}

// Pairing: a device without a key asks for a code, the admin types it on the
// devices page, the device gets its key once and it works; a wrong code is
// refused; an address may not wait for more than three pairings.
func TestPairing(t *testing.T) {
	e := newEnv(t, feed.Config{})
	admin := e.login("boss")
	var ask api.PairingAnswer
	if code := e.call("POST", api.Pairing, "", "", &ask); code != 201 || len(ask.Code) != 6 || ask.Token == "" {
		t.Fatalf("asking for a pairing: %d %+v", code, ask)
	}
	if code := e.call("GET", api.Path(api.Paired, ask.Token), "", "", nil); code != 202 {
		t.Fatalf("before the admin pairs it: %d, want 202", code)
	}
	pair := func(code string) (int, string) {
		status, _, page := e.consolePost("/admin/devices", admin, e.http.URL, url.Values{"version": {"0"}, "action": {"pair"}, "code": {code}, "id": {"kiosk-cong"}, "kind": {DeviceKiosk}})
		return status, page
	}
	wrong := "000000"
	if ask.Code == wrong {
		wrong = "000001"
	}
	if status, _ := pair(wrong); status != 404 {
		t.Errorf("a code nobody shows: %d, want 404", status)
	}
	status, page := pair(ask.Code[:3] + " " + ask.Code[3:]) // typed as the device shows it: "211 022"
	if status != 200 || !strings.Contains(page, "Đã ghép nối kiosk-cong") || strings.Contains(page, `class="code key"`) {
		t.Fatalf("pairing: %d (the key must not be on the page)", status)
	}
	var got api.PairedAnswer
	if code := e.call("GET", api.Path(api.Paired, ask.Token), "", "", &got); code != 200 || got.ID != "kiosk-cong" || got.Key == "" {
		t.Fatalf("the device's answer: %d %+v", code, got)
	}
	if code := e.call("POST", "/api/v1/tickets", got.Key, `{"service_id":"ho_tich"}`, nil); code != 201 {
		t.Errorf("the paired kiosk's key issues: %d", code)
	}
	if code := e.call("GET", api.Path(api.Paired, ask.Token), "", "", nil); code != 404 {
		t.Errorf("the key handed out twice: %d", code)
	}
	for range 3 {
		e.call("POST", api.Pairing, "", "", nil)
	}
	if code := e.call("POST", api.Pairing, "", "", nil); code != 429 {
		t.Errorf("a fourth pairing from one address: %d, want 429", code)
	}
}

// The office page sets the dossier code's digits: 6 is kept, 9 is refused in
// both languages with the form as typed.
func TestConsoleDossierDigits(t *testing.T) {
	e := newEnv(t, feed.Config{})
	admin := e.login("boss")
	if code, _, _ := e.consolePost("/admin", admin, e.http.URL, url.Values{"version": {"0"}, "dossier_digits": {"6"}}); code != http.StatusSeeOther || e.store.Office().DossierDigits != 6 {
		t.Fatalf("6 digits: %d, in force %d", code, e.store.Office().DossierDigits)
	}
	code, _, page := e.consolePost("/admin", admin, e.http.URL, url.Values{"version": {"0"}, "dossier_digits": {"9"}})
	if code == http.StatusSeeOther || !strings.Contains(page, "dossier_digits") || !strings.Contains(page, `value="9"`) || e.store.Office().DossierDigits != 6 {
		t.Errorf("9 digits: %d, in force %d\n%s", code, e.store.Office().DossierDigits, page)
	}
}

// The messages page puts the office's notify settings in force (the
// channels, a kind off, the office's wording) and refuses a wording with a
// placeholder the kind lacks, the form as typed; the settings document
// shows the same at its top.
func TestConsoleNotify(t *testing.T) {
	e := newEnv(t, feed.Config{})
	admin := e.login("boss")
	if page := e.consoleGet("/admin/notify", admin); !strings.Contains(page, "Sắp đến lượt") || !strings.Contains(page, "Chưa có tin nhắn nào") {
		t.Fatalf("the page:\n%s", page)
	}
	form := url.Values{"version": {"0"}, "channels": {"zns,sms"}, "unicode": {"1"}, "near_ahead": {"2"}, "near_minutes": {"10"},
		"quiet_from": {"21:00"}, "quiet_to": {"07:00"}, "retention_days": {"7"}, "fail_alert_percent": {"20"}, "verify_phone": {"1"}, "verify_minutes": {"15"}}
	for _, k := range notify.Kinds {
		if k != notify.Lapsed {
			form.Set("on_"+string(k), "1")
		}
	}
	form.Set("text_queue.called", "Mời số {number} vào quầy {counter}")
	if code, _, page := e.consolePost("/admin/notify", admin, e.http.URL, form); code != http.StatusSeeOther {
		t.Fatalf("save: %d\n%s", code, page)
	}
	n := e.store.Office().Notify
	if strings.Join(n.Channels, ",") != "zns,sms" || !n.SMS.Unicode || n.NearAhead != 2 || n.Quiet.From != "21:00" || !n.Templates[notify.Lapsed].Off ||
		n.Templates[notify.Called].Text != "Mời số {number} vào quầy {counter}" || len(n.Templates) != 2 || !n.VerifyPhone || n.CodeMinutes() != 15 {
		t.Fatalf("in force: %+v", n)
	}
	var doc api.SettingsDocument
	e.call("GET", api.AdminSettings, e.login("boss"), "", &doc)
	if doc.Notify == nil || doc.Notify.NearAhead != 2 || doc.Office.Notify.On() {
		t.Fatalf("the settings document: %+v / office %+v", doc.Notify, doc.Office.Notify)
	}
	form.Set("text_queue.called", "Mời {name} vào quầy")
	code, _, page := e.consolePost("/admin/notify", admin, e.http.URL, form)
	if code == http.StatusSeeOther || !strings.Contains(page, "không có chỗ điền {name}") || !strings.Contains(page, "Mời {name} vào quầy") {
		t.Fatalf("a bad wording: %d\n%s", code, page)
	}
	if e.store.Office().Notify.Templates[notify.Called].Text != "Mời số {number} vào quầy {counter}" {
		t.Fatal("a refused form changed the settings")
	}
	// A PUT of the document without "notify" leaves it as it is; "notify":{} turns it off.
	raw, _ := json.Marshal(api.SettingsDocument{Office: doc.Office})
	if code := e.call("PUT", api.AdminSettings, e.login("boss"), string(raw), nil); code != 200 || !e.store.Office().Notify.On() {
		t.Fatalf("a document without notify: %d, %+v", code, e.store.Office().Notify)
	}
	raw, _ = json.Marshal(map[string]any{"office": doc.Office, "notify": map[string]any{}})
	if code := e.call("PUT", api.AdminSettings, e.login("boss"), string(raw), nil); code != 200 || e.store.Office().Notify.On() {
		t.Fatalf("notify {}: %d, %+v", code, e.store.Office().Notify)
	}
}
