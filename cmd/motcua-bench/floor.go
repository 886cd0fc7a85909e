package main

import (
	"encoding/json"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"
	"golang.org/x/crypto/bcrypt"
)

func jsonDecode(raw []byte, out any) error { return json.Unmarshal(raw, out) }

func benchHash() string {
	h, _ := bcrypt.GenerateFromPassword([]byte("9876"), bcrypt.MinCost)
	return string(h)
}

// bareBroadcast is the floor for the feed: a plain gorilla server with one writer
// goroutine per client pushes a small frame to n clients; timed until the last
// client read it. No store, no JSON, no hub.
func bareBroadcast(n, rounds int) (sample, error) {
	var mu sync.Mutex
	var queues []chan []byte
	up := websocket.Upgrader{}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	hs := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		q := make(chan []byte, 16)
		mu.Lock()
		queues = append(queues, q)
		mu.Unlock()
		go func() {
			for f := range q {
				c.WriteMessage(websocket.TextMessage, f)
			}
			c.Close()
		}()
	})}
	go hs.Serve(ln)
	defer hs.Close()
	clients, err := dialN("ws://"+ln.Addr().String()+"/", n, false)
	if err != nil {
		return nil, err
	}
	defer closeAll(clients)
	for {
		mu.Lock()
		k := len(queues)
		mu.Unlock()
		if k == n {
			break
		}
		time.Sleep(time.Millisecond)
	}
	got := make(chan time.Time, n)
	for _, c := range clients {
		go func(c *websocket.Conn) {
			for {
				if _, _, err := c.ReadMessage(); err != nil {
					return
				}
				got <- time.Now()
			}
		}(c)
	}
	frame := []byte(`{"type":"ticket.called","seq":1,"ticket":{"display":"1001","counter":1,"` + strings.Repeat("x", 300) + `":0}}`)
	out := make(sample, 0, rounds)
	for range rounds {
		start := time.Now()
		mu.Lock()
		for _, q := range queues {
			q <- frame
		}
		mu.Unlock()
		last, err := lastArrival(got, n, "bare broadcast")
		if err != nil {
			return nil, err
		}
		out = append(out, last.Sub(start))
	}
	mu.Lock()
	for _, q := range queues {
		close(q)
	}
	mu.Unlock()
	return out, nil
}
