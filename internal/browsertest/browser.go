// Package browsertest drives Debian's headless Chromium for the web pages'
// tests over the DevTools protocol, with the websocket library we already use:
// open a page, evaluate JavaScript in it. Imported by tests only.
package browsertest

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// Browser is one headless Chromium with a fresh profile.
type Browser struct {
	t    testing.TB
	base string // http://127.0.0.1:PORT of the DevTools endpoint
}

var listening = regexp.MustCompile(`DevTools listening on ws://([^/]+)/`)

// Start launches Chromium (autoplay allowed, as TV kiosks are set up) and stops
// it at the end of the test.
func Start(t testing.TB) *Browser {
	t.Helper()
	bin, err := exec.LookPath("chromium")
	if err != nil {
		t.Fatal("chromium is needed for the web pages' tests (make test installs it: apt-get install chromium)")
	}
	profile, err := os.MkdirTemp("", "motcua-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
		"--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
		"--autoplay-policy=no-user-gesture-required", "--remote-debugging-port=0", "--user-data-dir="+profile, "about:blank")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // its helpers die with it
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		cmd.Wait()
		for range 20 { // the helpers may still be writing their last files
			if os.RemoveAll(profile) == nil {
				return
			}
			time.Sleep(50 * time.Millisecond)
		}
	})
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if m := listening.FindStringSubmatch(sc.Text()); m != nil {
				found <- m[1]
			}
		}
	}()
	select {
	case host := <-found:
		return &Browser{t: t, base: "http://" + host}
	case <-time.After(30 * time.Second):
		t.Fatal("chromium did not start its DevTools endpoint in 30 s")
	}
	return nil
}

// Page is one tab.
type Page struct {
	t    testing.TB
	conn *websocket.Conn
	mu   sync.Mutex
	id   int
}

// Open opens address in a new tab.
func (b *Browser) Open(address string) *Page {
	b.t.Helper()
	req, _ := http.NewRequest(http.MethodPut, b.base+"/json/new?"+url.QueryEscape(address), nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	var target struct {
		WebSocketDebuggerURL string `json:"webSocketDebuggerUrl"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&target); err != nil || target.WebSocketDebuggerURL == "" {
		b.t.Fatalf("new tab: %v %+v", err, target)
	}
	conn, _, err := websocket.DefaultDialer.Dial(target.WebSocketDebuggerURL, nil)
	if err != nil {
		b.t.Fatal(err)
	}
	b.t.Cleanup(func() { conn.Close() })
	return &Page{t: b.t, conn: conn}
}

// Call sends one DevTools command and returns its result.
func (p *Page) Call(method string, params map[string]any) json.RawMessage {
	p.t.Helper()
	raw, err := p.call(method, params)
	if err != nil {
		p.t.Fatalf("%s: %v", method, err)
	}
	return raw
}

// errNavigated is DevTools' answer to an evaluation whose page went away
// under it (a form's submit, a link followed): the next one sees the new page.
var errNavigated = errors.New("the page navigated")

func (p *Page) call(method string, params map[string]any) (json.RawMessage, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.id++
	id := p.id
	p.conn.SetWriteDeadline(time.Now().Add(10 * time.Second))
	if err := p.conn.WriteJSON(map[string]any{"id": id, "method": method, "params": params}); err != nil {
		return nil, err
	}
	for {
		p.conn.SetReadDeadline(time.Now().Add(20 * time.Second))
		var reply struct {
			ID     int             `json:"id"`
			Result json.RawMessage `json:"result"`
			Error  *struct {
				Message string `json:"message"`
			} `json:"error"`
		}
		if err := p.conn.ReadJSON(&reply); err != nil {
			return nil, err
		}
		if reply.ID != id {
			continue // an event
		}
		if reply.Error != nil {
			if strings.Contains(reply.Error.Message, "navigated or closed") {
				return nil, errNavigated
			}
			return nil, errors.New(reply.Error.Message)
		}
		return reply.Result, nil
	}
}

// Eval evaluates a JavaScript expression in the page and returns its value as
// a string ("" when it throws or is undefined).
func (p *Page) Eval(expr string) string {
	p.t.Helper()
	got, err := p.eval(expr)
	if err != nil {
		p.t.Fatalf("Runtime.evaluate: %v", err)
	}
	return got
}

func (p *Page) eval(expr string) (string, error) {
	raw, err := p.call("Runtime.evaluate", map[string]any{
		"expression":    "(function(){try{var v=(" + expr + ");return v===undefined||v===null?'':String(v)}catch(e){return ''}})()",
		"returnByValue": true})
	if err != nil {
		return "", err
	}
	var r struct {
		Result struct {
			Value any `json:"value"`
		} `json:"result"`
	}
	json.Unmarshal(raw, &r)
	return fmt.Sprint(r.Result.Value), nil
}

// Screenshot sets the viewport to width×height and returns the page as PNG.
func (p *Page) Screenshot(width, height int) []byte {
	p.t.Helper()
	p.Call("Emulation.setDeviceMetricsOverride", map[string]any{"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600})
	time.Sleep(300 * time.Millisecond) // one layout and paint
	var r struct {
		Data []byte `json:"data"` // base64 in JSON, decoded by encoding/json
	}
	if err := json.Unmarshal(p.Call("Page.captureScreenshot", map[string]any{"format": "png"}), &r); err != nil {
		p.t.Fatal(err)
	}
	return r.Data
}

// Wait polls expr until it returns want (or contains it, when want starts
// with "~"), and returns how long that took.
func (p *Page) Wait(expr, want string, limit time.Duration) time.Duration {
	p.t.Helper()
	start := time.Now()
	for {
		got, err := p.eval(expr)
		if err != nil && !errors.Is(err, errNavigated) { // a navigation: the next poll sees the new page
			p.t.Fatalf("Runtime.evaluate: %v", err)
		}
		if got == want || strings.HasPrefix(want, "~") && strings.Contains(got, want[1:]) {
			return time.Since(start)
		}
		if time.Since(start) > limit {
			p.t.Fatalf("after %s, %s = %q, want %q", limit, expr, got, want)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
