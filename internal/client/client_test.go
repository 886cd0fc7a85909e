package client

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"motcua/internal/api"
	"motcua/internal/problem"
	"motcua/internal/queue"
	"motcua/internal/testserver"
)

func office() queue.Office {
	return queue.Office{
		Name: "UBND phường Thử",
		Services: []queue.ServiceConfig{
			{ID: "ho_tich", Name: "Hộ tịch", RangeStart: 1001, RangeEnd: 1999},
			{ID: "chung_thuc", Name: "Chứng thực", RangeStart: 2001, RangeEnd: 2999},
		},
		Counters: []queue.CounterConfig{{Number: 1, Services: []string{"ho_tich", "chung_thuc"}}},
	}
}

const key = testserver.KioskKey

// realServer runs the real server for these tests (see internal/testserver).
func realServer(t *testing.T, addr, dir string) (string, func()) {
	t.Helper()
	return testserver.Start(t, addr, dir, office())
}

func TestCalls(t *testing.T) {
	url, stop := realServer(t, "127.0.0.1:0", t.TempDir())
	ctx := context.Background()
	kiosk := New(url, key)
	tk, err := kiosk.Issue(ctx, "ho_tich", "")
	if err != nil || tk.Number != 1001 || tk.Token == "" || tk.ServiceName != "Hộ tịch" {
		t.Fatalf("issue: %+v %v", tk, err)
	}
	if _, err := kiosk.Issue(ctx, "nope", ""); problem.CodeOf(err) != problem.ENotFound || problem.As(err).Message == "" {
		t.Errorf("unknown service: %v", err)
	}
	if st, err := New(url, "").TicketStatus(ctx, tk.Token); err != nil || st.ID != tk.ID || st.Token != "" {
		t.Errorf("status: %+v %v", st, err)
	}
	clerk := New(url, "")
	if _, err := clerk.Login(ctx, "lan", "0000"); problem.CodeOf(err) != problem.EUnauthorized {
		t.Errorf("wrong PIN: %v", err)
	}
	if name, err := clerk.Login(ctx, testserver.Clerk, testserver.PIN); err != nil || name != "Nguyễn Thị Lan" {
		t.Fatalf("login: %q %v", name, err)
	}
	called, ok, err := clerk.Next(ctx, 1)
	if err != nil || !ok || called.ID != tk.ID {
		t.Fatalf("next: %+v %v %v", called, ok, err)
	}
	moved, err := clerk.TicketAction(ctx, 1, "transfer", api.CounterRequest{ServiceID: "chung_thuc", Note: "cần chứng thực"})
	if err != nil || moved.ServiceID != "chung_thuc" || moved.State != queue.Waiting {
		t.Errorf("transfer: %+v %v", moved, err)
	}
	clerk.Next(ctx, 1)
	clerk.TicketAction(ctx, 1, "finish", api.CounterRequest{})
	if _, ok, err := clerk.Next(ctx, 1); ok || err != nil {
		t.Errorf("next with nobody waiting: ok %v err %v", ok, err)
	}
	if c, err := clerk.CounterAction(ctx, 1, "pause"); err != nil || c.State != queue.CounterPaused {
		t.Errorf("pause: %+v %v", c, err)
	}
	stop()
	if _, err := kiosk.Services(ctx); !errors.Is(err, ErrUnreachable) {
		t.Errorf("server gone: got %v, want ErrUnreachable", err)
	}
}

