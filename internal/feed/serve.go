package feed

import (
	"encoding/json"
	"net/http"
	"sync"
	"time"

	"motcua/internal/api"
	"motcua/internal/problem"
	"motcua/internal/queue"

	"github.com/gorilla/websocket"
)

var upgrader = websocket.Upgrader{
	// A client sends at most a 512-byte resync request: a small read buffer.
	ReadBufferSize:  512,
	WriteBufferSize: 4096,
	// Write buffers are borrowed only while a frame is written: ten thousand
	// idle phones then hold no 4 KiB buffer each.
	WriteBufferPool: &sync.Pool{},
	// Boards and phones on the office network open the feed from pages this
	// server serves, and smart-TV browsers send odd origins; the public view holds
	// no personal data and the full view needs a token, so any origin may connect.
	CheckOrigin: func(*http.Request) bool { return true },
}

// Client is who opens the feed: the address its connections are counted
// against, the view it gets, the credential it came with (checked again by
// DropIf after a change of the settings; empty for the public view), and
// what to call when it joins (before its snapshot goes out: whoever got one
// is connected) and when it leaves.
type Client struct {
	Addr string
	Full bool // the staff view: notes, reasons, tokens
	// Short: the client takes the public view's issues that waited in
	// short (api.IssuedFrame) — the browser pages ask for it; any other
	// client gets them as events.
	Short  bool
	Token  string
	Joined func()
	Left   func()
}

// ErrTooMany is Serve's answer when the address has its PerAddress
// connections already; nothing has been written to the response.
var ErrTooMany = problem.Errorf(problem.ETooMany, "Quá nhiều kết nối từ một địa chỉ", "too many feed connections from one address")

// Serve upgrades the request to the feed for cl: its first frame is the
// snapshot, then the events after it. It returns ErrTooMany (the caller
// answers it) when the address is at its cap; once upgraded the hub owns the
// connection, and Serve returns nil without waiting for it to end.
func (h *Hub) Serve(w http.ResponseWriter, r *http.Request, cl Client) error {
	if !h.admit(cl.Addr) {
		return ErrTooMany
	}
	conn, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		h.release(cl.Addr)
		return nil // the upgrader already answered with an HTTP error
	}
	c := &wsClient{conn: conn, full: cl.Full, short: cl.Short && !cl.Full, remote: r.RemoteAddr, write: h.cfg.WriteWait, ready: h.ready, token: cl.Token}
	added := false
	call(cl.Joined)
	h.snapshots(func(seq uint64, build func() queue.Snapshot) { added = h.add(c, seq, build) })
	if !added {
		call(cl.Left)
		conn.Close()
		h.release(cl.Addr)
		return nil
	}
	// The reader gets a goroutine of its own, and this handler returns: the
	// HTTP server's connection (its 4 KiB buffers, the stack this request
	// grew) is then freed, so an idle client costs a small goroutine only.
	go func() {
		defer h.release(cl.Addr)
		defer call(cl.Left)
		h.readPump(c)
	}()
	return nil
}

func call(fn func()) {
	if fn != nil {
		fn()
	}
}

// readPump reads client messages, keeps the read deadline fresh on pongs, and
// unregisters the client when the connection ends.
func (h *Hub) readPump(c *wsClient) {
	cfg := h.cfg
	defer func() {
		h.remove(c)
		c.conn.Close()
	}()
	c.conn.SetReadLimit(512)
	c.conn.SetReadDeadline(time.Now().Add(cfg.PongWait))
	c.conn.SetPongHandler(func(string) error {
		return c.conn.SetReadDeadline(time.Now().Add(cfg.PongWait))
	})
	// Only the hub's writers write to the connection: gorilla's own answers to
	// a client's ping or close would race with them, so they go through the
	// client's queue (a pong), or not at all (the close ends the read).
	c.conn.SetPingHandler(func(data string) error {
		h.mu.Lock()
		defer h.mu.Unlock()
		if _, ok := h.clients[c]; ok {
			h.sendLocked(c, frameOf(opPong, []byte(data)))
		}
		return nil
	})
	c.conn.SetCloseHandler(func(int, string) error { return nil })
	for {
		_, data, err := c.conn.ReadMessage()
		if err != nil {
			return
		}
		c.conn.SetReadDeadline(time.Now().Add(cfg.PongWait))
		var msg api.ClientMessage
		if json.Unmarshal(data, &msg) == nil && msg.Type == api.FrameSnapshot {
			h.snapshots(func(seq uint64, build func() queue.Snapshot) { h.resync(c, seq, build) })
		}
	}
}
