package auth

import (
	"strings"
	"sync"
	"time"
)

// throttle limits guessing (PINs, lookup PINs) per key: a source address, a
// username at an address, a dossier code. Each key has a few free failures
// within a window; then it is locked, for a time that doubles with every lock
// (base, 2×base, 4×base … up to most) and is forgotten only after a quiet day.
//
// An attempt is reserved before it is checked (bcrypt takes ~100 ms), so any
// number of simultaneous tries get no more than the free ones between them.
//
// Memory is bounded: at most size keys. When full, an idle, unlocked key is
// dropped (the quietest first); when every key is locked or busy, a new key is
// refused as if locked — a flood never clears the table, so it never opens a
// locked key.
type throttle struct {
	mu     sync.Mutex
	keys   map[string]*strikes
	free   int           // failures allowed within window
	window time.Duration // failures older than this are forgotten
	base   time.Duration // the first lock
	most   time.Duration // the longest lock
	size   int           // the most keys kept
}

type strikes struct {
	fails    int       // failures within the window
	first    time.Time // the first of them
	locks    int       // locks so far (the next lasts base << locks)
	until    time.Time // locked until then
	last     time.Time // the last attempt
	inflight int       // attempts reserved and not yet settled
}

func newThrottle(free int, window, base, most time.Duration, size int) *throttle {
	return &throttle{keys: map[string]*strikes{}, free: free, window: window, base: base, most: most, size: size}
}

// quietDay: a key with no attempt for this long starts over, locks and all.
const quietDay = 24 * time.Hour

// reserve takes one attempt for key at now, or returns how long the key is
// locked (a positive duration) when it may not try.
func (t *throttle) reserve(key string, now time.Time) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	s := t.keys[key]
	if s == nil {
		if len(t.keys) >= t.size && !t.evict(now) {
			return t.base // full of locked keys: refuse the newcomer
		}
		s = &strikes{}
		t.keys[key] = s
	}
	t.age(s, now)
	if now.Before(s.until) {
		return s.until.Sub(now)
	}
	if s.fails+s.inflight >= t.free {
		return t.base // the free attempts are in flight: wait for their answers
	}
	s.inflight++
	s.last = now
	return 0
}

// release ends a reserved attempt that neither failed nor proved the key's
// owner right (it was refused elsewhere, or it was someone's own lookup).
func (t *throttle) release(key string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if s := t.keys[key]; s != nil {
		s.inflight = max(s.inflight-1, 0)
	}
}

// clear ends a reserved attempt that succeeded: the key starts over.
func (t *throttle) clear(key string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.keys, key)
}

// fail ends a reserved attempt that failed: it counts, and may lock the key.
func (t *throttle) fail(key string, now time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	s := t.keys[key]
	if s == nil {
		return
	}
	s.inflight = max(s.inflight-1, 0)
	if s.fails == 0 {
		s.first = now
	}
	s.fails++
	if s.fails >= t.free {
		lock := t.base << min(s.locks, 30)
		if lock > t.most || lock <= 0 {
			lock = t.most
		}
		s.until, s.fails, s.locks = now.Add(lock), 0, s.locks+1
	}
}

// age forgets failures outside the window and, after a quiet day, the locks.
func (t *throttle) age(s *strikes, now time.Time) {
	if s.fails > 0 && now.Sub(s.first) >= t.window {
		s.fails = 0
	}
	if !s.last.IsZero() && now.Sub(s.last) >= quietDay && !now.Before(s.until) {
		s.locks = 0
	}
}

// evict drops one key that is neither locked nor busy, the quietest first;
// false when there is none.
func (t *throttle) evict(now time.Time) bool {
	var victim string
	var score int
	var oldest time.Time
	for k, s := range t.keys {
		if now.Before(s.until) || s.inflight > 0 {
			continue
		}
		t.age(s, now)
		sc := s.fails*1000 + s.locks
		if victim == "" || sc < score || sc == score && s.last.Before(oldest) {
			victim, score, oldest = k, sc, s.last
		}
	}
	if victim == "" {
		return false
	}
	delete(t.keys, victim)
	return true
}

// count is how many keys are kept (for tests and metrics).
func (t *throttle) count() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.keys)
}

// clearPrefix forgets every key that starts with prefix.
func (t *throttle) clearPrefix(prefix string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for k := range t.keys {
		if strings.HasPrefix(k, prefix) {
			delete(t.keys, k)
		}
	}
}
