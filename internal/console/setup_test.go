package console

import (
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"

	"motcua/internal/catalogue"
	"motcua/internal/queue"
)

// from is a client at a loopback address of its own.
func from(ip string) *http.Client {
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}, Timeout: 5 * time.Second}
	return &http.Client{Transport: &http.Transport{DialContext: d.DialContext},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func setupServer(t *testing.T) (*Setup, string) {
	t.Helper()
	s := NewSetup("the-code-123", func(queue.Office) error { return nil }, nil)
	m := http.NewServeMux()
	s.Routes(m)
	srv := httptest.NewServer(m)
	t.Cleanup(srv.Close)
	return s, srv.URL
}

func setupForm(code, pin, again string) url.Values {
	return url.Values{"name": {"Bộ phận Một cửa xã Mới"}, "agency_code": {"H29.200"}, "public_url": {"http://192.168.1.10:8080"},
		"username": {"quantri"}, "admin_name": {"Quản trị viên"}, "code": {code}, "pin": {pin}, "pin2": {again}}
}

func post(t *testing.T, c *http.Client, base string, form url.Values) int {
	t.Helper()
	resp, err := c.PostForm(base+"/setup", form)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// Nobody on the LAN can block the setup: a stranger's junk codes lock his
// own address only; the right code with PINs that differ is not a wrong
// code; the IT person at another PC sets the office up.
func TestSetupCannotBeBlocked(t *testing.T) {
	s, base := setupServer(t)
	stranger := from("127.0.0.7")
	for i := range 10 {
		if code := post(t, stranger, base, setupForm("junk", "482916", "482916")); code != http.StatusForbidden && code != http.StatusTooManyRequests {
			t.Fatalf("junk %d: %d", i, code)
		}
	}
	if code := post(t, stranger, base, setupForm("the-code-123", "482916", "482916")); code != http.StatusTooManyRequests {
		t.Errorf("the right code from the guessing address: %d, want 429", code)
	}
	it := from("127.0.0.8")
	for range 10 {
		if code := post(t, it, base, setupForm("the-code-123", "482916", "482917")); code != http.StatusBadRequest {
			t.Fatalf("the right code, PINs that differ: %d, want 400", code)
		}
	}
	if code := post(t, it, base, setupForm("the-code-123", "482916", "482916")); code != http.StatusOK {
		t.Fatalf("the IT person's setup: %d, want 200", code)
	}
	select {
	case made := <-s.Created():
		if made.Office.Name != "Bộ phận Một cửa xã Mới" || len(made.Users) != 1 || made.Users[0].Username != "quantri" {
			t.Errorf("made %+v", made)
		}
	default:
		t.Fatal("nothing made")
	}
	if code := post(t, it, base, setupForm("the-code-123", "482916", "482916")); code != http.StatusConflict {
		t.Errorf("a setup after it: %d, want 409", code)
	}
}

// Two right forms at the same moment: one office is made, once; the other
// is told it is done (409).
func TestSetupHappensOnce(t *testing.T) {
	s, base := setupServer(t)
	codes := make(chan int, 4)
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Go(func() {
			codes <- post(t, from("127.0.0."+string(rune('1'+i))), base, setupForm("the-code-123", "482916", "482916"))
		})
	}
	wg.Wait()
	close(codes)
	got := map[int]int{}
	for c := range codes {
		got[c]++
	}
	if got[http.StatusOK] != 1 || got[http.StatusConflict] != 3 {
		t.Errorf("four right forms at once: %v, want one 200 and three 409", got)
	}
	if len(s.Created()) != 1 {
		t.Errorf("%d offices made", len(s.Created()))
	}
}

// With a sample offered, the setup starts from it unless "empty" is chosen:
// its services, counters and catalogue under the name, code and address
// typed — not its authority, place or board's words, which are another
// office's.
func TestSetupStartsFromTheSample(t *testing.T) {
	sample := &Sample{Office: queue.Office{Name: "Mẫu", Authority: "UBND phường Mẫu", Place: "Mẫu", AgencyCode: "H00.1",
		Services: []queue.ServiceConfig{{ID: "ho_tich", Name: "Hộ tịch", RangeStart: 1001, RangeEnd: 1999}, {ID: "dat_dai", Name: "Đất đai", RangeStart: 2001, RangeEnd: 2999}},
		Counters: []queue.CounterConfig{{Number: 1, Services: []string{"ho_tich"}}, {Number: 2, Services: []string{"dat_dai"}}},
		Display:  queue.DisplayConfig{Ticker: "Giờ làm việc của văn phòng mẫu"}},
		Procedures: []catalogue.Procedure{{Code: "1.001193", Name: "Đăng ký khai sinh", Service: "ho_tich"}}}
	for _, c := range []struct {
		start    string
		services int
		procs    int
	}{{"", 2, 1}, {"sample", 2, 1}, {"empty", 1, 0}} {
		s := NewSetup("the-code-123", func(queue.Office) error { return nil }, sample)
		m := http.NewServeMux()
		s.Routes(m)
		srv := httptest.NewServer(m)
		form := setupForm("the-code-123", "482916", "482916")
		if c.start != "" {
			form.Set("start", c.start)
		}
		if code := post(t, from("127.0.0.9"), srv.URL, form); code != 200 {
			t.Fatalf("start %q: %d", c.start, code)
		}
		made := <-s.Created()
		o := made.Office
		if len(o.Services) != c.services || len(made.Procedures) != c.procs || o.Name != "Bộ phận Một cửa xã Mới" || o.AgencyCode != "H29.200" ||
			o.Authority != "" || o.Place != "" || o.Display.Ticker != "" {
			t.Errorf("start %q: %d services, %d procedures, %q %q %q %q %q", c.start, len(o.Services), len(made.Procedures), o.Name, o.AgencyCode, o.Authority, o.Place, o.Display.Ticker)
		}
		srv.Close()
	}
}
