package ui

import (
	"context"
	"time"
)

// Every runs f on the UI thread (through do, which is fyne.Do in the apps)
// every d until ctx ends: the apps' clocks, countdowns and idle timers.
func Every(ctx context.Context, d time.Duration, do func(func()), f func()) {
	go func() {
		t := time.NewTicker(d)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				do(f)
			}
		}
	}()
}
