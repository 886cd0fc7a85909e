package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"motcua/internal/bolt"
)

var fixedNow = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

var listenLine = regexp.MustCompile(`listening on (http://[0-9.:\[\]]+)`)

// waitURL reads a server's stdout until it says where it listens.
func waitURL(t testing.TB, out io.Reader) string {
	t.Helper()
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if m := listenLine.FindStringSubmatch(sc.Text()); m != nil {
				found <- m[1]
				break
			}
		}
		io.Copy(io.Discard, out)
	}()
	select {
	case u := <-found:
		return u
	case <-time.After(30 * time.Second):
		t.Fatal("server did not start")
		return ""
	}
}

// client talks to a server the way outside checks do.
type client struct {
	t    *testing.T
	base string
	http *http.Client
}

func (c *client) do(method, path, auth, body string, out any) int {
	c.t.Helper()
	req, _ := http.NewRequest(method, c.base+path, strings.NewReader(body))
	if auth != "" {
		req.Header.Set("Authorization", "Bearer "+auth)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return 0
	}
	defer resp.Body.Close()
	if out != nil {
		json.NewDecoder(resp.Body).Decode(out)
	}
	return resp.StatusCode
}

type ticketOut struct {
	ID         string `json:"id"`
	Number     int    `json:"number"`
	ServiceID  string `json:"service_id"`
	Token      string `json:"token"`
	Ahead      *int   `json:"ahead"`
	ETAMinutes *int   `json:"eta_minutes"`
	State      string `json:"state"`
	Counter    int    `json:"counter"`
}

