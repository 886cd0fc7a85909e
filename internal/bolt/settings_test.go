package bolt

import (
	"bytes"
	"context"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	bbolt "go.etcd.io/bbolt"

	"motcua/internal/problem"
	"motcua/internal/queue"
)

var admin = queue.Actor{Kind: queue.ActorClerk, ID: "admin", Name: "Quản trị"}

// The config file seeds version 1; a change is a new version on the chain,
// in force at once and after a restart, whatever file the restart is given.
func TestSettingsChangeLiveAndKept(t *testing.T) {
	dir, c := t.TempDir(), newClock()
	s := open(t, dir, c)
	var mu sync.Mutex
	var published []queue.Event
	s.SetPublisher(func(evs []queue.Event) { mu.Lock(); published = append(published, evs...); mu.Unlock() })
	if v, _ := s.Settings(); v != 1 {
		t.Fatalf("a new store's settings are version %d, want 1", v)
	}
	issue(t, s, "a", "t1")
	o := office()
	o.Services = append(slices.Clone(o.Services), queue.ServiceConfig{ID: "c", Name: "Đất đai", RangeStart: 3001, RangeEnd: 3999})
	o.Counters = append(slices.Clone(o.Counters), queue.CounterConfig{Number: 5, Services: []string{"c"}})
	v, err := s.ChangeSettings(context.Background(), admin, 1, o)
	if err != nil || v != 2 {
		t.Fatalf("change: version %d, %v", v, err)
	}
	if got := issue(t, s, "c", "t2"); got.Number != 3001 {
		t.Fatalf("the new service's first ticket is %d", got.Number)
	}
	if snap := s.Snapshot(); len(snap.Services) != 3 || len(snap.Counters) != 5 || len(snap.Tickets) != 2 {
		t.Fatalf("snapshot after the change: %d services, %d counters, %d tickets", len(snap.Services), len(snap.Counters), len(snap.Tickets))
	}
	mu.Lock()
	i := slices.IndexFunc(published, func(e queue.Event) bool { return e.Type == queue.EvSettings })
	var ev queue.Event
	if i >= 0 {
		ev = published[i]
	}
	mu.Unlock()
	if ev.Settings == nil || ev.Settings.Version != 2 || ev.Settings.Before == "" || ev.Actor.ID != "admin" ||
		!slices.ContainsFunc(ev.Settings.Changes, func(c string) bool { return strings.HasPrefix(c, "services[2]:") }) {
		t.Fatalf("the settings event: %+v %+v", ev, ev.Settings)
	}
	if ev.Public().Settings != nil {
		t.Error("the public view carries what changed")
	}
	// Unchanged: nothing recorded. A stale base: refused.
	if v, err := s.ChangeSettings(context.Background(), admin, 2, o); err != nil || v != 2 {
		t.Errorf("the same settings again: version %d, %v", v, err)
	}
	if _, err := s.ChangeSettings(context.Background(), admin, 1, office()); problem.CodeOf(err) != problem.EConflict {
		t.Errorf("a change on version 1 after 2: %v, want a conflict", err)
	}
	s.Close()

	s = open(t, dir, c) // given the old file: the stored settings win
	if v, got := s.Settings(); v != 2 || len(got.Services) != 3 {
		t.Fatalf("after a restart: version %d, %d services", v, len(got.Services))
	}
	if n, err := s.Verify(); err != nil || n < 4 {
		t.Fatalf("verify: %d, %v", n, err)
	}
	s.Close()

	// An edited stored version breaks the chain's check.
	db, err := bbolt.Open(filepath.Join(dir, FileName), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	db.Update(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bSettings)
		return b.Put(u64(2), bytes.Replace(b.Get(u64(2)), []byte("Đất đai"), []byte("Đất đai!"), 1))
	})
	db.Close()
	if _, err := VerifyFile(filepath.Join(dir, FileName)); err == nil || !strings.Contains(err.Error(), "settings version 2") {
		t.Errorf("verify after editing a stored version: %v", err)
	}
}

