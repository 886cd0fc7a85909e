package replicate

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"sync"
	"testing"
	"time"

	"motcua/internal/reportfile"

	"motcua/internal/bolt"
	"motcua/internal/intake"
	"motcua/internal/province"
	"motcua/internal/provincetest"
	"motcua/internal/queue"
	"motcua/internal/testwait"
)

// twoServices is an office with two services and two counters.
func twoServices(name string) queue.Office {
	return queue.Office{Name: name, TimeZone: "Asia/Ho_Chi_Minh",
		Services: []queue.ServiceConfig{{ID: "a", Name: "Hộ tịch", RangeStart: 1001, RangeEnd: 1999}, {ID: "b", Name: "Đất đai", RangeStart: 2001, RangeEnd: 2999}},
		Counters: []queue.CounterConfig{{Number: 1, Services: []string{"a", "b"}}, {Number: 2, Services: []string{"b", "a"}}}}
}

// officeDays scripts days of an office on its clock: tickets issued,
// called, served or not come, rated, some left waiting at closing; dossiers
// received, supplemented, resolved early, on time or late, withdrawn.
func officeDays(t testing.TB, s *bolt.Store, clock *testClock, seed uint64, days int) {
	t.Helper()
	officeDaysFrom(t, s, clock, seed, 0, days)
}

// officeDaysFrom scripts days as officeDays does, from the first-th on.
func officeDaysFrom(t testing.TB, s *bolt.Store, clock *testClock, seed uint64, first, days int) {
	t.Helper()
	ctx := context.Background()
	r := rand.New(rand.NewPCG(seed, 7))
	loc, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	do := func(cmd queue.Command) queue.Result {
		t.Helper()
		res, err := s.Do(ctx, cmd)
		if err != nil && err != queue.ErrNoneWaiting {
			t.Fatalf("%s: %v", cmd.Op, err)
		}
		return res
	}
	clerks := []string{"lan", "minh"}
	var open []string // dossiers not resolved yet
	for day := range days {
		clock.set(time.Date(2026, 10, 20+first+day, 8, 0, 0, 0, loc))
		if clock.now().Weekday() == time.Sunday {
			continue
		}
		for c := 1; c <= 2; c++ {
			do(queue.Command{Op: queue.OpOpen, Counter: c, Actor: queue.Actor{Kind: queue.ActorClerk, ID: clerks[c-1]}})
		}
		for i := range 8 + r.IntN(10) {
			clock.add(time.Duration(1+r.IntN(6)) * time.Minute)
			do(queue.Command{Op: queue.OpIssue, Actor: queue.Actor{Kind: queue.ActorDevice, ID: "k"}, ServiceID: []string{"a", "b"}[r.IntN(2)], Token: fmt.Sprintf("%d-%d-%d", seed, first+day, i)})
		}
		for range 6 + r.IntN(8) {
			c := 1 + r.IntN(2)
			clerk := queue.Actor{Kind: queue.ActorClerk, ID: clerks[c-1]}
			clock.add(time.Duration(r.IntN(9)) * time.Minute)
			if res := do(queue.Command{Op: queue.OpNext, Counter: c, Actor: clerk}); res.Ticket == nil {
				continue
			}
			if r.IntN(6) == 0 {
				do(queue.Command{Op: queue.OpNoShow, Counter: c, Actor: clerk})
				continue
			}
			do(queue.Command{Op: queue.OpStart, Counter: c, Actor: clerk})
			clock.add(time.Duration(2+r.IntN(15)) * time.Minute)
			done := do(queue.Command{Op: queue.OpFinish, Counter: c, Actor: clerk})
			if r.IntN(4) > 0 {
				do(queue.Command{Op: queue.OpRate, Counter: c, Actor: queue.Actor{Kind: queue.ActorDevice, ID: "rating"}, TicketID: done.Ticket.ID,
					Option: []string{"very_satisfied", "satisfied", "unsatisfied"}[r.IntN(3)], Reasons: []string{"slow"}})
			}
			if r.IntN(3) == 0 { // a dossier handed in
				clerk := clerks[c-1]
				d, err := s.CreateDossier(intake.Dossier{Agency: "X." + fmt.Sprint(seed), Procedure: []string{"1.001", "2.002"}[r.IntN(2)], Clerk: clerk,
					Status: intake.Received, ReceivedAt: clock.now(), DueAt: clock.now().AddDate(0, 0, 2+r.IntN(6)), Delivery: []string{"desk", "post"}[r.IntN(2)],
					Sets: 1, Applicant: intake.Applicant{Name: "Người Nộp"}, Fee: int64(r.IntN(3)) * 5000})
				if err != nil {
					t.Fatal(err)
				}
				open = append(open, d.Code)
				if d.Fee > 0 && r.IntN(3) > 0 { // paid at once: cash or a transfer
					method := []string{intake.PaidCash, intake.PaidTransfer}[r.IntN(2)]
					if _, err := s.UpdateDossier(d.Code, queue.Actor{Kind: queue.ActorClerk, ID: clerk}, "payment "+method, func(x *intake.Dossier) error {
						return x.Pay(intake.Payment{Method: method, Reference: "FT" + d.Code, At: clock.now(), By: clerk})
					}); err != nil {
						t.Fatal(err)
					}
				}
			}
		}
		// Some open dossiers move on today.
		for i := 0; i < len(open); i++ {
			code, by := open[i], queue.Actor{Kind: queue.ActorClerk, ID: "lan"}
			var step func(*intake.Dossier) error
			switch r.IntN(6) {
			case 0:
				step = func(d *intake.Dossier) error {
					if d.Status == intake.Supplement { // the papers came: the clock restarts
						d.DueAt = clock.now().AddDate(0, 0, 3)
						return d.Move(intake.Received, clock.now(), "lan", "")
					}
					return d.Move(intake.Ready, clock.now(), "lan", "")
				}
			case 1:
				step = func(d *intake.Dossier) error {
					if d.Status == intake.Supplement {
						return d.Move(intake.Withdrawn, clock.now(), "lan", "")
					}
					return d.Move(intake.Supplement, clock.now(), "lan", "thiếu giấy tờ")
				}
			default:
				continue
			}
			d, err := s.UpdateDossier(code, by, "status", step)
			if err != nil {
				t.Fatal(err)
			}
			if d.Status == intake.Ready || d.Status == intake.Withdrawn {
				open = append(open[:i], open[i+1:]...)
				i--
			}
		}
	}
	clock.set(time.Date(2026, 10, 20+first+days, 8, 0, 0, 0, loc)) // the last day closes
	do(queue.Command{Op: queue.OpOpen, Counter: 1, Actor: queue.Actor{Kind: queue.ActorClerk, ID: "lan"}})
}

