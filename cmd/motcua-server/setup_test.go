package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"motcua/internal/intake"

	apiclient "motcua/internal/client"
)

// The first office, as docs/INSTALL.md walks it: an empty data dir without
// a config gives a setup code in the log; /setup refuses a wrong code and
// PINs that differ or are weak, and with the right ones makes an empty
// office and its admin; the server then runs it. On the console the admin
// saves the details printed on the forms, loads the sample catalogue mapped
// onto the office's service, pairs the kiosk by the code it shows (typed
// with its space) and adds a clerk, who chooses her PIN at her first login;
// the kiosk issues the first ticket, the clerk calls it and receives a
// dossier, its receipt (Mẫu 01) a PDF. A restart without a config runs the
// stored office.
func TestSetupModeOnAnEmptyDir(t *testing.T) {
	dir := t.TempDir()
	code, base, lines, stop := setupServer(t, dir)
	ctx := context.Background()
	stopped := false
	defer func() {
		if !stopped {
			stop()
		}
	}()
	c := &http.Client{Timeout: 10 * time.Second}
	form := url.Values{"name": {"Bộ phận Một cửa xã Mới"}, "agency_code": {"H29.200"}, "public_url": {base}, "username": {"quantri"}, "admin_name": {"Quản trị viên"},
		"start": {"empty"}} // the sample's start: TestRedTeam and TestSetupFromTheSample
	form.Set("code", "wrong-code")
	resp, err := c.PostForm(base+"/setup", form)
	if err != nil || resp.StatusCode != 403 {
		t.Fatalf("a wrong code: %v %v", resp, err)
	}
	resp.Body.Close()
	form.Set("code", code)
	const pin = "482916" // the admin chooses it on the form
	for _, bad := range [][2]string{{pin, "482917"}, {"1234", "1234"}, {"111111", "111111"}} {
		form.Set("pin", bad[0])
		form.Set("pin2", bad[1])
		resp, err = c.PostForm(base+"/setup", form)
		if err != nil || resp.StatusCode != 400 {
			t.Fatalf("setup with PINs %v: %v %v", bad, resp, err)
		}
		resp.Body.Close()
	}
	form.Set("pin", pin)
	form.Set("pin2", pin)
	resp, err = c.PostForm(base+"/setup", form)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("setup: %v %v", resp, err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(page), "quantri") || strings.Contains(string(page), pin) {
		t.Fatalf("the answer names the admin and never shows the PIN:\n%s", page)
	}
	// The server now runs the office (on its own port: the log says where).
	var office string
	for lines.Scan() {
		if m := regexp.MustCompile(`motcua-server listening on (\S+)$`).FindStringSubmatch(lines.Text()); m != nil {
			office = m[1]
			break
		}
	}
	if office == "" {
		t.Fatal("the office's server never started")
	}
	go func() { // the rest of the log
		for lines.Scan() {
		}
	}()
	resp, err = c.Post(office+"/api/v1/login", "application/json", strings.NewReader(`{"username":"quantri","pin":"`+pin+`"}`))
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("the admin's login with the PIN chosen: %v %v", resp, err)
	}
	var login struct{ Token string }
	json.NewDecoder(resp.Body).Decode(&login)
	resp.Body.Close()

	// To a first ticket with nothing but the browser and the kiosk's pairing:
	// the kiosk asks for a code, the admin pairs it in the console, the kiosk
	// issues, the admin calls it at counter 1.
	kiosk := apiclient.New(office, "")
	ask, err := kiosk.Pair(ctx)
	if err != nil {
		t.Fatal(err)
	}
	jar, _ := cookiejar.New(nil)
	web := &http.Client{Jar: jar, Timeout: 10 * time.Second}
	if _, err := web.PostForm(office+"/admin/login", url.Values{"username": {"quantri"}, "pin": {pin}}); err != nil {
		t.Fatal(err)
	}
	// The empty office has no catalogue: the console offers the sample's,
	// its services mapped onto this office's one; previewed, then applied.
	resp, err = web.PostForm(office+"/admin/catalogue", url.Values{"version": {"0"}, "action": {"sample"}, "map.ho_tich": {"tiep_nhan"}, "map.chung_thuc": {"tiep_nhan"}})
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("the sample catalogue's preview: %v %v", resp, err)
	}
	preview, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	content := regexp.MustCompile(`(?s)<textarea name="content" hidden>(.*?)</textarea>`).FindSubmatch(preview)
	if content == nil || !strings.Contains(string(preview), "ho_tich → Tiếp nhận hồ sơ (tiep_nhan)") || !strings.Contains(string(preview), "dat_dai → bỏ qua") {
		t.Fatalf("the preview does not show the mapping:\n%s", preview)
	}
	resp, err = web.PostForm(office+"/admin/catalogue", url.Values{"version": {"0"}, "action": {"apply"}, "file": {"danh-muc-mau.json"}, "content": {html.UnescapeString(string(content[1]))}})
	if err != nil || resp.Request.URL.Path != "/admin/catalogue" || resp.Request.URL.RawQuery != "saved=1" {
		t.Fatalf("applying the sample catalogue: %v %v", resp, err)
	}
	resp.Body.Close()
	if procs, err := apiclient.New(office, "").Procedures(ctx); err != nil || len(procs) == 0 || procs[0].Service != "tiep_nhan" {
		t.Fatalf("the office's catalogue after the sample: %d procedures (%v)", len(procs), err)
	}
	// The office's details printed on the forms: only those fields sent.
	if resp, err := web.PostForm(office+"/admin", url.Values{"version": {"0"}, "authority": {"UBND xã Mới"}, "place": {"Mới"}, "hours": {hoursAroundNow()}}); err != nil || resp.Request.URL.RawQuery != "saved=1" {
		t.Fatalf("saving the office's details: %v %v", resp, err)
	}
	// The kiosk's code typed as its screen shows it: "211 022".
	if resp, err := web.PostForm(office+"/admin/devices", url.Values{"version": {"0"}, "action": {"pair"}, "code": {ask.Code[:3] + " " + ask.Code[3:]}, "id": {"kiosk-sanh"}, "kind": {"kiosk"}}); err != nil || resp.StatusCode != 200 {
		t.Fatalf("pairing the kiosk: %v %v", resp, err)
	}
	paired, ok, err := kiosk.Paired(ctx, ask.Token)
	if !ok || err != nil {
		t.Fatalf("the kiosk's key: %v %v", ok, err)
	}
	ticket, err := apiclient.New(office, paired.Key).Issue(ctx, "tiep_nhan", "")
	if err != nil || ticket.Display != "1001" {
		t.Fatalf("the first ticket: %+v %v", ticket, err)
	}
	// A clerk: made on the console's staff page with a one-time code, who
	// chooses her own PIN at her first login.
	resp, err = web.PostForm(office+"/admin/users", url.Values{"version": {"0"}, "action": {"add"}, "username": {"lan.nt"}, "name": {"Nguyễn Thị Lan"}, "role": {"clerk"}})
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("adding a clerk: %v %v", resp, err)
	}
	users, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	once := regexp.MustCompile(`<b class="code">(\d+)</b>`).FindSubmatch(users)
	if once == nil {
		t.Fatalf("no one-time code on the staff page:\n%s", users)
	}
	clerk := apiclient.New(office, "")
	if _, err := clerk.LoginWithNewPIN(ctx, "lan.nt", string(once[1]), "583920"); err != nil {
		t.Fatalf("the clerk's first login: %v", err)
	}
	if called, ok, err := clerk.Next(ctx, 1); err != nil || !ok || called.ID != ticket.ID {
		t.Fatalf("calling it at counter 1: %+v %v %v", called, ok, err)
	}
	// A dossier of the sample catalogue received, its receipt (Mẫu 01) a
	// PDF under the office's name.
	procs, _ := apiclient.New(office, "").Procedures(ctx)
	var papers []string
	for _, d := range procs[0].Documents {
		papers = append(papers, d.Name)
	}
	got, err := clerk.Intake(ctx, intake.Request{Outcome: "receive", Procedure: procs[0].Code, Applicant: intake.Applicant{Name: "Nguyễn Văn Dân"},
		Received: papers, Sets: 1, Delivery: "desk"})
	if err != nil {
		t.Fatalf("receiving a dossier: %v", err)
	}
	if pdf, err := clerk.Fetch(ctx, got.Form); err != nil || !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Fatalf("the receipt %s: %v", got.Form, err)
	}
	stop()
	stopped = true

	// Restarted without a config: the stored office runs, no setup.
	ctx2, cancel2 := context.WithCancel(context.Background())
	pr2, pw2 := io.Pipe()
	var wg2 sync.WaitGroup
	wg2.Go(func() {
		run(ctx2, []string{"--data", dir, "--addr", "127.0.0.1:0"}, nil, pw2, io.Discard)
		pw2.Close()
	})
	defer func() { cancel2(); wg2.Wait() }()
	again := waitURL(t, pr2) // and drains the rest of the log
	resp, err = c.Get(again + "/api/v1/services")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), "Tiếp nhận hồ sơ") {
		t.Errorf("after a restart without a config: %s", body)
	}
}

