package server

import (
	"encoding/json"
	"log"
	"sync"
	"time"

	"motcua/internal/api"
	"motcua/internal/queue"
)

// WSConfig tunes the websocket feed.
type WSConfig struct {
	PingPeriod time.Duration // server ping interval; default 20 s
	PongWait   time.Duration // a client silent this long is dropped; default 45 s
	WriteWait  time.Duration // one frame must be written within; default 5 s
	SendBuffer int           // frames queued per client before it counts as slow; default 256
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
	return c
}

// hub fans events out to websocket clients. Publishing never blocks: a client
// whose buffer is full is dropped (it reconnects and resyncs from a snapshot).
// Only the hub closes a client's send channel, under its lock.
type hub struct {
	cfg     WSConfig
	mu      sync.Mutex
	clients map[*wsClient]struct{}
	closed  bool
}

func newHub(cfg WSConfig) *hub {
	return &hub{cfg: cfg, clients: map[*wsClient]struct{}{}}
}

// publish is the store's publisher: it runs under the store's lock, right after
// a commit, with the events in seq order.
func (h *hub) publish(evs []queue.Event) {
	if h.count() == 0 {
		return // nobody listens: skip the encoding
	}
	full := make([][]byte, len(evs))
	public := make([][]byte, len(evs))
	for i, e := range evs {
		full[i], _ = json.Marshal(e)
		public[i], _ = json.Marshal(e.Public())
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	for c := range h.clients {
		frames := public
		if c.full {
			frames = full
		}
		for _, f := range frames {
			if !h.sendLocked(c, f) {
				break
			}
		}
	}
}

// sendLocked queues one frame, dropping the client if it cannot keep up.
func (h *hub) sendLocked(c *wsClient, frame []byte) bool {
	select {
	case c.send <- frame:
		return true
	default:
		log.Printf("websocket client %s too slow (%d frames queued): dropped", c.remote, len(c.send))
		h.removeLocked(c)
		return false
	}
}

// add registers c with its first frame (the snapshot). It must be called inside
// the store's WithSnapshot so that no event falls between the two.
func (h *hub) add(c *wsClient, snap queue.Snapshot) bool {
	frame := encodeSnapshot(snap, c.full)
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return false
	}
	h.clients[c] = struct{}{}
	return h.sendLocked(c, frame)
}

// resync sends a fresh snapshot to a registered client; call inside WithSnapshot.
func (h *hub) resync(c *wsClient, snap queue.Snapshot) {
	frame := encodeSnapshot(snap, c.full)
	h.mu.Lock()
	defer h.mu.Unlock()
	if _, ok := h.clients[c]; ok {
		h.sendLocked(c, frame)
	}
}

func encodeSnapshot(snap queue.Snapshot, full bool) []byte {
	if !full {
		snap = snap.Public()
	}
	b, _ := json.Marshal(api.SnapshotFrame{Type: api.FrameSnapshot, Seq: snap.Seq, Snapshot: snap})
	return b
}

func (h *hub) remove(c *wsClient) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.removeLocked(c)
}

func (h *hub) removeLocked(c *wsClient) {
	if _, ok := h.clients[c]; ok {
		delete(h.clients, c)
		close(c.send)
	}
}

// count is the number of connected clients.
func (h *hub) count() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.clients)
}

func (h *hub) close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.closed = true
	for c := range h.clients {
		h.removeLocked(c)
	}
}