// A change that would break the day is refused and changes nothing.
func TestSettingsChangeThatBreaksTheDay(t *testing.T) {
	s := open(t, t.TempDir(), newClock())
	defer s.Close()
	issue(t, s, "b", "t1")
	o := office()
	o.Services = o.Services[:1]
	o.Counters = []queue.CounterConfig{{Number: 1, Services: []string{"a"}}}
	if _, err := s.ChangeSettings(context.Background(), admin, 0, o); problem.CodeOf(err) != problem.EConflict {
		t.Fatalf("removing a service with a ticket waiting: %v, want a conflict", err)
	}
	bad := office()
	bad.Services = nil
	if _, err := s.ChangeSettings(context.Background(), admin, 0, bad); problem.CodeOf(err) != problem.EInvalid {
		t.Fatalf("no services: %v, want invalid", err)
	}
	if v, got := s.Settings(); v != 1 || len(got.Services) != 2 {
		t.Fatalf("after two refusals: version %d, %d services", v, len(got.Services))
	}
	if n, err := s.Verify(); err != nil || n != 2 { // the seed and the ticket
		t.Fatalf("verify: %d events, %v", n, err)
	}
}

// Where the event log ships is a setting like the others: seeded from the
// options, changed as a version on the chain (the change's text masked),
// kept over a restart, read from a closed store; a masked password in
// force stays when saved back, and never seeds a store.
func TestSyncSettings(t *testing.T) {
	dir, c := t.TempDir(), newClock()
	seed := queue.Sync{DSN: "postgres://motcua:S3cr3t@tinh.example/motcua", Office: "XA.01"}
	s, err := Open(dir, office(), Options{Now: c.Now, TickEvery: 5 * time.Millisecond, Sync: seed})
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var marks []*queue.SettingsMark
	s.SetPublisher(func(evs []queue.Event) {
		mu.Lock()
		defer mu.Unlock()
		for _, e := range evs {
			if e.Settings != nil {
				marks = append(marks, e.Settings)
			}
		}
	})
	if got := s.Sync(); got != seed {
		t.Fatalf("seeded %+v, want %+v", got, seed)
	}
	ctx := context.Background()
	if v, err := s.ChangeSync(ctx, admin, 1, queue.Sync{DSN: seed.Masked(), Office: "XA.01"}); err != nil || v != 1 {
		t.Fatalf("saving the masked form back: version %d, %v; want 1 (nothing changed)", v, err)
	}
	next := queue.Sync{DSN: "postgres://motcua:N3w@tinh.example/motcua", Office: "XA.02"}
	if v, err := s.ChangeSync(ctx, admin, 1, next); err != nil || v != 2 {
		t.Fatalf("change: version %d, %v", v, err)
	}
	if _, err := s.ChangeSync(ctx, admin, 2, queue.Sync{DSN: "postgres://motcua:xxxxx@khac.example/motcua"}); problem.CodeOf(err) != problem.EInvalid {
		t.Errorf("a masked password for another host: %v, want refused", err)
	}
	if _, err := s.ChangeSync(ctx, admin, 2, queue.Sync{DSN: "tinh.example"}); problem.CodeOf(err) != problem.EInvalid {
		t.Errorf("not a connection string: %v, want refused", err)
	}
	if _, err := s.ChangeSync(ctx, admin, 1, queue.Sync{}); problem.CodeOf(err) != problem.EConflict {
		t.Errorf("a change from version 1 after 2: %v, want a conflict", err)
	}
	mu.Lock()
	if len(marks) != 1 || len(marks[0].Changes) != 2 || strings.Contains(strings.Join(marks[0].Changes, " "), "N3w") || strings.Contains(strings.Join(marks[0].Changes, " "), "S3cr3t") {
		t.Errorf("the chain's change: %+v", marks)
	}
	mu.Unlock()
	s.Close()

	doc, err := StoredSettings(dir)
	if err != nil || doc.Version != 2 || doc.Shipping() != next {
		t.Fatalf("the closed store's settings: version %d, sync %+v, %v", doc.Version, doc.Sync, err)
	}
	s = open(t, dir, c)
	if got := s.Sync(); got != next {
		t.Errorf("after a restart: %+v", got)
	}
	if _, err := s.ChangeSync(ctx, admin, 2, queue.Sync{}); err != nil || s.Sync().On() {
		t.Errorf("turned off: %+v, %v", s.Sync(), err)
	}
	if n, err := s.Verify(); err != nil || n < 3 {
		t.Errorf("verify: %d, %v", n, err)
	}
	s.Close()

	if _, err := Open(t.TempDir(), office(), Options{Sync: queue.Sync{DSN: seed.Masked()}}); problem.CodeOf(err) != problem.EInvalid {
		t.Errorf("a new store seeded with a masked password: %v, want refused", err)
	}
}

