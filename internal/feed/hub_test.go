package feed

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"testing"
	"time"

	"motcua/internal/api"
	"motcua/internal/queue"
)

// A client too far behind never blocks the others: its backlog is replaced
// by a fresh snapshot (shared by every stale client), after which events go on.
func TestSlowClientGetsASnapshotWithoutBlocking(t *testing.T) {
	h := newHub(Config{SendBuffer: 4}.withDefaults())
	defer h.Close()
	snaps := make(chan struct{}, 1)
	h.snapshots = func(fn func(uint64, func() queue.Snapshot)) {
		fn(5, func() queue.Snapshot { return queue.Snapshot{Seq: 5} })
		snaps <- struct{}{}
	}
	slow := &wsClient{remote: "slow"} // no writer: its frames pile up
	h.add(slow, 0, func() queue.Snapshot { return queue.Snapshot{} })
	h.Publish([]queue.Event{{Seq: 1}, {Seq: 2}})
	h.flush()
	fast := &wsClient{remote: "fast"}
	h.add(fast, 2, func() queue.Snapshot { return queue.Snapshot{Seq: 2} })
	done := make(chan struct{})
	go func() { h.Publish([]queue.Event{{Seq: 3}, {Seq: 4}, {Seq: 5}}); h.flush(); close(done) }()
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
	h.Publish([]queue.Event{{Seq: 6}})
	h.flush()
	slow.mu.Lock()
	defer slow.mu.Unlock()
	got, stale := slow.queue, slow.stale
	if h.Count() != 2 || stale || len(got) != 2 || !bytes.Contains(got[0], []byte(`"type":"snapshot","seq":5`)) || !bytes.Contains(got[1], []byte(`"seq":6`)) {
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

// The public view's issues wait for the next other event (or laterQuiet), and
// then go out before it, in order, in one frame; the staff view gets each at
// once.
func TestPublicIssuesWaitForTheNextEvent(t *testing.T) {
	h := &Hub{cfg: Config{}.withDefaults(), clients: map[*wsClient]struct{}{}, staff: map[*wsClient]struct{}{}}
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

// A client that takes issues in short (a phone's page) gets the same
// moment's issues as one issued frame — the ordinary ones counted per
// service with their numbers, the priority ones as events — covering their
// seqs, and the call after it as the event; every other client as before.
func TestIssuesInShort(t *testing.T) {
	h := &Hub{cfg: Config{}.withDefaults(), clients: map[*wsClient]struct{}{}, staff: map[*wsClient]struct{}{}}
	phone, board := &wsClient{short: true}, &wsClient{}
	h.clients[phone], h.clients[board] = struct{}{}, struct{}{}
	issued := func(seq uint64, svc string, number int, priority string) queue.Event {
		return queue.Event{Seq: seq, Type: queue.EvIssued, Ticket: &queue.Ticket{ID: fmt.Sprint("t", seq), ServiceID: svc, Number: number, Priority: priority, State: queue.Waiting}}
	}
	h.fanOut([]queue.Event{issued(7, "a", 1003, "")})
	h.fanOut([]queue.Event{issued(8, "b", 2001, ""), issued(9, "a", 1004, "elderly")})
	h.fanOut([]queue.Event{issued(10, "a", 1005, "")})
	h.fanOut([]queue.Event{{Seq: 11, Type: queue.EvCalled, Ticket: &queue.Ticket{ID: "t7", ServiceID: "a", Number: 1003, State: queue.Called}}})
	payload := func(f wsFrame) []byte {
		switch f[1] & 0x7f {
		case 126:
			return f[4:]
		case 127:
			return f[10:]
		}
		return f[2:]
	}
	if len(phone.queue) != 2 {
		t.Fatalf("the phone has %d frames, want 2", len(phone.queue))
	}
	var short api.IssuedFrame
	if err := json.Unmarshal(payload(phone.queue[0]), &short); err != nil {
		t.Fatal(err)
	}
	want := map[string]api.IssuedCount{"a": {Count: 2, First: 1003, Last: 1005}, "b": {Count: 1, First: 2001, Last: 2001}}
	if short.Type != api.FrameIssued || short.From != 7 || short.Seq != 10 || !maps.Equal(short.Services, want) ||
		len(short.Priority) != 1 || short.Priority[0].Seq != 9 || short.Priority[0].Ticket.Priority != queue.PublicPriority {
		t.Errorf("the issued frame: %+v", short)
	}
	if len(phone.queue[0]) > 600 { // the priority ticket whole, the rest in a few bytes
		t.Errorf("the issued frame is %d bytes", len(phone.queue[0]))
	}
	var call api.FrameHeader
	json.Unmarshal(payload(phone.queue[1]), &call)
	if call.Type != string(queue.EvCalled) || call.Seq != 11 {
		t.Errorf("after it: %+v", call)
	}
	var long api.FrameHeader
	json.Unmarshal(payload(board.queue[0]), &long)
	if len(board.queue) != 2 || long.Type != api.FrameEvents || len(long.Events) != 4 {
		t.Errorf("the other client: %d frames, the first %s of %d events", len(board.queue), long.Type, len(long.Events))
	}
}
