package bolt

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"motcua/internal/intake"
	"motcua/internal/problem"
	"motcua/internal/queue"

	bbolt "go.etcd.io/bbolt"
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
		if _, err := s.UpdateDossier(d.Code, queue.Actor{Kind: queue.ActorClerk, ID: "lan"}, "status", func(x *intake.Dossier) error { return x.Move(to, at.Add(time.Hour), "lan", "") }); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.UpdateDossier(d.Code, queue.Actor{Kind: queue.ActorClerk, ID: "lan"}, "status", func(x *intake.Dossier) error { return x.Move(intake.Ready, at, "lan", "") }); err == nil {
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
	if n, err := s.Verify(); err != nil || n != 6 { // the settings seeded, received ×2, ready, returned, erased; the refused move wrote nothing
		t.Errorf("the chain after the erasure: %d events, %v; want 6", n, err)
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

// Dossiers and the access log are on the chain: editing, adding or removing a
// dossier record, or an access-log line, in the file makes Verify fail.
func TestDossierTamperingIsDetected(t *testing.T) {
	dir := t.TempDir()
	s := openDossiers(t, dir)
	d, err := s.CreateDossier(sampleDossier())
	if err != nil {
		t.Fatal(err)
	}
	s.LogAccess(time.Now(), "lan", d.Code, "view")
	if _, err := s.UpdateDossier(d.Code, queue.Actor{Kind: queue.ActorClerk, ID: "lan"}, "status processing", func(x *intake.Dossier) error {
		return x.Move(intake.Processing, time.Now(), "lan", "")
	}); err != nil {
		t.Fatal(err)
	}
	n, err := s.Verify()
	if err != nil || n != 4 {
		t.Fatalf("verify: %d events, %v; want 4 (settings seeded, received, view, processing)", n, err)
	}
	s.Close()
	path := filepath.Join(dir, FileName)
	pristine, _ := os.ReadFile(path)
	tamper := func(name string, fn func(tx *bbolt.Tx) error, want string) {
		t.Helper()
		os.WriteFile(path, pristine, 0o600)
		db, err := bbolt.Open(path, 0o600, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.Update(fn); err != nil {
			t.Fatal(err)
		}
		db.Close()
		if _, err := VerifyFile(path); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: verify says %v, want %q", name, err, want)
		}
	}
	tamper("a changed applicant", func(tx *bbolt.Tx) error {
		b := tx.Bucket(bDossiers)
		return b.Put([]byte(d.Code), bytes.Replace(b.Get([]byte(d.Code)), []byte("Nguyễn"), []byte("Trần"), 1))
	}, "altered")
	tamper("a removed dossier", func(tx *bbolt.Tx) error { return tx.Bucket(bDossiers).Delete([]byte(d.Code)) }, "removed")
	tamper("an added dossier", func(tx *bbolt.Tx) error { return tx.Bucket(bDossiers).Put([]byte("XA.01-261124-9999"), []byte(`{}`)) }, "not on the event chain")
	tamper("a removed access line", func(tx *bbolt.Tx) error {
		k, _ := tx.Bucket(bAccess).Cursor().First()
		return tx.Bucket(bAccess).Delete(k)
	}, "removed")
	tamper("an edited access line", func(tx *bbolt.Tx) error {
		k, v := tx.Bucket(bAccess).Cursor().First()
		return tx.Bucket(bAccess).Put(k, bytes.Replace(v, []byte(`"lan"`), []byte(`"minh"`), 1))
	}, "access log")
}

// A store written before dossiers went on the chain is put on it at the first start.
func TestOldPaperworkGoesOnTheChain(t *testing.T) {
	dir := t.TempDir()
	s := openDossiers(t, dir)
	d, _ := s.CreateDossier(sampleDossier())
	s.LogAccess(time.Now(), "lan", d.Code, "view")
	s.Close()
	// Make it look like an old store: no chain entries for the paperwork.
	db, _ := bbolt.Open(filepath.Join(dir, FileName), 0o600, nil)
	db.Update(func(tx *bbolt.Tx) error {
		tx.DeleteBucket(bEvents)
		tx.CreateBucket(bEvents)
		a := tx.Bucket(bAccess)
		k, v := a.Cursor().First()
		a.Delete(k)
		a.Put(u64(1), v)
		tx.DeleteBucket(bSettings) // nor settings in the store
		tx.Bucket(bMeta).Put(kVersion, []byte("1"))
		return tx.Bucket(bMeta).Delete(kPaperwork)
	})
	db.Close()
	s = openDossiers(t, dir)
	defer s.Close()
	if n, err := s.Verify(); err != nil || n != 4 {
		t.Fatalf("after the upgrade: %d events, %v; want 4 (the settings, the dossier, the access line, the profile put on the chain)", n, err)
	}
	if log, _ := s.AccessLog(d.Code); len(log) != 1 || log[0].Who != "lan" {
		t.Errorf("access log after the upgrade: %+v", log)
	}
}

func openDossiers(t *testing.T, dir string) *Store { return open(t, dir, newClock()) }

func sampleDossier() intake.Dossier {
	return intake.Dossier{Agency: "XA.01", ReceivedAt: time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC), Status: intake.Received,
		Applicant: intake.Applicant{Name: "Nguyễn Thị Hoa", IDNumber: "001203004567", Phone: "0912345678"}, Clerk: "lan"}
}

// Dossiers of an older system import with their codes, on the chain (verify
// holds), refused when a code is already stored; numbering goes on after.
func TestImportDossiers(t *testing.T) {
	s := openTest(t)
	at := time.Date(2026, 4, 29, 10, 0, 0, 0, time.FixedZone("ICT", 7*3600))
	var old []intake.Dossier
	for i := 1; i <= 3; i++ {
		old = append(old, intake.Dossier{Agency: "H29.100", Seq: i, Code: intake.Code("H29.100", at, i, 4), ReceivedAt: at, Status: intake.Returned, Applicant: intake.Applicant{Name: "A"}})
	}
	if err := s.ImportDossiers(old); err != nil {
		t.Fatal(err)
	}
	if err := s.ImportDossiers(old[:1]); problem.CodeOf(err) != problem.EConflict {
		t.Errorf("importing a stored code: %v", err)
	}
	d, err := s.CreateDossier(intake.Dossier{Agency: "H29.100", ReceivedAt: at, Status: intake.Received, Applicant: intake.Applicant{Name: "B"}})
	if err != nil || d.Seq != 4 {
		t.Errorf("the next dossier after the import: %v %+v", err, d.Seq)
	}
	if n, err := s.Verify(); err != nil {
		t.Errorf("verify after the import: %d %v", n, err)
	}
}

// A store whose dossier events were written without their facts puts each
// dossier's facts on the chain once at open, and the chain still verifies.
func TestFactsGoOnTheChainOnce(t *testing.T) {
	dir := t.TempDir()
	s := openDossiers(t, dir)
	d, err := s.CreateDossier(sampleDossier())
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	db, _ := bbolt.Open(filepath.Join(dir, FileName), 0o600, nil)
	db.Update(func(tx *bbolt.Tx) error {
		tx.Bucket(bMeta).Put(kVersion, []byte("1"))
		return tx.Bucket(bMeta).Delete(kFacts)
	})
	db.Close()
	for range 2 {
		s = openDossiers(t, dir)
		evs, err := s.EventsAfter(0, 1000)
		if err != nil {
			t.Fatal(err)
		}
		var facts []string
		for _, c := range evs {
			var e queue.Event
			if err := json.Unmarshal(c.Raw, &e); err != nil {
				t.Fatal(err)
			}
			if e.Type == queue.EvDossier && e.Dossier.Facts != nil && e.Dossier.Action == "facts on the chain (upgrade)" {
				facts = append(facts, e.Dossier.Code+" "+e.Dossier.Facts.Procedure)
			}
		}
		if len(facts) != 1 || facts[0] != d.Code+" "+d.Procedure {
			t.Errorf("facts put on the chain: %v", facts)
		}
		if _, err := s.Verify(); err != nil {
			t.Fatal(err)
		}
		s.Close()
	}
}

// The code's sequence width and the agency code are settings: a change
// applies to the next dossier, a dossier coded before keeps its code and is
// found by it; the day's sequence goes on across a change of width; the
// agency code's every value is on the settings' record.
func TestDossierCodeSettings(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	admin := queue.Actor{Kind: queue.ActorAdmin, ID: "admin"}
	first, err := s.CreateDossier(sampleDossier())
	if err != nil || first.Code != "XA.01-261123-0001" {
		t.Fatalf("the first code: %q %v", first.Code, err)
	}
	_, o := s.Settings()
	o.DossierDigits, o.AgencyCode = 6, "H40.21"
	if _, err := s.ChangeSettings(ctx, admin, 0, o); err != nil {
		t.Fatal(err)
	}
	d := sampleDossier()
	d.Agency = "H40.21"
	next, err := s.CreateDossier(d)
	if err != nil || next.Code != "H40.21-261123-000001" {
		t.Errorf("after the change: %q %v", next.Code, err)
	}
	again, err := s.CreateDossier(sampleDossier()) // the old agency's day sequence goes on, six digits now
	if err != nil || again.Code != "XA.01-261123-000002" {
		t.Errorf("the old agency's next: %q %v", again.Code, err)
	}
	if got, ok, err := s.Dossier(first.Code); err != nil || !ok || got.Applicant.Name != "Nguyễn Thị Hoa" {
		t.Errorf("the dossier coded before the change: %v %v", ok, err)
	}
	o.DossierDigits = 9
	if _, err := s.ChangeSettings(ctx, admin, 0, o); problem.CodeOf(err) != problem.EInvalid {
		t.Errorf("nine digits: %v, want refused", err)
	}
	history, _ := s.SettingsHistory()
	var agencies []string
	for _, h := range history {
		agencies = append(agencies, h.Office.AgencyCode)
	}
	if !slices.Contains(agencies, "H40.21") || !slices.Contains(agencies, office().AgencyCode) {
		t.Errorf("the agency codes on the record: %q", agencies)
	}
}
