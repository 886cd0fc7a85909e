package auth

import (
	"slices"
	"sync"
	"time"
)

// Guard limits the guessing of a login's secret — an office's staff PINs,
// the province's passwords (docs/CONFIG.md, "Login and lookup limits"):
//   - per source address: 10 wrong within 15 minutes, then locked 1 min, 2,
//     4 … up to 1 hour (whatever usernames were tried);
//   - per username at one address: 5 wrong, then locked 5 min, 10 … up to 1
//     hour — so a stranger at another PC locks only himself out;
//   - per username over all addresses: 30 wrong, then locked 5 min … 1 h
//     (guessing spread over many addresses), except from an address where
//     the user has logged in before (the user's own PC still works).
//
// Every attempt is reserved before the secret is checked, so simultaneous
// tries get no more than the free ones.
type Guard struct {
	now                        func() time.Time
	byAddr, byUserAddr, byUser *throttle

	mu   sync.Mutex
	good map[string][]string // username -> addresses it logged in from lately
}

// goodAddrs is how many addresses per user are remembered as the user's own.
const goodAddrs = 8

// NewGuard makes a guard on the clock now (nil: time.Now).
func NewGuard(now func() time.Time) *Guard {
	if now == nil {
		now = time.Now
	}
	return &Guard{now: now, good: map[string][]string{},
		byAddr:     newThrottle(10, 15*time.Minute, time.Minute, time.Hour, 10000),
		byUserAddr: newThrottle(5, 15*time.Minute, 5*time.Minute, time.Hour, 10000),
		byUser:     newThrottle(30, time.Hour, 5*time.Minute, time.Hour, 10000),
	}
}

// Try is one login of username from addr. It reserves the attempt under
// each limit (perUser: the username's over all addresses too) and returns
// the wait when one is locked, check unrun; else it runs check: a wrong
// secret counts against every limit, a right one clears the username's and
// makes addr one of its own; check's error (the store could not say) counts
// as no attempt.
func (g *Guard) Try(username, addr string, perUser bool, check func() (bool, error)) (wait time.Duration, ok bool, err error) {
	now := g.now()
	type key struct {
		t   *throttle
		key string
	}
	keys := []key{{g.byAddr, addr}, {g.byUserAddr, username + "\x00" + addr}}
	if perUser && !g.isGood(username, addr) {
		keys = append(keys, key{g.byUser, username})
	}
	for i, k := range keys {
		if wait := k.t.reserve(k.key, now); wait > 0 {
			for _, r := range keys[:i] { // give back what was taken: not tried
				r.t.release(r.key)
			}
			return wait, false, nil
		}
	}
	ok, err = check()
	for _, k := range keys {
		switch {
		case err != nil:
			k.t.release(k.key)
		case !ok:
			k.t.fail(k.key, now)
		case k.t == g.byAddr:
			// The address keeps its failures: logging into one's own account
			// does not reset guessing at others'.
			k.t.release(k.key)
		default:
			k.t.clear(k.key)
		}
	}
	if ok && err == nil {
		g.remember(username, addr)
	}
	return 0, ok, err
}

// Unlock forgets the wrong secrets tried for username, everywhere (an admin
// vouches for the user).
func (g *Guard) Unlock(username string) {
	g.byUser.clear(username)
	g.byUserAddr.clearPrefix(username + "\x00")
}

func (g *Guard) isGood(username, addr string) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	return slices.Contains(g.good[username], addr)
}

// remember keeps addr as one of the user's own addresses (the latest few).
func (g *Guard) remember(username, addr string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	list := slices.DeleteFunc(g.good[username], func(s string) bool { return s == addr })
	g.good[username] = append(list[max(0, len(list)-goodAddrs+1):], addr)
}
