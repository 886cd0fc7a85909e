// Package testserver runs the real motcua server (bbolt store on a directory,
// HTTP API, feed) on a loopback port for the tests of the apps and the client.
// It is imported by tests only; nothing in it is mocked.
package testserver

import (
	"context"
	"net"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"motcua/assets"
	"motcua/internal/bolt"
	"motcua/internal/calendar"
	"motcua/internal/catalogue"
	"motcua/internal/node"
	"motcua/internal/notify"
	"motcua/internal/queue"
	"motcua/internal/replicate"
	"motcua/internal/server"
)

// Credentials every test server knows.
const (
	KioskKey = "kiosk-key-0123456789"
	// RatingKey is the key of counter 1's rating screen.
	RatingKey = "rating-key-counter-1"
	Clerk     = "lan"
	// AdminUser has the admin role (same PIN).
	AdminUser = "quantri"
	// Supervisor is the desk head (same PIN): reports and the live room.
	Supervisor = "tam"
	PIN        = "2468"
)

// Start serves office from dir on addr ("127.0.0.1:0" for any free port; an
// address of a stopped server to restart it there). It returns the base URL and
// a stop that looks like a crash to clients; stop also runs at test cleanup.
func Start(t testing.TB, addr, dir string, office queue.Office, procedures ...catalogue.Procedure) (url string, stop func()) {
	t.Helper()
	return StartClock(t, addr, dir, office, nil, procedures...)
}

// StartClock is Start with the server on the clock now (nil: time.Now): a
// test moves it to pass a deadline without waiting for it.
func StartClock(t testing.TB, addr, dir string, office queue.Office, now func() time.Time, procedures ...catalogue.Procedure) (url string, stop func()) {
	t.Helper()
	_, url, stop = start(t, addr, dir, office, now, procedures...)
	return url, stop
}

// StartSynced is Start with the office's uplink to the province of sync
// running: its events ship, and the citizens' requests the province brings
// are answered (the office binary's wiring).
func StartSynced(t testing.TB, dir string, office queue.Office, uplink queue.Sync, procedures ...catalogue.Procedure) (url string, stop func()) {
	t.Helper()
	return StartSyncedClock(t, dir, office, uplink, nil, procedures...)
}

// StartSyncedClock is StartSynced on the clock now (nil: time.Now); stop
// ends the uplink, then the server.
func StartSyncedClock(t testing.TB, dir string, office queue.Office, uplink queue.Sync, now func() time.Time, procedures ...catalogue.Procedure) (url string, stop func()) {
	t.Helper()
	n, url, stopNode := start(t, "127.0.0.1:0", dir, office, now, procedures...)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	r := &replicate.Replicator{Source: n.Store, Target: replicate.Fixed(uplink), Door: n.Server.Door, Bookings: n.Store, Idle: 20 * time.Millisecond}
	go func() { defer close(done); r.Run(ctx) }()
	n.Outbox.SetChannel(notify.ZNS, replicate.ZNS{R: r})
	n.Outbox.SetProvince(func() string { return uplink.URL })
	var once sync.Once
	stop = func() { once.Do(func() { cancel(); <-done; stopNode() }) }
	t.Cleanup(stop)
	return url, stop
}

// StartNode is StartClock answering the node itself, for a caller that
// wires more to it (a bench's uplink as the shipped binary has it).
func StartNode(t testing.TB, dir string, office queue.Office, now func() time.Time, procedures ...catalogue.Procedure) (n *node.Node, url string, stop func()) {
	t.Helper()
	return start(t, "127.0.0.1:0", dir, office, now, procedures...)
}

func start(t testing.TB, addr, dir string, office queue.Office, now func() time.Time, procedures ...catalogue.Procedure) (*node.Node, string, func()) {
	t.Helper()
	hash, _ := bcrypt.GenerateFromPassword([]byte(PIN), bcrypt.MinCost)
	years, err := calendar.ParseYears(assets.Calendars, "calendar/*.json")
	if err != nil {
		t.Fatal(err)
	}
	loc, _ := office.Location()
	cal, err := calendar.New(loc, calendar.DefaultHours(), years...)
	if err != nil {
		t.Fatal(err)
	}
	n, err := node.Open(dir, office, bolt.Options{Now: now}, server.Config{
		Users: []server.User{{Username: Clerk, Name: "Nguyễn Thị Lan", Role: server.RoleClerk, PINHash: string(hash)},
			{Username: AdminUser, Name: "Quản trị", Role: server.RoleAdmin, PINHash: string(hash)},
			{Username: Supervisor, Name: "Lê Thanh Tâm", Role: server.RoleSupervisor, PINHash: string(hash)}},
		Devices:    []server.Device{{ID: "k1", Kind: server.DeviceKiosk, Key: KioskKey}, {ID: "r1", Kind: server.DeviceRating, Key: RatingKey, Counter: 1}},
		Procedures: catalogue.Catalogue{Procedures: procedures},
		Calendar:   cal,
	})
	if err != nil {
		t.Fatal(err)
	}
	var ln net.Listener
	for range 50 { // a stopped server's port may take a moment to free
		if ln, err = net.Listen("tcp", addr); err == nil {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err != nil {
		n.Close()
		t.Fatal(err)
	}
	n.Serve(ln, nil)
	var once sync.Once
	stop := func() { once.Do(n.Close) }
	t.Cleanup(stop)
	return n, "http://" + ln.Addr().String(), stop
}

// Clock is a settable clock for StartClock and the apps' Config.Now.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock starts a clock at t.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

// Now reads the clock.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Add moves the clock on by d.
func (c *Clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}
