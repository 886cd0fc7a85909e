package provinceweb_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"motcua/internal/api"
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
}
