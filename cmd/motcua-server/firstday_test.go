package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"os/exec"
	"regexp"
	"testing"
	"time"

	"motcua/internal/browsertest"
	apiclient "motcua/internal/client"
	"motcua/internal/intake"
)

// The first office's day, as docs/INSTALL.md walks it, through the pages
// in real Chromium against the real binary: an empty data dir; /setup with
// the code from the log and an empty start; the console's login; the
// office's details saved; the sample catalogue mapped onto the office's
// service, previewed and applied; the kiosk paired by the code it shows,
// typed with its space; a clerk added, her one-time code read off the page.
// Then the devices' side: the kiosk issues, the clerk chooses her PIN,
// calls the ticket and receives a dossier with its Mẫu 01.
func TestFirstDayInChromium(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the real server")
	}
	bin := serverBinary(t)
	cmd := exec.Command(bin, "--data", t.TempDir(), "--addr", "127.0.0.1:0")
	out, _ := cmd.StdoutPipe()
	cmd.Stderr = io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	sc := bufio.NewScanner(out)
	var code, setupBase, office string
	for (code == "" || setupBase == "") && sc.Scan() {
		if m := regexp.MustCompile(`setup code: (\S+)`).FindStringSubmatch(sc.Text()); m != nil {
			code = m[1]
		}
		if m := regexp.MustCompile(`listening on (\S+) \(setup\)`).FindStringSubmatch(sc.Text()); m != nil {
			setupBase = m[1]
		}
	}
	officeUp := make(chan string, 1)
	go func() {
		for sc.Scan() {
			if m := regexp.MustCompile(`motcua-server listening on (\S+)$`).FindStringSubmatch(sc.Text()); m != nil {
				officeUp <- m[1]
			}
		}
	}()

	b := browsertest.Start(t)
	p := b.Open(setupBase + "/setup")
	p.Wait(`document.readyState`, "complete", 10*time.Second)
	const pin = "482916"
	fill := func(fields map[string]string) string {
		js := "(() => { var f = document.querySelector('form.card');"
		for name, v := range fields {
			js += "f.querySelector('[name=\"" + name + "\"]').value = " + jsString(v) + ";"
		}
		return js
	}
	p.Eval(fill(map[string]string{"code": code, "name": "Bộ phận Một cửa xã Mới", "agency_code": "H29.200", "public_url": setupBase,
		"username": "quantri", "admin_name": "Quản trị viên", "pin": pin, "pin2": pin}) +
		`f.querySelector('[name=start][value=empty]').checked = true; f.submit(); return "ok" })()`)
	p.Wait(`document.body.innerText`, "~Văn phòng đã được tạo", 10*time.Second)
	select {
	case office = <-officeUp:
	case <-time.After(20 * time.Second):
		t.Fatal("the office's server never started")
	}

	// The console: the admin's login, then what the home says is left.
	c := b.Open(office + "/admin/login")
	c.Wait(`document.readyState`, "complete", 10*time.Second)
	c.Eval(`(() => { var f = document.querySelector('form'); f.querySelector('[name=username]').value = "quantri";
		f.querySelector('[name=pin]').value = "` + pin + `"; f.submit(); return "ok" })()`)
	c.Wait(`location.pathname`, "/admin", 10*time.Second)
	c.Wait(`document.querySelector(".checklist") ? document.querySelector(".checklist").innerText : ""`, "~Danh mục thủ tục: 0", 10*time.Second)
	c.Eval(`(() => { var f = document.querySelector('form[action="/admin"]'); f.querySelector('[name=authority]').value = "UBND xã Mới";
		f.querySelector('[name=place]').value = "Mới"; f.querySelector('[name=hours]').value = "` + hoursAroundNow() + `"; f.submit(); return "ok" })()`)
	c.Wait(`document.querySelector('.notice') ? document.querySelector('.notice').textContent : ""`, "~Đã lưu", 10*time.Second)

	// The sample catalogue, its civil status and certification groups onto
	// the office's one service; previewed, applied.
	c.Eval(`(() => { location.href = "/admin/catalogue"; return "ok" })()`)
	c.Wait(`document.querySelector('[name="map.ho_tich"]') ? "yes" : ""`, "yes", 10*time.Second)
	c.Eval(`(() => { var f = document.querySelector('[name="map.ho_tich"]').form;
		f.querySelector('[name="map.ho_tich"]').value = "tiep_nhan"; f.querySelector('[name="map.chung_thuc"]').value = "tiep_nhan";
		f.submit(); return "ok" })()`)
	c.Wait(`document.body.innerText`, "~ho_tich → Tiếp nhận hồ sơ (tiep_nhan)", 10*time.Second)
	c.Eval(`(() => { document.querySelector('form [name=action][value=apply]').form.submit(); return "ok" })()`)
	c.Wait(`document.querySelector('.notice') ? document.querySelector('.notice').textContent : ""`, "~Đã áp dụng danh mục", 10*time.Second)

	// The kiosk shows a code; it is typed as shown, with its space.
	ctx := context.Background()
	kiosk := apiclient.New(office, "")
	ask, err := kiosk.Pair(ctx)
	if err != nil {
		t.Fatal(err)
	}
	c.Eval(`(() => { location.href = "/admin/devices"; return "ok" })()`)
	c.Wait(`document.querySelector('[name=code]') ? "yes" : ""`, "yes", 10*time.Second)
	c.Eval(`(() => { var f = document.querySelector('[name=code]').form; f.querySelector('[name=code]').value = "` + ask.Code[:3] + " " + ask.Code[3:] + `";
		f.querySelector('[name=id]').value = "kiosk-sanh"; f.submit(); return "ok" })()`)
	c.Wait(`document.body.innerText`, "~Đã ghép nối kiosk-sanh", 10*time.Second)
	paired, ok, err := kiosk.Paired(ctx, ask.Token)
	if !ok || err != nil {
		t.Fatalf("the kiosk's key: %v %v", ok, err)
	}

	// A clerk, her one-time code read off the page.
	c.Eval(`(() => { location.href = "/admin/users"; return "ok" })()`)
	c.Wait(`document.querySelector('form.card [name=username]') ? "yes" : ""`, "yes", 10*time.Second)
	c.Eval(`(() => { var f = document.querySelector('form.card'); f.querySelector('[name=username]').value = "lan.nt";
		f.querySelector('[name=name]').value = "Nguyễn Thị Lan"; f.querySelector('[name=role]').value = "clerk"; f.submit(); return "ok" })()`)
	c.Wait(`document.querySelector('b.code') ? "yes" : ""`, "yes", 10*time.Second)
	oneTime := c.Eval(`document.querySelector('b.code').textContent`)

	ticket, err := apiclient.New(office, paired.Key).Issue(ctx, "tiep_nhan", "")
	if err != nil || ticket.Display != "1001" {
		t.Fatalf("the first ticket: %+v %v", ticket, err)
	}
	clerk := apiclient.New(office, "")
	if _, err := clerk.LoginWithNewPIN(ctx, "lan.nt", oneTime, "583920"); err != nil {
		t.Fatalf("the clerk's first login with %q: %v", oneTime, err)
	}
	if called, ok, err := clerk.Next(ctx, 1); err != nil || !ok || called.ID != ticket.ID {
		t.Fatalf("calling it: %+v %v %v", called, ok, err)
	}
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
}

// jsString is s as a JavaScript string literal.
func jsString(s string) string {
	var b bytes.Buffer
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"', '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '\n':
			b.WriteString(`\n`)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
