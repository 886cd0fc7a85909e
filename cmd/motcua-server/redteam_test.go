package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"motcua/internal/api"
	"motcua/internal/bolt"
)

// The attacks of issue 27, run against the real binary as an attacker on
// the office's network would, so that they stay closed: a session that
// outlives its user's change, a setup blocked by a stranger, a formula
// planted in a CSV, the pairing pool held full, an upload left on disk, a
// settings document that smuggles a script URL, a page that can be framed.
func TestRedTeam(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the real server")
	}
	bin := serverBinary(t)
	dir := t.TempDir()
	_, base := startServer(t, bin, dir)
	at := func(ip string) *http.Client {
		d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}, Timeout: 5 * time.Second}
		return &http.Client{Transport: &http.Transport{DialContext: d.DialContext}, Timeout: 10 * time.Second,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	}
	do := func(c *http.Client, method, path, token, body string) (int, []byte, http.Header) {
		t.Helper()
		req, _ := http.NewRequest(method, base+path, strings.NewReader(body))
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, raw, resp.Header
	}
	local := at("127.0.0.1")
	login := func(user string) string {
		t.Helper()
		var a api.LoginAnswer
		code, raw, _ := do(local, "POST", api.Login, "", `{"username":"`+user+`","pin":"1234"}`)
		if json.Unmarshal(raw, &a); code != 200 || a.Token == "" {
			t.Fatalf("login %s: %d %s", user, code, raw)
		}
		return a.Token
	}
	admin := login("admin")
	settings := func(edit func(d *api.SettingsDocument)) int {
		t.Helper()
		var d api.SettingsDocument
		_, raw, _ := do(local, "GET", api.AdminSettings, admin, "")
		json.Unmarshal(raw, &d)
		edit(&d)
		body, _ := json.Marshal(d)
		code, _, _ := do(local, "PUT", api.AdminSettings, admin, string(body))
		return code
	}

	t.Run("a session outlives its user's change", func(t *testing.T) {
		clerk := login("quay1")
		for _, disabled := range []bool{true, false} {
			if code := settings(func(d *api.SettingsDocument) {
				for i := range d.Users {
					if d.Users[i].Username == "quay1" {
						d.Users[i].Disabled = disabled
					}
				}
			}); code != 200 {
				t.Fatalf("disable %v: %d", disabled, code)
			}
		}
		if code, _, _ := do(local, "GET", api.Me, clerk, ""); code != 401 {
			t.Errorf("the clerk's token after disable and enable: %d, want 401", code)
		}
	})

	t.Run("a formula planted in the report's CSV", func(t *testing.T) {
		if code := settings(func(d *api.SettingsDocument) { d.Office.Services[0].Name = `=HYPERLINK("http://x.example","Bấm")` }); code != 200 {
			t.Fatalf("rename: %d", code)
		}
		if code, raw, _ := do(local, "POST", api.Tickets, "demo-device", `{"service_id":"`+"ho_tich"+`"}`); code != 201 {
			t.Fatalf("issue: %d %s", code, raw)
		}
		day := time.Now().In(time.FixedZone("ICT", 7*3600)).Format("2006-01-02")
		code, raw, _ := do(local, "GET", api.AdminReport+"?format=csv&from="+day+"&to="+day, admin, "")
		if code != 200 || !bytes.Contains(raw, []byte(`'=HYPERLINK`)) || regexp.MustCompile(`(^|[,\n"])=HYPERLINK`).Match(raw) {
			t.Errorf("the report's CSV: %d\n%s", code, raw)
		}
	})

	t.Run("the pairing pool held full", func(t *testing.T) {
		for a := range 40 {
			for range 4 {
				do(at(fmt.Sprintf("127.0.3.%d", a+1)), "POST", api.Pairing, "", "")
			}
		}
		if code, raw, _ := do(at("127.0.4.1"), "POST", api.Pairing, "", ""); code != 201 {
			t.Errorf("a device on a new address: %d %s", code, raw)
		}
	})

	t.Run("an upload to a dossier not there", func(t *testing.T) {
		clerk := login("quay2")
		pdf := "%PDF-1.4\n" + strings.Repeat("x", 1<<20) + "\n%%EOF\n"
		if code, _, _ := do(local, "PUT", api.Path(api.DossierScan, "H00.000-000000-0001", "1"), clerk, pdf); code != 404 {
			t.Errorf("a scan for no dossier: %d, want 404", code)
		}
		if entries, _ := os.ReadDir(filepath.Join(dir, bolt.ScanDir)); len(entries) != 0 {
			t.Errorf("left in scans/: %v", entries)
		}
	})

	t.Run("a settings document with a script URL", func(t *testing.T) {
		for _, bad := range []string{"javascript:alert(1)", "file:///etc/passwd", "http://10.0.0.2/\r\nX: y"} {
			if code := settings(func(d *api.SettingsDocument) { d.Office.PublicURL = bad }); code < 400 || code >= 500 {
				t.Errorf("public_url %q: %d", bad, code)
			}
		}
		if code := settings(func(d *api.SettingsDocument) { d.Office.AgencyCode = "X/../../admin" }); code < 400 || code >= 500 {
			t.Errorf("agency code with a path: %d", code)
		}
	})

	t.Run("a page framed elsewhere", func(t *testing.T) {
		for _, path := range []string{"/board", "/tra-cuu", "/cong-khai"} {
			if _, _, h := do(local, "GET", path, "", ""); !strings.Contains(h.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
				t.Errorf("%s: CSP %q", path, h.Get("Content-Security-Policy"))
			}
		}
	})

	t.Run("a setup blocked by a stranger", func(t *testing.T) {
		cmd := exec.Command(bin, "--data", t.TempDir(), "--addr", "127.0.0.1:0")
		out, _ := cmd.StdoutPipe()
		cmd.Stderr = io.Discard
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		defer func() { cmd.Process.Kill(); cmd.Wait() }()
		var code, setupBase string
		sc := bufio.NewScanner(out)
		for (code == "" || setupBase == "") && sc.Scan() {
			if m := regexp.MustCompile(`setup code: (\S+)`).FindStringSubmatch(sc.Text()); m != nil {
				code = m[1]
			}
			if m := regexp.MustCompile(`listening on (\S+) \(setup\)`).FindStringSubmatch(sc.Text()); m != nil {
				setupBase = m[1]
			}
		}
		go io.Copy(io.Discard, out)
		form := url.Values{"name": {"Bộ phận Một cửa xã Mới"}, "agency_code": {"H29.200"}, "public_url": {setupBase}, "username": {"quantri"},
			"admin_name": {"Quản trị viên"}, "pin": {"482916"}, "pin2": {"482916"}}
		post := func(c *http.Client, code string) int {
			form.Set("code", code)
			resp, err := c.PostForm(setupBase+"/setup", form)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			return resp.StatusCode
		}
		stranger := at("127.0.0.7")
		for range 12 {
			post(stranger, "junk")
		}
		if got := post(at("127.0.0.8"), code); got != 200 {
			t.Errorf("the IT person's setup after a stranger's junk: %d, want 200", got)
		}
	})
}
