package replicate

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"motcua/internal/bolt"
	"motcua/internal/chain"
	"motcua/internal/province"
	"motcua/internal/provincetest"
	"motcua/internal/queue"
	"motcua/internal/testwait"
)

// The office's profile comes from its chain: two offices change their
// settings halfway through three weeks (a service renamed, the target wait
// and the zone's hours — the zone is what a day's tally depends on), one
// shipping as it goes, the other all at once at the end. Both verify
// intact; the province's profile is the chain's latest, with its seq; a
// profile edited by the database's superuser is named by verify.
func TestVerifyFollowsTheProfileOnTheChain(t *testing.T) {
	pg := provincetest.Start(t)
	ctx := context.Background()
	type office struct {
		id    string
		s     *bolt.Store
		clock *testClock
		r     *Replicator
	}
	var offices []*office
	for i, id := range []string{"XA.21", "XA.22"} {
		clock := &testClock{}
		s, err := bolt.Open(t.TempDir(), twoServices("UBND xã "+id), bolt.Options{Now: clock.now, TickEvery: time.Hour})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		o := &office{id: id, s: s, clock: clock}
		o.r = &Replicator{Source: s, Target: Fixed(pg.Office(t, id, "UBND xã "+id)), Batch: 61, Idle: 10 * time.Millisecond}
		offices = append(offices, o)
		officeDays(t, s, clock, uint64(30+i), 10)
	}
	shipAll := func(o *office) {
		t.Helper()
		rctx, stop := context.WithCancel(ctx)
		defer stop()
		go o.r.Run(rctx)
		testwait.Until(t, 60*time.Second, func() bool { return o.r.Status().Shipped == o.s.Snapshot().Seq },
			func() string { return fmt.Sprintf("%s shipped %+v of %d", o.id, o.r.Status(), o.s.Snapshot().Seq) })
	}
	shipAll(offices[0]) // the first ships its first half now, the second not yet
	for _, o := range offices {
		v, prof := o.s.Settings()
		prof.Services[0].Name = "Hộ tịch – Chứng thực"
		prof.Rules.TargetWaitMinutes = 25
		if _, err := o.s.ChangeSettings(ctx, queue.Actor{Kind: queue.ActorAdmin, ID: "quantri"}, v, prof); err != nil {
			t.Fatal(err)
		}
		officeDaysFrom(t, o.s, o.clock, 40, 10, 11)
	}
	for _, o := range offices {
		shipAll(o)
	}
	verify := func() map[string]province.Chain {
		t.Helper()
		chains, err := province.Verify(ctx, pg.Pool)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]province.Chain{}
		for _, c := range chains {
			out[c.Office] = c
		}
		return out
	}
	for id, c := range verify() {
		if c.Fault != "" {
			t.Errorf("%s: %s %q", id, c.Fault, c.Rows)
		}
	}
	var name string
	var seq int64
	if err := pg.Pool.QueryRow(ctx, `SELECT profile->'services'->0->>'name', profile_seq FROM offices WHERE id = 'XA.21'`).Scan(&name, &seq); err != nil || name != "Hộ tịch – Chứng thực" || seq == 0 {
		t.Errorf("the province's profile of XA.21: %q from seq %d (%v)", name, seq, err)
	}
	if _, err := pg.Pool.Exec(ctx, `UPDATE offices SET profile = jsonb_set(profile, '{time_zone}', '"UTC"') WHERE id = 'XA.22'`); err != nil {
		t.Fatal(err)
	}
	got := verify()
	if c := got["XA.22"]; !strings.Contains(strings.Join(c.Rows, "\n"), "offices: the profile") {
		t.Errorf("a profile edited: verify says %q %q", c.Fault, c.Rows)
	}
	if c := got["XA.21"]; c.Fault != "" {
		t.Errorf("the other office: %q", c.Fault)
	}
}

// An office that ran a version before the profile was on its chain
// shipped its profile beside its events — here one that says UTC, so its
// days' hours were tallied seven hours off. Its upgrade puts the profile
// on the chain (bolt's schema 5); the province then tallies again by that
// first profile what the shipped one had made, and verify finds the
// office intact — both before the upgrade (by the shipped profile) and
// after (by the chain's).
func TestTheChainsFirstProfileTalliesAgain(t *testing.T) {
	pg := provincetest.Start(t)
	ctx := context.Background()
	clock := &testClock{}
	s, err := bolt.Open(t.TempDir(), twoServices("UBND xã Cũ"), bolt.Options{Now: clock.now, TickEvery: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	officeDays(t, s, clock, 51, 6)
	split := s.Snapshot().Seq
	v, prof := s.Settings()
	prof.NameEN = "Old Commune" // a change after the upgrade: the first profile on the chain
	if _, err := s.ChangeSettings(ctx, queue.Actor{Kind: queue.ActorAdmin, ID: "quantri"}, v, prof); err != nil {
		t.Fatal(err)
	}
	officeDaysFrom(t, s, clock, 52, 6, 4)
	chained, err := s.EventsAfter(0, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	// The events as the older version wrote them: no profile on the
	// settings' events before the split, the chain's hashes made anew.
	evs := make([]province.Event, len(chained))
	prev := make([]byte, chain.Size)
	for i, e := range chained {
		raw := e.Raw
		if e.Seq <= split {
			var ev queue.Event
			if err := json.Unmarshal(raw, &ev); err != nil {
				t.Fatal(err)
			}
			if ev.Settings != nil {
				ev.Settings.Office = nil
				if raw, err = json.Marshal(ev); err != nil {
					t.Fatal(err)
				}
			}
		}
		prev = chain.Hash(prev, raw)
		evs[i] = province.Event{Seq: e.Seq, Hash: prev, Raw: raw}
	}
	shipped := prof
	shipped.TimeZone = "UTC"
	profile, _ := json.Marshal(shipped)
	u := newUplink(pg.Office(t, "XA.31", "UBND xã Cũ"))
	check := func(when string) {
		t.Helper()
		chains, err := province.Verify(ctx, pg.Pool)
		if err != nil || len(chains) != 1 || chains[0].Fault != "" {
			t.Errorf("%s: %+v %v", when, chains, err)
		}
	}
	for from := 0; from < int(split); from += 200 {
		if err := u.ship(ctx, profile, evs[from:min(from+200, int(split))]); err != nil {
			t.Fatal(err)
		}
	}
	var hours int
	if err := pg.Pool.QueryRow(ctx, `SELECT count(*) FROM ticket_days WHERE convert_from(summary, 'UTF8') LIKE '%"h":{"1":%'`).Scan(&hours); err != nil || hours == 0 {
		t.Fatalf("the shipped profile's hours (UTC: 01:00 for 08:00) in %d days (%v)", hours, err)
	}
	check("before the upgrade")
	for from := int(split); from < len(evs); from += 200 {
		if err := u.ship(ctx, profile, evs[from:min(from+200, len(evs))]); err != nil {
			t.Fatal(err)
		}
	}
	if err := pg.Pool.QueryRow(ctx, `SELECT count(*) FROM ticket_days WHERE convert_from(summary, 'UTF8') LIKE '%"h":{"1":%'`).Scan(&hours); err != nil || hours != 0 {
		t.Errorf("%d days still tallied by the shipped profile's zone (%v)", hours, err)
	}
	var zone string
	if err := pg.Pool.QueryRow(ctx, `SELECT profile->>'time_zone' FROM offices WHERE id = 'XA.31'`).Scan(&zone); err != nil || zone != "Asia/Ho_Chi_Minh" {
		t.Errorf("the province's profile says %q (%v)", zone, err)
	}
	check("after the upgrade")
}
