package server

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// FuzzConsoleForms posts arbitrary form bodies to the console's pages as an
// admin: nothing may panic or answer 5xx, whatever the fields hold.
func FuzzConsoleForms(f *testing.F) {
	e := newEnv(f, WSConfig{})
	admin := e.login("boss")
	paths := []string{"/admin", "/admin/services", "/admin/counters", "/admin/users", "/admin/devices"}
	f.Add(uint8(0), "version=1&name=X&retention_days=30")
	f.Add(uint8(1), "version=0&action=add&id=dat_dai&name=%C4%90%E1%BA%A5t&range_start=3001&range_end=3999")
	f.Add(uint8(1), "version=0&action=save&index=0&name=&range_start=-1")
	f.Add(uint8(2), "version=0&action=add&number=7&services=ho_tich,,chung_thuc")
	f.Add(uint8(3), "version=0&action=save&username=lan&name=L&role=admin&disabled=1")
	f.Add(uint8(4), "version=0&action=add&id=k2&kind=rating&counter=abc")
	f.Add(uint8(1), "version=0&action=up&index=99999999999999999999")
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
