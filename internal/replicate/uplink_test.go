package replicate

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"motcua/internal/province"
	"motcua/internal/provincetest"
	"motcua/internal/queue"
	"motcua/internal/testwait"
)

// Over the uplink the office holds no database login: with the province
// service's address and its key it ships every event once, under the key's
// office; while it claims another office's id nothing ships and its status
// says whose key it holds; corrected, it catches up. The province's chain
// and folded tables then verify.
func TestShipsOverTheUplink(t *testing.T) {
	pg := provincetest.Start(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pool := pg.Pool
	mine := pg.Office(t, "XA.05", "UBND xã Thử")
	pg.Office(t, "XA.06", "UBND xã Bên")
	s, issue := openOffice(t)
	issue(30)
	target := make(chan queue.Sync, 1)
	target <- queue.Sync{URL: mine.URL, Key: mine.Key, Office: "XA.06"} // another office's id
	var current queue.Sync
	r := &Replicator{Source: s, Batch: 7, Idle: 10 * time.Millisecond, Target: func() queue.Sync {
		select {
		case current = <-target:
		default:
		}
		return current
	}}
	go r.Run(ctx)
	testwait.Until(t, 30*time.Second, func() bool { return strings.Contains(r.Status().LastError, "XA.05") },
		func() string { return fmt.Sprintf("claiming another office: %+v", r.Status()) })
	if n, _ := province.Folded(ctx, pool, "XA.06"); n != 0 {
		t.Fatalf("the claimed office holds %d events", n)
	}
	target <- mine // no id: the key's
	issue(10)
	testwait.Until(t, 60*time.Second, func() bool { return r.Status().Shipped == s.Snapshot().Seq && r.Status().Office == "XA.05" },
		func() string { return fmt.Sprintf("shipped %+v of %d", r.Status(), s.Snapshot().Seq) })
	chains, err := province.Verify(ctx, pool)
	if err != nil || len(chains) != 1 || chains[0].Office != "XA.05" || chains[0].LastSeq != int64(s.Snapshot().Seq) || chains[0].Fault != "" {
		t.Fatalf("verify: %+v %v", chains, err)
	}
}

// An office that shipped the old way (straight into the database) keeps its
// cursor: once the province gives its id a key, the rest ships through the
// uplink, each event once, and the chain verifies whole.
func TestAnOldOfficeGoesOnThroughTheUplink(t *testing.T) {
	pg := provincetest.Start(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s, issue := openOffice(t)
	issue(25)
	old, err := s.EventsAfter(0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	batch := make([]province.Event, len(old))
	for i, e := range old {
		batch[i] = province.Event{Seq: e.Seq, Hash: e.Hash, Raw: e.Raw}
	}
	if err := province.Ingest(ctx, pg.Pool, "XA.03", nil, batch); err != nil { // as the old replicator did
		t.Fatal(err)
	}
	if err := s.SetShipped(old[len(old)-1].Seq); err != nil {
		t.Fatal(err)
	}
	issue(15)
	r := &Replicator{Source: s, Target: Fixed(pg.Office(t, "XA.03", "UBND xã Ba")), Batch: 9, Idle: 10 * time.Millisecond}
	go r.Run(ctx)
	testwait.Until(t, 60*time.Second, func() bool { return r.Status().Shipped == s.Snapshot().Seq && r.Status().Office == "XA.03" },
		func() string { return fmt.Sprintf("shipped %+v of %d", r.Status(), s.Snapshot().Seq) })
	var rows int64
	pg.Pool.QueryRow(ctx, `SELECT count(*) FROM events WHERE office = 'XA.03'`).Scan(&rows)
	chains, err := province.Verify(ctx, pg.Pool)
	if err != nil || rows != int64(s.Snapshot().Seq) || len(chains) != 1 || chains[0].Fault != "" || chains[0].LastSeq != rows {
		t.Fatalf("%d rows; verify %+v %v", rows, chains, err)
	}
}
