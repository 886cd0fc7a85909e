package voice

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"motcua/internal/testwait"
)

// fakePlayer records what it played and checks that two plays never overlap.
type fakePlayer struct {
	mu       sync.Mutex
	playing  bool
	overlaps int
	played   []string
	took     time.Duration
	hang     string // a key whose play never returns
}

func (p *fakePlayer) Play(ctx context.Context, a Announcement) error {
	p.mu.Lock()
	if p.playing {
		p.overlaps++
	}
	p.playing = true
	p.played = append(p.played, a.Key())
	p.mu.Unlock()
	if a.Key() == p.hang {
		select {} // a sound library with no sound card
	}
	time.Sleep(p.took)
	p.mu.Lock()
	p.playing = false
	p.mu.Unlock()
	return nil
}

func (p *fakePlayer) keys() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.played...)
}

type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) Add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

func call(id string, counter, recalls int) Announcement {
	return Announcement{TicketID: id, Display: id, Counter: counter, Recalls: recalls}
}

func waitPlayed(t *testing.T, p *fakePlayer, n int) []string {
	t.Helper()
	testwait.Until(t, 5*time.Second, func() bool { return len(p.keys()) >= n }, func() string { return fmt.Sprintf("played %v, want %d", p.keys(), n) })
	return p.keys()
}

func TestAnnouncerOneAtATimeInOrder(t *testing.T) {
	p := &fakePlayer{took: 20 * time.Millisecond}
	clock := &fakeClock{t: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)}
	an := NewAnnouncer(p, time.Second, clock.Now)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go an.Run(ctx)
	for _, a := range []Announcement{call("1001", 1, 0), call("2001", 2, 0), call("1002", 3, 0), call("1001", 1, 0), call("1001", 1, 1)} {
		an.Add(a)
	}
	// A last call marks the end: plays keep their order, so anything the
	// duplicate had wrongly added would be played before it.
	an.Add(call("3001", 4, 0))
	got := waitPlayed(t, p, 5)
	want := []string{"1001@1#0", "2001@2#0", "1002@3#0", "1001@1#1", "3001@4#0"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("played %v, want %v (the duplicate merged, the recall repeated)", got, want)
	}
	p.mu.Lock()
	overlaps := p.overlaps
	p.mu.Unlock()
	if overlaps != 0 {
		t.Fatalf("%d plays overlapped", overlaps)
	}
	// Long after, the same call (a resync replaying history) is still not news
	// within the memory window; past it, a key is forgotten.
	if an.Add(call("1001", 1, 1)) {
		t.Error("the recall was spoken twice")
	}
	clock.Add(3 * time.Minute)
	if !an.Add(call("1001", 1, 1)) {
		t.Error("a key is never forgotten")
	}
}

func TestAnnouncerTimesOutAHungPlayer(t *testing.T) {
	p := &fakePlayer{hang: "1001@1#0"}
	an := NewAnnouncer(p, 50*time.Millisecond, nil)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go an.Run(ctx)
	an.Add(call("1001", 1, 0))
	an.Add(call("1002", 1, 0))
	waitPlayed(t, p, 2)
	if an.Failed() != 1 {
		t.Errorf("failed %d, want the hung play counted", an.Failed())
	}
}
