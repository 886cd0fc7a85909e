package testwait

import (
	"fmt"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// recorder is a test that records its failure instead of failing.
type recorder struct {
	testing.TB
	failed string
}

func (r *recorder) Helper() {}
func (r *recorder) Fatalf(format string, args ...any) {
	r.failed = fmt.Sprintf(format, args...)
	runtime.Goexit() // as t.Fatalf ends the test's goroutine
}

func run(fn func(t testing.TB)) string {
	r := &recorder{TB: &testing.T{}}
	done := make(chan struct{})
	go func() { defer close(done); fn(r) }()
	<-done
	return r.failed
}

// A condition that comes true in another goroutine ends the wait; one that
// never does fails it, saying what the last poll saw.
func TestUntil(t *testing.T) {
	var n atomic.Int64
	go func() {
		for range 5 {
			time.Sleep(time.Millisecond)
			n.Add(1)
		}
	}()
	if failed := run(func(tb testing.TB) {
		Until(tb, 5*time.Second, func() bool { return n.Load() == 5 }, func() string { return "never five" })
	}); failed != "" {
		t.Fatalf("a condition that came true failed: %s", failed)
	}
	failed := run(func(tb testing.TB) {
		Until(tb, 30*time.Millisecond, func() bool { return false }, func() string { return fmt.Sprintf("n is %d", n.Load()) })
	})
	if !strings.Contains(failed, "n is 5") || !strings.Contains(failed, "30ms") {
		t.Fatalf("the failure says %q", failed)
	}
}
