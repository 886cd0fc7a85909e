package main

import (
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"motcua/internal/bolt"
	"motcua/internal/feed"
	"motcua/internal/queue"
)

func benchOffice() queue.Office {
	return queue.Office{
		Name:     "Bench",
		Services: []queue.ServiceConfig{{ID: "a", Name: "A", RangeStart: 1, RangeEnd: 499999}, {ID: "b", Name: "B", RangeStart: 500000, RangeEnd: 999999}},
		Counters: []queue.CounterConfig{{Number: 1, Services: []string{"a", "b"}}, {Number: 2, Services: []string{"b", "a"}}},
	}
}

// seedYear writes a year of finished tickets (n in all, over the 365 days
// before today) into a store in dir.
func seedYear(dir string, n int) error {
	s, err := bolt.Open(dir, benchOffice(), bolt.Options{})
	if err != nil {
		return err
	}
	defer s.Close()
	r := rand.New(rand.NewPCG(1, 2))
	perDay := n / 365
	start := time.Now().AddDate(0, 0, -366)
	ts := make([]queue.Ticket, 0, n)
	for d := range 365 {
		day := start.AddDate(0, 0, d)
		key := day.Format("20060102")
		for i := range perDay {
			svc := []string{"a", "b"}[i%2]
			q := time.Date(day.Year(), day.Month(), day.Day(), 7, 30, 0, 0, time.UTC).Add(time.Duration(i*20) * time.Second)
			t := queue.Ticket{ID: queue.TicketID(key, svc, i+1), Day: key, Number: i + 1, Display: strconv.Itoa(i + 1), ServiceID: svc, FirstServiceID: svc,
				Channel: queue.ChannelKiosk, Token: fmt.Sprintf("%016x%016x", r.Uint64(), r.Uint64()), State: queue.Done, Counter: 1 + i%2, Clerk: "bench",
				IssuedAt: q, QueuedAt: q, CalledAt: q.Add(time.Duration(r.IntN(40)) * time.Minute)}
			t.DoneAt = t.CalledAt.Add(time.Duration(3+r.IntN(10)) * time.Minute)
			t.Rating = &queue.Rating{Option: []string{"very_satisfied", "satisfied", "unsatisfied", ""}[r.IntN(4)], Counter: t.Counter, Clerk: "bench", At: t.DoneAt}
			if i%17 == 0 {
				t.State, t.DoneAt, t.Rating = queue.NoShow, time.Time{}, nil
			}
			ts = append(ts, t)
		}
	}
	return s.ImportTickets(ts)
}

// yearBudgets measures start-up and a year's report on n tickets.
func yearBudgets(dir string, n int, row func(string, sample)) error {
	dir = filepath.Join(dir, "year")
	if err := seedYear(dir, n); err != nil {
		return err
	}
	var open, report sample
	from := time.Now().AddDate(0, 0, -366).Format("20060102")
	to := time.Now().Format("20060102")
	for range 5 {
		t0 := time.Now()
		s, err := bolt.Open(dir, benchOffice(), bolt.Options{})
		if err != nil {
			return err
		}
		open = append(open, time.Since(t0))
		t0 = time.Now()
		rep, err := s.Report(from, to)
		if err != nil {
			return err
		}
		report = append(report, time.Since(t0))
		s.Close()
		if rep.Total.Issued != n/365*365 {
			return fmt.Errorf("the report counted %d of %d tickets", rep.Total.Issued, n/365*365)
		}
	}
	slices.Sort(open)
	slices.Sort(report)
	row(fmt.Sprintf("start-up (open) on a year, %d tickets", n/365*365), open)
	row(fmt.Sprintf("report over a year, %d tickets", n/365*365), report)
	return nil
}

// serveChild runs a bare server for the RSS measurement (motcua-bench --serve DIR).
func serveChild(dir string) error {
	e, err := startEnvOffice(dir, benchOffice(), feed.Config{}) // production defaults
	if err != nil {
		return err
	}
	fmt.Println(e.base)
	select {}
}

// rssWith starts a server in a child process, connects n websocket clients,
// waits for each one's snapshot, and reads the child's resident memory.
func rssWith(dir string, n int) (int, error) {
	base, cmd, err := child("--serve", filepath.Join(dir, "rss"))
	if err != nil {
		return 0, err
	}
	defer stopChild(cmd)
	conns, err := dialN("ws"+strings.TrimPrefix(base, "http")+"/ws", n, true)
	if err != nil {
		return 0, err
	}
	defer closeAll(conns)
	time.Sleep(500 * time.Millisecond)
	return rssOf(cmd.Process.Pid)
}
