package server

import (
	"encoding/json"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"

	"motcua/internal/api"
	"motcua/internal/queue"
)

// WSConfig tunes the websocket feed.
type WSConfig struct {
	PingPeriod time.Duration // server ping interval; default 20 s
	PongWait   time.Duration // a client silent this long is dropped; default 45 s
	WriteWait  time.Duration // one frame must be written within; default 5 s
	SendBuffer int           // frames queued per client before it counts as slow; default 256
	// PerAddress caps the feed connections from one address (a board, a few
	// browser tabs, a phone per citizen — each on its own address on the
	// office network); default 50, negative for no cap.
	PerAddress int
}

func (c WSConfig) withDefaults() WSConfig {
	if c.PingPeriod <= 0 {
		c.PingPeriod = 20 * time.Second
	}
	if c.PongWait <= c.PingPeriod {
		c.PongWait = c.PingPeriod*2 + 5*time.Second
	}
	if c.WriteWait <= 0 {
		c.WriteWait = 5 * time.Second
	}
	if c.SendBuffer <= 0 {
		c.SendBuffer = 256
	}
	if c.PerAddress == 0 {
		c.PerAddress = 50
	}
	return c
}

// hub fans events out to websocket clients. Publishing never blocks: frames
// join a client's queue, and a client whose queue is full is dropped (it
// reconnects and resyncs from a snapshot). An idle client costs one goroutine
// (its reader) and no buffer; a fixed set of writers drains the clients that
// have frames, and one pinger serves them all.
type hub struct {
	cfg     WSConfig
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

	// snapshots runs fn with a snapshot while no event is published (the
	// store's WithSnapshot), for the resyncer.
	snapshots func(fn func(queue.Snapshot))
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

// The public view's issues wait: a ticket issued changes only the waiting
// counts on phones and public boards, where a moment's delay is nothing,
// while each issue fanned out to ten thousand phones would slow the kiosks
// that make them. They go out, in one frame, once no issue came for
// laterQuiet, or laterMax after the first of them, or just before any other
// event (a call goes out at once, after the issues before it). The staff view
// gets everything at once.
const (
	laterQuiet  = 200 * time.Millisecond
	laterMaxAge = time.Second
	laterTick   = 50 * time.Millisecond
)

// batchGap is the least time between two writes to one client while more
// than batchBehind clients wait for a writer.
const (
	batchGap    = 20 * time.Millisecond
	batchBehind = 1000
)

func newHub(cfg WSConfig) *hub {
	h := &hub{cfg: cfg, clients: map[*wsClient]struct{}{}, staff: map[*wsClient]struct{}{}, perAddr: map[string]int{}, stop: make(chan struct{}), wake: make(chan struct{}, writers),
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
func (h *hub) ready(c *wsClient) { h.readyMany([]*wsClient{c}) }

// readyMany puts clients on the ready list and wakes the writers.
func (h *hub) readyMany(cs []*wsClient) {
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
func (h *hub) writer() {
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

func (h *hub) readyLen() int {
	h.readyMu.Lock()
	defer h.readyMu.Unlock()
	return len(h.readyQ)
}

// wsFrame is one websocket frame, ready to go on the wire: framed once and
// written as it is to every client (RFC 6455 §5.2; a server's frames are not
// masked). The hub writes all of a client's frames itself, so that whatever a
// client has waiting goes out in one write.
type wsFrame = []byte

// Opcodes of the frames the hub writes.
const (
	opText  = 0x1
	opClose = 0x8
	opPing  = 0x9
	opPong  = 0xa
)

// frameOf frames payload as one final frame of op.
func frameOf(op byte, payload []byte) wsFrame {
	n := len(payload)
	var head []byte
	switch {
	case n < 126:
		head = []byte{0x80 | op, byte(n)}
	case n < 1<<16:
		head = []byte{0x80 | op, 126, byte(n >> 8), byte(n)}
	default:
		head = []byte{0x80 | op, 127, 0, 0, 0, 0, byte(n >> 24), byte(n >> 16), byte(n >> 8), byte(n)}
	}
	return append(head, payload...)
}

func prepare(v any) wsFrame {
	raw, _ := json.Marshal(v)
	return frameOf(opText, raw)
}

var (
	pingFrame  = frameOf(opPing, nil)
	closeFrame = frameOf(opClose, websocket.FormatCloseMessage(websocket.CloseGoingAway, "resync"))
)

// admit reserves a connection for addr, within the cap.
func (h *hub) admit(addr string) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.cfg.PerAddress > 0 && h.perAddr[addr] >= h.cfg.PerAddress {
		return false
	}
	h.perAddr[addr]++
	return true
}

// release gives back what admit reserved.
func (h *hub) release(addr string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.perAddr[addr]--; h.perAddr[addr] <= 0 {
		delete(h.perAddr, addr)
	}
}

// publish is the store's publisher: it runs under the store's lock, right after
// a commit, with the events in seq order. Each event is encoded and framed once
// per view (staff, public), whatever the number of clients.
func (h *hub) publish(evs []queue.Event) {
	if h.count() == 0 {
		return // nobody listens: skip the encoding
	}
	// The fan-out runs in the dispatcher, off the store's writer: a batch is
	// acknowledged to its kiosks without waiting for ten thousand queues. A
	// client that registers meanwhile may get events already in its snapshot;
	// clients drop any event at or below their snapshot's seq.
	select {
	case h.batches <- batch{evs: evs}:
	default: // the dispatcher is far behind: everyone starts again from a snapshot
		h.mu.Lock()
		for c := range h.clients {
			h.staleLocked(c)
		}
		h.mu.Unlock()
	}
}

// resyncAll sends every client a fresh snapshot (after a change of the
// settings: the services, counters and wording are not in the events).
// dropIf ends the connections of the clients with a credential that gone
// says no longer holds (they reconnect, and are refused).
func (h *hub) dropIf(gone func(token string) bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for c := range h.clients {
		if c.token != "" && gone(c.token) {
			h.removeLocked(c)
		}
	}
}

func (h *hub) resyncAll() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for c := range h.clients {
		h.staleLocked(c)
	}
}

// batch is one publish for the dispatcher; done, when set, is closed once it
// is queued to every client (tests wait on it).
type batch struct {
	evs  []queue.Event
	done chan struct{}
}

// dispatcher frames each batch once per view and queues it to every client.
func (h *hub) dispatcher() {
	t := time.NewTicker(laterTick)
	defer t.Stop()
	for {
		select {
		case <-h.stop:
			return
		case now := <-t.C:
			if len(h.later) > 0 && (now.Sub(h.laterAt) >= laterQuiet || now.Sub(h.laterOf) >= laterMaxAge) {
				h.fanOut(nil) // the issues that waited
			}
		case b := <-h.batches:
			if len(b.evs) > 0 {
				h.fanOut(b.evs)
			}
			if b.done != nil {
				close(b.done)
			}
		}
	}
}

// flush waits until everything published so far is queued to the clients.
func (h *hub) flush() {
	done := make(chan struct{})
	h.batches <- batch{done: done}
	<-done
}

// fanOut queues evs to the clients: the staff view at once; the public view
// at once unless the batch holds only issues, which wait in later (a nil evs
// sends what waits; see laterQuiet). What waits goes out as one frame whatever its length:
// one queue entry and one encoding for every phone. Only the dispatcher calls it.
func (h *hub) fanOut(evs []queue.Event) {
	full := make([]wsFrame, len(evs))
	var public []wsFrame
	lazy := len(evs) > 0
	for _, e := range evs {
		lazy = lazy && e.Type == queue.EvIssued
	}
	for i, e := range evs {
		full[i] = prepare(e)
		if lazy {
			if len(h.later) == 0 {
				h.laterOf = time.Now()
			}
			h.laterAt = time.Now()
			h.later = append(h.later, e.Public())
		} else {
			if i == 0 && len(h.later) > 0 {
				public = append(public, h.laterFrame())
			}
			public = append(public, prepare(e.Public()))
		}
	}
	if len(h.later) >= laterMax || evs == nil && len(h.later) > 0 {
		public = append(public, h.laterFrame())
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	woken := h.woken[:0]
	queue := func(c *wsClient, frames []wsFrame) {
		if _, overflowed, wake := c.enqueue(frames, h.cfg.SendBuffer); overflowed {
			h.askResync(c)
		} else if wake {
			woken = append(woken, c)
		}
	}
	if len(full) > 0 {
		for c := range h.staff {
			queue(c, full)
		}
	}
	if len(public) > 0 {
		for c := range h.clients {
			if !c.full {
				queue(c, public)
			}
		}
	}
	h.readyMany(woken) // one lock for the lot, not one per client
	clear(woken)
	h.woken = woken[:0]
}

// laterMax is how many issues may wait for the public view (one frame of
// some 300 KB) before they go out anyway.
const laterMax = 1000

// laterFrame frames what waits as one events frame and empties it.
func (h *hub) laterFrame() wsFrame {
	f := prepare(api.EventsFrame{Type: api.FrameEvents, Seq: h.later[len(h.later)-1].Seq, Events: h.later})
	h.later = nil
	return f
}

// sendLocked queues frames for c. A client too far behind (the writers
// could not keep up, or it reads slowly) gets a fresh snapshot instead of the
// backlog: under a burst, phones see the latest state rather than every step.
func (h *hub) sendLocked(c *wsClient, frames ...wsFrame) bool {
	ok, overflowed, wake := c.enqueue(frames, h.cfg.SendBuffer)
	if overflowed {
		h.askResync(c)
	}
	if wake {
		h.ready(c)
	}
	return ok
}

// staleLocked drops c's backlog and asks a fresh snapshot for it.
func (h *hub) staleLocked(c *wsClient) {
	if c.makeStale() {
		h.askResync(c)
	}
}

func (h *hub) askResync(c *wsClient) {
	h.overflows.Add(1)
	h.staleMu.Lock()
	h.stale = append(h.stale, c)
	h.staleMu.Unlock()
	select {
	case h.resyncs <- struct{}{}:
	default:
	}
}

// resyncer sends fresh snapshots to the clients whose queue overflowed, many
// at once (they share one snapshot frame).
func (h *hub) resyncer() {
	for {
		select {
		case <-h.stop:
			return
		case <-h.resyncs:
		}
		h.staleMu.Lock()
		list := h.stale
		h.stale = nil
		h.staleMu.Unlock()
		if len(list) == 0 || h.snapshots == nil {
			continue
		}
		h.snapshots(func(snap queue.Snapshot) {
			for _, c := range list {
				c.fresh(h.snapshotFrame(snap, c.full))
			}
		})
	}
}

// add registers c with its first frame (the snapshot). It must be called inside
// the store's WithSnapshot so that no event falls between the two.
func (h *hub) add(c *wsClient, snap queue.Snapshot) bool {
	f := h.snapshotFrame(snap, c.full)
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

// resync sends a fresh snapshot to a registered client; call inside WithSnapshot.
func (h *hub) resync(c *wsClient, snap queue.Snapshot) {
	f := h.snapshotFrame(snap, c.full)
	h.mu.Lock()
	_, ok := h.clients[c]
	h.mu.Unlock()
	if ok {
		c.fresh(f)
	}
}

// snapshotFrame frames snap for a view, once per seq and second: clients
// connecting together share one encoding.
func (h *hub) snapshotFrame(snap queue.Snapshot, full bool) wsFrame {
	view := 0
	if full {
		view = 1
	}
	now := time.Now()
	h.mu.Lock()
	if c := h.snap[view]; c.f != nil && c.seq == snap.Seq && now.Sub(c.at) < time.Second {
		h.mu.Unlock()
		return c.f
	}
	h.mu.Unlock()
	if !full {
		snap = snap.Public()
	}
	f := prepare(api.SnapshotFrame{Type: api.FrameSnapshot, Seq: snap.Seq, Snapshot: snap})
	h.mu.Lock()
	h.snap[view] = cachedSnap{seq: snap.Seq, at: now, f: f}
	h.mu.Unlock()
	return f
}

func (h *hub) remove(c *wsClient) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.removeLocked(c)
}

// removeLocked unregisters c and ends its connection, telling the client why
// (it reconnects and resyncs). Only the hub ends a registered client.
func (h *hub) removeLocked(c *wsClient) {
	if _, ok := h.clients[c]; !ok {
		return
	}
	delete(h.clients, c)
	delete(h.staff, c)
	h.n.Store(int64(len(h.clients)))
	h.dropped.Add(1)
	c.end()
}

// count is the number of connected clients.
// It takes no lock: the store's writer asks it for every batch, while the
// dispatcher may hold the hub's lock through a fan-out to thousands.
func (h *hub) count() int { return int(h.n.Load()) }

// pinger queues a ping for every client each PingPeriod, so idle clients need
// no goroutine of their own for it.
func (h *hub) pinger() {
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

// close ends every client (each is told to resync) and then the writers,
// once they have written that.
func (h *hub) close() {
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
