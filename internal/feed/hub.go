package feed

import (
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"motcua/internal/api"
	"motcua/internal/queue"
)

// Hub fans events out to websocket clients. Publishing never blocks: frames
// join a client's queue, and a client whose queue is full is dropped (it
// reconnects and resyncs from a snapshot). An idle client costs one goroutine
// (its reader) and no buffer; a fixed set of writers drains the clients that
// have frames, and one pinger serves them all.
type Hub struct {
	cfg     Config
	mu      sync.Mutex
	clients map[*wsClient]struct{}
	staff   map[*wsClient]struct{} // the clients of the full view (boards, counters, kiosks)
	n       atomic.Int64           // len(clients)
	// overflows counts clients that fell behind and were resynced, dropped
	// those gone from the feed, whatever ended them (/metrics).
	overflows, dropped atomic.Int64
	perAddr            map[string]int
	closed             bool
	stop               chan struct{}

	// snapshots runs fn, while no event is published, with the seq of the
	// last one and a way to build the snapshot at it (the store's
	// WithSnapshotAt): a client's first frame, and the fresh ones after it
	// fell behind or asked. The snapshot is built only when no frame of
	// that seq is cached — ten thousand phones connecting share one.
	snapshots Snapshots
	staleMu   sync.Mutex
	stale     []*wsClient   // clients whose queue overflowed
	resyncs   chan struct{} // the resyncer has work
	batches   chan batch    // published events for the dispatcher

	readyMu sync.Mutex
	readyQ  []*wsClient   // clients with frames to write, in order
	wake    chan struct{} // a writer may look at readyQ
	snap    [2]cachedSnap // the last snapshot frame per view (public, full)
	// woken is the dispatcher's list of one fan-out, kept from one to the
	// next (ten thousand pointers per event otherwise).
	woken []*wsClient
	// later holds the public view of the issues not yet sent to the public
	// clients (the dispatcher's own): they go out, in one frame, before the
	// next other event or when they have waited enough (laterQuiet).
	later            []queue.Event
	laterOf, laterAt time.Time // when the first and the last of later came
}

// cachedSnap is a snapshot frame kept for the clients that connect at the
// same seq within a second (ten thousand phones after a restart).
type cachedSnap struct {
	seq uint64
	at  time.Time
	f   wsFrame
}

// writers is how many goroutines write frames for all clients: a few, and
// each steps aside after every client, so a kiosk's request never waits
// behind a fan-out to thousands of phones.
const writers = 4

// batchGap is the least time between two writes to one client while more
// than batchBehind clients wait for a writer.
const (
	batchGap    = 20 * time.Millisecond
	batchBehind = 1000
)

// Snapshots is the store's WithSnapshotAt (see Hub.snapshots).
type Snapshots = func(fn func(seq uint64, build func() queue.Snapshot))

// New starts a hub on the store's snapshots.
func New(cfg Config, snapshots Snapshots) *Hub {
	h := newHub(cfg.withDefaults())
	h.snapshots = snapshots
	return h
}

func newHub(cfg Config) *Hub {
	h := &Hub{cfg: cfg, clients: map[*wsClient]struct{}{}, staff: map[*wsClient]struct{}{}, perAddr: map[string]int{}, stop: make(chan struct{}), wake: make(chan struct{}, writers),
		resyncs: make(chan struct{}, 1), batches: make(chan batch, 4096)}
	go h.pinger()
	go h.dispatcher()
	go h.resyncer()
	for range writers {
		go h.writer()
	}
	return h
}

// ready puts c on the ready list.
func (h *Hub) ready(c *wsClient) { h.readyMany([]*wsClient{c}) }

// readyMany puts clients on the ready list and wakes the writers.
func (h *Hub) readyMany(cs []*wsClient) {
	if len(cs) == 0 {
		return
	}
	h.readyMu.Lock()
	h.readyQ = append(h.readyQ, cs...)
	h.readyMu.Unlock()
	for range min(len(cs), writers) {
		select {
		case h.wake <- struct{}{}:
		default: // every writer is awake already
		}
	}
}

// writerChunk is how many ready clients a writer takes at a time: one lock
// for the lot, and a step aside after each chunk (well under a millisecond of
// writing), so a kiosk's request never waits behind a whole fan-out.
const writerChunk = 32

// writer drains ready clients until the hub closes.
func (h *Hub) writer() {
	var chunk []*wsClient
	for {
		h.readyMu.Lock()
		behind := len(h.readyQ) > batchBehind
		n := min(len(h.readyQ), writerChunk)
		chunk = append(chunk[:0], h.readyQ[:n]...)
		clear(h.readyQ[:n])
		h.readyQ = h.readyQ[n:]
		h.readyMu.Unlock()
		if n > 0 {
			for _, c := range chunk {
				// While the writers are far behind, a client written less than
				// batchGap ago waits the rest of it: its frames gather and go out
				// in one write (one system call for the server and for the phone)
				// instead of one each. A board and a few phones never wait.
				if wait := time.Until(c.lastWritten().Add(batchGap)); behind && wait > 0 {
					time.Sleep(wait)
				}
				c.drain()
			}
			clear(chunk)
			runtime.Gosched()
			continue
		}
		select {
		case <-h.stop:
			if h.readyLen() == 0 { // what was queued before the close goes out first
				return
			}
		case <-h.wake:
		}
	}
}