// A change of several parts is one change of the store: when a later part is
// refused (the staff, the shipping), the office typed before it is not in
// force either, no version is added and the chain has no event for it; when
// all check, one version carries them all.
func TestChangeAllIsAllOrNothing(t *testing.T) {
	dir, c := t.TempDir(), newClock()
	s := open(t, dir, c)
	ctx := context.Background()
	renamed := office()
	renamed.Name = "Tên mới của văn phòng"
	staff := []queue.StaffUser{{Username: "boss", Name: "Quản trị", Role: queue.RoleAdmin, PINHash: "$2a$04$abcdefghijklmnopqrstuu9Y1Nq0Yg3b9b3m3Yk3ZC7mRk0a6K2q"}}
	seqBefore, usersBefore := s.Snapshot().Seq, s.Users()
	for _, bad := range []struct {
		name    string
		change  queue.SettingsChange
		refusal string // what the refusal names
	}{
		{"a user with no such role", queue.SettingsChange{Office: &renamed, Users: []queue.StaffUser{{Username: "lan", Name: "Lan", Role: "sep"}}}, "role"},
		{"a shipping address that is no database", queue.SettingsChange{Office: &renamed, Users: staff, Sync: &queue.Sync{DSN: "not a database", Office: "XA.01"}}, "postgres"},
		{"a device of no kind", queue.SettingsChange{Office: &renamed, Users: staff, Devices: []queue.Device{{ID: "k9", Kind: "toaster", Key: "0123456789abcdef0123"}}}, "kind"},
	} {
		_, err := s.ChangeAll(ctx, admin, 1, bad.change)
		if err == nil || !strings.Contains(problem.As(err).MessageEN, bad.refusal) {
			t.Fatalf("%s: %v, want a refusal naming %q", bad.name, err, bad.refusal)
		}
		if v, o := s.Settings(); v != 1 || o.Name == renamed.Name || !slices.Equal(s.Users(), usersBefore) || s.Sync() != (queue.Sync{}) {
			t.Fatalf("%s: the office is %q at version %d, users %v: a part went in", bad.name, o.Name, v, s.Users())
		}
		if seq := s.Snapshot().Seq; seq != seqBefore {
			t.Fatalf("%s: the chain moved from %d to %d", bad.name, seqBefore, seq)
		}
	}
	v, err := s.ChangeAll(ctx, admin, 1, queue.SettingsChange{Office: &renamed, Users: staff})
	if err != nil || v != 2 {
		t.Fatalf("a change that checks: version %d, %v", v, err)
	}
	if _, o := s.Settings(); o.Name != renamed.Name || len(s.Users()) != 1 {
		t.Fatalf("after the change: %q, %d users", o.Name, len(s.Users()))
	}
	history, _ := s.SettingsHistory()
	if len(history) != 2 {
		t.Fatalf("%d versions on the record, want 2 (one for the whole change)", len(history))
	}
}
