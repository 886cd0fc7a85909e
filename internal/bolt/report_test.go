package bolt

import (
	"fmt"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"motcua/internal/queue"
)

func TestReportOverImportedDays(t *testing.T) {
	s := openTest(t)
	var ts []queue.Ticket
	for d, day := range []string{"20260105", "20260106", "20260107"} {
		for i := range 1000 {
			q := time.Date(2026, 1, 5+d, 8, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Second)
			tk := queue.Ticket{ID: fmt.Sprintf("%s-a-%d", day, 1001+i), Day: day, Number: 1001 + i, ServiceID: "a", FirstServiceID: "a",
				State: queue.Done, Counter: 1, QueuedAt: q, IssuedAt: q, CalledAt: q.Add(10 * time.Minute), DoneAt: q.Add(15 * time.Minute)}
			if i%10 == 0 {
				tk.State, tk.DoneAt = queue.NoShow, time.Time{}
			}
			ts = append(ts, tk)
		}
	}
	if err := s.ImportTickets(ts); err != nil {
		t.Fatal(err)
	}
	r, err := s.Report("20260106", "20260107")
	if err != nil {
		t.Fatal(err)
	}
	if r.Total.Issued != 2000 || r.Total.Served != 1800 || r.Total.NoShow != 200 || r.Total.WaitMeanMinutes != 10 || r.Total.ServiceMeanMinutes != 5 {
		t.Fatalf("report %+v", r.Total)
	}
	if r.Counters[0].Served != 1800 {
		t.Fatalf("counter 1 %+v", r.Counters[0])
	}
}

// A closed day's tally is stored (at the first report, and at the rollover)
// and a report from stored tallies reads the same as one from the tickets.
func TestReportSummaries(t *testing.T) {
	dir := t.TempDir()
	c := newClock()
	s := open(t, dir, c)
	defer s.Close()
	day1 := c.Now().In(time.UTC).Format("20060102")
	for i := range 5 {
		issue(t, s, "a", fmt.Sprint("tok", i))
	}
	c.Set(c.Now().Add(24 * time.Hour)) // the next day: the first command's tick rolls over
	issue(t, s, "a", "tok-next")
	var stored bool
	s.db.View(func(tx *bbolt.Tx) error {
		stored = tx.Bucket(bDays).Bucket([]byte(day1)).Get(kSummary) != nil
		return nil
	})
	if !stored {
		t.Fatal("no summary stored for the day the rollover closed")
	}
	day2 := c.Now().In(time.UTC).Format("20060102")
	a, err := s.Report(day1, day2)
	if err != nil {
		t.Fatal(err)
	}
	if a.Total.Issued != 6 {
		t.Fatalf("issued %d, want 5 yesterday (from the summary) + 1 today", a.Total.Issued)
	}
	// A summary of an older shape (before hours and clerks were tallied) is
	// tallied again from the day's tickets, and stored anew.
	s.db.Update(func(tx *bbolt.Tx) error {
		return tx.Bucket(bDays).Bucket([]byte(day1)).Put(kSummary, []byte(`{"from":"`+day1+`","to":"`+day1+`","total":{"issued":99}}`))
	})
	// Issued at 09:00 UTC: 16:00 in the office's zone.
	if a, err = s.Report(day1, day1); err != nil || a.Total.Issued != 5 || a.Hours[16].Issued != 5 {
		t.Fatalf("over an old summary: %v, issued %d, at 16h %d", err, a.Total.Issued, a.Hours[16].Issued)
	}
	s.db.View(func(tx *bbolt.Tx) error {
		back, current, err := queue.DecodeSummary(tx.Bucket(bDays).Bucket([]byte(day1)).Get(kSummary))
		if err != nil || !current || back.Total.Issued != 5 {
			t.Errorf("the summary stored again: %v, current %v, %+v", err, current, back)
		}
		return nil
	})
}