type testClock struct {
	mu sync.Mutex
	at time.Time
}

func (c *testClock) now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.at }
func (c *testClock) set(t time.Time)     { c.mu.Lock(); c.at = t; c.mu.Unlock() }
func (c *testClock) add(d time.Duration) { c.mu.Lock(); c.at = c.at.Add(d); c.mu.Unlock() }

// Two offices ship three weeks each (across a month's end); the province's
// report of each office is the office's own, and its report of the two is
// their sum: tickets (every count, sum and distribution), ratings, and the
// dossiers' figures for the period and each month.
func TestProvinceReportIsTheSumOfTheOffices(t *testing.T) {
	pg := provincetest.Start(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	loc, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	type office struct {
		id    string
		store *bolt.Store
	}
	var offices []office
	for i, id := range []string{"XA.01", "XA.02"} {
		clock := &testClock{}
		s, err := bolt.Open(t.TempDir(), twoServices("UBND xã "+id), bolt.Options{Now: clock.now, TickEvery: time.Hour})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		officeDays(t, s, clock, uint64(i+1), 21)
		r := &Replicator{Source: s, Target: Fixed(pg.Office(t, id, "UBND xã "+id)), Batch: 97, Idle: 10 * time.Millisecond}
		go r.Run(ctx)
		testwait.Until(t, 60*time.Second, func() bool { return r.Status().Shipped == s.Snapshot().Seq }, func() string { return fmt.Sprintf("%s shipped %+v of %d", id, r.Status(), s.Snapshot().Seq) })
		offices = append(offices, office{id, s})
	}
	pool := pg.Pool
	held, err := province.Offices(ctx, pool, nil)
	if err != nil || len(held) != 2 || held[0].Profile.Name != "UBND xã XA.01" {
		t.Fatalf("offices: %+v %v", held, err)
	}
	from, to := time.Date(2026, 10, 22, 0, 0, 0, 0, loc), time.Date(2026, 11, 9, 0, 0, 0, 0, loc)
	fromDay, lastDay := queue.DayOf(from, loc), queue.DayOf(to.AddDate(0, 0, -1), loc)
	// The office's own figures, as its console counts them.
	own := func(s *bolt.Store) (*queue.Report, map[string]*intake.Flows) {
		rep, err := s.Report(fromDay, lastDay)
		if err != nil {
			t.Fatal(err)
		}
		flows, err := s.DossierFlows(to)
		if err != nil {
			t.Fatal(err)
		}
		return rep, flows[""]
	}
	sum := queue.NewReport(twoServices("all"), fromDay, lastDay)
	var sumDossiers intake.Period
	var issued []int // each office's own
	for i, o := range offices {
		rep, flows := own(o.store)
		got, err := province.Report(ctx, pool, held[i:i+1], from, to, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got.Figures.Total, rep.Total) || !reflect.DeepEqual(got.Figures.Services, rep.Services) ||
			!reflect.DeepEqual(got.Figures.Clerks, rep.Clerks) || !reflect.DeepEqual(got.Figures.Days, rep.Days) {
			t.Errorf("%s: the province's tickets\n %+v\nthe office's\n %+v", o.id, got.Figures.Total, rep.Total)
		}
		if rep.Total.Issued < 100 || rep.Total.Rated == 0 {
			t.Fatalf("%s: a thin script: %+v", o.id, rep.Total)
		}
		wantD := intake.Sum(flows, from, to, loc)
		if !reflect.DeepEqual(*got.Figures.Dossiers, wantD) {
			t.Errorf("%s: the province's dossiers\n %+v\nthe office's\n %+v", o.id, *got.Figures.Dossiers, wantD)
		}
		if wantD.Received == 0 || wantD.Resolved == 0 || wantD.CarriedOver == 0 || wantD.OpenWithin+wantD.OpenOverdue == 0 || wantD.FeesCollected == 0 || wantD.Cashless == 0 {
			t.Fatalf("%s: a thin script: %+v", o.id, wantD)
		}
		for _, m := range got.Figures.DossiersByMonth {
			start, _ := time.ParseInLocation("2006-01", m.Month, loc)
			end := start.AddDate(0, 1, 0)
			if start.Before(from) {
				start = from
			}
			if end.After(to) {
				end = to
			}
			if want := intake.Sum(flows, start, end, loc); !reflect.DeepEqual(m.Period, want) {
				t.Errorf("%s %s: province %+v, office %+v", o.id, m.Month, m.Period, want)
			}
		}
		issued = append(issued, rep.Total.Issued)
		// Two whole months: read from the months' own tallies.
		whole, err := o.store.Report("20261001", "20261130")
		if err != nil {
			t.Fatal(err)
		}
		got2, err := province.Report(ctx, pool, held[i:i+1], time.Date(2026, 10, 1, 0, 0, 0, 0, loc), time.Date(2026, 12, 1, 0, 0, 0, 0, loc), time.Now())
		if err != nil || !reflect.DeepEqual(got2.Figures.Total, whole.Total) || !reflect.DeepEqual(got2.Figures.Days, whole.Days) || !reflect.DeepEqual(got2.Figures.Clerks, whole.Clerks) {
			t.Errorf("%s, October and November: the province's %+v, the office's %+v (%v)", o.id, got2.Figures.Total, whole.Total, err)
		}
		r := *rep
		r.Clerks, r.Counters = nil, nil
		sum.Merge(&r)
		addPeriod(&sumDossiers, wantD)
	}
	sum.Finish()
	both, err := province.Report(ctx, pool, held, from, to, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(reportfile.CSV(both), []byte("\nCả 2 đơn vị / all 2 offices,")) {
		t.Errorf("the two offices' total row is not named for them:\n%s", reportfile.CSV(both))
	}
	if !reflect.DeepEqual(both.Figures.Total, sum.Total) || !reflect.DeepEqual(both.Figures.Services, sum.Services) || !reflect.DeepEqual(both.Figures.Days, sum.Days) {
		t.Errorf("the two offices' tickets\n %+v\nthe sum of theirs\n %+v", both.Figures.Total, sum.Total)
	}
	got := *both.Figures.Dossiers
	var counts intake.Period
	addPeriod(&counts, got)
	if !reflect.DeepEqual(counts, sumDossiers) {
		t.Errorf("the two offices' dossiers\n %+v\nthe sum of theirs\n %+v", counts, sumDossiers)
	}
	if len(both.Figures.Offices) != 2 || both.Figures.Offices[0].Issued != issued[0] || both.Figures.Offices[1].Issued != issued[1] {
		t.Errorf("each office's figures: %+v", both.Figures.Offices)
	}
}

// addPeriod adds p's counts to sum (the rates are not additive).
func addPeriod(sum *intake.Period, p intake.Period) {
	sum.CarriedOver += p.CarriedOver
	sum.Received += p.Received
	sum.InPerson += p.InPerson
	sum.ByPost += p.ByPost
	sum.Resolved += p.Resolved
	sum.Early += p.Early
	sum.OnTime += p.OnTime
	sum.Late += p.Late
	sum.OpenWithin += p.OpenWithin
	sum.OpenOverdue += p.OpenOverdue
	sum.Supplements += p.Supplements
	sum.Apologies += p.Apologies
	sum.Withdrawn += p.Withdrawn
	if sum.ByStatus == nil {
		sum.ByStatus = map[string]int{}
	}
	for k, v := range p.ByStatus {
		sum.ByStatus[k] += v
	}
}
