package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"motcua/internal/pgtest"
	"motcua/internal/province"
	"motcua/internal/provinceweb"
	"motcua/internal/queue"
	"motcua/internal/replicate"
	"motcua/internal/testwait"
)

// With the roles docs/PROVINCE.md gives — an owner that migrates, the
// service's role with no DDL, a read-only role — on a fresh database: the
// owner migrates once; the service (as its role) adds two offices, takes
// both offices' events through the uplink, folds and verifies them, and a
// restart needs no ownership; the service's role cannot create or alter a
// table, the read-only role cannot write.
func TestTwoOfficesWithTheDocumentedRoles(t *testing.T) {
	pg := pgtest.Start(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	super := pg.Pool(t)
	for _, sql := range []string{
		`CREATE ROLE motcua_owner LOGIN`, `CREATE ROLE motcua_service LOGIN`, `CREATE ROLE motcua_read LOGIN`,
		`CREATE DATABASE province OWNER motcua_owner`,
	} {
		if _, err := super.Exec(ctx, sql); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	as := func(role string) string {
		return strings.Replace(strings.Replace(pg.DSN, "motcua@", role+"@", 1), "/postgres?", "/province?", 1)
	}
	runOK := func(args ...string) string {
		t.Helper()
		var out, errs bytes.Buffer
		if code := run(args, &out, &errs); code != 0 {
			t.Fatalf("%v: exit %d\n%s%s", args, code, out.String(), errs.String())
		}
		lines := strings.Split(strings.TrimSpace(out.String()), "\n")
		return lines[len(lines)-1]
	}
	var out, errs bytes.Buffer
	if code := run([]string{"office", "list", "--dsn", as("motcua_service")}, &out, &errs); code != 1 || !strings.Contains(errs.String(), "migrate") {
		t.Fatalf("before the owner migrated: exit %d %s", code, errs.String())
	}
	runOK("migrate", "--dsn", as("motcua_owner"), "--service-role", "motcua_service", "--read-role", "motcua_read")
	keys := map[string]string{}
	for _, id := range []string{"XA.01", "XA.02"} {
		keys[id] = runOK("office", "add", "--dsn", as("motcua_service"), "--id", id, "--name", "UBND "+id)
	}
	service, err := pgxpool.New(ctx, as("motcua_service"))
	if err != nil {
		t.Fatal(err)
	}
	defer service.Close()
	srv := httptest.NewServer((&provinceweb.Server{Pool: service}).Handler())
	defer srv.Close()
	var total int
	for i, id := range []string{"XA.01", "XA.02"} {
		s, issue := issuingOffice(t, "UBND "+id)
		issue(10 + 5*i)
		r := &replicate.Replicator{Source: s, Target: replicate.Fixed(queue.Sync{URL: srv.URL, Key: keys[id]}), Idle: 10 * time.Millisecond}
		go r.Run(ctx)
		testwait.Until(t, 30*time.Second, func() bool { return r.Status().Shipped == s.Snapshot().Seq && r.Status().Office == id },
			func() string { return fmt.Sprintf("%s shipped %+v", id, r.Status()) })
		total += int(s.Snapshot().Seq)
	}
	if text := runOK("verify", "--dsn", as("motcua_read")); !strings.Contains(text, "nguyên vẹn") {
		t.Errorf("verify as the read-only role: %s", text)
	}
	chains, err := province.Verify(ctx, service)
	if err != nil || len(chains) != 2 || chains[0].Fault != "" || chains[1].Fault != "" {
		t.Fatalf("verify as the service: %+v %v", chains, err)
	}
	for _, sql := range []string{`CREATE TABLE sneaky (x int)`, `ALTER TABLE events ADD COLUMN x int`, `DROP TABLE alerts`} {
		if _, err := service.Exec(ctx, sql); err == nil {
			t.Errorf("the service's role could: %s", sql)
		}
	}
	read, err := pgxpool.New(ctx, as("motcua_read"))
	if err != nil {
		t.Fatal(err)
	}
	defer read.Close()
	if _, err := read.Exec(ctx, `UPDATE ticket_days SET summary = summary`); err == nil {
		t.Error("the read-only role could write")
	}
	var n int
	if err := read.QueryRow(ctx, `SELECT count(*) FROM events`).Scan(&n); err != nil || n != total {
		t.Errorf("the read-only role reads %d events (%v)", n, err)
	}
}
