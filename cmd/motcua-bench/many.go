package main

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"

	"motcua/internal/api"
	"motcua/internal/server"
)

// A provincial centre's waiting room: thousands of phones following their
// tickets. The server runs in a child process (one process may not hold both
// ends of ten thousand connections here: 20,000 open files at most), the
// clients here.

// child starts this program in a child mode and returns the base URL it prints.
func child(args ...string) (string, *exec.Cmd, error) {
	exe, err := os.Executable()
	if err != nil {
		return "", nil, err
	}
	cmd := exec.Command(exe, args...)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return "", nil, err
	}
	if err := cmd.Start(); err != nil {
		return "", nil, err
	}
	base, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		cmd.Process.Kill()
		cmd.Wait()
		return "", nil, err
	}
	return strings.TrimSpace(base), cmd, nil
}

func stopChild(cmd *exec.Cmd) { cmd.Process.Kill(); cmd.Wait() }

// serveFeedChild is --serve-feed DIR: the feed bench's office, production
// websocket settings.
func serveFeedChild(dir string) error {
	e, err := startEnvOffice(dir, feedOffice(), server.WSConfig{})
	if err != nil {
		return err
	}
	fmt.Println(e.base)
	select {}
}

// bareChild is --bare: the floor — a plain gorilla server, one writer
// goroutine per client; POST /send pushes one small frame to every client.
func bareChild() error {
	var mu sync.Mutex
	var queues []chan []byte
	up := websocket.Upgrader{}
	frame := []byte(`{"type":"ticket.called","seq":1,"ticket":{"display":"1001","counter":1,"` + strings.Repeat("x", 300) + `":0}}`)
	mux := http.NewServeMux()
	mux.HandleFunc("/ws", func(w http.ResponseWriter, r *http.Request) {
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
		}()
		for { // read, so that closes and pings are seen
			if _, _, err := c.ReadMessage(); err != nil {
				return
			}
		}
	})
	mux.HandleFunc("/send", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		for _, q := range queues {
			q <- frame
		}
		mu.Unlock()
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	fmt.Println("http://" + ln.Addr().String())
	return http.Serve(ln, mux)
}

// manyClients measures, with n feed clients: the child server's RSS, ticket
// issue at 32 kiosks against the same with none connected, call-next until
// all n read it, and the bare gorilla floor for n.
func manyClients(dir string, n, rounds, issues int, row func(string, sample)) (rssKB int, err error) {
	base, cmd, err := child("--serve-feed", filepath.Join(dir, "many"))
	if err != nil {
		return 0, err
	}
	defer stopChild(cmd)
	t := &target{base: base}
	if err := t.login(); err != nil {
		return 0, err
	}
	none, err := t.issueLatency(32, issues)
	if err != nil {
		return 0, err
	}
	row("ticket issue, 32 kiosks, no feed clients", none)
	clients, err := dialN("ws"+strings.TrimPrefix(base, "http")+api.Feed, n, true)
	if err != nil {
		return 0, err
	}
	defer closeAll(clients)
	got := listen(clients)
	time.Sleep(time.Second) // let the child settle after ten thousand handshakes
	if rssKB, err = rssOf(cmd.Process.Pid); err != nil {
		return 0, err
	}
	with, err := t.issueLatency(32, issues)
	if err != nil {
		return 0, err
	}
	row(fmt.Sprintf("ticket issue, 32 kiosks, %d feed clients", n), with)
	// One call first, unmeasured: its frame comes after the issue burst's in
	// every client's queue, so once all have read it the backlog is gone.
	if _, err := t.callRounds(got, n, 1); err != nil {
		return 0, err
	}
	calls, err := t.callRounds(got, n, rounds)
	if err != nil {
		return 0, err
	}
	closeAll(clients)
	stopChild(cmd)

	floor, err := bareMany(n, rounds)
	if err != nil {
		return 0, err
	}
	row(fmt.Sprintf("floor: bare gorilla broadcast to %d (child)", n), floor)
	row(fmt.Sprintf("call-next -> event at all %d clients", n), calls)
	return rssKB, nil
}

// bareMany times the bare child's broadcast to n clients.
func bareMany(n, rounds int) (sample, error) {
	base, cmd, err := child("--bare")
	if err != nil {
		return nil, err
	}
	defer stopChild(cmd)
	clients, err := dialN("ws"+strings.TrimPrefix(base, "http")+"/ws", n, false)
	if err != nil {
		return nil, err
	}
	defer closeAll(clients)
	got := listen(clients)
	time.Sleep(time.Second) // every upgrade registered
	out := make(sample, 0, rounds)
	for range rounds {
		start := time.Now()
		resp, err := http.Post(base+"/send", "text/plain", nil)
		if err != nil {
			return nil, err
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		last, err := lastArrival(got, n, "bare broadcast")
		if err != nil {
			return nil, err
		}
		out = append(out, last.Sub(start))
	}
	return out, nil
}

// rssOf reads a process's resident memory in KiB.
func rssOf(pid int) (int, error) {
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(status), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
			return strconv.Atoi(f[1])
		}
	}
	return 0, fmt.Errorf("no VmRSS for %d", pid)
}
