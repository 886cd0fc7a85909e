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

func bookingOffice() queue.Office {
	o := remoteOffice()
	o.Services[0].Booking = &queue.Booking{SlotMinutes: 30, PerSlot: 1, DaysAhead: 10}
	return o
}

func postJSON(t *testing.T, url string, body, out any) (int, api.ErrorBody) {
	t.Helper()
	raw, _ := json.Marshal(body)
	resp, err := http.Post(url, "application/json", bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var e api.ErrorBody
	if resp.StatusCode >= 300 {
		json.NewDecoder(resp.Body).Decode(&e)
	} else if out != nil {
		json.NewDecoder(resp.Body).Decode(out)
	}
	return resp.StatusCode, e
}

func checkIn(t *testing.T, office, code string) (int, api.TicketView, api.ErrorBody) {
	t.Helper()
	raw, _ := json.Marshal(api.CheckInRequest{Code: code})
	req, _ := http.NewRequest("POST", office+api.CheckIns, bytes.NewReader(raw))
	req.Header.Set("Authorization", "Bearer "+testserver.KioskKey)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var v api.TicketView
	var e api.ErrorBody
	if resp.StatusCode == http.StatusCreated {
		json.NewDecoder(resp.Body).Decode(&v)
	} else {
		json.NewDecoder(resp.Body).Decode(&e)
	}
	return resp.StatusCode, v, e
}

// A booking taken at the province while the office is away reaches the
// office when its uplink returns, and is checked in there at its slot —
// called ahead of walk-ins from then — even once the province is gone;
// the slot's room, one booking a day per phone, a cancelled booking and
// one checked in twice are refused in words.
func TestBookingThroughTheProvince(t *testing.T) {
	pg := provincetest.Start(t)
	ctx := context.Background()
	key := pg.Office(t, "XA.10", "UBND phường Thử")
	dir := t.TempDir()
	clock := testserver.NewClock(time.Now())
	_, stop := testserver.StartSyncedClock(t, dir, bookingOffice(), key, clock.Now)
	testwait.Until(t, 20*time.Second, func() bool { n, _ := province.Folded(ctx, pg.Pool, "XA.10"); return n > 0 },
		func() string { return "the office's settings never reached the province" })
	stop() // the office's uplink goes down

	// The first working day ahead with free slots.
	loc, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	var slots []api.FreeSlot
	for d := 1; d <= 10 && len(slots) == 0; d++ {
		date := time.Now().In(loc).AddDate(0, 0, d).Format("2006-01-02")
		resp, err := http.Get(pg.URL + api.Path(api.PublicSlots, "XA.10") + "?service_id=ho_tich&date=" + date)
		if err != nil {
			t.Fatal(err)
		}
		json.NewDecoder(resp.Body).Decode(&slots)
		resp.Body.Close()
	}
	if len(slots) < 2 || slots[0].Free != 1 {
		t.Fatalf("free slots: %+v", slots)
	}
	var first, second api.BookingAnswer
	if code, e := postJSON(t, pg.URL+api.PublicBookings, api.BookingRequest{Office: "XA.10", ServiceID: "ho_tich", Slot: slots[0].Slot, Phone: "0912345678"}, &first); code != 201 || len(first.Code) != 6 || first.Code < "500000" {
		t.Fatalf("booking: %d %+v %+v", code, first, e)
	}
	for _, c := range []struct {
		req  api.BookingRequest
		code int
		says string
	}{
		{api.BookingRequest{Office: "XA.10", ServiceID: "ho_tich", Slot: slots[0].Slot, Phone: "0987654321"}, 409, "không còn chỗ"},
		{api.BookingRequest{Office: "XA.10", ServiceID: "ho_tich", Slot: slots[1].Slot, Phone: "0912 345 678"}, 409, "một lần mỗi ngày"},
		{api.BookingRequest{Office: "XA.10", ServiceID: "chung_thuc", Slot: slots[1].Slot, Phone: "0987654321"}, 404, "không nhận đặt lịch"},
		{api.BookingRequest{Office: "XA.10", ServiceID: "ho_tich", Slot: "mai 8 giờ", Phone: "0987654321"}, 400, "không đúng dạng"},
	} {
		if code, e := postJSON(t, pg.URL+api.PublicBookings, c.req, nil); code != c.code || !strings.Contains(e.Error.Message, c.says) || e.Error.MessageEN == "" {
			t.Errorf("%+v: %d %+v, want %d saying %q", c.req, code, e.Error, c.code, c.says)
		}
	}
	if code, _ := postJSON(t, pg.URL+api.PublicBookings, api.BookingRequest{Office: "XA.10", ServiceID: "ho_tich", Slot: slots[1].Slot, Phone: "0987654321"}, &second); code != 201 {
		t.Fatalf("the second booking: %d", code)
	}
	// The second is cancelled from its page.
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noFollow.Post(pg.URL+second.StatusURL+"/huy", "application/x-www-form-urlencoded", nil)
	if err != nil || resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("cancel: %v %v", resp, err)
	}
	resp.Body.Close()

	// The office comes back on the day of the slot, five minutes before it;
	// its bookings arrive with its uplink.
	slot, _ := time.ParseInLocation("2006-01-02T15:04", slots[0].Slot, loc)
	clock = testserver.NewClock(slot.Add(-5 * time.Minute))
	office, stop := testserver.StartSyncedClock(t, dir, bookingOffice(), key, clock.Now)
	testwait.Until(t, 20*time.Second, func() bool {
		code, _, e := checkIn(t, office, second.Code)
		return code == http.StatusConflict && strings.Contains(e.Error.Message, "đã huỷ")
	}, func() string { return "the cancelled booking never reached the office" })
	stop() // and the uplink is gone again: the booking is the office's now
	office, _ = testserver.StartClock(t, "127.0.0.1:0", dir, bookingOffice(), clock.Now)
	code, v, e := checkIn(t, office, first.Code[:3]+" "+first.Code[3:])
	if code != http.StatusCreated || !v.Slot.Equal(slot) || v.Channel != queue.ChannelAppointment {
		t.Fatalf("checking the booking in: %d %+v %+v", code, v, e)
	}
	if code, _, e := checkIn(t, office, first.Code); code != http.StatusConflict || !strings.Contains(e.Error.Message, "đã xác nhận") {
		t.Errorf("checked in twice: %d %+v", code, e.Error)
	}

	// The office's report counts the booked ticket apart, and the booking
	// that came once its time is past (the cancelled one not at all).
	clock.Add(time.Hour)
	desk := apiclient.New(office, "")
	if _, err := desk.Login(ctx, testserver.AdminUser, testserver.PIN); err != nil {
		t.Fatal(err)
	}
	day := slot.Format("2006-01-02")
	raw, err := desk.Fetch(ctx, "/api/v1/admin/report?from="+day+"&to="+day)
	if err != nil {
		t.Fatal(err)
	}
	var rep api.Report
	if err := json.Unmarshal(raw, &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Channels) != 3 || rep.Channels[2].Channel != queue.ByBooked || rep.Channels[2].Issued != 1 || rep.Channels[0].Issued != 0 {
		t.Errorf("the report's channels: %+v", rep.Channels)
	}
	if b := rep.Bookings; b == nil || b.Taken != 1 || b.Arrived != 1 {
		t.Errorf("the report's bookings: %+v", b)
	}
}
