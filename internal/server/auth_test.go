package server

import (
	"context"
	"fmt"
	"io"
	"motcua/internal/feed"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"
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

// Unknown usernames cost the same bcrypt work as known ones: the answer time
// does not tell which exist.
func TestUnknownUserCostsTheSame(t *testing.T) {
	hash, _ := bcrypt.GenerateFromPassword([]byte("135790"), 6)
	a := newAuth([]User{{Username: "lan", PINHash: string(hash)}}, nil, nil, time.Hour, time.Now)
	if got, _ := bcrypt.Cost(a.dummyHash); got != 6 {
		t.Errorf("dummy hash cost %d, want the users' 6", got)
	}
}

func TestThrottle(t *testing.T) {
	t0 := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	th := newThrottle(3, 10*time.Minute, time.Minute, 4*time.Minute, 3)
	fail := func(key string, at time.Time) time.Duration {
		if wait := th.reserve(key, at); wait > 0 {
			return wait
		}
		th.fail(key, at)
		return 0
	}
	for i := range 3 {
		if w := fail("a", t0); w != 0 {
			t.Fatalf("free try %d refused (%s)", i, w)
		}
	}
	if w := th.reserve("a", t0); w != time.Minute {
		t.Fatalf("after 3 failures: wait %s, want the first lock, 1 min", w)
	}
	// Each further lock doubles, up to the most.
	at := t0.Add(time.Minute)
	for _, want := range []time.Duration{2 * time.Minute, 4 * time.Minute, 4 * time.Minute} {
		for range 3 {
			fail("a", at)
		}
		if w := th.locked("a", at); w != want {
			t.Fatalf("lock %s, want %s", w, want)
		}
		at = at.Add(want)
	}
	// Failures outside the window are forgotten.
	fail("b", t0)
	fail("b", t0)
	if w := fail("b", t0.Add(11*time.Minute)); w != 0 || th.locked("b", t0.Add(11*time.Minute)) != 0 {
		t.Error("an old failure still counted")
	}
	// Full of keys: an idle one makes room; when all are locked, a newcomer is refused.
	th.reserve("c", at)
	th.fail("c", at)
	if th.count() != 3 {
		t.Fatalf("%d keys", th.count())
	}
	if w := th.reserve("d", at); w != 0 || th.count() != 3 {
		t.Fatalf("a new key when full: wait %s, %d keys", w, th.count())
	}
	th.clear("d")
	full := newThrottle(1, time.Hour, time.Hour, time.Hour, 2)
	fail2 := func(k string) { full.reserve(k, t0); full.fail(k, t0) }
	fail2("x")
	fail2("y")
	if w := full.reserve("z", t0); w == 0 {
		t.Error("a table full of locked keys let a newcomer in")
	}
	if full.locked("x", t0) == 0 || full.locked("y", t0) == 0 {
		t.Error("a flood of keys unlocked a locked one")
	}
}

// locked reports how long key is still locked at now (0: not locked): the
// tests' look into a throttle.
func (t *throttle) locked(key string, now time.Time) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	if s := t.keys[key]; s != nil && now.Before(s.until) {
		return s.until.Sub(now)
	}
	return 0
}
