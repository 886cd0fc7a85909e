package server

import (
	"fmt"
	"net/http"
	"testing"

	"motcua/internal/feed"
)

// Over HTTP: the eleventh wrong lookup from one address (each on another code)
// is refused with 429.
func TestLookupGuessingIsLimited(t *testing.T) {
	e := newEnv(t, feed.Config{})
	for i := range 10 {
		if code := e.call("GET", fmt.Sprintf("/api/v1/lookup?code=XA.01-261124-%04d&pin=000000", i), "", "", nil); code != 404 {
			t.Fatalf("lookup %d: %d", i, code)
		}
	}
	if code := e.call("GET", "/api/v1/lookup?code=XA.01-261124-0001&pin=1234", "", "", nil); code != 429 {
		t.Fatalf("after ten misses: %d, want 429", code)
	}
}

// lookupFrom asks for a dossier from ip, with a device key or none.
func (e *env) lookupFrom(ip, key, code, pin string) int {
	e.t.Helper()
	c := from(ip)
	defer c.CloseIdleConnections()
	req, _ := http.NewRequest("GET", e.http.URL+"/api/v1/lookup?code="+code+"&pin="+pin, nil)
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	resp, err := c.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// Guessing one dossier's PIN from many addresses: the code locks after five
// misses, whoever asks (the kiosk too), and other codes are not affected.
func TestLookupLocksTheCode(t *testing.T) {
	e := newEnv(t, feed.Config{})
	code := "XA.01-261124-0001"
	locked := 0
	for i := range 100 {
		switch e.lookupFrom(fmt.Sprintf("127.0.%d.%d", 10+i/200, 1+i%200), "", code, fmt.Sprintf("%06d", i)) {
		case 404:
			if locked > 0 {
				t.Fatalf("guess %d answered after the code locked", i)
			}
		case 429:
			locked++
		}
	}
	if locked != 95 {
		t.Fatalf("%d of 100 guesses from 100 addresses refused, want 95 (5 free for the code)", locked)
	}
	if got := e.lookupFrom("127.0.0.1", kioskKey, code, "123456"); got != 429 {
		t.Errorf("the kiosk on the locked code: %d, want 429", got)
	}
	if got := e.lookupFrom("127.0.0.1", kioskKey, "XA.01-261124-0002", "123456"); got != 404 {
		t.Errorf("another code: %d, want 404", got)
	}
}

// Citizens mistyping at the kiosk do not lock the kiosk's address.
func TestKioskIsExemptFromTheAddressLimit(t *testing.T) {
	e := newEnv(t, feed.Config{})
	for i := range 30 {
		if got := e.lookupFrom("127.0.0.1", kioskKey, fmt.Sprintf("XA.01-261124-%04d", i), "000000"); got != 404 {
			t.Fatalf("kiosk lookup %d: %d, want 404", i, got)
		}
	}
	for i := range 10 {
		e.lookupFrom("127.0.0.1", "", fmt.Sprintf("XA.01-261125-%04d", i), "000000")
	}
	if got := e.lookupFrom("127.0.0.1", "", "XA.01-261126-0001", "000000"); got != 429 {
		t.Errorf("anonymous after ten misses: %d, want 429", got)
	}
	if got := e.lookupFrom("127.0.0.1", kioskKey, "XA.01-261126-0001", "000000"); got != 404 {
		t.Errorf("the kiosk at the same address: %d, want 404 (exempt)", got)
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
