package server

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"golang.org/x/crypto/bcrypt"

	"motcua/internal/api"
	"motcua/internal/bolt"
	"motcua/internal/catalogue"
	"motcua/internal/feed"
	"motcua/internal/queue"
)

func testOffice() queue.Office {
	return queue.Office{
		Name: "UBND phường Thử",
		Services: []queue.ServiceConfig{
			{ID: "ho_tich", Name: "Hộ tịch", NameEN: "Civil status", RangeStart: 1001, RangeEnd: 1999},
			{ID: "chung_thuc", Name: "Chứng thực", RangeStart: 2001, RangeEnd: 2999},
		},
		Counters: []queue.CounterConfig{
			{Number: 1, Services: []string{"ho_tich", "chung_thuc"}},
			{Number: 2, Services: []string{"chung_thuc"}},
		},
		PriorityClasses: []queue.PriorityClass{{ID: "elderly", Name: "Người cao tuổi"}},
	}
}

type env struct {
	t     testing.TB
	srv   *Server
	http  *httptest.Server
	store *bolt.Store
}

func newEnv(t testing.TB, ws feed.Config) *env {
	t.Helper()
	store, err := bolt.Open(t.TempDir(), testOffice(), bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	hash, _ := bcrypt.GenerateFromPassword([]byte("2468"), bcrypt.MinCost)
	srv := New(store, store, Config{
		Users: []User{
			{Username: "lan", Name: "Nguyễn Thị Lan", Role: RoleClerk, PINHash: string(hash)},
			{Username: "minh", Name: "Trần Văn Minh", Role: RoleClerk, PINHash: string(hash)},
			{Username: "boss", Name: "Quản trị", Role: RoleAdmin, PINHash: string(hash)},
			{Username: "tam", Name: "Lê Thanh Tâm", Role: RoleSupervisor, PINHash: string(hash)},
		},
		Devices: []Device{{ID: "kiosk-1", Kind: DeviceKiosk, Key: "kiosk-key-123456"}, {ID: "tv-1", Kind: DeviceDisplay, Key: "tv-key-1234567890"},
			{ID: "rate-1", Kind: DeviceRating, Key: ratingKey, Counter: 1}},
		WS: ws,
		Procedures: catalogue.Catalogue{Procedures: []catalogue.Procedure{{Code: "1.001193", Name: "Đăng ký khai sinh", Service: "ho_tich",
			Processing: catalogue.Duration{Unit: catalogue.SameDay}, Documents: []catalogue.Document{{Name: "Tờ khai", Quantity: 1}}}}},
	})
	hs := httptest.NewServer(srv)
	t.Cleanup(func() { hs.Close(); srv.Close(); store.Close() })
	return &env{t: t, srv: srv, http: hs, store: store}
}

const (
	kioskKey  = "kiosk-key-123456"
	ratingKey = "rating-key-counter-1"
)

// call sends a request and decodes a JSON answer into out (if not nil).
func (e *env) call(method, path, auth, body string, out any) int {
	e.t.Helper()
	code, raw := e.raw(method, path, auth, body)
	if code >= 400 {
		var eb api.ErrorBody
		if err := json.Unmarshal(raw, &eb); err != nil || eb.Error.Code == "" || eb.Error.Message == "" || eb.Error.MessageEN == "" {
			e.t.Errorf("%s %s: status %d without the JSON error body: %s", method, path, code, raw)
		}
	}
	if out != nil && len(raw) > 0 {
		if err := json.Unmarshal(raw, out); err != nil {
			e.t.Fatalf("%s %s: %v in %s", method, path, err, raw)
		}
	}
	return code
}

// raw sends a request and returns the status and the body as they came.
func (e *env) raw(method, path, auth, body string) (int, []byte) {
	e.t.Helper()
	req, _ := http.NewRequest(method, e.http.URL+path, strings.NewReader(body))
	if auth != "" {
		req.Header.Set("Authorization", "Bearer "+auth)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, raw
}

func (e *env) login(user string) string {
	e.t.Helper()
	var out struct{ Token string }
	if code := e.call("POST", "/api/v1/login", "", `{"username":"`+user+`","pin":"2468"}`, &out); code != 200 {
		e.t.Fatalf("login %s: %d", user, code)
	}
	return out.Token
}

func (e *env) issue(service, priority string) api.TicketView {
	e.t.Helper()
	var v api.TicketView
	body, _ := json.Marshal(api.IssueRequest{ServiceID: service, Priority: priority})
	if code := e.call("POST", "/api/v1/tickets", kioskKey, string(body), &v); code != 201 {
		e.t.Fatalf("issue: %d", code)
	}
	return v
}

// feedConn is a websocket client of /ws.
type feedConn struct {
	t    testing.TB
	conn *websocket.Conn
	held []frame // the rest of an events frame
}

func (e *env) dial(token string) *feedConn {
	e.t.Helper()
	h := http.Header{}
	if token != "" {
		h.Set("Authorization", "Bearer "+token)
	}
	conn, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(e.http.URL, "http")+"/ws", h)
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() { conn.Close() })
	return &feedConn{t: e.t, conn: conn}
}

// frame is any feed frame: a snapshot or an event.
type frame struct {
	Type     string            `json:"type"`
	Seq      uint64            `json:"seq"`
	Snapshot *queue.Snapshot   `json:"snapshot"`
	Ticket   *queue.Ticket     `json:"ticket"`
	Events   []json.RawMessage `json:"events"`
	raw      []byte
}

// next is the next snapshot or event: the events of an events frame one by
// one, as a client applies them.
func (f *feedConn) next() frame {
	f.t.Helper()
	if len(f.held) > 0 {
		fr := f.held[0]
		f.held = f.held[1:]
		return fr
	}
	fr := f.read()
	if fr.Type != "events" {
		return fr
	}
	for _, raw := range fr.Events {
		var ev frame
		if err := json.Unmarshal(raw, &ev); err != nil {
			f.t.Fatalf("event %q: %v", raw, err)
		}
		ev.raw = raw
		f.held = append(f.held, ev)
	}
	return f.next()
}

// read is the next frame on the wire.
func (f *feedConn) read() frame {
	f.t.Helper()
	f.conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	typ, raw, err := f.conn.ReadMessage()
	if err != nil {
		f.t.Fatalf("feed: %v", err)
	}
	if typ != websocket.TextMessage || bytes.Count(raw, []byte("\n")) > 0 {
		f.t.Fatalf("feed frame is not one JSON text message: %q", raw)
	}
	var fr frame
	if err := json.Unmarshal(raw, &fr); err != nil {
		f.t.Fatalf("feed frame %q: %v", raw, err)
	}
	fr.raw = raw
	return fr
}

func mustReq(t *testing.T, method, url, auth string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+auth)
	return req
}
