package server

import (
	"encoding/json"
	"fmt"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"motcua/internal/feed"
	"motcua/internal/queue"
	"motcua/internal/testwait"
)

func TestFeedSnapshotThenOrderedEvents(t *testing.T) {
	e := newEnv(t, feed.Config{})
	e.issue("ho_tich", "")
	pub := e.dial("")
	lan := e.login("lan")
	full := e.dial(lan)
	for _, f := range []*feedConn{pub, full} {
		fr := f.next()
		if fr.Type != "snapshot" || fr.Seq != 2 || fr.Snapshot == nil || len(fr.Snapshot.Tickets) != 1 { // 1: the settings seeded
			t.Fatalf("first frame %s seq %d", fr.Type, fr.Seq)
		}
	}
	for range 5 {
		e.issue("chung_thuc", "")
	}
	e.call("POST", "/api/v1/counters/1/next", lan, "", nil)
	e.call("POST", "/api/v1/counters/1/transfer", lan, `{"service_id":"chung_thuc","note":"ghi chú riêng"}`, nil)
	// 5 issued + counter opened + called + transferred = 8 events after seq 2 (1: the settings seeded).
	for _, f := range []*feedConn{pub, full} {
		last := uint64(2)
		var transferred frame
		for range 8 {
			fr := f.next()
			if fr.Seq != last+1 {
				t.Fatalf("seq %d after %d: not strictly increasing by one", fr.Seq, last)
			}
			last = fr.Seq
			if fr.Type == string(queue.EvTransferred) {
				transferred = fr
			}
		}
		if transferred.Ticket == nil {
			t.Fatal("no transfer event")
		}
		if f == pub && (transferred.Ticket.Note != "" || transferred.Ticket.Token != "") {
			t.Errorf("public feed leaks note %q / token %q", transferred.Ticket.Note, transferred.Ticket.Token)
		}
		if f == full && transferred.Ticket.Note != "ghi chú riêng" {
			t.Errorf("staff feed lacks the note: %q", transferred.Ticket.Note)
		}
	}
	// A client that asks for a resync gets a fresh snapshot at the current seq.
	pub.conn.WriteMessage(1, []byte(`{"type":"snapshot"}`))
	if fr := pub.next(); fr.Type != "snapshot" || fr.Seq != 10 {
		t.Errorf("resync frame %s seq %d, want snapshot 10", fr.Type, fr.Seq)
	}
}

// Ten thousand idle clients cost a goroutine each, not three: the writer runs
// only while there is something to write.
func TestIdleClientHasNoWriter(t *testing.T) {
	e := newEnv(t, feed.Config{})
	f := e.dial("")
	f.next()
	before := runtime.NumGoroutine()
	g := e.dial("")
	g.next()
	// its reader, and nothing else
	testwait.Until(t, 5*time.Second, func() bool { return runtime.NumGoroutine() <= before+1 }, func() string {
		return fmt.Sprintf("%d goroutines for one more idle client", runtime.NumGoroutine()-before)
	})
	e.issue("ho_tich", "") // and the writer comes when there is a frame
	f.next()
	g.next()
}

// One address may hold a bounded number of feed connections.
func TestFeedConnectionsPerAddress(t *testing.T) {
	e := newEnv(t, feed.Config{PerAddress: 3})
	for range 3 {
		e.dial("").next()
	}
	h := http.Header{}
	_, resp, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(e.http.URL, "http")+"/ws", h)
	if err == nil || resp == nil || resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("a fourth connection from one address: %v %v, want 429", err, resp)
	}
}

func TestSilentClientIsDroppedByDeadline(t *testing.T) {
	e := newEnv(t, feed.Config{PingPeriod: 50 * time.Millisecond, PongWait: 200 * time.Millisecond})
	f := e.dial("")
	f.next() // the snapshot; then stop reading, so pings go unanswered
	testwait.Until(t, 5*time.Second, func() bool { return e.srv.hub.Count() == 0 }, func() string { return "a client that answers no ping is still connected" })
}

func TestReadingClientStaysConnected(t *testing.T) {
	const period, wait = 50 * time.Millisecond, 200 * time.Millisecond
	e := newEnv(t, feed.Config{PingPeriod: period, PongWait: wait})
	f := e.dial("")
	f.next()
	// A client that reads answers each ping: count them. Twenty pings span
	// nineteen ping periods, almost five pong waits: a server that dropped an
	// answering client would have stopped pinging long before.
	pings := make(chan struct{}, 100)
	f.conn.SetPingHandler(func(data string) error {
		pings <- struct{}{}
		return f.conn.WriteControl(websocket.PongMessage, []byte(data), time.Now().Add(time.Second))
	})
	go func() {
		for {
			if _, _, err := f.conn.ReadMessage(); err != nil {
				return
			}
		}
	}()
	for i := range 20 {
		select {
		case <-pings:
		case <-time.After(10 * wait):
			t.Fatalf("ping %d never came: the answering client was dropped", i+1)
		}
	}
	if n := e.srv.hub.Count(); n != 1 {
		t.Errorf("%d clients, want the reading one still connected", n)
	}
}

func TestDeviceAlertReachesStaffFeedOnly(t *testing.T) {
	e := newEnv(t, feed.Config{})
	staff := e.dial(e.login("lan"))
	staff.next()
	public := e.dial("")
	public.next()
	if code := e.call("POST", "/api/v1/devices/alerts", kioskKey, `{"code":"printer_paper_out","message":"Máy in hết giấy"}`, nil); code != 204 {
		t.Fatalf("alert: %d", code)
	}
	var ev queue.Event
	json.Unmarshal(staff.next().raw, &ev)
	if ev.Type != queue.EvDevice || ev.Alert == nil || ev.Alert.Code != "printer_paper_out" || ev.Actor.ID != "kiosk-1" {
		t.Errorf("staff feed got %+v", ev)
	}
	// The public feed has the event (no gap in seq) but not the device's text.
	raw := public.next().raw
	if strings.Contains(string(raw), "hết giấy") || strings.Contains(string(raw), "printer_paper_out") {
		t.Errorf("the public feed carries the alert: %s", raw)
	}
}
