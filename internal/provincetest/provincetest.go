// Package provincetest is, for tests, the province as an office meets it: a
// real PostgreSQL (pgtest), migrated, and motcua-province's service over it
// on loopback, where offices are added with their keys. Imported by tests
// only.
package provincetest

import (
	"context"
	"net/http/httptest"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"motcua/internal/pgtest"
	"motcua/internal/province"
	"motcua/internal/provinceweb"
	"motcua/internal/queue"
)

// Province is the province's database and its service.
type Province struct {
	*pgtest.Server
	URL  string        // the service's address: its uplink and pages
	Pool *pgxpool.Pool // the database, for the test's own reading
}

// Start starts PostgreSQL and the service over it, both stopped at the end
// of the test.
func Start(t testing.TB, with ...func(*provinceweb.Server)) *Province {
	t.Helper()
	pg := pgtest.Start(t)
	return Over(t, pg, pg.Pool(t), with...)
}

// Over starts the service over a database of pg's (another one than its
// first, say).
// with sets what the service has besides its database (its Zalo OA).
func Over(t testing.TB, pg *pgtest.Server, pool *pgxpool.Pool, with ...func(*provinceweb.Server)) *Province {
	t.Helper()
	if _, err := province.Migrate(context.Background(), pool); err != nil {
		t.Fatal(err)
	}
	ps := &provinceweb.Server{Pool: pool}
	for _, w := range with {
		w(ps)
	}
	srv := httptest.NewServer(ps.Handler())
	t.Cleanup(srv.Close)
	return &Province{Server: pg, URL: srv.URL, Pool: pool}
}

// Office adds an office and returns the sync settings that ship to it: the
// service's address and the office's key.
func (p *Province) Office(t testing.TB, id, name string) queue.Sync {
	t.Helper()
	key, err := province.AddOffice(context.Background(), p.Pool, "test", id, name)
	if err != nil {
		t.Fatal(err)
	}
	return queue.Sync{URL: p.URL, Key: key}
}
