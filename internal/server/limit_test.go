package server

import (
	"testing"
	"time"
)

func TestGuessLimit(t *testing.T) {
	g := newGuessLimit()
	t0 := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	for i := range 10 {
		if err := g.blocked("10.0.0.5", t0); err != nil {
			t.Fatalf("blocked after %d misses", i)
		}
		g.miss("10.0.0.5", t0.Add(time.Duration(i)*time.Second))
	}
	if err := g.blocked("10.0.0.5", t0.Add(time.Minute)); err == nil {
		t.Fatal("ten misses and still guessing")
	}
	if err := g.blocked("10.0.0.6", t0.Add(time.Minute)); err != nil {
		t.Fatal("another address is blocked")
	}
	if err := g.blocked("10.0.0.5", t0.Add(11*time.Minute)); err != nil {
		t.Fatal("still blocked after the window")
	}
}

// Over HTTP: the eleventh wrong lookup from one address is refused with 429.
func TestLookupGuessingIsLimited(t *testing.T) {
	e := newEnv(t, WSConfig{})
	for i := range 10 {
		if code := e.call("GET", "/api/v1/lookup?code=XA.01-261124-0001&pin=000"+string(rune('0'+i)), "", "", nil); code != 404 {
			t.Fatalf("lookup %d: %d", i, code)
		}
	}
	if code := e.call("GET", "/api/v1/lookup?code=XA.01-261124-0001&pin=1234", "", "", nil); code != 429 {
		t.Fatalf("after ten misses: %d, want 429", code)
	}
}

func TestWavCacheKeepsTheLatest(t *testing.T) {
	var c wavCache
	for i := range wavCacheSize + 5 {
		c.put(string(rune('A'+i)), []byte{byte(i)})
	}
	if _, ok := c.get("A"); ok {
		t.Error("the oldest call is still cached")
	}
	if b, ok := c.get(string(rune('A' + wavCacheSize + 4))); !ok || b[0] != wavCacheSize+4 {
		t.Error("the latest call is not cached")
	}
	if len(c.data) != wavCacheSize {
		t.Errorf("%d cached, want %d", len(c.data), wavCacheSize)
	}
}
