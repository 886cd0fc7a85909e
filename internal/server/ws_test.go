package server

import (
	"bytes"
	"encoding/json"
	"net/http"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"motcua/internal/api"
	"motcua/internal/queue"

	"github.com/gorilla/websocket"
)

func TestFeedSnapshotThenOrderedEvents(t *testing.T) {
	e := newEnv(t, WSConfig{})
	e.issue("ho_tich", "")
	pub := e.dial("")
	lan := e.login("lan")
	full := e.dial(lan)
	for _, f := range []*feed{pub, full} {
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
	for _, f := range []*feed{pub, full} {
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

// A client too far behind never blocks the others: its backlog is replaced
// by a fresh snapshot (shared by every stale client), after which events go on.
func TestSlowClientGetsASnapshotWithoutBlocking(t *testing.T) {
	h := newHub(WSConfig{SendBuffer: 4}.withDefaults())
	defer h.close()
	snaps := make(chan struct{}, 1)
	h.snapshots = func(fn func(queue.Snapshot)) { fn(queue.Snapshot{Seq: 5}); snaps <- struct{}{} }
	slow := &wsClient{remote: "slow"} // no writer: its frames pile up
	h.add(slow, queue.Snapshot{})
	h.publish([]queue.Event{{Seq: 1}, {Seq: 2}})
	h.flush()
	fast := &wsClient{remote: "fast"}
	h.add(fast, queue.Snapshot{Seq: 2})
	done := make(chan struct{})
	go func() { h.publish([]queue.Event{{Seq: 3}, {Seq: 4}, {Seq: 5}}); h.flush(); close(done) }()
	select {
	case <-done:
	case <-time.After(2 * time.Second):
		t.Fatal("publish blocked on a slow client")
	}
	select {
	case <-snaps:
	case <-time.After(2 * time.Second):
		t.Fatal("no fresh snapshot for the client that fell behind")
	}
	fast.mu.Lock()
	n := len(fast.queue)
	fast.mu.Unlock()
	if n != 4 {
		t.Fatalf("fast client has %d frames, want 4 (snapshot + 3 events)", n)
	}
	h.publish([]queue.Event{{Seq: 6}})
	h.flush()
	slow.mu.Lock()
	defer slow.mu.Unlock()
	got, stale := slow.queue, slow.stale
	if h.count() != 2 || stale || len(got) != 2 || !bytes.Contains(got[0], []byte(`"type":"snapshot","seq":5`)) || !bytes.Contains(got[1], []byte(`"seq":6`)) {
		t.Fatalf("the slow client has %d frames (stale %v): %q", len(got), stale, got)
	}
}

func TestFrameOf(t *testing.T) {
	for _, n := range []int{0, 125, 126, 65535, 65536, 200000} {
		f := frameOf(opText, bytes.Repeat([]byte("x"), n))
		head := map[bool]int{true: 2, false: 4}[n < 126]
		if n >= 65536 {
			head = 10
		}
		if len(f) != head+n || f[0] != 0x81 {
			t.Errorf("frame of %d bytes: %d bytes, first %#x", n, len(f), f[0])
		}
	}
}

// Ten thousand idle clients cost a goroutine each, not three: the writer runs
// only while there is something to write.
func TestIdleClientHasNoWriter(t *testing.T) {
	e := newEnv(t, WSConfig{})
	f := e.dial("")
	f.next()
	before := runtime.NumGoroutine()
	g := e.dial("")
	g.next()
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before+1 { // its reader, and nothing else
		if time.Now().After(deadline) {
			t.Fatalf("%d goroutines for one more idle client", runtime.NumGoroutine()-before)
		}
		time.Sleep(5 * time.Millisecond)
	}
	e.issue("ho_tich", "") // and the writer comes when there is a frame
	f.next()
	g.next()
}

// One address may hold a bounded number of feed connections.
func TestFeedConnectionsPerAddress(t *testing.T) {
	e := newEnv(t, WSConfig{PerAddress: 3})
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
	e := newEnv(t, WSConfig{PingPeriod: 50 * time.Millisecond, PongWait: 200 * time.Millisecond})
	f := e.dial("")
	f.next() // the snapshot; then stop reading, so pings go unanswered
	deadline := time.Now().Add(5 * time.Second)
	for e.srv.hub.count() != 0 {
		if time.Now().After(deadline) {
			t.Fatal("a client that answers no ping is still connected")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestReadingClientStaysConnected(t *testing.T) {
	const period, wait = 50 * time.Millisecond, 200 * time.Millisecond
	e := newEnv(t, WSConfig{PingPeriod: period, PongWait: wait})
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
	if n := e.srv.hub.count(); n != 1 {
		t.Errorf("%d clients, want the reading one still connected", n)
	}
}

func TestDeviceAlertReachesStaffFeedOnly(t *testing.T) {
	e := newEnv(t, WSConfig{})
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

// The public view's issues wait for the next other event (or laterQuiet), and
// then go out before it, in order, in one frame; the staff view gets each at
// once.
func TestPublicIssuesWaitForTheNextEvent(t *testing.T) {
	h := &hub{cfg: WSConfig{}.withDefaults(), clients: map[*wsClient]struct{}{}, staff: map[*wsClient]struct{}{}}
	pub, staff := &wsClient{}, &wsClient{full: true} // no ready func: the queues are read here
	h.clients[pub], h.clients[staff], h.staff[staff] = struct{}{}, struct{}{}, struct{}{}
	issued := func(seq uint64) queue.Event { return queue.Event{Seq: seq, Type: queue.EvIssued} }
	seqs := func(c *wsClient) (out []uint64, frames int) {
		for _, f := range c.queue {
			payload := f[2:]
			switch f[1] & 0x7f {
			case 126:
				payload = f[4:]
			case 127:
				payload = f[10:]
			}
			var head api.FrameHeader
			json.Unmarshal(payload, &head)
			if head.Type == api.FrameEvents {
				for _, e := range head.Events {
					out = append(out, e.Seq)
				}
			} else {
				out = append(out, head.Seq)
			}
		}
		return out, len(c.queue)
	}
	h.fanOut([]queue.Event{issued(1)})
	h.fanOut([]queue.Event{issued(2)})
	if got, _ := seqs(pub); len(got) != 0 {
		t.Fatalf("the public client got %v at once", got)
	}
	if got, _ := seqs(staff); !slices.Equal(got, []uint64{1, 2}) {
		t.Fatalf("the staff client got %v, want [1 2] at once", got)
	}
	h.fanOut([]queue.Event{{Seq: 3, Type: queue.EvCalled}})
	if got, n := seqs(pub); !slices.Equal(got, []uint64{1, 2, 3}) || n != 2 {
		t.Fatalf("after a call the public client has %v in %d frames, want [1 2 3] in 2", got, n)
	}
	h.fanOut([]queue.Event{issued(4)})
	h.fanOut(nil) // the dispatcher's tick
	if got, _ := seqs(pub); !slices.Equal(got, []uint64{1, 2, 3, 4}) {
		t.Fatalf("after the tick the public client has %v, want [1 2 3 4]", got)
	}
	// A burst goes out in one frame per laterMax issues, whatever the queue's limit.
	for i := range laterMax {
		h.fanOut([]queue.Event{issued(uint64(5 + i))})
	}
	if got, n := seqs(pub); len(got) != 4+laterMax || n != 4 {
		t.Fatalf("after a burst the public client has %d events in %d frames, want %d in 4", len(got), n, 4+laterMax)
	}
}
