package main

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"motcua/internal/testwait"
)

// issuing is 16 kiosks issuing tickets of services in turn against the real
// server until halted: each answered ticket goes into acked (and to check,
// when set), under mu; a request cut by a kill is simply not answered.
type issuing struct {
	mu    sync.Mutex
	acked map[string]ticketOut // token -> the ticket as answered
	stop  chan struct{}
	wg    sync.WaitGroup
}

func startIssuing(c *client, services []string, acked map[string]ticketOut, check func(ticketOut)) *issuing {
	s := &issuing{acked: acked, stop: make(chan struct{})}
	for k := range 16 {
		s.wg.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-s.stop:
					return
				default:
				}
				var tk ticketOut
				body := fmt.Sprintf(`{"service_id":%q}`, services[(k+i)%len(services)])
				if c.do("POST", "/api/v1/tickets", "demo-device", body, &tk) != 201 {
					continue // in flight at the kill: not acknowledged, may or may not exist
				}
				s.mu.Lock()
				if check != nil {
					check(tk)
				}
				s.acked[tk.Token] = tk
				s.mu.Unlock()
			}
		})
	}
	return s
}

// waitFor waits until n tickets are answered (20 s at most).
func (s *issuing) waitFor(t testing.TB, n int) {
	t.Helper()
	count := func() int {
		s.mu.Lock()
		defer s.mu.Unlock()
		return len(s.acked)
	}
	testwait.Until(t, 20*time.Second, func() bool { return count() >= n },
		func() string { return fmt.Sprintf("%d tickets answered, want %d", count(), n) })
}

// halt stops the kiosks and waits for them.
func (s *issuing) halt() {
	close(s.stop)
	s.wg.Wait()
}
