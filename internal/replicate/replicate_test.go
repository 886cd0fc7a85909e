package replicate

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"motcua/internal/api"
	"motcua/internal/bolt"
	"motcua/internal/intake"
	"motcua/internal/province"
	"motcua/internal/provincetest"
	"motcua/internal/queue"
	"motcua/internal/testwait"
)

func office() queue.Office {
	return queue.Office{Name: "UBND phường Thử",
		Services: []queue.ServiceConfig{{ID: "a", Name: "Hộ tịch", RangeStart: 1001, RangeEnd: 1999}},
		Counters: []queue.CounterConfig{{Number: 1, Services: []string{"a"}}}}
}

// openOffice is an office's store, closed after the test, and a kiosk
// issuing n tickets into it.
func openOffice(t *testing.T) (*bolt.Store, func(n int)) {
	t.Helper()
	s, err := bolt.Open(t.TempDir(), office(), bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	kiosk := queue.Actor{Kind: queue.ActorDevice, ID: "k"}
	return s, func(n int) {
		for i := range n {
			if _, err := s.Do(context.Background(), queue.Command{Op: queue.OpIssue, Actor: kiosk, ServiceID: "a", Token: fmt.Sprintf("t%d-%d", time.Now().UnixNano(), i)}); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// An office issues while the replicator ships; PostgreSQL stops mid-stream
// and comes back; afterwards every event is there exactly once and the
// province's check of the chain passes. A row edited in PostgreSQL is found.
func TestShipsEveryEventOnce(t *testing.T) {
	pg := provincetest.Start(t)
	s, issue := openOffice(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	r := &Replicator{Source: s, Target: Fixed(pg.Office(t, "XA.01", "UBND phường Thử")), Batch: 7, Idle: 20 * time.Millisecond}
	go r.Run(ctx)
	waitShipped := func(what string) {
		t.Helper()
		want := s.Snapshot().Seq
		testwait.Until(t, 60*time.Second, func() bool { return r.Status().Shipped == want }, func() string { return fmt.Sprintf("%s: shipped %+v, want seq %d", what, r.Status(), want) })
	}
	issue(30)
	waitShipped("the first tickets")
	pg.Stop(t)
	issue(25) // PostgreSQL away: the office goes on
	testwait.Until(t, 30*time.Second, func() bool { return r.Status().LastError != "" }, func() string { return "no error while PostgreSQL was stopped" })
	pg.Restart(t)
	waitShipped("after PostgreSQL came back")

	pool := pg.Pool
	var rows, distinct int64
	pool.QueryRow(ctx, `SELECT count(*), count(DISTINCT seq) FROM events WHERE office = 'XA.01'`).Scan(&rows, &distinct)
	if last := int64(s.Snapshot().Seq); rows != last || distinct != last {
		t.Errorf("%d rows, %d seqs in PostgreSQL, want each of %d once", rows, distinct, last)
	}
	chains, err := province.Verify(ctx, pool)
	if err != nil || len(chains) != 1 || chains[0].Fault != "" || chains[0].LastSeq != int64(s.Snapshot().Seq) {
		t.Fatalf("verify: %v %+v", err, chains)
	}
	if v, err := province.Migrate(ctx, pool); err != nil || v != province.Latest { // again: nothing to do
		t.Errorf("migrating twice: %d %v", v, err)
	}
	cancel()
	if _, err := pool.Exec(context.Background(), `UPDATE events SET raw = convert_to(replace(convert_from(raw, 'UTF8'), 'ticket.issued', 'ticket.cancelled'), 'UTF8') WHERE office = 'XA.01' AND seq = 10`); err != nil {
		t.Fatal(err)
	}
	chains, _ = province.Verify(context.Background(), pool)
	if len(chains) != 1 || chains[0].Fault == "" {
		t.Errorf("an edited row passed: %+v", chains)
	}
}

// An office that could not reach the province for a week (its events on an
// injected clock, dossiers with a known applicant among them) catches up by
// itself once PostgreSQL is there; no column holds the applicant's name, ID
// number or phone.
func TestAWeekOfflineCatchesUpWithNothingPersonal(t *testing.T) {
	pg := provincetest.Start(t)
	target := pg.Office(t, "XA.09", "UBND xã Chín")
	pg.Stop(t) // the province is unreachable all week
	var mu sync.Mutex
	now := time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC) // 09:00 in the office
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	s, err := bolt.Open(t.TempDir(), office(), bolt.Options{Now: clock, TickEvery: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	r := &Replicator{Source: s, Target: Fixed(target), Batch: 50, Idle: 20 * time.Millisecond}
	go r.Run(ctx)
	secret := intake.Applicant{Name: "Trần Thị Bí Mật", IDNumber: "079123456789", Phone: "0912345678", Address: "Số 7 ngõ Kín"}
	kiosk := queue.Actor{Kind: queue.ActorDevice, ID: "k"}
	for day := range 7 {
		mu.Lock()
		now = time.Date(2026, 11, 23+day, 2, 0, 0, 0, time.UTC)
		mu.Unlock()
		for i := range 20 {
			if _, err := s.Do(ctx, queue.Command{Op: queue.OpIssue, Actor: kiosk, ServiceID: "a", Token: fmt.Sprintf("d%d-%d", day, i)}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := s.CreateDossier(intake.Dossier{Agency: "XA.09", ReceivedAt: clock(), DueAt: clock().AddDate(0, 0, 3), Status: intake.Received, Applicant: secret, Clerk: "lan", Delivery: "desk"}); err != nil {
			t.Fatal(err)
		}
	}
	if st := r.Status(); st.Shipped != 0 || st.LastError == "" {
		t.Fatalf("shipped during the week offline: %+v", st)
	}
	pg.Restart(t)
	want := s.Snapshot().Seq
	// the backoff may have grown to a minute
	testwait.Until(t, 90*time.Second, func() bool { return r.Status().Shipped == want }, func() string { return fmt.Sprintf("caught up to %+v of %d", r.Status(), want) })
	pool := pg.Pool
	for _, leak := range []string{secret.Name, secret.IDNumber, secret.Phone, secret.Address} {
		var n int
		if err := pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM event_bodies WHERE body::text LIKE '%' || $1 || '%' OR type LIKE '%' || $1 || '%' OR office LIKE '%' || $1 || '%')
	+ (SELECT count(*) FROM tickets WHERE ticket::text LIKE '%' || $1 || '%') + (SELECT count(*) FROM dossiers WHERE facts::text || clerk LIKE '%' || $1 || '%')
	+ (SELECT count(*) FROM offices WHERE profile::text LIKE '%' || $1 || '%')`, leak).Scan(&n); err != nil || n != 0 {
			t.Errorf("%q is in %d rows of PostgreSQL (%v)", leak, n, err)
		}
	}
	var dossierEvents int
	pool.QueryRow(ctx, `SELECT count(*) FROM events WHERE type = 'dossier.changed'`).Scan(&dossierEvents)
	if dossierEvents != 7 {
		t.Errorf("%d dossier events in PostgreSQL, want the week's 7", dossierEvents)
	}
	if chains, err := province.Verify(ctx, pool); err != nil || len(chains) != 1 || chains[0].Fault != "" || chains[0].LastSeq != int64(want) {
		t.Errorf("verify: %v %+v", err, chains)
	}
}

// The replicator follows its target: off, it ships nothing; turned on, it
// ships everything; pointed at a new province with an empty database, it
// ships everything again from the first event there (its own cursor was
// ahead of what that province holds); with another office's key, that
// office gets every event too. Settings that still name the province's
// database ship nothing and say what to do instead.
func TestFollowsTheSettings(t *testing.T) {
	pg := provincetest.Start(t)
	s, issue := openOffice(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	issue(12)
	var mu sync.Mutex
	var target queue.Sync
	set := func(t queue.Sync) { mu.Lock(); target = t; mu.Unlock() }
	r := &Replicator{Source: s, Target: func() queue.Sync { mu.Lock(); defer mu.Unlock(); return target }, Idle: 10 * time.Millisecond}
	go r.Run(ctx)
	if st := r.Status(); st.Office != "" || st.Target != "" {
		t.Errorf("off, the status says %+v", st)
	}

	direct := queue.Sync{DSN: "postgres://motcua:S3cr3t@tinh.example/motcua", Office: "XA.01"}
	set(direct)
	testwait.Until(t, 10*time.Second, func() bool { return strings.Contains(r.Status().LastError, "office add") },
		func() string { return fmt.Sprintf("settings naming the database: %+v", r.Status()) })

	pool := pg.Pool
	if _, err := pool.Exec(ctx, `CREATE DATABASE other`); err != nil {
		t.Fatal(err)
	}
	otherPool, err := pgxpool.New(ctx, strings.Replace(pg.DSN, "/postgres?", "/other?", 1))
	if err != nil {
		t.Fatal(err)
	}
	defer otherPool.Close()
	other := provincetest.Over(t, pg.Server, otherPool)

	want := int64(s.Snapshot().Seq)
	for _, step := range []struct {
		name, office string
		to           queue.Sync
		pool         *pgxpool.Pool
	}{
		{"turned on", "XA.01", pg.Office(t, "XA.01", "Một"), pool},
		{"a new province", "XA.01", other.Office(t, "XA.01", "Một"), otherPool},
		{"another office's key", "XA.02", other.Office(t, "XA.02", "Hai"), otherPool},
	} {
		set(step.to)
		var st api.SyncStatus
		testwait.Until(t, 60*time.Second, func() bool {
			st = r.Status()
			return st.Office == step.office && st.Target == step.to.Masked() && st.Shipped == uint64(want)
		}, func() string {
			return fmt.Sprintf("%s: the status is %+v, want office %s at %s shipped to %d", step.name, st, step.office, step.to.Masked(), want)
		})
		var rows int64
		step.pool.QueryRow(ctx, `SELECT count(DISTINCT seq) FROM events WHERE office = $1`, step.office).Scan(&rows)
		if rows != want {
			t.Errorf("%s: %d of the office's %d events are there", step.name, rows, want)
		}
	}
	chains, err := province.Verify(ctx, otherPool)
	if err != nil || len(chains) != 2 || chains[0].Fault != "" || chains[1].Fault != "" {
		t.Errorf("the new database's check: %v %+v", err, chains)
	}
	set(queue.Sync{})
	testwait.Until(t, 10*time.Second, func() bool { return r.Status().Office == "" }, func() string { return fmt.Sprintf("turned off, the status is %+v", r.Status()) })
}
