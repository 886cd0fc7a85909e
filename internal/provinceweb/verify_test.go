package provinceweb_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"motcua/internal/api"
	"motcua/internal/browsertest"
	"motcua/internal/gammu"
	"motcua/internal/notify"
	"motcua/internal/province"
	"motcua/internal/provincetest"
	"motcua/internal/provinceweb"
	"motcua/internal/queue"
	"motcua/internal/testserver"
	"motcua/internal/testwait"
)

// smsTo waits for the office's modem to hold a message to phone that
// contains want, and returns its text.
func smsTo(t *testing.T, sp gammu.Spool, phone, want string, skip int) string {
	t.Helper()
	var text string
	testwait.Until(t, 20*time.Second, func() bool {
		seen := 0
		for _, f := range sp.Files(time.Time{}) {
			if s := strings.Join(f.Parts, ""); f.Number == phone && strings.Contains(s, want) {
				if seen++; seen > skip {
					text = s
					return true
				}
			}
		}
		return false
	}, func() string { return fmt.Sprintf("no SMS to %s with %q", phone, want) })
	return text
}

// verifyingOffice starts office o as id, texting through a gammu files
// outbox and verifying phones, and waits until the province has its
// settings; it returns the modem's spool.
func verifyingOffice(t *testing.T, pg *provincetest.Province, id string, o queue.Office) gammu.Spool {
	t.Helper()
	key := pg.Office(t, id, o.Name)
	cfg, sp, err := gammu.FilesConfig(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	o.Notify = notify.Settings{Channels: []string{notify.SMS}, SMS: notify.SMSConf{GammuConfig: cfg, Unicode: true}, VerifyPhone: true}
	testserver.StartSynced(t, t.TempDir(), o, key)
	testwait.Until(t, 20*time.Second, func() bool { n, _ := province.Folded(context.Background(), pg.Pool, id); return n > 0 },
		func() string { return "the office's settings never reached the province" })
	return sp
}

var sixDigits = regexp.MustCompile(`là (\d{6}),`)

// An office that verifies phones: a number or a booking from afar waits
// for the one-time code the office texts to the phone given; a wrong code
// is refused with the tries left, five end the request, a right one
// carries it out (201, as without verification) once only; a booking's
// citizen who asked is sent its confirmation with the province's link; a
// phone gets at most three codes an hour.
func TestAPhoneIsVerifiedWithACode(t *testing.T) {
	pg := provincetest.Start(t, func(s *provinceweb.Server) { s.PublicURL = "https://dichvucong.tinh.example.vn" })
	sp := verifyingOffice(t, pg, "XA.11", bookingOffice())

	var wait api.VerifyAnswer
	testwait.Until(t, 20*time.Second, func() bool {
		code, _ := postJSON(t, pg.URL+api.PublicRemoteTickets, api.RemoteTicketRequest{Office: "XA.11", ServiceID: "ho_tich", Phone: "0912 345 678", Notify: true}, &wait)
		return code == http.StatusAccepted
	}, func() string { return "the remote number was not held for its code" })
	if wait.Phone != "091****678" || wait.Minutes != 10 || !strings.HasPrefix(wait.Page, "/xac-nhan/") {
		t.Fatalf("the answer: %+v", wait)
	}
	m := sixDigits.FindStringSubmatch(smsTo(t, sp, "0912345678", "mã xác nhận", 0))
	if m == nil {
		t.Fatal("no code in the message")
	}
	wrong := "000000"
	if m[1] == wrong {
		wrong = "111111"
	}
	if code, e := postJSON(t, pg.URL+wait.Verify, api.VerifyRequest{Code: wrong}, nil); code != http.StatusBadRequest || !strings.Contains(e.Error.Message, "còn 4 lần") {
		t.Fatalf("a wrong code: %d %+v", code, e)
	}
	var got api.RemoteTicketAnswer
	if code, e := postJSON(t, pg.URL+wait.Verify, api.VerifyRequest{Code: m[1][:3] + " " + m[1][3:]}, &got); code != http.StatusCreated || got.Number != 1001 || !strings.HasPrefix(got.StatusURL, "/so/") {
		t.Fatalf("the right code: %d %+v %+v", code, got, e)
	}
	if code, _ := postJSON(t, pg.URL+wait.Verify, api.VerifyRequest{Code: m[1]}, nil); code != http.StatusNotFound {
		t.Fatalf("the code used twice: %d", code)
	}
	smsTo(t, sp, "0912345678", "đã cấp số 1001", 0) // and its number's confirmation, as it asked

	// A booking: held for its code too, then taken and confirmed.
	var slots []api.FreeSlot
	day := time.Now()
	for range 14 {
		day = day.AddDate(0, 0, 1)
		resp, err := http.Get(pg.URL + strings.Replace(api.PublicSlots, "{id}", "XA.11", 1) + "?service_id=ho_tich&date=" + day.Format("2006-01-02"))
		if err != nil {
			t.Fatal(err)
		}
		slots = nil
		decode(t, resp, &slots)
		if len(slots) > 0 {
			break
		}
	}
	if len(slots) == 0 {
		t.Fatal("no free slot in two weeks")
	}
	if code, e := postJSON(t, pg.URL+api.PublicBookings, api.BookingRequest{Office: "XA.11", ServiceID: "ho_tich", Slot: slots[0].Slot, Phone: "0987654321", Notify: true}, &wait); code != http.StatusAccepted {
		t.Fatalf("a booking: %d %+v", code, e)
	}
	m = sixDigits.FindStringSubmatch(smsTo(t, sp, "0987654321", "mã xác nhận", 0))
	var booked api.BookingAnswer
	if code, e := postJSON(t, pg.URL+wait.Verify, api.VerifyRequest{Code: m[1]}, &booked); code != http.StatusCreated || !strings.HasPrefix(booked.StatusURL, "/lich/") {
		t.Fatalf("the booking's code: %d %+v %+v", code, booked, e)
	}
	text := smsTo(t, sp, "0987654321", "đã đặt lịch", 0)
	if !strings.Contains(text, booked.Code) || !strings.Contains(text, "https://dichvucong.tinh.example.vn"+booked.StatusURL) || !strings.Contains(text, slots[0].Slot[11:]) {
		t.Fatalf("the booking's confirmation: %q", text)
	}

	// Five wrong codes end the request; a phone gets three codes an hour.
	for i := range 3 {
		if code, e := postJSON(t, pg.URL+api.PublicRemoteTickets, api.RemoteTicketRequest{Office: "XA.11", ServiceID: "ho_tich", Phone: "0356789012"}, &wait); code != http.StatusAccepted {
			t.Fatalf("code %d: %d %+v", i+1, code, e)
		}
	}
	for i := range 5 {
		code, e := postJSON(t, pg.URL+wait.Verify, api.VerifyRequest{Code: "12345" + fmt.Sprint(i)}, nil)
		if i < 4 && code != http.StatusBadRequest || i == 4 && (code != http.StatusTooManyRequests || !strings.Contains(e.Error.Message, "đã huỷ")) {
			t.Fatalf("wrong code %d: %d %+v", i+1, code, e)
		}
	}
	if code, _ := postJSON(t, pg.URL+wait.Verify, api.VerifyRequest{Code: "123456"}, nil); code != http.StatusNotFound {
		t.Fatalf("after five wrong codes: %d", code)
	}
	if code, e := postJSON(t, pg.URL+api.PublicRemoteTickets, api.RemoteTicketRequest{Office: "XA.11", ServiceID: "ho_tich", Phone: "0356789012"}, &wait); code != http.StatusTooManyRequests || !strings.Contains(e.Error.Message, "3 mã") {
		t.Fatalf("a fourth code in the hour: %d %+v", code, e)
	}
}

func decode(t *testing.T, resp *http.Response, v any) {
	t.Helper()
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s: %d", resp.Request.URL, resp.StatusCode)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatal(err)
	}
}

