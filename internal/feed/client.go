package feed

import (
	"net"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// wsClient is one websocket connection: a reader goroutine for its life; its
// frames are written by the hub's writers (a few goroutines for every client:
// ten thousand runnable writers would queue a kiosk's request behind them).
type wsClient struct {
	conn   *websocket.Conn
	full   bool // staff view: notes, reasons, tokens
	short  bool // takes the issues that waited in short (api.IssuedFrame)
	remote string
	write  time.Duration // WriteWait
	// token is the credential it connected with (empty: the public view);
	// after a change of the settings a revoked key or a disabled user's
	// session no longer holds, and the hub ends the connection.
	token string

	mu      sync.Mutex
	last    time.Time // the last write
	queue   []wsFrame
	spare   []wsFrame // the queue's other half: the two swap on each write, so a busy feed allocates no queue per event
	pending bool      // on the hub's ready list, or being written
	ended   bool
	// stale: its queue overflowed and was dropped; a fresh snapshot is on its
	// way (the hub's resyncer), and events wait for it.
	stale bool
	// ready puts the client on the hub's ready list (tests of the hub leave
	// it nil and read queue).
	ready func(*wsClient)
}

// enqueue adds frames; wake says the client now needs a writer (the caller
// puts it on the ready list). A client more than limit frames behind has its
// backlog replaced by a fresh snapshot (overflowed says so: the caller asks
// for one); ok is false when it has ended.
func (c *wsClient) enqueue(frames []wsFrame, limit int) (ok, overflowed, wake bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case c.ended:
		return false, false, false
	case c.stale:
		return true, false, false // the snapshot on its way holds these
	case len(c.queue)+len(frames) > limit:
		c.queue, c.stale = nil, true
		return true, true, false
	}
	c.queue = append(c.queue, frames...)
	if !c.pending && c.ready != nil {
		c.pending = true
		return true, false, true
	}
	return true, false, false
}

// lastWritten is when a writer last wrote to the client.
func (c *wsClient) lastWritten() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.last
}

// makeStale drops the backlog of a live client; false if it is ended or stale already.
func (c *wsClient) makeStale() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ended || c.stale {
		return false
	}
	c.queue, c.stale = nil, true
	return true
}

// fresh queues a snapshot frame for a stale client (or any client asking).
func (c *wsClient) fresh(f wsFrame) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ended {
		return
	}
	c.stale = false
	c.queue = append(c.queue, f)
	if !c.pending && c.ready != nil {
		c.pending = true
		c.ready(c)
	}
}

// drain writes what is queued, all of it in one write (frames that piled up
// while the writers were busy cost one system call, not one each, and are not
// copied: the frames go to writev as they are); a failed write ends the
// connection (the reader then unregisters it). A writer calls it; nothing
// else writes to the connection.
func (c *wsClient) drain() {
	for {
		c.mu.Lock()
		batch, ending := c.queue, c.ended
		c.queue, c.spare = c.spare[:0], nil
		if len(batch) == 0 {
			c.pending = false
			c.spare = batch
			c.mu.Unlock()
			if ending {
				c.conn.Close()
			}
			return
		}
		now := time.Now()
		c.last = now
		c.mu.Unlock()
		nc := c.conn.UnderlyingConn()
		nc.SetWriteDeadline(now.Add(c.write))
		bufs := net.Buffers(batch)
		_, err := bufs.WriteTo(nc)
		clear(batch) // the frames are shared with every client: drop the references
		c.mu.Lock()
		if c.spare == nil && cap(batch) <= 16 { // a burst's long queue is not kept by ten thousand idle phones
			c.spare = batch[:0]
		}
		c.mu.Unlock()
		if err != nil || ending {
			c.conn.Close()
			c.mu.Lock()
			c.pending, c.queue, c.ended = false, nil, true
			c.mu.Unlock()
			return
		}
	}
}

// end stops the client: what is queued is dropped, the connection is told to
// resync and closed by its writer (its reader then returns).
func (c *wsClient) end() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ended {
		return
	}
	c.ended, c.queue = true, []wsFrame{closeFrame}
	if !c.pending && c.ready != nil {
		c.pending = true
		c.ready(c)
	}
}
