// Package testwait is the tests' one way to wait for what another goroutine
// or process does: poll a condition until it holds, within a time limit,
// and fail the test saying what was seen when it does not. Imported by
// tests only.
package testwait

import (
	"testing"
	"time"
)

// every is how often the condition is polled.
const every = 10 * time.Millisecond

// Until polls cond until it is true. Past limit the test fails with msg,
// called then, so it can say what the last poll saw.
func Until(t testing.TB, limit time.Duration, cond func() bool, msg func() string) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("after %s: %s", limit, msg())
		}
		time.Sleep(every)
	}
}
