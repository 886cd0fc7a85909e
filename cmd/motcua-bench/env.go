package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"

	"motcua/internal/api"
	"motcua/internal/bolt"
	"motcua/internal/feed"
	"motcua/internal/node"
	"motcua/internal/queue"
	"motcua/internal/server"
)

// env is a real server (bbolt store, API, hub) on a loopback port.
type env struct {
	*node.Node
	target
}

// target is a server the bench talks to over HTTP, in this process or a child:
// its address and a clerk's session.
type target struct {
	base  string
	clerk string
}

// login opens the bench clerk's session.
func (e *target) login() error {
	var login api.LoginAnswer
	if err := e.post(api.Login, "", `{"username":"bench","pin":"9876"}`, &login, 200); err != nil {
		return err
	}
	e.clerk = login.Token
	return nil
}

const benchKey = "bench-kiosk-key-0123456789"

// feedOffice is the office of the feed and issue measurements.
func feedOffice() queue.Office {
	return queue.Office{
		Name:     "Bench",
		Services: []queue.ServiceConfig{{ID: "a", Name: "A", RangeStart: 1, RangeEnd: 499999}, {ID: "b", Name: "B", RangeStart: 500000, RangeEnd: 999999}},
		Counters: []queue.CounterConfig{{Number: 1, Services: []string{"a", "b"}}},
	}
}

func startEnv(dir string) (*env, error) {
	return startEnvOffice(dir, feedOffice(), feed.Config{SendBuffer: 1024})
}

func startEnvOffice(dir string, office queue.Office, ws feed.Config) (*env, error) {
	n, err := node.Open(dir, office, bolt.Options{}, server.Config{
		Users:   []server.User{{Username: "bench", Name: "Bench", Role: server.RoleClerk, PINHash: benchHash()}},
		Devices: []server.Device{{ID: "k", Kind: server.DeviceKiosk, Key: benchKey}},
		WS:      ws,
	})
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		n.Close()
		return nil, err
	}
	n.Serve(ln, nil)
	e := &env{Node: n, target: target{base: "http://" + ln.Addr().String()}}
	return e, e.login()
}

func (e *env) close() { e.Close() }

var httpClient = &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}, Timeout: 10 * time.Second}

func (e *target) post(path, auth, body string, out any, want int) error {
	req, _ := http.NewRequest("POST", e.base+path, strings.NewReader(body))
	if auth != "" {
		req.Header.Set("Authorization", "Bearer "+auth)
	}
	resp, err := httpClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		return fmt.Errorf("POST %s: %d %s", path, resp.StatusCode, raw)
	}
	if out != nil {
		return jsonDecode(raw, out)
	}
	return nil
}

