// Package pgtest starts a real PostgreSQL for a test in a temporary
// directory (initdb, then pg_ctl on a free port with its socket in the
// directory), the way DEPENDENCIES.md says: as root, initdb runs as the
// postgres user. `make test` installs Debian's postgresql package. Imported
// by tests only.
package pgtest

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
)

// Server is a running PostgreSQL.
type Server struct {
	DSN string
	dir string
	run func(args ...string) *exec.Cmd
	bin string
}

// Start initialises and starts a PostgreSQL that the test stops at its end.
func Start(t testing.TB) *Server {
	t.Helper()
	bins, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	if len(bins) == 0 {
		t.Fatal("PostgreSQL is needed (make test installs Debian's postgresql)")
	}
	sort.Strings(bins)
	bin := filepath.Dir(bins[len(bins)-1])
	dir, err := os.MkdirTemp("", "motcua-pg-*")
	if err != nil {
		t.Fatal(err)
	}
	// Under the locale of the office's tests (vi_VN.UTF-8, maybe not
	// generated on the machine) initdb refuses to start: the C locale here.
	cLocale := []string{"env", "LC_ALL=C.UTF-8", "LANG=C.UTF-8"}
	s := &Server{dir: dir, bin: bin, run: func(args ...string) *exec.Cmd {
		full := append(cLocale, args...)
		return exec.Command(full[0], full[1:]...)
	}}
	if os.Geteuid() == 0 { // initdb refuses root: the postgres user runs it
		pg, err := user.Lookup("postgres")
		if err != nil {
			t.Fatal("the postgres user is missing (install postgresql)")
		}
		uid, _ := strconv.Atoi(pg.Uid)
		gid, _ := strconv.Atoi(pg.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			t.Fatal(err)
		}
		s.run = func(args ...string) *exec.Cmd {
			return exec.Command("runuser", append(append([]string{"-u", "postgres", "--"}, cLocale...), args...)...)
		}
	}
	if out, err := s.run(filepath.Join(bin, "initdb"), "-D", filepath.Join(dir, "data"), "-A", "trust", "-U", "motcua", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync").CombinedOutput(); err != nil {
		t.Fatalf("initdb: %v\n%s", err, out)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	s.DSN = fmt.Sprintf("postgres://motcua@127.0.0.1:%d/postgres?sslmode=disable", port)
	s.start(t, port)
	t.Cleanup(func() {
		s.Stop(t)
		os.RemoveAll(dir)
	})
	return s
}

func (s *Server) start(t testing.TB, port int) {
	t.Helper()
	opts := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off", port, s.dir)
	if out, err := s.run(filepath.Join(s.bin, "pg_ctl"), "-D", filepath.Join(s.dir, "data"), "-o", opts, "-l", filepath.Join(s.dir, "log"), "-w", "-t", "60", "start").CombinedOutput(); err != nil {
		log, _ := os.ReadFile(filepath.Join(s.dir, "log"))
		t.Fatalf("pg_ctl start: %v\n%s\n%s", err, out, log)
	}
}

// Stop stops the server (a test may then Restart it).
func (s *Server) Stop(t testing.TB) {
	s.run(filepath.Join(s.bin, "pg_ctl"), "-D", filepath.Join(s.dir, "data"), "-m", "fast", "-w", "stop").Run()
}

// Restart starts a stopped server again on its port.
func (s *Server) Restart(t testing.TB) {
	t.Helper()
	var port int
	fmt.Sscanf(s.DSN, "postgres://motcua@127.0.0.1:%d/", &port)
	s.start(t, port)
}

// Pool is a connection pool on the server's database, closed when the test
// ends (before the server stops).
func (s *Server) Pool(t testing.TB) *pgxpool.Pool {
	t.Helper()
	pool, err := pgxpool.New(context.Background(), s.DSN)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	return pool
}

// PIDs are the server's processes now running (the postmaster first, then
// its children): a benchmark pins them to cores of their own.
func (s *Server) PIDs() ([]int, error) {
	raw, err := os.ReadFile(filepath.Join(s.dir, "data", "postmaster.pid"))
	if err != nil {
		return nil, err
	}
	first, _, _ := strings.Cut(string(raw), "\n")
	pid, err := strconv.Atoi(strings.TrimSpace(first))
	if err != nil {
		return nil, err
	}
	pids := []int{pid}
	procs, _ := os.ReadDir("/proc")
	for _, p := range procs {
		n, err := strconv.Atoi(p.Name())
		if err != nil {
			continue
		}
		stat, err := os.ReadFile(filepath.Join("/proc", p.Name(), "stat"))
		if err != nil {
			continue
		}
		// pid (comm) state ppid …: the comm may hold spaces, not ")".
		rest := string(stat[strings.LastIndexByte(string(stat), ')')+1:])
		if f := strings.Fields(rest); len(f) > 1 && f[1] == strconv.Itoa(pid) {
			pids = append(pids, n)
		}
	}
	return pids, nil
}
