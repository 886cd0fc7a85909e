package server

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"motcua/internal/feed"
)

// from is an HTTP client whose connections come from ip (any 127.x.y.z: the
// loopback network answers them all), as another PC of the office would.
func from(ip string) *http.Client {
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}, Timeout: 5 * time.Second}
	return &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		return d.DialContext(ctx, network, addr)
	}}}
}

// loginFrom tries a login from ip and returns the status.
func (e *env) loginFrom(ip, user, pin string) int {
	e.t.Helper()
	c := from(ip)
	defer c.CloseIdleConnections()
	resp, err := c.Post(e.http.URL+"/api/v1/login", "application/json", strings.NewReader(fmt.Sprintf(`{"username":%q,"pin":%q}`, user, pin)))
	if err != nil {
		e.t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

func TestLoginLockoutAtOneAddress(t *testing.T) {
	e := newEnv(t, feed.Config{})
	for range 5 {
		if code := e.loginFrom("127.0.0.1", "minh", "0000"); code != 401 {
			t.Fatalf("a wrong PIN: %d, want 401", code)
		}
	}
	if code := e.loginFrom("127.0.0.1", "minh", "2468"); code != 429 {
		t.Errorf("the right PIN after 5 wrong ones at that PC: %d, want 429", code)
	}
	if code := e.loginFrom("127.0.0.1", "lan", "2468"); code != 200 {
		t.Errorf("another user at the same PC: %d, want 200", code)
	}
	if code := e.loginFrom("127.0.0.2", "minh", "2468"); code != 200 {
		t.Errorf("the user at another PC: %d, want 200 (a stranger locks out only himself)", code)
	}
}

// Sixty simultaneous logins, fifty-nine wrong: no more than the five free tries
// are checked, and the right PIN after them is refused.
func TestLoginLockoutHoldsUnderConcurrency(t *testing.T) {
	e := newEnv(t, feed.Config{})
	var wg sync.WaitGroup
	var mu sync.Mutex
	codes := map[int]int{}
	start := make(chan struct{})
	for i := range 59 {
		wg.Go(func() {
			<-start
			code := e.loginFrom("127.0.0.1", "minh", fmt.Sprintf("%04d", i))
			mu.Lock()
			codes[code]++
			mu.Unlock()
		})
	}
	close(start)
	wg.Wait()
	if codes[401] > 5 || codes[401]+codes[429] != 59 {
		t.Fatalf("answers %v: at most 5 wrong PINs may be checked, the rest refused with 429", codes)
	}
	if code := e.loginFrom("127.0.0.1", "minh", "2468"); code != 429 {
		t.Errorf("the right PIN after the race: %d, want 429", code)
	}
}

// Guessing one user's PIN from many addresses locks that user everywhere but
// at a PC the user has logged in from.
func TestLoginLockoutAcrossAddresses(t *testing.T) {
	e := newEnv(t, feed.Config{})
	if code := e.loginFrom("127.0.0.1", "boss", "2468"); code != 200 {
		t.Fatalf("the admin at his PC: %d", code)
	}
	for i := range 30 {
		if code := e.loginFrom(fmt.Sprintf("127.0.1.%d", i+1), "boss", "0000"); code != 401 {
			t.Fatalf("guess %d: %d, want 401", i, code)
		}
	}
	if code := e.loginFrom("127.0.2.1", "boss", "2468"); code != 429 {
		t.Errorf("the right PIN from a new address after 30 spread guesses: %d, want 429", code)
	}
	if code := e.loginFrom("127.0.0.1", "boss", "2468"); code != 200 {
		t.Errorf("the admin at his own PC: %d, want 200", code)
	}
}

// An address that guesses is locked for whatever usernames it tries, ten free.
func TestLoginLockoutPerAddress(t *testing.T) {
	e := newEnv(t, feed.Config{})
	for i := range 10 {
		e.loginFrom("127.0.3.1", fmt.Sprintf("ghost%d", i), "0000")
	}
	if code := e.loginFrom("127.0.3.1", "lan", "2468"); code != 429 {
		t.Errorf("a guessing address: %d, want 429", code)
	}
}
