package server

import (
	"net"
	"net/http"
	"sync"
	"time"

	"motcua/internal/problem"
)

// guessLimit slows down guessing of lookup PINs: after maxMisses wrong lookups
// from one address within the window, that address is refused until the window
// has passed since its first miss.
type guessLimit struct {
	mu        sync.Mutex
	misses    map[string][]time.Time
	maxMisses int
	window    time.Duration
}

func newGuessLimit() *guessLimit {
	return &guessLimit{misses: map[string][]time.Time{}, maxMisses: 10, window: 10 * time.Minute}
}

func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// blocked reports whether addr has guessed too often lately.
func (g *guessLimit) blocked(addr string, now time.Time) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	recent := g.misses[addr][:0]
	for _, t := range g.misses[addr] {
		if now.Sub(t) < g.window {
			recent = append(recent, t)
		}
	}
	if len(recent) == 0 {
		delete(g.misses, addr)
	} else {
		g.misses[addr] = recent
	}
	if len(recent) >= g.maxMisses {
		return problem.Errorf(problem.ETooMany, "Nhập sai quá nhiều lần; vui lòng thử lại sau ít phút hoặc hỏi cán bộ", "too many wrong lookups; try again in a few minutes or ask staff")
	}
	return nil
}

func (g *guessLimit) miss(addr string, now time.Time) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if len(g.misses) > 10000 { // a flood of addresses: start over rather than grow
		g.misses = map[string][]time.Time{}
	}
	g.misses[addr] = append(g.misses[addr], now)
}
