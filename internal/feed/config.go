// Package feed is the websocket feed: committed events fanned out to every
// connected board, counter, kiosk and phone, framed once per view (public,
// staff), written by a few writer goroutines, never waiting for a slow client.
// Its locks and client set are its own; the server hands it events
// (Publish), connections (Serve) and the credentials to check again (DropIf).
package feed

import "time"

// Config tunes the websocket feed.
type Config struct {
	PingPeriod time.Duration // server ping interval; default 20 s
	PongWait   time.Duration // a client silent this long is dropped; default 45 s
	WriteWait  time.Duration // one frame must be written within; default 5 s
	SendBuffer int           // frames queued per client before it counts as slow; default 256
	// PerAddress caps the feed connections from one address (a board, a few
	// browser tabs, a phone per citizen — each on its own address on the
	// office network); default 50, negative for no cap.
	PerAddress int
}

func (c Config) withDefaults() Config {
	if c.PingPeriod <= 0 {
		c.PingPeriod = 20 * time.Second
	}
	if c.PongWait <= c.PingPeriod {
		c.PongWait = c.PingPeriod*2 + 5*time.Second
	}
	if c.WriteWait <= 0 {
		c.WriteWait = 5 * time.Second
	}
	if c.SendBuffer <= 0 {
		c.SendBuffer = 256
	}
	if c.PerAddress == 0 {
		c.PerAddress = 50
	}
	return c
}