// TestEndToEnd starts the real program in-process on :0 with a temp data dir and
// drives the stable surface, the feed, the backup command and a clean stop.
func TestEndToEnd(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	var wg sync.WaitGroup
	code := -1
	wg.Go(func() {
		code = run(ctx, []string{"--demo", "--data", dir, "--addr", "127.0.0.1:0"}, nil, pw, io.Discard)
		pw.Close()
	})
	c := &client{t: t, base: waitURL(t, pr), http: &http.Client{Timeout: 10 * time.Second}}

	if got := c.do("GET", "/healthz", "", "", nil); got != 200 {
		t.Fatalf("healthz %d", got)
	}
	var services []struct {
		ID         string `json:"id"`
		Name       string `json:"name"`
		NameEN     string `json:"name_en"`
		Waiting    *int   `json:"waiting"`
		ETAMinutes *int   `json:"eta_minutes"`
	}
	c.do("GET", "/api/v1/services", "", "", &services)
	if len(services) < 5 || services[0].Waiting == nil || services[0].ETAMinutes == nil || services[0].Name == "" {
		t.Fatalf("services %+v", services)
	}
	ws, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(c.base, "http")+"/ws", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	var snap struct {
		Type string `json:"type"`
		Seq  uint64 `json:"seq"`
	}
	ws.ReadJSON(&snap)
	if snap.Type != "snapshot" {
		t.Fatalf("first frame %q", snap.Type)
	}

	var a, b ticketOut
	if got := c.do("POST", "/api/v1/tickets", "demo-device", `{"service_id":"ho_tich"}`, &a); got != 201 || a.ID == "" || a.Token == "" || a.Ahead == nil || a.ETAMinutes == nil {
		t.Fatalf("issue %d %+v", got, a)
	}
	c.do("POST", "/api/v1/tickets", "demo-device", `{"service_id":"ho_tich","priority":"elderly"}`, &b)
	var login struct{ Token string }
	if got := c.do("POST", "/api/v1/login", "", `{"username":"quay1","pin":"1234"}`, &login); got != 200 || login.Token == "" {
		t.Fatalf("login %d", got)
	}
	var called ticketOut
	if got := c.do("POST", "/api/v1/counters/1/next", login.Token, "", &called); got != 200 || called.ID != b.ID {
		t.Fatalf("next %d: called %s, want the elderly %s first", got, called.ID, b.ID)
	}
	// The feed carries each change after the snapshot, in seq order (the
	// public view's issues come together in an events frame).
	type event struct {
		Type   string  `json:"type"`
		Seq    uint64  `json:"seq"`
		Events []event `json:"events"`
	}
	var got []event
	want := []string{"ticket.issued", "ticket.issued", "counter.changed", "ticket.called"}
	for len(got) < len(want) {
		var f event
		ws.SetReadDeadline(time.Now().Add(5 * time.Second))
		if err := ws.ReadJSON(&f); err != nil {
			t.Fatalf("after %+v: %v", got, err)
		}
		if f.Type == "events" {
			got = append(got, f.Events...)
		} else {
			got = append(got, f)
		}
	}
	for i, typ := range want {
		if ev := got[i]; ev.Type != typ || ev.Seq != snap.Seq+uint64(i)+1 {
			t.Fatalf("event %d: %s seq %d, want %s seq %d", i, ev.Type, ev.Seq, typ, snap.Seq+uint64(i)+1)
		}
	}
	for _, step := range []string{"recall", "finish"} {
		if got := c.do("POST", "/api/v1/counters/1/"+step, login.Token, "", nil); got != 200 {
			t.Errorf("%s: %d", step, got)
		}
	}
	c.do("POST", "/api/v1/counters/1/next", login.Token, "", nil)
	if got := c.do("POST", "/api/v1/counters/1/transfer", login.Token, `{"service_id":"chung_thuc","note":"cần công chứng"}`, nil); got != 200 {
		t.Errorf("transfer %d", got)
	}
	var status ticketOut
	if got := c.do("GET", "/api/v1/tickets/"+a.Token, "", "", &status); got != 200 || status.ServiceID != "chung_thuc" || status.Token != "" {
		t.Errorf("status %d %+v", got, status)
	}
	for _, step := range []string{"pause", "resume"} {
		if got := c.do("POST", "/api/v1/counters/1/"+step, login.Token, "", nil); got != 200 {
			t.Errorf("%s: %d", step, got)
		}
	}
	// The clerk moves to counter 4 (nobody waits there): counter 1 closes.
	if got := c.do("POST", "/api/v1/counters/4/next", login.Token, "", nil); got != 204 {
		t.Errorf("next at counter 4: %d, want 204", got)
	}
	var state struct {
		Seq      uint64 `json:"seq"`
		Counters []struct {
			Number int    `json:"number"`
			State  string `json:"state"`
			Clerk  string `json:"clerk"`
		} `json:"counters"`
	}
	if got := c.do("GET", "/api/v1/state", "", "", &state); got != 200 || state.Seq == 0 || len(state.Counters) != 6 {
		t.Fatalf("state %d seq %d", got, state.Seq)
	}
	if c1, c4 := state.Counters[0], state.Counters[3]; c1.State != "closed" || c4.State != "open" || c4.Clerk != "quay1" {
		t.Errorf("after moving: counter 1 %+v, counter 4 %+v", c1, c4)
	}

	// Online backup through the running server's admin socket.
	out := filepath.Join(t.TempDir(), "backup.db")
	if got := run(context.Background(), []string{"backup", "--data", dir, "--out", out}, nil, io.Discard, io.Discard); got != 0 {
		t.Fatalf("backup exit %d", got)
	}
	if n, err := bolt.VerifyFile(out); err != nil || n < 8 {
		t.Errorf("backup: %d events, %v", n, err)
	}
	// And the chain checked through the same socket, the file being locked.
	var verified strings.Builder
	if got := run(context.Background(), []string{"verify", "--data", dir}, nil, &verified, io.Discard); got != 0 || !strings.Contains(verified.String(), "events") {
		t.Errorf("online verify exit %d: %q", got, verified.String())
	}
	cancel()
	wg.Wait()
	if code != 0 {
		t.Errorf("server exit code %d", code)
	}
	if _, err := os.Stat(filepath.Join(dir, bolt.FileName)); err != nil {
		t.Error(err)
	}
}
