package replicate

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"motcua/internal/bolt"
	"motcua/internal/province"
	"motcua/internal/provincetest"
	"motcua/internal/testwait"
)

// verify re-derives: three weeks of an office's tickets and dossiers shipped
// verify clean; then a row of each folded table edited by the database's
// superuser is reported with its office, its table and its day, ticket or
// dossier — and the chain itself still checks.
func TestVerifyRederivesTheFoldedTables(t *testing.T) {
	pg := provincetest.Start(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	clock := &testClock{}
	s, err := bolt.Open(t.TempDir(), twoServices("UBND xã Thử"), bolt.Options{Now: clock.now, TickEvery: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	officeDays(t, s, clock, 7, 21)
	r := &Replicator{Source: s, Target: Fixed(pg.Office(t, "XA.09", "UBND xã Thử")), Batch: 97, Idle: 10 * time.Millisecond}
	go r.Run(ctx)
	testwait.Until(t, 60*time.Second, func() bool { return r.Status().Shipped == s.Snapshot().Seq },
		func() string { return fmt.Sprintf("shipped %+v of %d", r.Status(), s.Snapshot().Seq) })
	cancel()
	pool := pg.Pool
	verify := func() province.Chain {
		t.Helper()
		chains, err := province.Verify(context.Background(), pool)
		if err != nil || len(chains) != 1 {
			t.Fatalf("verify: %+v %v", chains, err)
		}
		return chains[0]
	}
	if c := verify(); c.Fault != "" || len(c.Rows) != 0 {
		t.Fatalf("the honest copy: %+v", c)
	}
	var day, month, ticket, other, code, group, dday string
	q := func(sql string, to ...any) {
		t.Helper()
		if err := pool.QueryRow(context.Background(), sql).Scan(to...); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	q(`SELECT day FROM ticket_days ORDER BY day LIMIT 1`, &day)
	q(`SELECT month FROM ticket_months ORDER BY month LIMIT 1`, &month)
	q(`SELECT id FROM tickets WHERE state = 'done' ORDER BY id LIMIT 1`, &ticket)
	q(`SELECT id FROM tickets WHERE state = 'done' ORDER BY id DESC LIMIT 1`, &other)
	q(`SELECT code FROM dossiers ORDER BY code LIMIT 1`, &code)
	q(`SELECT grp, day FROM dossier_days WHERE received > 0 ORDER BY day, grp LIMIT 1`, &group, &dday)
	for _, edit := range []struct {
		name, sql, names string
	}{
		{"a ticket's state", `UPDATE tickets SET state = 'waiting' WHERE id = '` + ticket + `'`, "tickets " + ticket},
		{"a ticket's JSON", `UPDATE tickets SET ticket = (ticket::jsonb || '{"clerk":"ai đó"}')::json WHERE id = '` + other + `'`, "tickets " + other},
		{"a day's tally", `UPDATE ticket_days SET summary = (SELECT summary FROM ticket_days ORDER BY day DESC LIMIT 1) WHERE day = '` + day + `'`, "ticket_days day " + day},
		{"a month's tally", `DELETE FROM ticket_months WHERE month = '` + month + `'`, "ticket_months month " + month},
		{"a dossier's status", `UPDATE dossiers SET status = status || '-x' WHERE code = '` + code + `'`, "dossiers " + code},
		{"a day's dossier flows", `UPDATE dossier_days SET received = received + 7 WHERE grp = '` + group + `' AND day = '` + dday + `'`, "dossier_days day " + dday},
	} {
		tx, err := pool.Begin(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tx.Exec(context.Background(), edit.sql); err != nil {
			t.Fatalf("%s: %v", edit.name, err)
		}
		if err := tx.Commit(context.Background()); err != nil {
			t.Fatal(err)
		}
		c := verify()
		if c.Office != "XA.09" || !strings.Contains(c.Fault, "folded rows differ") || !strings.Contains(strings.Join(c.Rows, "\n"), edit.names) {
			t.Errorf("%s edited: verify says %q, rows %q; want a row naming %q", edit.name, c.Fault, c.Rows, edit.names)
		}
	}
}
