package queue

import (
	"strings"
	"testing"

	"motcua/internal/problem"
)

// A connection string shows with its password masked, in both of libpq's
// forms; the form's checks refuse what cannot be one.
func TestSyncMaskedAndChecked(t *testing.T) {
	for _, c := range []struct {
		dsn, masked string
		ok          bool
	}{
		{"", "", true},
		{"postgres://motcua:S3cr3t!@tinh.example:5432/motcua?sslmode=verify-full", "postgres://motcua:xxxxx@tinh.example:5432/motcua?sslmode=verify-full", true},
		{"postgresql://motcua@10.0.0.9/motcua", "postgresql://motcua@10.0.0.9/motcua", true},
		{"host=tinh.example user=motcua password=S3cr3t dbname=motcua", "host=tinh.example user=motcua password=xxxxx dbname=motcua", true},
		{"host=tinh.example password='pa ss\\'word' dbname=motcua", "host=tinh.example password=xxxxx dbname=motcua", true},
		{"host=tinh.example PASSWORD = S3cr3t", "host=tinh.example PASSWORD = xxxxx", true},
		{"postgres:///motcua", "postgres:///motcua", false}, // no host
		{"mysql://u:p@h/db", "mysql://u:p@h/db", false},
		{"tinh.example", "tinh.example", false},
		{"host=a\nuser=b", "host=a\nuser=b", false},
	} {
		s := Sync{DSN: c.dsn}
		if got := s.Masked(); got != c.masked {
			t.Errorf("Masked(%q) = %q, want %q", c.dsn, got, c.masked)
		}
		err := s.Validate()
		if (err == nil) != c.ok {
			t.Errorf("Validate(%q) = %v, want ok %v", c.dsn, err, c.ok)
		}
		if e := problem.As(err); err != nil && (e.Message == "" || e.MessageEN == "" || e.Code != problem.EInvalid) {
			t.Errorf("Validate(%q): %+v, want an EInvalid in both languages", c.dsn, e)
		}
	}
	for id, ok := range map[string]bool{"": true, "XA.01": true, "000.00.01.H40": true, "xa 01": false, "Xã01": false, strings.Repeat("a", 65): false, "-a": false} {
		if err := (Sync{Office: id}).Validate(); (err == nil) != ok {
			t.Errorf("office %q: %v, want ok %v", id, err, ok)
		}
	}
}

// The masked string saved back keeps the password in force; a masked one
// that is not the one in force is refused; the changes never hold a
// password.
func TestSyncKeepAndChanges(t *testing.T) {
	cur := Sync{DSN: "postgres://motcua:S3cr3t@tinh.example/motcua", Office: "XA.01"}
	for _, c := range []struct {
		name     string
		next     Sync
		want     string
		refused  bool
		changes  int
		password bool // a changed password is said as such
	}{
		{"the form saved as shown", Sync{DSN: cur.Masked(), Office: "XA.01"}, cur.DSN, false, 0, false},
		{"a new office id", Sync{DSN: cur.Masked(), Office: "XA.02"}, cur.DSN, false, 1, false},
		{"a new password", Sync{DSN: "postgres://motcua:N3w@tinh.example/motcua", Office: "XA.01"}, "postgres://motcua:N3w@tinh.example/motcua", false, 1, true},
		{"another host, masked", Sync{DSN: "postgres://motcua:xxxxx@khac.example/motcua"}, "", true, 0, false},
		{"no password", Sync{DSN: "postgres://motcua@tinh.example/motcua", Office: "XA.01"}, "postgres://motcua@tinh.example/motcua", false, 1, false},
		{"off", Sync{}, "", false, 2, false},
	} {
		got, err := c.next.Keep(cur)
		if (err != nil) != c.refused {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if c.refused {
			continue
		}
		if got.DSN != c.want {
			t.Errorf("%s: kept %q, want %q", c.name, got.DSN, c.want)
		}
		changes := SyncChanges(cur, got)
		if len(changes) != c.changes {
			t.Errorf("%s: changes %q, want %d", c.name, changes, c.changes)
		}
		for _, ch := range changes {
			if strings.Contains(ch, "S3cr3t") || strings.Contains(ch, "N3w") {
				t.Errorf("%s: a password in the changes: %q", c.name, ch)
			}
			if c.password != strings.Contains(ch, "password changed") && strings.HasPrefix(ch, "sync.dsn") {
				t.Errorf("%s: %q", c.name, ch)
			}
		}
	}
	if _, err := (Sync{DSN: "postgres://u:xxxxx@h/db"}).Keep(Sync{}); err == nil {
		t.Error("a masked password with none in force was kept")
	}
}
