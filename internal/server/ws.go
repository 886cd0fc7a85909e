package server

import (
	"encoding/json"
	"net/http"
	"sync"
	"time"

	"github.com/gorilla/websocket"

	"motcua/internal/api"
	"motcua/internal/problem"
	"motcua/internal/queue"
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

// wsClient is one websocket connection: a reader goroutine for its life, and
// a writer goroutine only while it has frames queued.
type wsClient struct {
	conn   *websocket.Conn
	full   bool // staff view: notes, reasons, tokens
	remote string
	write  time.Duration // WriteWait

	mu      sync.Mutex
	queue   []wsFrame
	writing bool // a writer goroutine is draining the queue
	ended   bool
	// start runs the writer (tests of the hub leave it nil and read queue).
	start func(*wsClient)
}

// enqueue adds frames, starting the writer if none runs; false when the
// client is too slow (more than limit frames waiting) or ended.
func (c *wsClient) enqueue(frames []wsFrame, limit int) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ended || len(c.queue)+len(frames) > limit {
		return false
	}
	c.queue = append(c.queue, frames...)
	if !c.writing && c.start != nil {
		c.writing = true
		go c.start(c)
	}
	return true
}

// drain writes what is queued until the queue is empty, then ends; a failed
// write ends the connection (the reader then unregisters it).
func (c *wsClient) drain() {
	for {
		c.mu.Lock()
		batch := c.queue
		c.queue = nil
		if len(batch) == 0 || c.ended {
			c.writing = false
			c.mu.Unlock()
			return
		}
		c.mu.Unlock()
		for _, f := range batch {
			c.conn.SetWriteDeadline(time.Now().Add(c.write))
			if err := c.conn.WritePreparedMessage(f); err != nil {
				c.conn.Close()
				c.mu.Lock()
				c.writing = false
				c.mu.Unlock()
				return
			}
		}
	}
}

// end stops the client: no more frames; the connection is told to resync and
// closed (its reader then returns).
func (c *wsClient) end() {
	c.mu.Lock()
	if c.ended {
		c.mu.Unlock()
		return
	}
	c.ended, c.queue = true, nil
	c.mu.Unlock()
	if c.conn != nil {
		go func() {
			c.conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseGoingAway, "resync"), time.Now().Add(c.write))
			c.conn.Close()
		}()
	}
}

// handleWS upgrades GET /ws. Without credentials the feed is the public view; a
// clerk's or admin's token gives the full view.
func (s *Server) handleWS(w http.ResponseWriter, r *http.Request) {
	p, err := s.auth.identify(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	addr := clientAddr(r)
	if !s.hub.admit(addr) {
		writeError(w, r, problem.Errorf(problem.ETooMany, "Quá nhiều kết nối từ một địa chỉ", "too many feed connections from one address"))
		return
	}
	defer s.hub.release(addr)
	conn, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return // the upgrader already answered with an HTTP error
	}
	c := &wsClient{conn: conn, full: p.isStaff(), remote: r.RemoteAddr, write: s.hub.cfg.WriteWait, start: (*wsClient).drain}
	added := false
	s.q.WithSnapshot(func(snap queue.Snapshot) { added = s.hub.add(c, snap) })
	if !added {
		conn.Close()
		return
	}
	s.readPump(c)
}

// readPump reads client messages, keeps the read deadline fresh on pongs, and
// unregisters the client when the connection ends.
func (s *Server) readPump(c *wsClient) {
	cfg := s.hub.cfg
	defer func() {
		s.hub.remove(c)
		c.conn.Close()
	}()
	c.conn.SetReadLimit(512)
	c.conn.SetReadDeadline(time.Now().Add(cfg.PongWait))
	c.conn.SetPongHandler(func(string) error {
		return c.conn.SetReadDeadline(time.Now().Add(cfg.PongWait))
	})
	for {
		_, data, err := c.conn.ReadMessage()
		if err != nil {
			return
		}
		c.conn.SetReadDeadline(time.Now().Add(cfg.PongWait))
		var msg api.ClientMessage
		if json.Unmarshal(data, &msg) == nil && msg.Type == api.FrameSnapshot {
			s.q.WithSnapshot(func(snap queue.Snapshot) { s.hub.resync(c, snap) })
		}
	}
}
