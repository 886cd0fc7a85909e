package voice

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// Announcement is one call to be spoken.
type Announcement struct {
	TicketID string
	Display  string
	Counter  int
	Recalls  int // the ticket's recall count: each recall is a new announcement
	Parts    []Part
	Caption  string
}

// Key identifies an announcement: the same call delivered twice (a resync, two
// feeds) has the same key and is spoken once; a recall has a new key.
func (a Announcement) Key() string {
	return fmt.Sprintf("%s@%d#%d", a.TicketID, a.Counter, a.Recalls)
}

// Player speaks one announcement and returns when it is done.
type Player interface {
	Play(ctx context.Context, a Announcement) error
}

// Announcer speaks announcements one at a time, in order, each under a time
// limit (audio libraries hang forever without a sound card), and merges
// duplicates.
type Announcer struct {
	player  Player
	timeout time.Duration
	now     func() time.Time
	// Remember is how long a spoken key is remembered for merging; default 2 min.
	remember time.Duration

	mu     sync.Mutex
	queue  []Announcement
	seen   map[string]time.Time // key → when it was queued
	wake   chan struct{}
	failed int // plays that failed or timed out
}

// NewAnnouncer speaks through player; timeout bounds one announcement (default 20 s).
func NewAnnouncer(player Player, timeout time.Duration, now func() time.Time) *Announcer {
	if timeout <= 0 {
		timeout = 20 * time.Second
	}
	if now == nil {
		now = time.Now
	}
	return &Announcer{player: player, timeout: timeout, now: now, remember: 2 * time.Minute,
		seen: map[string]time.Time{}, wake: make(chan struct{}, 1)}
}

// Add queues a; it reports false when a is a duplicate of one queued or spoken
// recently.
func (an *Announcer) Add(a Announcement) bool {
	an.mu.Lock()
	defer an.mu.Unlock()
	now := an.now()
	for k, at := range an.seen {
		if now.Sub(at) > an.remember {
			delete(an.seen, k)
		}
	}
	if _, dup := an.seen[a.Key()]; dup {
		return false
	}
	an.seen[a.Key()] = now
	an.queue = append(an.queue, a)
	select {
	case an.wake <- struct{}{}:
	default:
	}
	return true
}

// Failed is how many announcements could not be played (error or time limit).
func (an *Announcer) Failed() int {
	an.mu.Lock()
	defer an.mu.Unlock()
	return an.failed
}

// Run speaks the queue until ctx ends: one announcement at a time, never two
// at once.
func (an *Announcer) Run(ctx context.Context) {
	for {
		an.mu.Lock()
		var next *Announcement
		if len(an.queue) > 0 {
			a := an.queue[0]
			an.queue = an.queue[1:]
			next = &a
		}
		an.mu.Unlock()
		if next == nil {
			select {
			case <-ctx.Done():
				return
			case <-an.wake:
				continue
			}
		}
		if err := an.play(ctx, *next); err != nil {
			an.mu.Lock()
			an.failed++
			an.mu.Unlock()
		}
	}
}

// play runs the player under the time limit. A player that ignores its context
// is left behind (its goroutine ends when it does); the queue moves on.
func (an *Announcer) play(ctx context.Context, a Announcement) error {
	ctx, cancel := context.WithTimeout(ctx, an.timeout)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- an.player.Play(ctx, a) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return fmt.Errorf("announcement %s: %w", a.Key(), ctx.Err())
	}
}
