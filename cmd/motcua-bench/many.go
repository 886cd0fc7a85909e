package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/gorilla/websocket"

	"motcua/internal/api"
	"motcua/internal/feed"
	"motcua/internal/queue"
)

// A provincial centre's waiting room: thousands of phones following their
// tickets. The server, the phones and the kiosks are three processes, as they
// are three kinds of machine (and one process may not hold both ends of ten
// thousand connections here: 20,000 open files at most): the server and the
// phones are children, the kiosks and the clock stay here.

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
	e, err := startEnvOffice(dir, feedOffice(), feed.Config{})
	if err != nil {
		return err
	}
	fmt.Println(e.base)
	if path := os.Getenv(feedProfile); path != "" {
		profileOnSignal(path)
	}
	select {}
}

// bareChild is --bare: the floor — a plain gorilla server, one writer
// goroutine per client; POST /send pushes one small frame to every client.
func bareChild() error {
	var mu sync.Mutex
	var queues []chan []byte
	up := websocket.Upgrader{}
	frame := []byte(`{"type":"ticket.called","seq":1,"ticket":{"display":"1001","counter":1,"x":"` + strings.Repeat("x", 300) + `"}}`)
	mux := http.NewServeMux()
	mux.HandleFunc("/ws", func(w http.ResponseWriter, r *http.Request) {
		c, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		c.WriteMessage(websocket.TextMessage, []byte(`{"type":"hello"}`)) // as the server's snapshot: connected
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
		f := []byte(strings.Replace(string(frame), `"display":"1001"`, `"id":"`+r.URL.Query().Get("id")+`","display":"1001"`, 1))
		mu.Lock()
		for _, q := range queues {
			q <- f
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

// phonesChild is --phones N URL: N feed clients (40 per loopback address)
// that read everything; it prints "ready" once all are connected, then
// "called ID UNIXNANO" when the last of them has read the call of ticket ID.
func phonesChild(n int, url string) error {
	clients, err := dialN(url, n, true)
	if err != nil {
		return err
	}
	var mu sync.Mutex
	seen, told := map[string]int{}, map[string]bool{}
	alive := n // a phone the server dropped (it read too slowly) no longer counts
	out := bufio.NewWriter(os.Stdout)
	report := func() { // with mu held: every call all live phones have seen
		for id, k := range seen {
			if k >= alive && !told[id] {
				told[id] = true
				fmt.Fprintf(out, "called %s %d %d\n", id, time.Now().UnixNano(), alive)
			}
		}
		out.Flush()
	}
	for _, c := range clients {
		go func(c *websocket.Conn) {
			mine := map[string]bool{} // calls this phone has seen
			saw := func(id string) {
				if id == "" || mine[id] {
					return
				}
				mine[id] = true
				mu.Lock()
				if seen[id]++; seen[id] >= alive {
					report()
				}
				mu.Unlock()
			}
			for {
				_, msg, err := c.ReadMessage()
				if err != nil {
					mu.Lock()
					alive--
					report()
					mu.Unlock()
					return
				}
				switch {
				case bytes.Contains(msg, []byte(`"type":"ticket.called"`)):
					var ev struct {
						Ticket struct {
							ID string `json:"id"`
						} `json:"ticket"`
					}
					json.Unmarshal(msg, &ev)
					saw(ev.Ticket.ID)
				case bytes.HasPrefix(msg, []byte(`{"type":"snapshot"`)):
					// A phone that fell behind gets a snapshot instead of the
					// backlog: a ticket called in it has been seen too.
					var f api.SnapshotFrame
					json.Unmarshal(msg, &f)
					for _, t := range f.Snapshot.Tickets {
						if t.State == queue.Called || t.State == queue.Serving {
							saw(t.ID)
						}
					}
				}
			}
		}(c)
	}
	mu.Lock()
	fmt.Fprintln(out, "ready")
	out.Flush()
	mu.Unlock()
	io.Copy(io.Discard, os.Stdin) // until the parent goes
	return nil
}

// phones runs the phones child against url and returns its report lines.
func phones(n int, url string) (*reports, *exec.Cmd, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, nil, err
	}
	cmd := exec.Command(exe, "--phones", strconv.Itoa(n), url)
	cmd.Stderr = os.Stderr
	if _, err := cmd.StdinPipe(); err != nil { // the child reads it until the parent goes
		return nil, nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, nil, err
	}
	r := bufio.NewReader(out)
	if line, err := r.ReadString('\n'); err != nil || strings.TrimSpace(line) != "ready" {
		stopChild(cmd)
		return nil, nil, fmt.Errorf("phones: %q %v", line, err)
	}
	return &reports{r: r, alive: n}, cmd, nil
}

// reports reads what the phones child says.
type reports struct {
	r     *bufio.Reader
	alive int // phones still connected at the last report
}

// calledAt reads the phones' report of when all of them had ticket id's call.
func (p *reports) calledAt(id string) (time.Time, error) {
	type result struct {
		at  time.Time
		err error
	}
	done := make(chan result, 1)
	go func() { at, err := p.readCalled(id); done <- result{at, err} }()
	select {
	case res := <-done:
		return res.at, res.err
	case <-time.After(60 * time.Second):
		return time.Time{}, fmt.Errorf("the phones never all saw the call of %s", id)
	}
}

func (p *reports) readCalled(id string) (time.Time, error) {
	for {
		line, err := p.r.ReadString('\n')
		if err != nil {
			return time.Time{}, err
		}
		f := strings.Fields(line)
		if len(f) == 4 && f[0] == "called" && f[1] == id {
			ns, _ := strconv.ParseInt(f[2], 10, 64)
			p.alive, _ = strconv.Atoi(f[3])
			return time.Unix(0, ns), nil
		}
	}
}

// manyClients measures, with n feed clients: the server's RSS, ticket issue
// at 32 kiosks against the same with none connected, call-next until all n
// read it, and the bare gorilla floor for n.
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
	rep, ph, err := phones(n, "ws"+strings.TrimPrefix(base, "http")+api.Feed)
	if err != nil {
		return 0, err
	}
	defer stopChild(ph)
	time.Sleep(time.Second) // let the server settle after ten thousand handshakes
	if rssKB, err = rssOf(cmd.Process.Pid); err != nil {
		return 0, err
	}
	profiled := os.Getenv(feedProfile) != "" // the feed server's CPU profile covers this
	if profiled {
		cmd.Process.Signal(syscall.SIGUSR1)
	}
	with, err := t.issueLatency(32, issues)
	if profiled {
		cmd.Process.Signal(syscall.SIGUSR2)
	}
	if err != nil {
		return 0, err
	}
	row(fmt.Sprintf("ticket issue, 32 kiosks, %d feed clients", n), with)
	// One call first, unmeasured: its frame comes after the issue burst's in
	// every phone's queue, so once all have it the backlog is gone.
	if _, err := t.callRounds(1, rep.calledAt); err != nil {
		return 0, err
	}
	calls, err := t.callRounds(rounds, rep.calledAt)
	if err != nil {
		return 0, err
	}
	stayed := rep.alive
	stopChild(ph)
	stopChild(cmd)

	floor, err := bareMany(n, rounds)
	if err != nil {
		return 0, err
	}
	row(fmt.Sprintf("floor: bare gorilla broadcast to %d", n), floor)
	row(fmt.Sprintf("call-next -> event at all %d clients", n), calls)
	fmt.Printf("%-44s %10d\n", fmt.Sprintf("  phones of %d still connected at the end", n), stayed)
	return rssKB, nil
}

// bareMany times the bare child's broadcast to n phones.
func bareMany(n, rounds int) (sample, error) {
	base, cmd, err := child("--bare")
	if err != nil {
		return nil, err
	}
	defer stopChild(cmd)
	rep, ph, err := phones(n, "ws"+strings.TrimPrefix(base, "http")+"/ws")
	if err != nil {
		return nil, err
	}
	defer stopChild(ph)
	time.Sleep(time.Second) // every upgrade registered
	out := make(sample, 0, rounds)
	for i := range rounds {
		id := strconv.Itoa(i)
		start := time.Now()
		resp, err := http.Post(base+"/send?id="+id, "text/plain", nil)
		if err != nil {
			return nil, err
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		at, err := rep.calledAt(id)
		if err != nil {
			return nil, err
		}
		out = append(out, at.Sub(start))
	}
	return out, nil
}

// rssOf reads a process's resident memory in KiB.
func rssOf(pid int) (int, error) { return procStatus(pid, "VmRSS:") }

// procStatus reads a line of a process's /proc status in KiB (VmRSS:,
// VmHWM: its high-water mark).
func procStatus(pid int, field string) (int, error) {
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(status), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == field {
			return strconv.Atoi(f[1])
		}
	}
	return 0, fmt.Errorf("no %s for %d", field, pid)
}

// feedProfile names the file of the feed server's CPU profile while tickets
// are issued with the many clients connected (unset: none).
const feedProfile = "MOTCUA_BENCH_FEED_PROFILE"

// profileOnSignal writes a CPU profile of the feed server to path from
// SIGUSR1 to SIGUSR2.
func profileOnSignal(path string) {
	sig := make(chan os.Signal, 2)
	signal.Notify(sig, syscall.SIGUSR1, syscall.SIGUSR2)
	go func() {
		var f *os.File
		for s := range sig {
			switch {
			case s == syscall.SIGUSR1 && f == nil:
				f, _ = os.Create(path)
				pprof.StartCPUProfile(f)
			case s == syscall.SIGUSR2 && f != nil:
				pprof.StopCPUProfile()
				f.Close()
				f = nil
			}
		}
	}()
}
