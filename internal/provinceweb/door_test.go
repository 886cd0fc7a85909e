package provinceweb_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"motcua/internal/api"
	"motcua/internal/browsertest"
	apiclient "motcua/internal/client"
	"motcua/internal/province"
	"motcua/internal/provincetest"
	"motcua/internal/queue"
	"motcua/internal/testserver"
	"motcua/internal/testwait"
)

// remoteOffice is an office that takes remote numbers for its civil status
// service, not for its certification.
func remoteOffice() queue.Office {
	return queue.Office{Name: "UBND phường Thử", TimeZone: "Asia/Ho_Chi_Minh",
		Services: []queue.ServiceConfig{{ID: "ho_tich", Name: "Hộ tịch", RangeStart: 1001, RangeEnd: 1999, Remote: true, RemoteDailyCap: 50},
			{ID: "chung_thuc", Name: "Chứng thực", RangeStart: 2001, RangeEnd: 2999}},
		Counters: []queue.CounterConfig{{Number: 1, Services: []string{"ho_tich", "chung_thuc"}}}}
}

func askRemote(t *testing.T, url string, req api.RemoteTicketRequest) (int, api.RemoteTicketAnswer, api.ErrorBody) {
	t.Helper()
	body, _ := json.Marshal(req)
	resp, err := http.Post(url+api.PublicRemoteTickets, "application/json", bytes.NewReader(body))
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

// A citizen takes a number from afar: the province hands the request to
// the office over the office's own uplink, the office numbers it under its
// rules and says no in its own words; one number a day per phone; the
// office never sees the phone; at the kiosk the code checks the ticket in
// and it is called; an office that is not connected is said to be so.
func TestRemoteTicketThroughTheProvince(t *testing.T) {
	pg := provincetest.Start(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	key := pg.Office(t, "XA.07", "UBND phường Thử")

	// Before the office connects: it is not taking remote numbers now.
	if code, _, e := askRemote(t, pg.URL, api.RemoteTicketRequest{Office: "XA.07", ServiceID: "ho_tich", Phone: "0912345678"}); code != http.StatusServiceUnavailable ||
		!strings.Contains(e.Error.Message, "không nhận lấy số từ xa") || e.Error.MessageEN == "" {
		t.Fatalf("an office not connected: %d %+v", code, e)
	}

	office, _ := testserver.StartSynced(t, t.TempDir(), remoteOffice(), key)
	testwait.Until(t, 20*time.Second, func() bool { n, _ := province.Folded(ctx, pg.Pool, "XA.07"); return n > 0 },
		func() string { return "the office's uplink never shipped" }) // and its door polls since it started

	code, got, e := askRemote(t, pg.URL, api.RemoteTicketRequest{Office: "XA.07", ServiceID: "ho_tich", Phone: "+84 912 345 678"})
	if code != http.StatusCreated || got.Number != 1001 || len(got.Code) != 6 || !strings.HasPrefix(got.StatusURL, "/so/") {
		t.Fatalf("a remote number: %d %+v %+v", code, got, e)
	}
	for _, c := range []struct {
		req  api.RemoteTicketRequest
		code int
		says string
	}{
		{api.RemoteTicketRequest{Office: "XA.07", ServiceID: "ho_tich", Phone: "0912 345 678"}, http.StatusConflict, "đã lấy một số"},
		{api.RemoteTicketRequest{Office: "XA.07", ServiceID: "ho_tich", Phone: "12345"}, http.StatusBadRequest, "Số điện thoại"},
		{api.RemoteTicketRequest{Office: "XA.99", ServiceID: "ho_tich", Phone: "0987654321"}, http.StatusNotFound, "Không có văn phòng"},
		{api.RemoteTicketRequest{Office: "XA.07", ServiceID: "chung_thuc", Phone: "0987654321"}, http.StatusConflict, "không nhận lấy số từ xa"},
		{api.RemoteTicketRequest{Office: "XA.07", ServiceID: "khong_co", Phone: "0987654321"}, http.StatusNotFound, "Không có dịch vụ"},
	} {
		code, _, e := askRemote(t, pg.URL, c.req)
		if code != c.code || !strings.Contains(e.Error.Message, c.says) || e.Error.MessageEN == "" {
			t.Errorf("%+v: %d %+v, want %d saying %q", c.req, code, e.Error, c.code, c.says)
		}
	}

	// The office holds the ticket away, without the phone.
	staff := apiclient.New(office, "")
	if _, err := staff.Login(ctx, testserver.Clerk, testserver.PIN); err != nil {
		t.Fatal(err)
	}
	raw, err := staff.Fetch(ctx, "/api/v1/admin/export")
	if err == nil && (bytes.Contains(raw, []byte("0912345678")) || bytes.Contains(raw, []byte("912 345"))) {
		t.Error("the office's export holds the phone number")
	}
	kiosk := apiclient.New(office, testserver.KioskKey)
	walkIn, err := kiosk.Issue(ctx, "ho_tich", "")
	if err != nil {
		t.Fatal(err)
	}
	// Its citizen arrives: the code checks it in (typed with a space) and it
	// goes ahead of the walk-in taken after it.
	var in api.TicketView
	body, _ := json.Marshal(api.CheckInRequest{Code: got.Code[:3] + " " + got.Code[3:]})
	req, _ := http.NewRequest("POST", office+api.CheckIns, bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+testserver.KioskKey)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	json.NewDecoder(resp.Body).Decode(&in)
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated || in.Number != 1001 || in.Away || in.Token == "" || in.Ahead != 0 {
		t.Fatalf("check-in: %d %+v", resp.StatusCode, in)
	}
	if _, err := staff.CounterAction(ctx, 1, "next"); err != nil {
		t.Fatal(err)
	}
	st, err := staff.State(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if c := st.Counters[0]; c.Current != in.ID {
		t.Fatalf("called %s, want the checked-in remote ticket %s before the walk-in %s", c.Current, in.ID, walkIn.ID)
	}
	// The province's record of it has no phone in clear.
	var n int
	if err := pg.Pool.QueryRow(ctx, `SELECT count(*) FROM remote_tickets WHERE office = 'XA.07' AND position('0912345678' in encode(phone_mac, 'escape')) = 0`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("the province's remote tickets: %d %v", n, err)
	}
	if _, ok, err := province.RemoteByToken(ctx, pg.Pool, strings.TrimPrefix(got.StatusURL, "/so/")); !ok || err != nil {
		t.Fatalf("the status page's record: %v %v", ok, err)
	}
	// Nor is it in any event the office shipped back.
	testwait.Until(t, 20*time.Second, func() bool {
		n, _ := province.Folded(ctx, pg.Pool, "XA.07")
		return n >= 4 // the remote ticket's issue and check-in, and the calls, on the chain
	}, func() string { return "the office's events never shipped" })
	var leaked int
	if err := pg.Pool.QueryRow(ctx, `SELECT count(*) FROM events WHERE office = 'XA.07' AND (position('0912345678' in convert_from(raw, 'UTF8')) > 0
		OR position('912 345' in convert_from(raw, 'UTF8')) > 0)`).Scan(&leaked); err != nil || leaked != 0 {
		t.Errorf("events holding the phone: %d %v", leaked, err)
	}
}

// The citizen's pages of the door in real Chromium at a phone's size: the
// office found by its name typed without diacritics, the service chosen,
// the phone typed as people write it, and the number's page with its code
// and QR for the kiosk; each page passes WCAG 2.1 AA (axe-core), text at
// least 16 px.
func TestDoorPagesInChromium(t *testing.T) {
	axe := browsertest.AxeSource(t)
	pg := provincetest.Start(t)
	ctx := context.Background()
	key := pg.Office(t, "XA.08", "UBND phường Hòa Bình")
	o := remoteOffice()
	o.Name = "UBND phường Hòa Bình"
	o.Services[0].Subtitle = "Khai sinh, kết hôn, khai tử"
	o.Services[0].Booking = &queue.Booking{SlotMinutes: 30, PerSlot: 2}
	testserver.StartSynced(t, t.TempDir(), o, key)
	testwait.Until(t, 20*time.Second, func() bool { n, _ := province.Folded(ctx, pg.Pool, "XA.08"); return n > 0 },
		func() string { return "the office's uplink never shipped" })

	p := browsertest.Start(t).Open(pg.URL + "/lay-so")
	p.Screenshot(390, 844) // a phone's viewport from here on
	p.Wait(`document.querySelector("h1").textContent`, "~Chọn văn phòng", 10*time.Second)
	p.PassesWCAG(axe, "/lay-so")
	p.Eval(`(() => { document.querySelector('#q').value = "hoa binh"; document.querySelector('form').submit(); return "ok" })()`)
	p.Wait(`location.search + " " + document.querySelectorAll("ul.list a").length`, "?q=hoa+binh 1", 10*time.Second)
	p.Eval(`(() => { document.querySelector("ul.list a").click(); return "ok" })()`)
	p.Wait(`document.querySelector("h1").textContent`, "UBND phường Hòa Bình", 10*time.Second)
	if got := p.Eval(`document.querySelectorAll("input[name=service_id]").length`); got != "1" {
		t.Errorf("services offered: %s, want only the one taking remote numbers", got)
	}
	p.PassesWCAG(axe, "/lay-so?office=")
	p.Eval(`(() => { document.querySelector('#phone').value = "091 234 5678"; return "ok" })()`)
	if dir := os.Getenv("MOTCUA_SCREENSHOTS"); dir != "" {
		os.WriteFile(filepath.Join(dir, "province-take-number.png"), p.Screenshot(390, 844), 0o644)
	}
	p.Eval(`(() => { document.querySelector('form[method=post]').submit(); return "ok" })()`)
	p.Wait(`document.querySelector(".number") ? document.querySelector(".number").textContent : ""`, "1001", 15*time.Second)
	if got := p.Eval(`document.querySelector(".code").textContent`); len(got) != 7 || got[3] != ' ' {
		t.Errorf("the check-in code shows as %q, want 123 456", got)
	}
	p.Wait(`document.querySelector("img.qr").naturalWidth > 0`, "true", 10*time.Second)
	if got := p.Eval(`document.querySelector(".box").textContent`); !strings.Contains(got, "Không còn ai trước Ông/Bà") {
		t.Errorf("the place: %q", got)
	}
	if got := p.Eval(`Math.min(...[...document.querySelectorAll("main p, main div, main a, main label")].map(e => parseFloat(getComputedStyle(e).fontSize)))`); got < "16" && len(got) <= 2 {
		t.Errorf("the smallest text is %s px, want at least 16", got)
	}
	p.PassesWCAG(axe, "/so/{token}")
	if dir := os.Getenv("MOTCUA_SCREENSHOTS"); dir != "" {
		os.WriteFile(filepath.Join(dir, "province-remote-ticket.png"), p.Screenshot(390, 844), 0o644)
	}

	// A booking: the day with free times (today's may be over), a time, the
	// phone; its page with the code, then cancelled from it.
	p.Eval(`(() => { location.href = "/dat-lich?office=XA.08"; return "ok" })()`)
	p.Wait(`document.querySelector("h1").textContent`, "UBND phường Hòa Bình", 10*time.Second)
	for i := 1; p.Eval(`document.querySelector("input[name=slot]") ? "yes" : ""`) == ""; i++ {
		if i > 10 {
			t.Fatal("no day with free times")
		}
		p.Eval(`(() => { document.querySelectorAll("ul.days a")[` + fmt.Sprint(i) + `].click(); return "ok" })()`)
		p.Wait(`location.search`, "~date=", 10*time.Second)
		p.Wait(`document.readyState`, "complete", 10*time.Second)
	}
	p.PassesWCAG(axe, "/dat-lich")
	p.Eval(`(() => { document.querySelector('#phone').value = "0977 111 222"; return "ok" })()`)
	if dir := os.Getenv("MOTCUA_SCREENSHOTS"); dir != "" {
		os.WriteFile(filepath.Join(dir, "province-booking.png"), p.Screenshot(390, 844), 0o644)
	}
	p.Eval(`(() => { document.querySelector('form[method=post]').submit(); return "ok" })()`)
	p.Wait(`document.querySelector("h1").textContent`, "~Lịch hẹn của Ông/Bà", 15*time.Second)
	if got := p.Eval(`document.querySelector(".code").textContent`); len(got) != 7 || got < "5" {
		t.Errorf("the booking's code shows as %q", got)
	}
	p.PassesWCAG(axe, "/lich/{token}")
	if dir := os.Getenv("MOTCUA_SCREENSHOTS"); dir != "" {
		os.WriteFile(filepath.Join(dir, "province-booked.png"), p.Screenshot(390, 844), 0o644)
	}
	p.Eval(`(() => { document.querySelector('form[action$="/huy"]').submit(); return "ok" })()`)
	p.Wait(`document.querySelector(".box") ? document.querySelector(".box").textContent : ""`, "~Lịch hẹn đã huỷ", 10*time.Second)
}
