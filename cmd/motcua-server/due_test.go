package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDue(t *testing.T) {
	due := func(args ...string) (string, int) {
		var out, errs bytes.Buffer
		code := run(context.Background(), append([]string{"due"}, args...), nil, &out, &errs)
		return strings.TrimSpace(out.String() + errs.String()), code
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--received", "2026-04-29T10:00", "--working-days", "3"}, "2026-05-06 10:00"},
		{[]string{"--received", "2026-04-24T16:00", "--calendar-days", "2"}, "2026-04-28 17:30"},
		{[]string{"--received", "2026-02-13 14:00", "--working-days", "2"}, "2026-02-24 14:00"},
	} {
		got, code := due(tc.args...)
		if code != 0 || strings.Fields(got)[0] != strings.Fields(tc.want)[0] || got != tc.want {
			t.Errorf("due %v = %q (exit %d), want %q", tc.args, got, code, tc.want)
		}
	}
	if got, code := due("--received", "hôm qua", "--working-days", "1"); code != 1 || !strings.Contains(got, "2026-04-29T10:00") {
		t.Errorf("bad time: %q %d", got, code)
	}
	if _, code := due("--received", "2026-04-29T10:00"); code != 2 {
		t.Errorf("no deadline: exit %d", code)
	}
	// An office's own file for 2028 makes that year computable.
	path := filepath.Join(t.TempDir(), "2028.json")
	os.WriteFile(path, []byte(`{"year":2028,"entries":[{"date":"2028-01-04","kind":"holiday","name":"thử"}]}`), 0o600)
	if got, code := due("--received", "2028-01-03T10:00", "--working-days", "1", "--calendar", path); code != 0 || got != "2028-01-05 10:00" {
		t.Errorf("with an office calendar: %q %d", got, code)
	}
}