// issueLatency issues total tickets from n concurrent kiosks, each on its own
// keep-alive connection, timing its requests from send to 201 (the ticket is on
// disk by then). The kiosks share this process's CPUs with the server, so they
// use a lean client (one prepared request, stdlib response parsing) rather than
// net/http's, which would cost more CPU than the server's work.
func (e *target) issueLatency(n, total int) (sample, error) {
	var mu sync.Mutex
	out := make(sample, 0, total)
	var wg sync.WaitGroup
	var firstErr error
	for k := range n {
		wg.Go(func() {
			kc, err := dialKiosk(strings.TrimPrefix(e.base, "http://"))
			if err != nil {
				mu.Lock()
				firstErr = err
				mu.Unlock()
				return
			}
			defer kc.conn.Close()
			for i := k; i < total; i += n {
				start := time.Now()
				err := kc.issue([]string{"a", "b"}[i%2])
				d := time.Since(start)
				mu.Lock()
				if err != nil && firstErr == nil {
					firstErr = err
				}
				out = append(out, d)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return out, firstErr
}

type kioskConn struct {
	conn net.Conn
	r    *bufio.Reader
	req  map[string][]byte
}

func dialKiosk(addr string) (*kioskConn, error) {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	kc := &kioskConn{conn: c, r: bufio.NewReader(c), req: map[string][]byte{}}
	for _, svc := range []string{"a", "b"} {
		body := `{"service_id":"` + svc + `"}`
		kc.req[svc] = []byte("POST /api/v1/tickets HTTP/1.1\r\nHost: bench\r\nAuthorization: Bearer " + benchKey +
			"\r\nContent-Type: application/json\r\nContent-Length: " + strconv.Itoa(len(body)) + "\r\n\r\n" + body)
	}
	return kc, nil
}

func (kc *kioskConn) issue(svc string) error {
	if _, err := kc.conn.Write(kc.req[svc]); err != nil {
		return err
	}
	resp, err := http.ReadResponse(kc.r, nil)
	if err != nil {
		return err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 201 {
		return fmt.Errorf("issue: %s", resp.Status)
	}
	return nil
}

// callFanout connects n public feed clients, then times rounds of call-next
// until the called event was read by the last of them.
func (e *target) callFanout(n, rounds int) (sample, error) {
	clients, err := dialN("ws"+strings.TrimPrefix(e.base, "http")+api.Feed, n, true)
	if err != nil {
		return nil, err
	}
	defer closeAll(clients)
	got := listen(clients)
	return e.callRounds(rounds, func(string) (time.Time, error) { return lastArrival(got, n, "call-next") })
}

// listen reads every client's feed (the snapshot first) and reports on got
// each time one of them reads a called event.
func listen(clients []*websocket.Conn) chan time.Time {
	marker := []byte(`"type":"ticket.called"`)
	got := make(chan time.Time, len(clients)*4)
	for _, c := range clients {
		go func(c *websocket.Conn) {
			for {
				_, msg, err := c.ReadMessage()
				if err != nil {
					return
				}
				if bytes.Contains(msg, marker) {
					got <- time.Now()
				}
			}
		}(c)
	}
	return got
}

// callRounds issues a ticket, calls the next at counter 1 and times until
// arrived says every client has the call of that ticket, then finishes it;
// rounds times.
func (e *target) callRounds(rounds int, arrived func(ticketID string) (time.Time, error)) (sample, error) {
	out := make(sample, 0, rounds)
	for range rounds {
		if err := e.post(api.Tickets, benchKey, `{"service_id":"a"}`, nil, 201); err != nil {
			return nil, err
		}
		var called api.TicketView
		start := time.Now()
		if err := e.post(api.Path(api.CounterAction, 1, api.ActNext), e.clerk, "", &called, 200); err != nil {
			return nil, err
		}
		last, err := arrived(called.ID)
		if err != nil {
			return nil, err
		}
		out = append(out, last.Sub(start))
		if err := e.post(api.Path(api.CounterAction, 1, api.ActFinish), e.clerk, "", nil, 200); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// dialN connects n feed clients, 40 from each loopback address (127.1.x.y),
// as phones on an office network each have their own; with first, it reads
// each one's first frame (the snapshot) before dialling the next.
func dialN(url string, n int, first bool) ([]*websocket.Conn, error) {
	out := make([]*websocket.Conn, 0, n)
	for i := range n {
		a := i / 40
		ip := net.IPv4(127, 1, byte(a/250), byte(a%250+1))
		d := websocket.Dialer{HandshakeTimeout: 10 * time.Second, NetDial: func(network, addr string) (net.Conn, error) {
			return (&net.Dialer{LocalAddr: &net.TCPAddr{IP: ip}}).Dial(network, addr)
		}}
		c, _, err := d.Dial(url, nil)
		if err == nil && first {
			_, _, err = c.ReadMessage()
		}
		if err != nil {
			closeAll(out)
			return nil, fmt.Errorf("client %d: %w", i, err)
		}
		out = append(out, c)
	}
	return out, nil
}

func closeAll(cs []*websocket.Conn) {
	for _, c := range cs {
		c.Close()
	}
}
