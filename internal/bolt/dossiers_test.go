package bolt

import (
	"sync"
	"testing"
	"time"

	"motcua/internal/intake"
)

// Dossier codes under concurrency: 8 counters × 50 dossiers on one day, every
// code unique and the numbers 1…400 all used.
func TestDossierCodesUnderConcurrency(t *testing.T) {
	s := openTest(t)
	at := time.Date(2026, 4, 29, 10, 0, 0, 0, time.FixedZone("ICT", 7*3600))
	var mu sync.Mutex
	codes := map[string]bool{}
	var wg sync.WaitGroup
	for c := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 50 {
				d, err := s.CreateDossier(intake.Dossier{Agency: "H29.100", ReceivedAt: at, Status: intake.Received, Applicant: intake.Applicant{Name: "A"}, Counter: c})
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				if codes[d.Code] {
					t.Errorf("code %s given twice", d.Code)
				}
				codes[d.Code] = true
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(codes) != 400 || !codes["H29.100-260429-0001"] || !codes["H29.100-260429-0400"] {
		t.Fatalf("%d codes", len(codes))
	}
	// Another day and another agency start again at 1.
	d, _ := s.CreateDossier(intake.Dossier{Agency: "H29.100", ReceivedAt: at.AddDate(0, 0, 1)})
	e, _ := s.CreateDossier(intake.Dossier{Agency: "XA.01", ReceivedAt: at})
	if d.Code != "H29.100-260430-0001" || e.Code != "XA.01-260429-0001" {
		t.Fatalf("codes %s %s", d.Code, e.Code)
	}
	if _, err := s.CreateDossier(intake.Dossier{Agency: "bad agency", ReceivedAt: at}); err == nil {
		t.Fatal("a bad agency code was accepted")
	}
}

func TestDossierUpdateEraseAndAccessLog(t *testing.T) {
	s := openTest(t)
	at := time.Date(2026, 4, 29, 10, 0, 0, 0, time.UTC)
	d, _ := s.CreateDossier(intake.Dossier{Agency: "XA.01", ReceivedAt: at, Status: intake.Received,
		Applicant: intake.Applicant{Name: "Nguyễn Văn A", IDNumber: "001203004567"}})
	for _, to := range []intake.Status{intake.Ready, intake.Returned} {
		if _, err := s.UpdateDossier(d.Code, func(x *intake.Dossier) error { return x.Move(to, at.Add(time.Hour), "lan", "") }); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.UpdateDossier(d.Code, func(x *intake.Dossier) error { return x.Move(intake.Ready, at, "lan", "") }); err == nil {
		t.Fatal("returned → ready accepted")
	}
	open, _ := s.CreateDossier(intake.Dossier{Agency: "XA.01", ReceivedAt: at, Status: intake.Received, Applicant: intake.Applicant{Name: "Trần B"}})
	n, err := s.EraseDossiers(at.AddDate(1, 0, 0))
	if err != nil || n != 1 {
		t.Fatalf("erased %d, %v", n, err)
	}
	got, _, _ := s.Dossier(d.Code)
	kept, _, _ := s.Dossier(open.Code)
	if !got.Erased || got.Applicant.IDNumber != "" || got.Status != intake.Returned || kept.Applicant.Name != "Trần B" {
		t.Fatalf("after erasing: %+v / %+v", got, kept)
	}
	s.LogAccess(at, "lan", d.Code, "view")
	s.LogAccess(at, "minh", open.Code, "print mau-01")
	if log, _ := s.AccessLog(d.Code); len(log) != 1 || log[0].Who != "lan" {
		t.Fatalf("access log %v", log)
	}
}

func openTest(t *testing.T) *Store {
	s := open(t, t.TempDir(), newClock())
	t.Cleanup(func() { s.Close() })
	return s
}
