package server

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"

	"motcua/internal/feed"
)

// lockedBuffer is a log written by the server's goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}
func (l *lockedBuffer) String() string { l.mu.Lock(); defer l.mu.Unlock(); return l.b.String() }

// Each request is logged with its id (the caller's, or a new one sent back),
// its route — never the path's token or the query's PIN —, its status; a
// failure logged by a handler carries the same id and the route.
func TestRequestLog(t *testing.T) {
	var logs lockedBuffer
	prev := slog.Default()
	slog.SetDefault(slog.New(slog.NewJSONHandler(&logs, nil)))
	t.Cleanup(func() { slog.SetDefault(prev) })
	e := newEnv(t, feed.Config{})
	tk := e.issue("ho_tich", "")

	req, _ := http.NewRequest("GET", e.http.URL+"/api/v1/tickets/"+tk.Token, nil)
	req.Header.Set("X-Request-Id", "quay-3.a1")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got := resp.Header.Get("X-Request-Id"); got != "quay-3.a1" {
		t.Errorf("the answer's id: %q", got)
	}
	resp, err = http.Get(e.http.URL + "/tra-cuu?ma=XA.01-261124-0001&pin=482913")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	fresh := resp.Header.Get("X-Request-Id")
	if !regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`).MatchString(fresh) || len(fresh) != 16 { // the ids the log takes
		t.Errorf("a new id: %q", fresh)
	}
	req, _ = http.NewRequest("GET", e.http.URL+"/api/v1/tickets/x", nil)
	req.Header.Set("X-Request-Id", "bad id; forged=1")
	resp, _ = http.DefaultClient.Do(req)
	resp.Body.Close()
	if got := resp.Header.Get("X-Request-Id"); got == "bad id; forged=1" || len(got) != 16 {
		t.Errorf("a malformed id was kept: %q", got)
	}

	text := logs.String()
	if strings.Contains(text, tk.Token) || strings.Contains(text, "482913") || strings.Contains(text, "261124-0001") {
		t.Errorf("the log holds a token, a PIN or a code:\n%s", text)
	}
	type line struct {
		Msg, ID, Method, Route string
		Status                 int
	}
	var lines []line
	for _, l := range strings.Split(strings.TrimSpace(text), "\n") {
		var x line
		json.Unmarshal([]byte(l), &x)
		lines = append(lines, x)
	}
	find := func(id string) *line {
		for i := range lines {
			if lines[i].ID == id && lines[i].Msg == "request" {
				return &lines[i]
			}
		}
		return nil
	}
	if l := find("quay-3.a1"); l == nil || l.Route != "GET /api/v1/tickets/{token}" || l.Status != 200 || l.Method != "GET" {
		t.Errorf("the ticket's request: %+v\n%s", l, text)
	}
	if l := find(fresh); l == nil || l.Route != "GET /tra-cuu" {
		t.Errorf("the lookup's request: %+v", l)
	}
}
