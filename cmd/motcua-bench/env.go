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
	"motcua/internal/node"
	"motcua/internal/queue"
	"motcua/internal/server"
)

// env is a real server (bbolt store, API, hub) on a loopback port.
type env struct {
	*node.Node
	base  string
	clerk string
}

const benchKey = "bench-kiosk-key-0123456789"

func startEnv(dir string) (*env, error) {
	office := queue.Office{
		Name:     "Bench",
		Services: []queue.ServiceConfig{{ID: "a", Name: "A", RangeStart: 1, RangeEnd: 999999}, {ID: "b", Name: "B", RangeStart: 1, RangeEnd: 999999}},
		Counters: []queue.CounterConfig{{Number: 1, Services: []string{"a", "b"}}},
	}
	return startEnvOffice(dir, office, server.WSConfig{SendBuffer: 1024})
}

func startEnvOffice(dir string, office queue.Office, ws server.WSConfig) (*env, error) {
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
	e := &env{Node: n, base: "http://" + ln.Addr().String()}
	var login api.LoginAnswer
	if err := e.post(api.Login, "", `{"username":"bench","pin":"9876"}`, &login, 200); err != nil {
		return nil, err
	}
	e.clerk = login.Token
	return e, nil
}

func (e *env) close() { e.Close() }

var httpClient = &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}, Timeout: 10 * time.Second}

func (e *env) post(path, auth, body string, out any, want int) error {
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
func (e *env) issueLatency(n, total int) (sample, error) {
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

// callFanout connects n public feed clients, then repeatedly calls the next
// ticket at counter 1 and times from the request until the called event was read
// by the last of the n clients.
func (e *env) callFanout(n, rounds int) (sample, error) {
	clients, err := dialN("ws"+strings.TrimPrefix(e.base, "http")+api.Feed, n)
	if err != nil {
		return nil, err
	}
	defer closeAll(clients)
	marker := []byte(`"type":"ticket.called"`)
	got := make(chan time.Time, n*4)
	for _, c := range clients {
		c.ReadMessage() // the snapshot
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
	out := make(sample, 0, rounds)
	for range rounds {
		if err := e.post(api.Tickets, benchKey, `{"service_id":"a"}`, nil, 201); err != nil {
			return nil, err
		}
		start := time.Now()
		if err := e.post(api.Path(api.CounterAction, 1, api.ActNext), e.clerk, "", nil, 200); err != nil {
			return nil, err
		}
		last, err := lastArrival(got, n, "call-next")
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

func dialN(url string, n int) ([]*websocket.Conn, error) {
	out := make([]*websocket.Conn, 0, n)
	for range n {
		c, _, err := websocket.DefaultDialer.Dial(url, nil)
		if err != nil {
			closeAll(out)
			return nil, err
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
