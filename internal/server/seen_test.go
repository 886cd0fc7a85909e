package server

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"motcua/internal/api"
	"motcua/internal/feed"
	"motcua/internal/queue"
	"motcua/internal/testwait"
)

// The devices page says when each device was last heard from, which program
// and version it runs, whether it follows the feed now, and its printer as
// it last said; only devices may say it.
func TestDevicesPageShowsWhatEachDeviceSaid(t *testing.T) {
	e := newEnv(t, feed.Config{})
	admin := e.login("boss")
	say := func(token, agent, body string) int {
		req, _ := http.NewRequest("POST", e.http.URL+api.DeviceStatus, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("User-Agent", agent)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := say(kioskKey, "motcua-kiosk/1a2b3c4d5e6f", `{"printer":"printer_paper_out"}`); code != 204 {
		t.Fatalf("the kiosk's status: %d", code)
	}
	if say(kioskKey, "motcua-kiosk/1a2b3c4d5e6f", `{"printer":"Hết giấy!"}`) != 400 || say(e.login("lan"), "x", `{}`) != 403 || say("", "x", `{}`) != 401 {
		t.Error("a bad printer state, a clerk's or an anonymous status was taken")
	}
	board := e.dial("tv-key-1234567890")
	board.next() // its snapshot: it follows the feed
	row := func(page, id string) string {
		i := strings.Index(page, `<code>`+id+`</code>`)
		if i < 0 {
			t.Fatalf("no row for %s", id)
		}
		end := strings.Index(page[i:], "</form>")
		return page[i : i+end]
	}
	page := e.consoleGet("/admin/devices", admin)
	if r := row(page, "kiosk-1"); !strings.Contains(r, "HẾT GIẤY") || !strings.Contains(r, "kiosk/1a2b3c4d5e6f") || !strings.Contains(r, `class="trouble"`) {
		t.Errorf("the kiosk's row:\n%s", r)
	}
	if r := row(page, "tv-1"); !strings.Contains(r, "đang kết nối") {
		t.Errorf("the board's row while it follows the feed:\n%s", r)
	}
	if r := row(page, "rate-1"); !strings.Contains(r, "chưa thấy") {
		t.Errorf("the rating screen never heard from:\n%s", r)
	}
	say(kioskKey, "motcua-kiosk/1a2b3c4d5e6f", `{"printer":"ok"}`)
	board.conn.Close()
	testwait.Until(t, 5*time.Second, func() bool {
		return !(strings.Contains(row(e.consoleGet("/admin/devices", admin), "tv-1"), "đang kết nối"))
	}, func() string { return "the board's row still says connected after it left" })
	if r := row(e.consoleGet("/admin/devices", admin), "kiosk-1"); !strings.Contains(r, "bình thường") || strings.Contains(r, "trouble") {
		t.Errorf("the kiosk's printer after ok:\n%s", r)
	}
	var list []api.DeviceView
	if code := e.call("GET", api.AdminDevices, e.login("tam"), "", &list); code != 200 || len(list) != 3 {
		t.Fatalf("the supervisor's device list: %d %+v", code, list)
	}
	if k := list[0]; k.ID != "kiosk-1" || k.Printer != "ok" || k.Agent != "motcua-kiosk/1a2b3c4d5e6f" || k.LastSeen.IsZero() || k.Online {
		t.Errorf("the kiosk in the list: %+v", k)
	}
}

// Alerts over the API: today's list for the supervisor, an acknowledgement
// with a note, and a device silent past the office's minutes raised once.
func TestAlertsOverTheAPI(t *testing.T) {
	e := newEnv(t, feed.Config{})
	supervisor, clerk := e.login("tam"), e.login("lan")
	// The kiosk was heard from, then fell silent (the clock moves on).
	req, _ := http.NewRequest("POST", e.http.URL+api.DeviceStatus, strings.NewReader(`{"printer":"ok"}`))
	req.Header.Set("Authorization", "Bearer "+kioskKey)
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 204 {
		t.Fatalf("the kiosk's status: %v %v", resp, err)
	}
	e.srv.now = func() time.Time { return time.Now().Add(3 * time.Minute) }
	e.srv.checkSilentDevices(context.Background())
	e.srv.checkSilentDevices(context.Background()) // the same silence: once
	var alerts []queue.Raised
	if code := e.call("GET", api.AdminAlerts, clerk, "", nil); code != 403 {
		t.Errorf("a clerk read the alerts: %d", code)
	}
	if code := e.call("GET", api.AdminAlerts, supervisor, "", &alerts); code != 200 || len(alerts) != 1 || alerts[0].Kind != queue.AlertSilent || alerts[0].Device != "kiosk-1" {
		t.Fatalf("alerts %d %+v", code, alerts)
	}
	body := `{"key":"` + alerts[0].Key + `","note":"Đã khởi động lại kiosk"}`
	if code := e.call("POST", api.AdminAck, clerk, body, nil); code != 403 {
		t.Errorf("a clerk acknowledged: %d", code)
	}
	if code := e.call("POST", api.AdminAck, supervisor, body, nil); code != 204 {
		t.Errorf("ack: %d", code)
	}
	if code := e.call("POST", api.AdminAck, supervisor, body, nil); code != 409 {
		t.Errorf("a second ack: %d", code)
	}
	e.call("GET", api.AdminAlerts, supervisor, "", &alerts)
	if alerts[0].AckBy != "tam" || alerts[0].AckNote != "Đã khởi động lại kiosk" {
		t.Errorf("after the ack: %+v", alerts[0])
	}
}

// The alert thresholds and the target wait are set on the office page, on
// the record like any setting; a bad one is refused in both languages.
func TestConsoleAlertThresholds(t *testing.T) {
	e := newEnv(t, feed.Config{})
	admin := e.login("boss")
	form := url.Values{"version": {"0"}, "name": {"UBND phường Thử"}, "alert_wait": {"20"}, "alert_paused": {"10"}, "alert_slow": {"2,5"}, "alert_silent": {"3"}, "target_wait": {"15"}}
	if code, where, _ := e.consolePost("/admin", admin, e.http.URL, form); code != 303 || where != "/admin?saved=1" {
		t.Fatalf("saving the thresholds: %d → %q", code, where)
	}
	o := e.store.Office()
	if a := o.Alerts; a.WaitMinutes != 20 || a.PausedMinutes != 10 || a.SlowFactor != 2.5 || a.SilentMinutes != 3 || o.Rules.TargetWaitMinutes != 15 {
		t.Errorf("stored %+v, target %d", a, o.Rules.TargetWaitMinutes)
	}
	if audit := e.consoleGet("/admin/audit", admin); !strings.Contains(audit, "<code>alerts: ") || !strings.Contains(audit, "rules.target_wait_minutes") {
		t.Errorf("the thresholds' change is not on the record:\n%s", audit)
	}
	form.Set("alert_slow", "nhanh")
	if code, _, page := e.consolePost("/admin", admin, e.http.URL, form); code != 400 || !strings.Contains(page, "slow service factor") {
		t.Errorf("a bad factor: %d", code)
	}
}
