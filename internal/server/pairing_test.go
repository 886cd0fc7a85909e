package server

import (
	"fmt"
	"net"
	"net/http"
	"testing"
	"time"

	"motcua/internal/api"
	"motcua/internal/feed"
)

// The pairing pool cannot be held full: addresses that fill it, asking
// again and again, lose their own places first; a genuine device on a new
// address still gets a code, and the flooding addresses stay at their cap.
func TestPairingPoolCannotBeHeldFull(t *testing.T) {
	e := newEnv(t, feed.Config{})
	ask := func(ip string) int {
		t.Helper()
		d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}, Timeout: 5 * time.Second}
		c := &http.Client{Transport: &http.Transport{DialContext: d.DialContext}}
		resp, err := c.Post(e.http.URL+api.Pairing, "application/json", nil)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	for round := range 2 { // the attacker renews
		for a := range 40 {
			for range pairingsPerAddr + 1 {
				ask(fmt.Sprintf("127.0.1.%d", a+1))
			}
		}
		if n := len(e.srv.pairings.byToken); n != pairingsMax {
			t.Fatalf("round %d: %d pairings wait, want the pool full (%d)", round, n, pairingsMax)
		}
		if code := ask(fmt.Sprintf("127.0.2.%d", round+1)); code != http.StatusCreated {
			t.Errorf("round %d: a device on a new address: %d, want 201", round, code)
		}
		if code := ask("127.0.1.40"); code != http.StatusTooManyRequests {
			t.Errorf("round %d: a flooding address at its cap: %d, want 429", round, code)
		}
	}
	mine := 0
	for _, x := range e.srv.pairings.byToken {
		if x.addr == "127.0.2.1" || x.addr == "127.0.2.2" {
			mine++
		}
	}
	if mine != 2 {
		t.Errorf("the genuine devices' pairings: %d of 2 still wait", mine)
	}
}
