package client

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/gorilla/websocket"

	"motcua/internal/api"
	"motcua/internal/queue"
)

// FeedOptions tune Subscribe.
type FeedOptions struct {
	MinBackoff time.Duration // first wait before reconnecting; default 500 ms
	MaxBackoff time.Duration // longest wait; default 10 s
	PongWait   time.Duration // a server silent this long is taken as gone; default 60 s
}

// Subscribe is SubscribeWith the default options: what the apps use.
func (c *Client) Subscribe(ctx context.Context, fn func(api.Update)) {
	c.SubscribeWith(ctx, FeedOptions{}, fn)
}

// SubscribeWith follows the server's feed until ctx ends, calling fn from this one
// goroutine for every update. It reconnects with exponential backoff, and when an
// event's seq is not the one after the last, it asks for a fresh snapshot instead
// of applying it: a screen never shows a state with a hole in it, and an event at
// or below the snapshot's seq is dropped, so an old call is never shown as new.
func (c *Client) SubscribeWith(ctx context.Context, opt FeedOptions, fn func(api.Update)) {
	if opt.MinBackoff <= 0 {
		opt.MinBackoff = 500 * time.Millisecond
	}
	if opt.MaxBackoff < opt.MinBackoff {
		opt.MaxBackoff = max(10*time.Second, opt.MinBackoff)
	}
	if opt.PongWait <= 0 {
		opt.PongWait = 60 * time.Second
	}
	backoff := opt.MinBackoff
	online := false
	for ctx.Err() == nil {
		got := c.follow(ctx, opt, func(u api.Update) {
			if u.Unauthorized {
				fn(u)
				return
			}
			if !online {
				online = true
				fn(api.Update{Online: true})
			}
			fn(u)
		})
		if got {
			backoff = opt.MinBackoff
		}
		if online {
			online = false
			fn(api.Update{Online: false})
		}
		select {
		case <-ctx.Done():
		case <-time.After(backoff):
		}
		backoff = min(backoff*2, opt.MaxBackoff)
	}
}

// follow runs one connection; it reports whether a snapshot arrived on it.
func (c *Client) follow(ctx context.Context, opt FeedOptions, fn func(api.Update)) bool {
	c.probe(ctx)
	url := "ws" + strings.TrimPrefix(c.base(), "http") + api.Feed
	h := http.Header{}
	c.identify(h)
	c.tell(h)
	d := websocket.Dialer{HandshakeTimeout: 5 * time.Second}
	conn, resp, err := d.DialContext(ctx, url, h)
	if err != nil {
		if resp != nil && resp.StatusCode == http.StatusUnauthorized {
			fn(api.Update{Unauthorized: true})
		}
		if resp == nil || elsewhere(resp) {
			c.failover(ctx) // the next try goes to the live primary
		}
		return false
	}
	c.learn(resp.Header)
	defer conn.Close()
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	conn.SetReadLimit(16 << 20)
	alive := func() { conn.SetReadDeadline(time.Now().Add(opt.PongWait)) }
	alive()
	conn.SetPingHandler(func(data string) error {
		alive()
		return conn.WriteControl(websocket.PongMessage, []byte(data), time.Now().Add(5*time.Second))
	})
	var seq uint64
	synced, asked := false, false
	for {
		_, raw, err := conn.ReadMessage()
		if err != nil {
			return synced
		}
		alive()
		var head api.FrameHeader
		if json.Unmarshal(raw, &head) != nil {
			continue
		}
		if head.Type == api.FrameSnapshot && head.Snapshot != nil {
			seq, synced, asked = head.Seq, true, false
			head.Snapshot.Seq = head.Seq
			fn(api.Update{Snapshot: head.Snapshot})
			continue
		}
		if head.Type == api.FrameIssued {
			// The public view's issues in short (api.IssuedFrame): the apps
			// follow the full view, which gets every event; should one come
			// here all the same, a fresh snapshot is asked unless it is old news.
			if synced && head.Seq > seq && !asked {
				asked = true
				conn.WriteMessage(websocket.TextMessage, snapshotRequest)
			}
			continue
		}
		evs := head.Events
		if head.Type != api.FrameEvents {
			var ev queue.Event
			if json.Unmarshal(raw, &ev) != nil {
				continue
			}
			evs = []queue.Event{ev}
		}
		for i := range evs {
			ev := &evs[i]
			switch {
			case !synced || ev.Seq <= seq:
				continue // before the first snapshot, or already in it
			case ev.Seq != seq+1:
				if !asked { // a gap: ask once, skip events until the snapshot comes
					asked = true
					conn.WriteMessage(websocket.TextMessage, snapshotRequest)
				}
				continue
			case asked:
				continue
			}
			seq = ev.Seq
			fn(api.Update{Event: ev})
		}
	}
}

// snapshotRequest asks the server for a fresh snapshot.
var snapshotRequest, _ = json.Marshal(api.ClientMessage{Type: api.FrameSnapshot})
