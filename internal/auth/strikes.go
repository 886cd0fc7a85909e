package auth

import "time"

// Strikes counts wrong answers per key (a source address) without
// reserving attempts, for secrets nobody can guess — the offices' 256-bit
// uplink keys — where what is limited is the load of wrong ones: a key
// with free wrong answers within window is locked for base, doubling up
// to most. Right answers are never held up by each other (many offices
// behind one address ship at once), and none clears the key's strikes.
type Strikes struct {
	t   *throttle
	now func() time.Time
}

// NewStrikes makes the counter on the clock now (nil: time.Now), keeping
// at most 10,000 keys.
func NewStrikes(free int, window, base, most time.Duration, now func() time.Time) *Strikes {
	if now == nil {
		now = time.Now
	}
	return &Strikes{t: newThrottle(free, window, base, most, 10000), now: now}
}

// Locked is how long key is locked (0: it may try).
func (s *Strikes) Locked(key string) time.Duration {
	now := s.now()
	s.t.mu.Lock()
	defer s.t.mu.Unlock()
	st := s.t.keys[key]
	if st == nil {
		return 0
	}
	s.t.age(st, now)
	if now.Before(st.until) {
		return st.until.Sub(now)
	}
	return 0
}

// Fail counts a wrong answer from key.
func (s *Strikes) Fail(key string) {
	now := s.now()
	s.t.mu.Lock()
	st := s.t.keys[key]
	if st == nil {
		if len(s.t.keys) >= s.t.size && !s.t.evict(now) {
			s.t.mu.Unlock()
			return // full of locked keys: those stay locked; this one is not counted
		}
		st = &strikes{}
		s.t.keys[key] = st
	}
	s.t.age(st, now)
	st.last = now
	s.t.mu.Unlock()
	s.t.fail(key, now)
}
