package bolt_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	bbolt "go.etcd.io/bbolt"

	"motcua/internal/bolt"
	"motcua/internal/intake"
	"motcua/internal/problem"
	"motcua/internal/queue"
)

// copyFixture is a data directory holding a copy of the fixture's store.
func copyFixture(t *testing.T) (dir string, m manifest) {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(fixtureDir, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	db, err := os.ReadFile(filepath.Join(fixtureDir, bolt.FileName))
	if err != nil {
		t.Fatal(err)
	}
	dir = t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, bolt.FileName), db, 0o600); err != nil {
		t.Fatal(err)
	}
	return dir, m
}

// A store written by the server of December 2026 (schema 1) opens with
// today's code: migrated forward once, after a copy of the file is kept,
// with every ticket, dossier and setting it held, and its chain intact.
func TestOpensAnOlderStore(t *testing.T) {
	dir, m := copyFixture(t)
	s, err := bolt.Open(dir, queue.Office{Name: "tệp cấu hình khác / another file"}, bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	mig := s.Migrated()
	if mig.From != 1 || mig.To != bolt.Schema || mig.Backup == "" {
		t.Fatalf("migration %+v, want 1 → %d with a copy", mig, bolt.Schema)
	}
	if n, err := bolt.VerifyFile(mig.Backup); err != nil || n != m.Seq {
		t.Errorf("the copy kept before migrating: %d events, %v; want the fixture's %d", n, err, m.Seq)
	}
	found := map[string]string{}
	days := map[string]int{}
	if err := s.EachTicket("20261124", "20261125", func(tk queue.Ticket) error {
		found[tk.ID] = string(tk.State)
		days[tk.Day]++
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(found) != len(m.Tickets) || len(m.Tickets) == 0 {
		t.Errorf("%d tickets, want %d", len(found), len(m.Tickets))
	}
	for id, state := range m.Tickets {
		if found[id] != state {
			t.Errorf("ticket %s: %q, want %q", id, found[id], state)
		}
	}
	for day, n := range m.Days {
		if days[day] != n {
			t.Errorf("day %s: %d tickets, want %d", day, days[day], n)
		}
	}
	for code, name := range m.Dossiers {
		d, ok, err := s.Dossier(code)
		if err != nil || !ok || d.Applicant.Name != name || string(d.Status) != m.Status[code] {
			t.Errorf("dossier %s: %v %v, %q %q; want %q %q", code, ok, err, d.Applicant.Name, d.Status, name, m.Status[code])
		}
	}
	if len(m.Dossiers) == 0 {
		t.Error("the fixture holds no dossier")
	}
	v, office := s.Settings()
	var users []string
	for _, u := range s.Users() {
		users = append(users, u.Username)
	}
	if v != m.Version+1 || office.Name != m.Office || !slices.Equal(users, m.Users) || s.Sync() != m.Sync || len(s.Procedures()) == 0 {
		t.Errorf("settings: version %d %q users %v sync %+v, %d procedures; want %d %q %v %+v",
			v, office.Name, users, s.Sync(), len(s.Procedures()), m.Version+1, m.Office, m.Users, m.Sync)
	}
	// Schema 5 wrote the settings in force again as a version of their own,
	// the office's profile on its event.
	last, err := s.EventsAfter(uint64(m.Seq), 100)
	var mark *queue.SettingsMark
	for _, e := range last {
		var ev queue.Event
		if json.Unmarshal(e.Raw, &ev) == nil && ev.Type == queue.EvSettings {
			mark = ev.Settings
		}
	}
	if err != nil || mark == nil || mark.Version != m.Version+1 || mark.Office == nil || mark.Office.Name != m.Office {
		t.Errorf("the upgrade's settings event: %v %+v", err, mark)
	}
	report, err := s.Report("20261124", "20261125")
	if err != nil || report.Total.Issued != len(m.Tickets) {
		t.Errorf("the report of the fixture's days: %v, %+v", err, report)
	}
	loc, _ := office.Location()
	from := time.Date(2026, 11, 24, 0, 0, 0, 0, loc)
	flows, err := s.DossierFlows(from.AddDate(0, 0, 2))
	if got := intake.Sum(flows[""], from, from.AddDate(0, 0, 2), loc); err != nil || got.Received != len(m.Dossiers) {
		t.Errorf("the dossiers' tallies: %v, %+v", err, got)
	}
	if n, err := s.Verify(); err != nil || n < m.Seq {
		t.Errorf("verify: %d, %v", n, err)
	}
	s.Close()

	s, err = bolt.Open(dir, queue.Office{}, bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if mig := s.Migrated(); mig.From != bolt.Schema || mig.Backup != "" {
		t.Errorf("opened again: %+v, want nothing done", mig)
	}
	s.Close()
	copies, _ := filepath.Glob(filepath.Join(dir, bolt.FileName+".before-schema-*"))
	if len(copies) != 1 {
		t.Errorf("copies kept: %v, want the one", copies)
	}
}

// An older program refuses a store of a newer schema, says so in both
// languages, and leaves the file as it was.
func TestRefusesANewerStore(t *testing.T) {
	dir, _ := copyFixture(t)
	path := filepath.Join(dir, bolt.FileName)
	db, err := bbolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	db.Update(func(tx *bbolt.Tx) error { return tx.Bucket([]byte("meta")).Put([]byte("version"), []byte("99")) })
	db.Close()
	before, _ := os.ReadFile(path)
	_, err = bolt.Open(dir, queue.Office{}, bolt.Options{})
	e := problem.As(err)
	if err == nil || e.Code != problem.EInvalid || !strings.Contains(e.Message, "99") || !strings.Contains(e.Message, "mới hơn") || !strings.Contains(e.MessageEN, "newer") {
		t.Fatalf("opening a schema-99 store: %v", err)
	}
	if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
		t.Error("the refused store was changed")
	}
	if _, err := bolt.VerifyFile(path); err == nil || !strings.Contains(err.Error(), "newer") {
		t.Errorf("verify of a schema-99 file: %v", err)
	}
}
