package replicate

import (
	"context"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"motcua/internal/pgtest"
	"motcua/internal/province"
	"motcua/internal/provinceweb"
	"motcua/internal/queue"
	"motcua/internal/testwait"
)

// Over the uplink the office holds no database login: with the province
// service's address and its key it ships every event once, under the key's
// office; while it claims another office's id nothing ships and its status
// says whose key it holds; corrected, it catches up. The province's chain
// and folded tables then verify.
func TestShipsOverTheUplink(t *testing.T) {
	pg := pgtest.Start(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pool := pg.Pool(t)
	if _, err := province.Migrate(ctx, pool); err != nil {
		t.Fatal(err)
	}
	key, err := province.AddOffice(ctx, pool, "test", "XA.05", "UBND xã Thử")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := province.AddOffice(ctx, pool, "test", "XA.06", "UBND xã Bên"); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer((&provinceweb.Server{Pool: pool}).Handler())
	defer srv.Close()
	s, issue := openOffice(t)
	issue(30)
	target := make(chan queue.Sync, 1)
	target <- queue.Sync{URL: srv.URL, Key: key, Office: "XA.06"} // another office's id
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
	target <- queue.Sync{URL: srv.URL, Key: key} // no id: the key's
	issue(10)
	testwait.Until(t, 60*time.Second, func() bool { return r.Status().Shipped == s.Snapshot().Seq && r.Status().Office == "XA.05" },
		func() string { return fmt.Sprintf("shipped %+v of %d", r.Status(), s.Snapshot().Seq) })
	chains, err := province.Verify(ctx, pool)
	if err != nil || len(chains) != 1 || chains[0].Office != "XA.05" || chains[0].LastSeq != int64(s.Snapshot().Seq) || chains[0].Fault != "" {
		t.Fatalf("verify: %+v %v", chains, err)
	}
}