func (h *Hub) readyLen() int {
	h.readyMu.Lock()
	defer h.readyMu.Unlock()
	return len(h.readyQ)
}

// admit reserves a connection for addr, within the cap.
func (h *Hub) admit(addr string) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.cfg.PerAddress > 0 && h.perAddr[addr] >= h.cfg.PerAddress {
		return false
	}
	h.perAddr[addr]++
	return true
}

// release gives back what admit reserved.
func (h *Hub) release(addr string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.perAddr[addr]--; h.perAddr[addr] <= 0 {
		delete(h.perAddr, addr)
	}
}

// DropIf ends the connections of the clients with a credential that gone
// says no longer holds (they reconnect, and are refused).
func (h *Hub) DropIf(gone func(token string) bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for c := range h.clients {
		if c.token != "" && gone(c.token) {
			h.removeLocked(c)
		}
	}
}

// DropAll ends every client's connection (a server replaced by another
// primary: they reconnect, are turned away, and go to it).
func (h *Hub) DropAll() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for c := range h.clients {
		h.removeLocked(c)
	}
}

// ResyncAll sends every client a fresh snapshot (after a change of the
// settings: the services, counters and wording are not in the events).
func (h *Hub) ResyncAll() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for c := range h.clients {
		h.staleLocked(c)
	}
}

// add registers c with its first frame (the snapshot at seq). It must be
// called inside the store's WithSnapshotAt so that no event falls between
// the two.
func (h *Hub) add(c *wsClient, seq uint64, build func() queue.Snapshot) bool {
	f := h.snapshotFrame(seq, build, c.full)
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return false
	}
	h.clients[c] = struct{}{}
	if c.full {
		h.staff[c] = struct{}{}
	}
	h.n.Store(int64(len(h.clients)))
	return h.sendLocked(c, f)
}

// resync sends a fresh snapshot to a registered client; call inside
// WithSnapshotAt.
func (h *Hub) resync(c *wsClient, seq uint64, build func() queue.Snapshot) {
	f := h.snapshotFrame(seq, build, c.full)
	h.mu.Lock()
	_, ok := h.clients[c]
	h.mu.Unlock()
	if ok {
		c.fresh(f)
	}
}

// snapshotFrame frames the snapshot at seq for a view, once per seq and
// second: clients connecting together share one encoding, and build runs
// only when there is none.
func (h *Hub) snapshotFrame(seq uint64, build func() queue.Snapshot, full bool) wsFrame {
	view := 0
	if full {
		view = 1
	}
	now := time.Now()
	h.mu.Lock()
	if c := h.snap[view]; c.f != nil && c.seq == seq && now.Sub(c.at) < time.Second {
		h.mu.Unlock()
		return c.f
	}
	h.mu.Unlock()
	snap := build()
	if !full {
		snap = snap.Public()
	}
	f := prepare(api.SnapshotFrame{Type: api.FrameSnapshot, Seq: snap.Seq, Snapshot: snap})
	h.mu.Lock()
	h.snap[view] = cachedSnap{seq: snap.Seq, at: now, f: f}
	h.mu.Unlock()
	return f
}

func (h *Hub) remove(c *wsClient) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.removeLocked(c)
}

// removeLocked unregisters c and ends its connection, telling the client why
// (it reconnects and resyncs). Only the hub ends a registered client.
func (h *Hub) removeLocked(c *wsClient) {
	if _, ok := h.clients[c]; !ok {
		return
	}
	delete(h.clients, c)
	delete(h.staff, c)
	h.n.Store(int64(len(h.clients)))
	h.dropped.Add(1)
	c.end()
}

// Count is the number of connected clients.
// It takes no lock: the store's writer asks it for every batch, while the
// dispatcher may hold the hub's lock through a fan-out to thousands.
func (h *Hub) Count() int { return int(h.n.Load()) }

// pinger queues a ping for every client each PingPeriod, so idle clients need
// no goroutine of their own for it.
func (h *Hub) pinger() {
	t := time.NewTicker(h.cfg.PingPeriod)
	defer t.Stop()
	for {
		select {
		case <-h.stop:
			return
		case <-t.C:
		}
		h.mu.Lock()
		for c := range h.clients {
			h.sendLocked(c, pingFrame)
		}
		h.mu.Unlock()
	}
}

// Close ends every client (each is told to resync) and then the writers,
// once they have written that.
func (h *Hub) Close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for c := range h.clients {
		h.removeLocked(c)
	}
	if !h.closed {
		h.closed = true
		close(h.stop)
	}
}

// Overflows counts the clients that fell behind (their queue full) and were
// resynced; Dropped those gone from the feed, whatever ended them (/metrics).
func (h *Hub) Overflows() int64 { return h.overflows.Load() }

// Dropped counts the clients gone from the feed.
func (h *Hub) Dropped() int64 { return h.dropped.Load() }
