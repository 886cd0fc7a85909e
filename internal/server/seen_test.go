package server

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"motcua/internal/api"
)

// The devices page says when each device was last heard from, which program
// and version it runs, whether it follows the feed now, and its printer as
// it last said; only devices may say it.
func TestDevicesPageShowsWhatEachDeviceSaid(t *testing.T) {
	e := newEnv(t, WSConfig{})
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
	deadline := time.Now().Add(5 * time.Second)
	for strings.Contains(row(e.consoleGet("/admin/devices", admin), "tv-1"), "đang kết nối") {
		if time.Now().After(deadline) {
			t.Fatal("the board's row still says connected after it left")
		}
		time.Sleep(10 * time.Millisecond)
	}
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
