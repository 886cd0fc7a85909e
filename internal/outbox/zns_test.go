package outbox_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"motcua/internal/api"
	"motcua/internal/client"
	"motcua/internal/gammu"
	"motcua/internal/notify"
	"motcua/internal/province"
	"motcua/internal/provincetest"
	"motcua/internal/provinceweb"
	"motcua/internal/testserver"
	"motcua/internal/testwait"
	"motcua/internal/zalo"
	"motcua/internal/zalo/zalotest"
)

// ZNS through the province's OA (a real PostgreSQL, the province's
// service, Zalo as it documents itself), then SMS for a phone without Zalo:
// each message once, the province keeping no phone.
func TestZNSThroughTheProvinceThenSMS(t *testing.T) {
	z := zalotest.Start(t, "tpl-called", "tpl-near")
	cfg := zalo.Config{AppID: z.AppID, SecretKey: z.Secret, OAuthURL: z.URL + "/v4/oa/access_token", SendURL: z.URL + "/message/template",
		Templates: map[notify.Kind]string{notify.Called: "tpl-called", notify.Near: "tpl-near"}}
	var tokens province.ZaloTokens
	pg := provincetest.Start(t, func(s *provinceweb.Server) {
		tokens = province.ZaloTokens{Pool: s.Pool, OA: cfg.AppID}
		s.ZNS = zalo.New(cfg, tokens)
		s.MessagesPerHour = 6
	})
	ctx := context.Background()
	if err := tokens.Save(ctx, zalo.Token{Refresh: z.Refresh()}); err != nil {
		t.Fatal(err)
	}
	smsCfg, sp, err := gammu.FilesConfig(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	o := office(smsCfg)
	o.Notify.Channels = []string{notify.ZNS, notify.SMS}
	o.Services[0].Remote = true
	url, _ := testserver.StartSynced(t, t.TempDir(), o, pg.Office(t, "XA.01", o.Name), khaiSinh)
	kiosk := client.New(url, testserver.KioskKey)
	z.NoZalo["84987654321"] = true
	a, err := kiosk.IssueFor(ctx, api.IssueRequest{ServiceID: "ho_tich", Phone: "0912345678"})
	if err != nil {
		t.Fatal(err)
	}
	b, err := kiosk.IssueFor(ctx, api.IssueRequest{ServiceID: "ho_tich", Phone: "0987654321"})
	if err != nil {
		t.Fatal(err)
	}
	clerk := callFirst(t, url)
	testwait.Until(t, 15*time.Second, func() bool { return len(z.Sent()) == 1 }, func() string { return fmt.Sprintf("Zalo got %+v", z.Sent()) })
	s := z.Sent()[0]
	if s.Phone != "84912345678" || s.Template != "tpl-called" || s.Data["number"] != a.Ticket.Display || s.Data["counter"] != "1" || s.Tracking != "XA.01/t:"+a.Ticket.ID+"/queue.called" {
		t.Fatalf("Zalo got %+v", s)
	}
	// The second phone has no Zalo: "near" falls to the modem, once.
	f := sms(t, sp, "0987654321", "sắp đến lượt số "+b.Ticket.Display)
	if len(f.Parts) != 2 { // 102 characters with their marks: 67 + 35
		t.Fatalf("%d parts: %q", len(f.Parts), f.Parts)
	}
	var msgs []api.MessageView
	testwait.Until(t, 5*time.Second, func() bool {
		msgs, err = clerk.Messages(ctx, b.Ticket.ID, "")
		return err == nil && len(msgs) == 1 && msgs[0].State == notify.Sent
	}, func() string { return fmt.Sprintf("%+v %v", msgs, err) })
	if m := msgs[0]; m.Via != notify.SMS || m.Parts != 2 || len(m.History) != 2 || m.History[0].Channel != notify.ZNS || !strings.Contains(m.History[0].Answer, "-118") {
		t.Fatalf("the fallback as staff see it: %+v", m)
	}
	// The province sends an id once, whoever asks again; it keeps no phone.
	key := pg.Office(t, "XA.02", "Văn phòng khác")
	for range 2 {
		var got api.ZNSAnswer
		if code := uplinkPost(t, key.URL, key.Key, api.ZNSRequest{ID: "t:x/queue.called", Kind: notify.Called, Phone: "0912345678", Params: map[string]string{"number": "1", "counter": "2"}}, &got); code != 200 || !got.Sent {
			t.Fatalf("%d %+v", code, got)
		}
	}
	if n := len(z.Sent()); n != 2 {
		t.Fatalf("Zalo got %d messages, want 2 (the repeat of an id is not sent)", n)
	}
	// An office asking for more than its hour's messages is told to wait.
	limited := 0
	for i := range 8 {
		var got api.ZNSAnswer
		uplinkPost(t, key.URL, key.Key, api.ZNSRequest{ID: fmt.Sprintf("t:y%d/queue.called", i), Kind: notify.Called, Phone: "0912345678", Params: map[string]string{"number": "1", "counter": "2"}}, &got)
		if got.Limited {
			limited++
		}
	}
	if limited == 0 || len(z.Sent()) > 2+6 {
		t.Fatalf("an office flooding the province: %d limited, Zalo got %d", limited, len(z.Sent()))
	}
	var phones int
	if err := pg.Pool.QueryRow(ctx, `SELECT count(*) FROM zns_messages WHERE answer LIKE '%0912345678%' OR id LIKE '%0912345678%'`).Scan(&phones); err != nil || phones != 0 {
		t.Fatalf("the province keeps a phone: %d %v", phones, err)
	}

	// A number taken from afar by a citizen who asks for its messages:
	// the phone goes to the office, which confirms the number (no ZNS
	// template for it here: by SMS), with the province's page of it.
	testwait.Until(t, 20*time.Second, func() bool { n, _ := province.Folded(ctx, pg.Pool, "XA.01"); return n > 0 },
		func() string { return "the office's profile never reached the province" })
	var remote api.RemoteTicketAnswer
	if code := uplinkPost(t, pg.URL, "", api.RemoteTicketRequest{Office: "XA.01", ServiceID: "ho_tich", Phone: "0356 789 012", Notify: true}, &remote); code != 201 {
		t.Fatalf("a remote number: %d", code)
	}
	f = sms(t, sp, "0356789012", "đã cấp số "+remote.Display)
	if text := strings.Join(f.Parts, ""); !strings.Contains(text, "Mã: "+remote.Code) || !strings.Contains(text, pg.URL+remote.StatusURL) {
		t.Fatalf("the confirmation: %q", text)
	}
	// Without asking, the office never gets the phone.
	if code := uplinkPost(t, pg.URL, "", api.RemoteTicketRequest{Office: "XA.01", ServiceID: "ho_tich", Phone: "0356 000 111"}, &remote); code != 201 {
		t.Fatalf("a remote number: %d", code)
	}
	// No phone in any event the office shipped to the province.
	testwait.Until(t, 20*time.Second, func() bool {
		var n int
		pg.Pool.QueryRow(ctx, `SELECT count(*) FROM events WHERE office = 'XA.01' AND type = 'contact.changed'`).Scan(&n)
		return n >= 3
	}, func() string { return "the contacts' events never shipped" })
	for _, p := range []string{"912345678", "987654321", "356789012", "356000111"} {
		var n int
		if err := pg.Pool.QueryRow(ctx, `SELECT count(*) FROM events WHERE position($1::bytea in raw) > 0`, []byte(p)).Scan(&n); err != nil || n != 0 {
			t.Fatalf("%d shipped events hold the phone …%s (%v)", n, p, err)
		}
	}
	if msgs, _ := clerk.Messages(ctx, "", ""); len(msgs) != 0 {
		t.Fatalf("%+v", msgs)
	}
}

// uplinkPost posts body to the province's uplink with an office's key
// (none: to its door, as a citizen).
func uplinkPost(t *testing.T, base, key string, body, out any) int {
	t.Helper()
	raw, _ := json.Marshal(body)
	path := api.UplinkMessages
	if key == "" {
		path = api.PublicRemoteTickets
	}
	req, _ := http.NewRequest(http.MethodPost, base+path, bytes.NewReader(raw))
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	json.NewDecoder(resp.Body).Decode(out)
	return resp.StatusCode
}
