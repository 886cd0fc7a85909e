package bolt

import (
	"reflect"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"motcua/internal/intake"
	"motcua/internal/queue"
)

// The store's day tallies of the dossiers follow every change (created,
// moved, resolved, imported) and give what Tally counts from the dossiers;
// a store without them (older) builds them once at open.
func TestDossierFlowsFollowTheDossiers(t *testing.T) {
	dir, c := t.TempDir(), newClock()
	s := open(t, dir, c)
	loc, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	at := func(day int) time.Time { return time.Date(2026, 11, 2+day, 9, 0, 0, 0, loc) }
	clerk := queue.Actor{Kind: queue.ActorClerk, ID: "lan"}
	var codes []string
	for i := range 6 {
		d, err := s.CreateDossier(intake.Dossier{Agency: "H29.100", ReceivedAt: at(i), DueAt: at(i + 3), Status: intake.Received, Clerk: []string{"lan", "minh"}[i%2],
			Procedure: []string{"1.001193", "2.000001"}[i%2], Applicant: intake.Applicant{Name: "A"}, Delivery: "desk"})
		if err != nil {
			t.Fatal(err)
		}
		codes = append(codes, d.Code)
	}
	for i, code := range codes[:4] { // two early, one late, one supplemented then on time
		if _, err := s.UpdateDossier(code, clerk, "status", func(d *intake.Dossier) error {
			if i == 3 {
				d.History = append(d.History, intake.Change{At: at(i + 1), To: intake.Supplement})
			}
			d.ReadyAt, d.Status = at(i+[]int{1, 2, 5, 3}[i]), intake.Ready
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	check := func(what string, s *Store) {
		t.Helper()
		from, to := time.Date(2026, 11, 4, 0, 0, 0, 0, loc), time.Date(2026, 11, 12, 0, 0, 0, 0, loc)
		all, err := s.Dossiers(time.Time{}, to)
		if err != nil {
			t.Fatal(err)
		}
		flows, err := s.DossierFlows(to)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := intake.Sum(flows[""], from, to, loc), intake.Tally(all, from, to, loc); !reflect.DeepEqual(got, want) || want.Resolved == 0 || want.CarriedOver == 0 {
			t.Errorf("%s:\n got %+v\nwant %+v", what, got, want)
		}
		var lan []intake.Dossier
		for _, d := range all {
			if d.Clerk == "lan" {
				lan = append(lan, d)
			}
		}
		if got, want := intake.Sum(flows["c:lan"], from, to, loc), intake.Tally(lan, from, to, loc); !reflect.DeepEqual(got, want) {
			t.Errorf("%s, lan's:\n got %+v\nwant %+v", what, got, want)
		}
	}
	check("kept by the writer", s)
	s.db.Update(func(tx *bbolt.Tx) error { // as a store of before the tallies
		tx.Bucket(bMeta).Delete(kFlowsBuilt)
		tx.Bucket(bMeta).Put(kVersion, []byte("1"))
		return tx.Bucket(bDays).ForEach(func(k, _ []byte) error { return tx.Bucket(bDays).Bucket(k).Delete(kDossierFlows) })
	})
	s.Close()
	s = open(t, dir, c)
	defer s.Close()
	check("built at open", s)
}
