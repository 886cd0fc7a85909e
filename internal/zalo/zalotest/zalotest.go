// Package zalotest is Zalo's OAuth and ZNS endpoints as an HTTP server in
// a test, behaving as Zalo documents them: a refresh token is good once
// and each refresh gives a new pair, expires_in is a string of seconds,
// an access token is refused (-124) once expired or revoked, a template
// not approved is refused (-1123), a phone without Zalo (-118), and more
// than a rate of messages a second is refused (-32). Tests only.
package zalotest

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"
)

// Sent is one message Zalo accepted.
type Sent struct {
	Phone, Template, Tracking, MsgID string
	Data                             map[string]string
}

// Zalo is the fake.
type Zalo struct {
	URL                string
	AppID, Secret      string
	Approved           map[string]bool // approved template ids
	NoZalo             map[string]bool // phones (84…) without a Zalo account
	PerSecond          int             // messages a second before -32 (0: no limit)
	TTL                time.Duration   // an access token's life
	mu                 sync.Mutex
	refresh            string
	access             map[string]time.Time
	sent               []Sent
	second             int64
	inSecond           int
	Refreshes, Refused int
}

// Start serves a fake Zalo with one valid refresh token (Refresh).
func Start(t testing.TB, templates ...string) *Zalo {
	z := &Zalo{AppID: "1234567890", Secret: "app-secret", Approved: map[string]bool{}, NoZalo: map[string]bool{}, TTL: 25 * time.Hour,
		refresh: token(), access: map[string]time.Time{}}
	for _, id := range templates {
		z.Approved[id] = true
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v4/oa/access_token", z.oauth)
	mux.HandleFunc("POST /message/template", z.send)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	z.URL = srv.URL
	return z
}

func token() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// Refresh is the refresh token Zalo holds valid now.
func (z *Zalo) Refresh() string {
	z.mu.Lock()
	defer z.mu.Unlock()
	return z.refresh
}

// Revoke makes every access token given so far invalid.
func (z *Zalo) Revoke() {
	z.mu.Lock()
	defer z.mu.Unlock()
	z.access = map[string]time.Time{}
}

// Sent is what Zalo accepted, in order.
func (z *Zalo) Sent() []Sent {
	z.mu.Lock()
	defer z.mu.Unlock()
	return append([]Sent(nil), z.sent...)
}

func (z *Zalo) oauth(w http.ResponseWriter, r *http.Request) {
	z.mu.Lock()
	defer z.mu.Unlock()
	if r.Header.Get("secret_key") != z.Secret || r.FormValue("app_id") != z.AppID || r.FormValue("grant_type") != "refresh_token" {
		json.NewEncoder(w).Encode(map[string]any{"error": -14002, "error_name": "Invalid app", "error_reason": "app_id or secret_key is wrong"})
		return
	}
	if r.FormValue("refresh_token") != z.refresh {
		json.NewEncoder(w).Encode(map[string]any{"error": -14014, "error_name": "Invalid refresh token", "error_reason": "Refresh token is invalid or used"})
		return
	}
	z.Refreshes++
	access := token()
	z.access[access] = time.Now().Add(z.TTL)
	z.refresh = token()
	json.NewEncoder(w).Encode(map[string]any{"access_token": access, "refresh_token": z.refresh, "expires_in": strconv.Itoa(int(z.TTL.Seconds()))})
}

func (z *Zalo) send(w http.ResponseWriter, r *http.Request) {
	z.mu.Lock()
	defer z.mu.Unlock()
	reply := func(code int, msg string) {
		json.NewEncoder(w).Encode(map[string]any{"error": code, "message": msg})
	}
	if exp, ok := z.access[r.Header.Get("access_token")]; !ok || time.Now().After(exp) {
		z.Refused++
		reply(-124, "Access token is invalid")
		return
	}
	var body struct {
		Phone    string            `json:"phone"`
		Template string            `json:"template_id"`
		Data     map[string]string `json:"template_data"`
		Tracking string            `json:"tracking_id"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		reply(-100, "Invalid parameter")
		return
	}
	if now := time.Now().Unix(); now != z.second {
		z.second, z.inSecond = now, 0
	}
	z.inSecond++
	switch {
	case z.PerSecond > 0 && z.inSecond > z.PerSecond:
		reply(-32, "Exceed the rate limit")
	case len(body.Phone) != 11 || body.Phone[:2] != "84":
		reply(-108, "Phone number is invalid")
	case !z.Approved[body.Template]:
		reply(-1123, "Template is not approved")
	case z.NoZalo[body.Phone]:
		reply(-118, "Zalo account does not exist")
	default:
		id := token()
		z.sent = append(z.sent, Sent{Phone: body.Phone, Template: body.Template, Tracking: body.Tracking, MsgID: id, Data: body.Data})
		json.NewEncoder(w).Encode(map[string]any{"error": 0, "message": "Success", "data": map[string]any{"msg_id": id, "sent_time": strconv.FormatInt(time.Now().UnixMilli(), 10)}})
	}
}