// TestFeedReconnectsAndResyncs follows the real feed, stops the server, starts it
// again on the same port and data, and checks the subscriber said it was offline,
// came back with a snapshot, and never delivered an event twice or out of order.
func TestFeedReconnectsAndResyncs(t *testing.T) {
	dir := t.TempDir()
	url, stop := realServer(t, "127.0.0.1:0", dir)
	addr := url[len("http://"):]
	updates := make(chan api.Update, 100)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go New(url, "").SubscribeWith(ctx, FeedOptions{MinBackoff: 20 * time.Millisecond, MaxBackoff: 100 * time.Millisecond}, func(u api.Update) { updates <- u })

	next := func() api.Update {
		t.Helper()
		select {
		case u := <-updates:
			return u
		case <-time.After(10 * time.Second):
			t.Fatal("no update")
			return api.Update{}
		}
	}
	if u := next(); !u.Online {
		t.Fatalf("first update %+v, want online", u)
	}
	if u := next(); u.Snapshot == nil || u.Snapshot.Seq != 1 { // 1: the settings seeded
		t.Fatalf("want the snapshot, got %+v", u)
	}
	kiosk := New(url, key)
	kiosk.Issue(context.Background(), "ho_tich", "")
	if u := next(); u.Event == nil || u.Event.Seq != 2 || u.Event.Type != queue.EvIssued {
		t.Fatalf("want event 2, got %+v", u)
	}
	stop()
	if u := next(); u.Online {
		t.Fatalf("after the server stopped: %+v, want offline", u)
	}
	// While it is down nothing can be missed silently: restart, issue one more.
	realServer(t, addr, dir)
	if u := next(); !u.Online {
		t.Fatalf("after restart: %+v, want online", u)
	}
	if u := next(); u.Snapshot == nil || u.Snapshot.Seq != 2 || len(u.Snapshot.Tickets) != 1 {
		t.Fatalf("after restart want the snapshot at seq 2, got %+v", u)
	}
	kiosk.Issue(context.Background(), "ho_tich", "")
	if u := next(); u.Event == nil || u.Event.Seq != 3 || u.Event.Ticket.Number != 1002 {
		t.Fatalf("want event 3 for 1002, got %+v", u)
	}
}

// TestFeedGapAsksForSnapshot uses a scripted websocket peer: snapshot 5, event 6,
// event 8 (7 lost). The subscriber must deliver 6, not 8, ask for a snapshot, and
// then deliver the new snapshot and what follows it: an events frame (its
// events one by one, the one already in the snapshot skipped), then an event.
func TestFeedGapAsksForSnapshot(t *testing.T) {
	asked := make(chan string, 1)
	up := websocket.Upgrader{}
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	hs := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer c.Close()
		for _, f := range []string{
			`{"type":"snapshot","seq":5,"snapshot":{"seq":5,"office":"x"}}`,
			`{"type":"ticket.issued","seq":4}`,
			`{"type":"ticket.issued","seq":6}`,
			`{"type":"ticket.called","seq":8}`,
			`{"type":"ticket.done","seq":9}`,
		} {
			c.WriteMessage(websocket.TextMessage, []byte(f))
		}
		_, msg, _ := c.ReadMessage()
		asked <- string(msg)
		c.WriteMessage(websocket.TextMessage, []byte(`{"type":"snapshot","seq":9,"snapshot":{"seq":9}}`))
		// Several events in one frame (the public view's waiting issues), one of them old.
		c.WriteMessage(websocket.TextMessage, []byte(`{"type":"events","seq":11,"events":[{"type":"ticket.issued","seq":9},{"type":"ticket.issued","seq":10},{"type":"ticket.issued","seq":11}]}`))
		c.WriteMessage(websocket.TextMessage, []byte(`{"type":"ticket.called","seq":12}`))
		c.ReadMessage() // hold the connection until the client leaves
	})}
	go hs.Serve(ln)
	defer hs.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var got []string
	done := make(chan struct{})
	go New("http://"+ln.Addr().String(), "").SubscribeWith(ctx, FeedOptions{}, func(u api.Update) {
		switch {
		case u.Snapshot != nil:
			got = append(got, "snapshot"+strconv.FormatUint(u.Snapshot.Seq, 10))
		case u.Event != nil:
			got = append(got, "event"+strconv.FormatUint(u.Event.Seq, 10))
			if u.Event.Seq == 12 {
				close(done)
			}
		}
	})
	select {
	case msg := <-asked:
		if msg != `{"type":"snapshot"}` {
			t.Errorf("client sent %q", msg)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the client never asked for a snapshot after the gap")
	}
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatalf("updates so far: %v", got)
	}
	want := "snapshot5 event6 snapshot9 event10 event11 event12"
	if g := strings.Join(got, " "); g != want {
		t.Errorf("got %q, want %q", g, want)
	}
}
