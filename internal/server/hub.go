package server

import (
	"encoding/json"
	"log"
	"sync"
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
// (its reader) and no buffer: a writer goroutine runs only while the client
// has frames to write, and one pinger serves them all.
type hub struct {
	cfg     WSConfig
	mu      sync.Mutex
	clients map[*wsClient]struct{}
	perAddr map[string]int
	closed  bool
	stop    chan struct{}
}

func newHub(cfg WSConfig) *hub {
	h := &hub{cfg: cfg, clients: map[*wsClient]struct{}{}, perAddr: map[string]int{}, stop: make(chan struct{})}
	go h.pinger()
	return h
}

// wsFrame is one message for the feed, framed once and written to every client.
type wsFrame = *websocket.PreparedMessage

func prepare(v any) wsFrame {
	raw, _ := json.Marshal(v)
	pm, _ := websocket.NewPreparedMessage(websocket.TextMessage, raw)
	return pm
}

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
	full := make([]wsFrame, len(evs))
	public := make([]wsFrame, len(evs))
	for i, e := range evs {
		full[i], public[i] = prepare(e), prepare(e.Public())
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	for c := range h.clients {
		frames := public
		if c.full {
			frames = full
		}
		h.sendLocked(c, frames...)
	}
}

// sendLocked queues frames for c, dropping it if it cannot keep up.
func (h *hub) sendLocked(c *wsClient, frames ...wsFrame) bool {
	if !c.enqueue(frames, h.cfg.SendBuffer) {
		log.Printf("websocket client %s too slow (%d frames queued): dropped", c.remote, h.cfg.SendBuffer)
		h.removeLocked(c)
		return false
	}
	return true
}

// add registers c with its first frame (the snapshot). It must be called inside
// the store's WithSnapshot so that no event falls between the two.
func (h *hub) add(c *wsClient, snap queue.Snapshot) bool {
	f := encodeSnapshot(snap, c.full)
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return false
	}
	h.clients[c] = struct{}{}
	return h.sendLocked(c, f)
}

// resync sends a fresh snapshot to a registered client; call inside WithSnapshot.
func (h *hub) resync(c *wsClient, snap queue.Snapshot) {
	f := encodeSnapshot(snap, c.full)
	h.mu.Lock()
	defer h.mu.Unlock()
	if _, ok := h.clients[c]; ok {
		h.sendLocked(c, f)
	}
}

func encodeSnapshot(snap queue.Snapshot, full bool) wsFrame {
	if !full {
		snap = snap.Public()
	}
	return prepare(api.SnapshotFrame{Type: api.FrameSnapshot, Seq: snap.Seq, Snapshot: snap})
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
	c.end()
}

// count is the number of connected clients.
func (h *hub) count() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.clients)
}

// pinger pings every client each PingPeriod (WriteControl may run beside a
// client's writer), so idle clients need no goroutine of their own for it.
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
		list := make([]*wsClient, 0, len(h.clients))
		for c := range h.clients {
			list = append(list, c)
		}
		h.mu.Unlock()
		deadline := time.Now().Add(h.cfg.WriteWait)
		for _, c := range list {
			if c.conn != nil && c.conn.WriteControl(websocket.PingMessage, nil, deadline) != nil {
				h.remove(c)
			}
		}
	}
}

func (h *hub) close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.closed {
		h.closed = true
		close(h.stop)
	}
	for c := range h.clients {
		h.removeLocked(c)
	}
}