// setupServer runs the server on an empty dir in-process and reads its
// setup code and address from the log; lines goes on with the log.
func setupServer(t *testing.T, dir string) (code, base string, lines *bufio.Scanner, stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	var wg sync.WaitGroup
	wg.Go(func() {
		run(ctx, []string{"--data", dir, "--addr", "127.0.0.1:0"}, nil, pw, io.Discard)
		pw.Close()
	})
	stop = func() { cancel(); wg.Wait() }
	lines = bufio.NewScanner(pr)
	for (code == "" || base == "") && lines.Scan() {
		line := lines.Text()
		if m := regexp.MustCompile(`setup code: (\S+)`).FindStringSubmatch(line); m != nil {
			code = m[1]
		}
		if m := regexp.MustCompile(`listening on (\S+) \(setup\)`).FindStringSubmatch(line); m != nil {
			base = m[1]
		}
	}
	if code == "" || base == "" {
		stop()
		t.Fatal("no setup code or address in the log")
	}
	return code, base, lines, stop
}

// A new office started from the sample ward takes tickets at its services
// and receives dossiers of its catalogue on its first day, with no file
// edited.
func TestSetupFromTheSample(t *testing.T) {
	code, base, lines, stop := setupServer(t, t.TempDir())
	defer stop()
	form := url.Values{"code": {code}, "name": {"Bộ phận Một cửa xã Mới"}, "agency_code": {"H29.200"}, "public_url": {base}, "username": {"quantri"},
		"admin_name": {"Quản trị viên"}, "pin": {"482916"}, "pin2": {"482916"}}
	resp, err := http.PostForm(base+"/setup", form)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("setup: %v %v", resp, err)
	}
	resp.Body.Close()
	var office string
	for lines.Scan() {
		if m := regexp.MustCompile(`motcua-server listening on (\S+)$`).FindStringSubmatch(lines.Text()); m != nil {
			office = m[1]
			break
		}
	}
	go func() {
		for lines.Scan() {
		}
	}()
	var procedures []json.RawMessage
	var services []struct{ ID string }
	for path, out := range map[string]any{"/api/v1/procedures": &procedures, "/api/v1/services": &services} {
		resp, err := http.Get(office + path)
		if err != nil {
			t.Fatal(err)
		}
		json.NewDecoder(resp.Body).Decode(out)
		resp.Body.Close()
	}
	if len(procedures) < 10 || len(services) != 6 {
		t.Errorf("the sample office: %d procedures, %d services", len(procedures), len(services))
	}
}

// hoursAroundNow are working hours the test's kiosk may issue in at any
// time of day it runs: the office's own (07:30-11:30, 13:30-17:30) in the
// daytime in Hà Nội, else a session from the hour before now to two hours
// on (a new office issues only in its hours, and a test runs at night too).
func hoursAroundNow() string {
	loc, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	now := time.Now().In(loc)
	if m := now.Hour()*60 + now.Minute(); m >= 7*60+30 && m < 17*60 {
		return "07:30-11:30, 13:30-17:30"
	}
	from, to := max(now.Hour()-1, 0), min(now.Hour()+2, 23)
	end := fmt.Sprintf("%02d:00", to)
	if to == 23 {
		end = "23:59"
	}
	return fmt.Sprintf("%02d:00-%s", from, end)
}
