package server

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"motcua/internal/api"
	"motcua/internal/feed"
	"motcua/internal/problem"
	"motcua/internal/reply"
)

// fuzzDecode checks that decode never panics, and that what it accepts is a
// single JSON object that re-encodes.
func fuzzDecode[T any](f *testing.F, seeds ...string) {
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		var v T
		r := httptest.NewRequest("POST", "/", strings.NewReader(body))
		err := reply.Decode(httptest.NewRecorder(), r, &v, false)
		if err == nil {
			if _, merr := json.Marshal(v); merr != nil {
				t.Fatalf("accepted %q but cannot re-encode: %v", body, merr)
			}
			return
		}
		if code := reply.Status(problem.CodeOf(err)); code < 400 || code >= 500 {
			t.Fatalf("decode error %v maps to %d", err, code)
		}
	})
}

func FuzzDecodeIssue(f *testing.F) {
	fuzzDecode[api.IssueRequest](f, `{"service_id":"ho_tich"}`, `{"service_id":"ho_tich","priority":"elderly"}`, `{"service_id":1}`, `[]`, `{"a":`)
}

func FuzzDecodeLogin(f *testing.F) {
	fuzzDecode[api.LoginRequest](f, `{"username":"quay1","pin":"1234"}`, `{"username":null}`, `"x"`)
}

func FuzzDecodeCounter(f *testing.F) {
	fuzzDecode[api.CounterRequest](f, `{"service_id":"chung_thuc","note":"ghi chú"}`, `{"ticket_id":"x","reason":"hẹn trước"}`, `{}{}`)
}

func FuzzDecodeAlert(f *testing.F) {
	fuzzDecode[api.AlertRequest](f, `{"code":"printer_paper_out","message":"Máy in hết giấy"}`, `{"code":1}`)
}

func FuzzDecodeTicketAction(f *testing.F) {
	fuzzDecode[api.TicketActionRequest](f, `{"reason":"máy in hết giấy"}`, `{"reason":["x"]}`)
}

func FuzzDecodePrinted(f *testing.F) {
	fuzzDecode[api.PrintedRequest](f, `{"day":"20261201","last":{"ho_tich":1220}}`, `{"day":"x","last":{"a":-1}}`, `{"last":[1]}`, "{\"day\":\"\xff\"}")
}

func FuzzDecodeSettings(f *testing.F) {
	fuzzDecode[api.SettingsDocument](f, `{"version":1,"office":{"name":"X","services":[{"id":"a","name":"A","range_start":1,"range_end":9}],"counters":[{"number":1,"services":["a"]}],"rules":{}}}`,
		`{"version":-1}`, `{"office":{"services":null}}`, `{"office":{"time_zone":"Mars/Olympus"}}`)
}

// FuzzAPI throws arbitrary requests at the whole handler: nothing may panic or
// answer 5xx, and every error carries the JSON body.
func FuzzAPI(f *testing.F) {
	e := newEnv(f, feed.Config{})
	clerk, admin := e.login("lan"), e.login("boss")
	seeds := []struct{ method, path, body string }{
		{"PUT", "/api/v1/admin/settings", `{"version":0,"office":{"name":"UBND","services":[{"id":"ho_tich","name":"Hộ tịch","range_start":1001,"range_end":1999}],"counters":[{"number":1,"services":["ho_tich"]}],"rules":{}}}`},
		{"POST", "/api/v1/tickets", `{"service_id":"ho_tich"}`},
		{"POST", "/api/v1/counters/1/next", ``},
		{"POST", "/api/v1/counters/1/transfer", `{"service_id":"chung_thuc","note":"x"}`},
		{"POST", "/api/v1/counters/1/call", `{"ticket_id":"20261123-ho_tich-1001","reason":"hẹn"}`},
		{"POST", "/api/v1/tickets/x/cancel", `{"reason":"r"}`},
		{"GET", "/api/v1/tickets/%00", ``},
		{"POST", "/api/v1/login", `{"username":"lan","pin":"2468"}`},
		{"GET", "/api/v1/state", ``},
		{"POST", "/api/v1/devices/printed", `{"day":"20261123","last":{"ho_tich":1005}}`},
		{"POST", "/api/v1/counters/1/rating", `{"ticket_id":"20261123-ho_tich-1001","option":"unsatisfied","reasons":["slow"]}`},
	}
	for i, s := range seeds {
		f.Add(s.method, s.path, s.body, uint8(i))
	}
	f.Add("PUT", "/api/v1/admin/settings", `{"office":{"name":"","services":[]}}`, uint8(4))
	f.Fuzz(func(t *testing.T, method, path, body string, who uint8) {
		if !strings.HasPrefix(path, "/") || strings.ContainsAny(path, " \r\n?#") || path == "/ws" || strings.HasSuffix(path, "/backup") {
			return
		}
		req, err := http.NewRequest(method, "http://x"+path, strings.NewReader(body))
		if err != nil {
			return
		}
		switch who % 5 {
		case 4:
			req.Header.Set("Authorization", "Bearer "+admin)
		case 3:
			req.Header.Set("Authorization", "Bearer "+ratingKey)
		case 1:
			req.Header.Set("Authorization", "Bearer "+kioskKey)
		case 2:
			req.Header.Set("Authorization", "Bearer "+clerk)
		}
		rec := httptest.NewRecorder()
		e.srv.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("%s %s %q: %d %s", method, path, body, rec.Code, rec.Body)
		}
		if rec.Code >= 400 {
			var eb api.ErrorBody
			if json.Unmarshal(rec.Body.Bytes(), &eb) != nil || eb.Error.Code == "" || eb.Error.Message == "" {
				t.Fatalf("%s %s: %d without the error body: %s", method, path, rec.Code, rec.Body)
			}
		}
	})
}
