package feed

import (
	"bytes"
	"encoding/json"
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
	h.snapshots = func(fn func(queue.Snapshot)) { fn(queue.Snapshot{Seq: 5}); snaps <- struct{}{} }
	slow := &wsClient{remote: "slow"} // no writer: its frames pile up
	h.add(slow, queue.Snapshot{})
	h.Publish([]queue.Event{{Seq: 1}, {Seq: 2}})
	h.flush()
	fast := &wsClient{remote: "fast"}
	h.add(fast, queue.Snapshot{Seq: 2})
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
