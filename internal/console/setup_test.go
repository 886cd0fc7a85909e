package console

import (
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"

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
	s := NewSetup("the-code-123", func(queue.Office) error { return nil })
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
