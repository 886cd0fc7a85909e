// Command motcua-bench measures the budgets (docs/PERFORMANCE.md) against floors
// measured in the same run, and prints one table (`make bench`):
//
//   - durable ticket issue over HTTP, p50/p99, at 1 and 32 concurrent kiosks;
//     floor: fsync of a small file;
//   - call-next until the event reached every one of N websocket clients, p50/p99
//     for N = 10, 100, 500; floor: a bare gorilla/websocket broadcast to N clients.
//
// Everything runs on loopback in this process, against a real server on a temp
// data directory.
package main

import (
	"flag"
	"fmt"
	"log/slog"
	"os"
	"runtime"
	"runtime/pprof"
	"time"
)

func main() {
	// The servers measured here log warnings and errors only: a line per
	// request on the terminal would be measured too.
	slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})))
	issues := flag.Int("issues", 2000, "tickets per issue measurement")
	calls := flag.Int("calls", 150, "call-next rounds per client count")
	issueOnly := flag.Bool("issue-only", false, "measure ticket issue only")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the whole run to this file")
	yearTickets := flag.Int("year-tickets", 500000, "tickets in the year of data for start-up and report")
	serve := flag.String("serve", "", "internal: run a bare server on this data directory (the RSS child)")
	serveFeed := flag.String("serve-feed", "", "internal: run the feed bench's server on this data directory (a child)")
	bare := flag.Bool("bare", false, "internal: run the bare gorilla broadcast server (a child)")
	phonesN := flag.Int("phones", 0, "internal: run this many feed clients of the URL argument (a child)")
	many := flag.Int("many", 10000, "feed clients of the waiting-room measurement (0: skip it)")
	manyRounds := flag.Int("many-rounds", 30, "call-next rounds with the many clients")
	rushRounds := flag.Int("rush-rounds", 8, "bursts, each followed by the timed first call, on the shipped binary with the many clients (0: skip it)")
	rushOnly := flag.Bool("rush-only", false, "measure the shipped binary's morning rush only")
	provinceTickets := flag.Int("province-tickets", 500000, "tickets in the provincial centre's year (0: skip it)")
	provinceDossiers := flag.Int("province-dossiers", 70000, "dossiers in the provincial centre's year")
	provinceOnly := flag.Bool("province-only", false, "measure the provincial centre's year only")
	flag.Parse()
	switch {
	case *serve != "":
		fail(serveChild(*serve)) // it returns only when it could not start
		return
	case *serveFeed != "":
		fail(serveFeedChild(*serveFeed))
		return
	case *bare:
		if err := bareChild(); err != nil {
			fail(err)
		}
		return
	case *phonesN > 0:
		if err := phonesChild(*phonesN, flag.Arg(0)); err != nil {
			fail(err)
		}
		return
	}
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			fail(err)
		}
		pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile()
	}
	dir, err := os.MkdirTemp("", "motcua-bench-*")
	if err != nil {
		fail(err)
	}
	defer os.RemoveAll(dir)

	fmt.Printf("motcua-bench %s, %s/%s, %d CPUs, GOMAXPROCS %d\n\n", time.Now().Format("2006-01-02 15:04"), runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), runtime.GOMAXPROCS(0))
	fmt.Printf("%-44s %10s %10s %8s\n", "measurement", "p50", "p99", "n")
	row := func(name string, s sample) {
		fmt.Printf("%-44s %10s %10s %8d\n", name, ms(s.p(50)), ms(s.p(99)), len(s))
	}

	fsync, err := fsyncFloor(dir, 500)
	if err != nil {
		fail(err)
	}
	row("floor: fsync of a 256-byte write", fsync)

	env, err := startEnv(dir)
	if err != nil {
		fail(err)
	}
	defer env.close()
	for _, n := range []int{1, 32} {
		s, err := env.issueLatency(n, *issues)
		if err != nil {
			fail(err)
		}
		row(fmt.Sprintf("ticket issue, durable, %d concurrent kiosk(s)", n), s)
	}
	if *rushOnly {
		rush(dir, *many, *rushRounds, row)
		return
	}
	if *provinceOnly {
		if err := provinceBudgets(dir, *provinceTickets, *provinceDossiers, row); err != nil {
			fail(err)
		}
		return
	}
	if *issueOnly {
		return
	}
	for _, n := range []int{10, 100, 500} {
		floor, err := bareBroadcast(n, *calls)
		if err != nil {
			fail(err)
		}
		row(fmt.Sprintf("floor: bare gorilla broadcast to %d", n), floor)
		s, err := env.callFanout(n, *calls)
		if err != nil {
			fail(err)
		}
		row(fmt.Sprintf("call-next -> event at all %d clients", n), s)
	}
	if err := yearBudgets(dir, *yearTickets, row); err != nil {
		fail(err)
	}
	if *provinceTickets > 0 {
		if err := provinceBudgets(dir, *provinceTickets, *provinceDossiers, row); err != nil {
			fail(err)
		}
	}
	kb, err := rssWith(dir, 1000)
	if err != nil {
		fail(err)
	}
	fmt.Printf("%-44s %10.1f MB\n", "server RSS with 1000 websocket clients", float64(kb)/1024)
	if *many > 0 {
		kb, err := manyClients(dir, *many, *manyRounds, 300, row)
		if err != nil {
			fail(err)
		}
		fmt.Printf("%-44s %10.1f MB\n", fmt.Sprintf("server RSS with %d websocket clients", *many), float64(kb)/1024)
		rush(dir, *many, *rushRounds, row)
	}
	fmt.Printf("\nbudgets (docs/PERFORMANCE.md): ticket p99 <= 10 ms at 32 kiosks; call-next -> 500 clients p99 <= 50 ms;\n")
	fmt.Printf("RSS <= 64 MB with 1000 clients; start-up < 0.5 s and a year's report < 1 s on a year of data;\n")
	fmt.Printf("a provincial centre's year (500,000 tickets, 70,000 dossiers): its report page, XLSX and PDF < 2 s each, the live page's redraw after a call < 1 s;\n")
	fmt.Printf("with 10000 feed clients: RSS <= 160 MB, ticket issue p99 within 2x of none, call-next p99 within 2x of the bare broadcast\n")
}

// rush measures the shipped binary's morning rush (shipped.go).
func rush(dir string, n, rounds int, row func(string, sample)) {
	if n <= 0 || rounds <= 0 {
		return
	}
	rss, hwm, err := shippedRush(dir, n, rounds, row)
	if err != nil {
		fail(err)
	}
	fmt.Printf("%-44s %10.1f MB (high-water %0.1f MB)\n", fmt.Sprintf("shipped server RSS with %d phones", n), float64(rss)/1024, float64(hwm)/1024)
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "motcua-bench:", err)
	os.Exit(1)
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond)) }
