package server

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"motcua/internal/feed"
)

// FuzzConsoleForms posts arbitrary form bodies to the console's pages as an
// admin: nothing may panic or answer 5xx, whatever the fields hold.
func FuzzConsoleForms(f *testing.F) {
	e := newEnv(f, feed.Config{})
	admin := e.login("boss")
	paths := []string{"/admin", "/admin/services", "/admin/counters", "/admin/users", "/admin/devices", "/admin/services/today", "/admin/live/ack", "/admin/calendar", "/admin/login"}
	f.Add(uint8(0), "version=1&name=X&retention_days=30")
	f.Add(uint8(1), "version=0&action=add&id=dat_dai&name=%C4%90%E1%BA%A5t&range_start=3001&range_end=3999")
	f.Add(uint8(1), "version=0&action=save&index=0&name=&range_start=-1")
	f.Add(uint8(2), "version=0&action=add&number=7&services=ho_tich,,chung_thuc")
	f.Add(uint8(3), "version=0&action=save&username=lan&name=L&role=admin&disabled=1")
	f.Add(uint8(4), "version=0&action=add&id=k2&kind=rating&counter=abc")
	f.Add(uint8(1), "version=0&action=up&index=99999999999999999999")
	f.Add(uint8(0), "version=0&name=X&alert_wait=-5&alert_slow=1e400&alert_paused=abc&target_wait=99999999999")
	f.Add(uint8(5), "id=ho_tich&action=close&reason=")
	f.Add(uint8(5), "id=nope&action=open")
	f.Add(uint8(6), "key=wait%3Ax&note=")
	f.Add(uint8(7), "version=0&action=import")
	f.Add(uint8(8), "username=boss&pin=2468&new_pin=1&new_pin2=2")
	f.Fuzz(func(t *testing.T, which uint8, body string) {
		req := httptest.NewRequest("POST", paths[int(which)%len(paths)], strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.AddCookie(&http.Cookie{Name: consoleCookie, Value: admin})
		rec := httptest.NewRecorder()
		e.srv.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("%s %q: %d %s", req.URL.Path, body, rec.Code, rec.Body)
		}
	})
}
