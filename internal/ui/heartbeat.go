package ui

import (
	"context"
	"time"
)

// Heartbeat tells the server now and every d (a minute when 0) that the
// device is there, with its printer's state as state says it ("none": it
// has no printer; "" not known yet), until ctx ends. It is best effort: a
// beat that fails is told again by the next. The server shows it on the
// console's devices page and raises an alert when a device falls silent.
func Heartbeat(ctx context.Context, d time.Duration, state func() string, send func(ctx context.Context, printer string) error) {
	if d <= 0 {
		d = time.Minute
	}
	go func() {
		for {
			sctx, cancel := context.WithTimeout(ctx, 10*time.Second)
			send(sctx, state())
			cancel()
			select {
			case <-ctx.Done():
				return
			case <-time.After(d):
			}
		}
	}()
}
