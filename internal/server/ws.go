package server

import (
	"encoding/json"
	"net/http"
	"sync"
	"time"

	"github.com/gorilla/websocket"

	"motcua/internal/api"
	"motcua/internal/queue"
)

var upgrader = websocket.Upgrader{
	ReadBufferSize:  1024,
	WriteBufferSize: 4096,
	// Write buffers are borrowed only while a frame is written: a thousand idle
	// boards then hold no 4 KiB buffer each.
	WriteBufferPool: &sync.Pool{},
	// Boards and phones on the office network open the feed from pages this
	// server serves, and smart-TV browsers send odd origins; the public view holds
	// no personal data and the full view needs a token, so any origin may connect.
	CheckOrigin: func(*http.Request) bool { return true },
}

// wsClient is one websocket connection: one reader and one writer goroutine.
type wsClient struct {
	conn   *websocket.Conn
	send   chan []byte
	full   bool // staff view: notes, reasons, tokens
	remote string
}

// handleWS upgrades GET /ws. Without credentials the feed is the public view; a
// clerk's or admin's token gives the full view.
func (s *Server) handleWS(w http.ResponseWriter, r *http.Request) {
	p, err := s.auth.identify(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	conn, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return // the upgrader already answered with an HTTP error
	}
	c := &wsClient{conn: conn, send: make(chan []byte, s.hub.cfg.SendBuffer), full: p.isStaff(), remote: r.RemoteAddr}
	added := false
	s.q.WithSnapshot(func(snap queue.Snapshot) { added = s.hub.add(c, snap) })
	if !added {
		conn.Close()
		return
	}
	go s.writePump(c)
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

// writePump writes queued frames, one JSON message per text frame, and pings.
// It ends when the hub closes the send channel or a write fails.
func (s *Server) writePump(c *wsClient) {
	cfg := s.hub.cfg
	ping := time.NewTicker(cfg.PingPeriod)
	defer func() {
		ping.Stop()
		c.conn.Close()
	}()
	for {
		select {
		case frame, ok := <-c.send:
			c.conn.SetWriteDeadline(time.Now().Add(cfg.WriteWait))
			if !ok {
				c.conn.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseGoingAway, "resync"))
				return
			}
			if err := c.conn.WriteMessage(websocket.TextMessage, frame); err != nil {
				s.hub.remove(c)
				return
			}
		case <-ping.C:
			c.conn.SetWriteDeadline(time.Now().Add(cfg.WriteWait))
			if err := c.conn.WriteMessage(websocket.PingMessage, nil); err != nil {
				s.hub.remove(c)
				return
			}
		}
	}
}