// The code's page in real Chromium at a phone's size: the number asked
// for on /lay-so leads to the box for the code (WCAG 2.1 AA), a wrong
// code says the tries left, the right one leads to the number's page.
func TestTheCodePageInChromium(t *testing.T) {
	axe := browsertest.AxeSource(t)
	pg := provincetest.Start(t)
	o := remoteOffice()
	o.Name = "UBND phường Hòa Bình"
	sp := verifyingOffice(t, pg, "XA.12", o)
	p := browsertest.Start(t).Open(pg.URL + "/lay-so?office=XA.12")
	p.Screenshot(390, 844)
	p.Wait(`document.querySelector("h1").textContent`, "UBND phường Hòa Bình", 10*time.Second)
	if got := p.Eval(`document.querySelector("main").textContent`); !strings.Contains(got, "mã xác nhận 6 số") {
		t.Errorf("the form does not say a code will come: %q", got)
	}
	p.Eval(`(() => { document.querySelector('#phone').value = "091 234 5678"; document.querySelector('form[method=post]').submit(); return "ok" })()`)
	p.Wait(`document.querySelector("h1").textContent`, "~Nhập mã xác nhận", 15*time.Second)
	p.PassesWCAG(axe, "/xac-nhan/{id}")
	if dir := os.Getenv("MOTCUA_SCREENSHOTS"); dir != "" {
		os.WriteFile(filepath.Join(dir, "province-verify-code.png"), p.Screenshot(390, 844), 0o644)
	}
	m := sixDigits.FindStringSubmatch(smsTo(t, sp, "0912345678", "mã xác nhận", 0))
	wrong := "000000"
	if m[1] == wrong {
		wrong = "111111"
	}
	p.Eval(`(() => { document.querySelector('#code').value = "` + wrong + `"; document.querySelector('form').submit(); return "ok" })()`)
	p.Wait(`document.querySelector(".error") ? document.querySelector(".error").textContent : ""`, "~còn 4 lần thử", 10*time.Second)
	p.Eval(`(() => { document.querySelector('#code').value = "` + m[1][:3] + " " + m[1][3:] + `"; document.querySelector('form').submit(); return "ok" })()`)
	p.Wait(`document.querySelector(".number") ? document.querySelector(".number").textContent : ""`, "1001", 15*time.Second)
}
