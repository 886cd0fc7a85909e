package kiosk

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"

	"motcua/internal/api"
	"motcua/internal/client"
	"motcua/internal/province"
	"motcua/internal/provincetest"
	"motcua/internal/testserver"
	"motcua/internal/testwait"
	"motcua/internal/uitest"
)

// takeRemote takes a number of ho_tich from afar, through the province.
func takeRemote(t *testing.T, provinceURL, phone string) api.RemoteTicketAnswer {
	t.Helper()
	body, _ := json.Marshal(api.RemoteTicketRequest{Office: "XA.01", ServiceID: "ho_tich", Phone: phone})
	resp, err := http.Post(provinceURL+api.PublicRemoteTickets, "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var a api.RemoteTicketAnswer
	if json.NewDecoder(resp.Body).Decode(&a); resp.StatusCode != http.StatusCreated {
		t.Fatalf("a remote number: %d", resp.StatusCode)
	}
	return a
}

// A number taken from a phone through the province, checked in at the
// kiosk — its code typed on the big keys, or its QR read by the scanner —
// printed, and then called ahead of a walk-in taken after it; a wrong code
// is said in words and the screen stays.
func TestCheckInAtTheKiosk(t *testing.T) {
	pg := provincetest.Start(t)
	o := office()
	o.Services[0].Remote = true
	saved := testOffice
	testOffice = o
	t.Cleanup(func() { testOffice = saved })
	url, stop := testserver.StartSynced(t, t.TempDir(), o, pg.Office(t, "XA.01", o.Name), testProcedures...)
	ctx := context.Background()
	testwait.Until(t, 20*time.Second, func() bool { n, _ := province.Folded(ctx, pg.Pool, "XA.01"); return n > 0 },
		func() string { return "the office's uplink never shipped" })
	first := takeRemote(t, pg.URL, "0912345678")
	second := takeRemote(t, pg.URL, "0987654321")
	if _, err := client.New(url, key).Issue(ctx, "ho_tich", ""); err != nil { // a walk-in after them
		t.Fatal(err)
	}

	r := newRigAt(t, url, stop, nil)
	r.tap("Tôi đã lấy số trực tuyến")
	r.waitScreen("checkin")
	for _, d := range "000000" { // a code nobody holds (one in a million is someone's)
		r.tap(string(d))
	}
	testwait.Until(t, 10*time.Second, func() bool {
		uitest.Thread.Lock()
		defer uitest.Thread.Unlock()
		return strings.Contains(r.k.arrive.msg, "Không tìm thấy số hay lịch hẹn có mã")
	}, func() string { return fmt.Sprintf("a wrong code: %q on %s", r.k.arrive.msg, r.screen()) })
	if dir := os.Getenv("MOTCUA_SCREENSHOTS"); dir != "" {
		uitest.Thread.Lock()
		r.w.Resize(fyne.NewSize(1080, 1400))
		uitest.Shot(t, r.w.Canvas(), dir, "kiosk-checkin.png")
		uitest.Thread.Unlock()
	}
	for _, d := range first.Code {
		r.tap(string(d))
	}
	r.waitScreen("ticket")
	uitest.Thread.Lock()
	got := *r.k.last
	uitest.Thread.Unlock()
	if got.Number != first.Number || got.Away || got.Channel != "remote" {
		t.Fatalf("checked in %+v, want number %d", got, first.Number)
	}

	// The second by its QR: the scanner types the code and Enter.
	r.k.cfg.UI.Post(func() { r.k.OpenCheckIn() })
	r.waitScreen("checkin")
	uitest.OnUI(func() { r.k.ui.scan.OnSubmitted(second.Code) })
	testwait.Until(t, 10*time.Second, func() bool {
		uitest.Thread.Lock()
		defer uitest.Thread.Unlock()
		return r.k.screen == "ticket" && r.k.last.Number == second.Number
	}, func() string { return "the scanned code was not checked in" })

	clerk := client.New(url, "")
	if _, err := clerk.Login(ctx, testserver.Clerk, testserver.PIN); err != nil {
		t.Fatal(err)
	}
	for _, want := range []int{first.Number, second.Number} {
		if _, err := clerk.CounterAction(ctx, 1, "next"); err != nil {
			t.Fatal(err)
		}
		snap, _ := clerk.State(ctx)
		if cur := snap.Counters[0].Current; !strings.HasSuffix(cur, fmt.Sprint(want)) {
			t.Fatalf("called %s, want the remote number %d (taken before the walk-in)", cur, want)
		}
		if _, err := clerk.CounterAction(ctx, 1, "finish"); err != nil {
			t.Fatal(err)
		}
	}
}
