package web

import (
	"io/fs"
	"strings"
	"testing"

	"motcua/internal/intake"
)

// The phone's lookup page says every status in words (a new status must not
// reach a citizen as its code).
func TestLookupPageHasEveryStatus(t *testing.T) {
	page, err := fs.ReadFile(Static(), "lookup.html")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range intake.Statuses {
		if s == intake.Incomplete {
			continue // never received: no receipt to look up with
		}
		if !strings.Contains(string(page), "\n    "+string(s)+": [") {
			t.Errorf("lookup.html has no words for %q", s)
		}
	}
}
