package auth

import (
	"fmt"
	"testing"
	"time"
)

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

// Strikes: wrong answers count per key and lock it, doubling; right ones
// are not reserved, so any number at once pass; the table stays bounded.
func TestStrikes(t *testing.T) {
	now := time.Date(2026, 12, 7, 8, 0, 0, 0, time.UTC)
	s := NewStrikes(3, 15*time.Minute, time.Minute, time.Hour, func() time.Time { return now })
	for i := range 3 {
		if w := s.Locked("a"); w != 0 {
			t.Fatalf("strike %d: locked %s already", i, w)
		}
		s.Fail("a")
	}
	if w := s.Locked("a"); w != time.Minute {
		t.Errorf("after 3: locked %s, want 1m", w)
	}
	if w := s.Locked("b"); w != 0 {
		t.Errorf("another key: locked %s", w)
	}
	now = now.Add(time.Minute)
	if w := s.Locked("a"); w != 0 {
		t.Errorf("after the lock: %s", w)
	}
	for range 3 {
		s.Fail("a")
	}
	if w := s.Locked("a"); w != 2*time.Minute {
		t.Errorf("the second lock: %s, want 2m", w)
	}
	for i := range 20000 {
		s.Fail(fmt.Sprint("k", i))
	}
	if n := s.t.count(); n > 10000 {
		t.Errorf("%d keys kept", n)
	}
}
