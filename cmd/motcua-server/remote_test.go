package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"motcua/internal/api"
	"motcua/internal/pgtest"
	"motcua/internal/province"
	"motcua/internal/testwait"
)

// The whole remote path with both real binaries over a real PostgreSQL:
// motcua-province serve, the demo office's motcua-server shipping to it
// with its key. A citizen takes a number from afar, follows its place on
// the province's page, checks in at the office with the code, is called
// and served; the office's log and the province's never say the phone.
// Killed, the office is "not taking remote numbers now" at the province.
func TestRemoteNumberWithTheRealBinaries(t *testing.T) {
	pg := pgtest.Start(t)
	pool := pg.Pool(t)
	ctx := context.Background()
	if _, err := province.Migrate(ctx, pool); err != nil {
		t.Fatal(err)
	}
	key, err := province.AddOffice(ctx, pool, "test", "DEMO", "Văn phòng mẫu")
	if err != nil {
		t.Fatal(err)
	}
	provinceBin := filepath.Join(t.TempDir(), "motcua-province")
	if out, err := exec.Command("go", "build", "-o", provinceBin, "motcua/cmd/motcua-province").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close()
	var provinceLog, officeLog lockedLog // written by the processes' copiers, read by the test
	prov := exec.Command(provinceBin, "serve", "--dsn", pg.DSN, "--listen", addr)
	provOut, _ := prov.StdoutPipe()
	prov.Stderr = &provinceLog
	if err := prov.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { prov.Process.Kill(); prov.Wait() })
	sc := bufio.NewScanner(provOut)
	for sc.Scan() && !strings.Contains(sc.Text(), "serving http://") {
	}
	go io.Copy(io.Discard, provOut)
	provinceURL := "http://" + addr

	office := exec.Command(serverBinary(t), "--demo", "--data", t.TempDir(), "--addr", "127.0.0.1:0", "--sync-url", provinceURL, "--sync-key", key)
	out, _ := office.StdoutPipe()
	office.Stderr = &officeLog
	if err := office.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { office.Process.Kill(); office.Wait() })
	base := waitURL(t, io.TeeReader(out, &officeLog)) // its reader goes on copying into the log

	ask := func(phone string) (int, api.RemoteTicketAnswer, api.ErrorBody) {
		body, _ := json.Marshal(api.RemoteTicketRequest{Office: "DEMO", ServiceID: "ho_tich", Phone: phone})
		resp, err := http.Post(provinceURL+api.PublicRemoteTickets, "application/json", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var a api.RemoteTicketAnswer
		var e api.ErrorBody
		if resp.StatusCode == http.StatusCreated {
			json.NewDecoder(resp.Body).Decode(&a)
		} else {
			json.NewDecoder(resp.Body).Decode(&e)
		}
		return resp.StatusCode, a, e
	}
	testwait.Until(t, 30*time.Second, func() bool { n, _ := province.Folded(ctx, pool, "DEMO"); return n > 0 },
		func() string { return "the office never shipped:\n" + officeLog.String() })
	// Until the office's first poll is in (asked every 100 ms: the door's
	// limit per address is 60 in 10 minutes).
	code, got, e := ask("0912 345 678")
	for tries := 0; code == http.StatusServiceUnavailable && tries < 40; tries++ {
		time.Sleep(100 * time.Millisecond)
		code, got, e = ask("0912 345 678")
	}
	if code != http.StatusCreated {
		t.Fatalf("a remote number: %d %+v", code, e)
	}
	// Its page at the province says where it stands, asked of the office.
	page := func() string {
		resp, err := http.Get(provinceURL + got.StatusURL)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}
	if p := page(); !strings.Contains(p, ">"+got.Display+"<") || !regexp.MustCompile(`Không còn ai trước|Còn \d+ người trước`).MatchString(p) {
		t.Fatalf("the number's page:\n%s", p)
	}
	// At the office: checked in with its code, called, served.
	c := &client{t: t, base: base, http: http.DefaultClient}
	var in api.TicketView
	if code := c.do("POST", api.CheckIns, "demo-device", `{"code":"`+got.Code+`"}`, &in); code != http.StatusCreated || in.Number != got.Number {
		t.Fatalf("check-in: %d %+v", code, in)
	}
	var login struct{ Token string }
	if code := c.do("POST", "/api/v1/login", "", `{"username":"quay1","pin":"1234"}`, &login); code != 200 {
		t.Fatalf("login: %d", code)
	}
	for _, step := range []string{"next", "finish"} {
		var called struct{ ID string }
		if code := c.do("POST", fmt.Sprintf("/api/v1/counters/1/%s", step), login.Token, "", &called); code != 200 {
			t.Fatalf("%s: %d", step, code)
		}
		if step == "next" && called.ID != in.ID {
			t.Fatalf("called %s, want the remote number %s", called.ID, in.ID)
		}
	}
	if p := page(); !strings.Contains(p, "Số đã kết thúc") {
		t.Errorf("after service, the number's page:\n%s", p)
	}
	// The office down: the province says so.
	office.Process.Kill()
	office.Wait()
	testwait.Until(t, 60*time.Second, func() bool {
		code, _, e := ask("0987 654 321")
		return code == http.StatusServiceUnavailable && strings.Contains(e.Error.Message, "không nhận lấy số từ xa")
	}, func() string { return "the province never said the office is away" })
	for name, log := range map[string]string{"office": officeLog.String(), "province": provinceLog.String()} {
		if strings.Contains(log, "0912345678") || strings.Contains(log, "912 345 678") {
			t.Errorf("the %s's log holds the phone", name)
		}
	}
}
