package kiosk

import (
	"testing"

	"motcua/internal/intake"
)

// The kiosk's lookup says every status a received dossier can have in words
// (a new status must not reach a citizen as its code).
func TestEveryStatusHasItsWords(t *testing.T) {
	for _, s := range intake.Statuses {
		if s == intake.Incomplete {
			continue // never received: no receipt to look up with
		}
		if w, ok := statusText[s]; !ok || w[0] == "" || w[1] == "" {
			t.Errorf("status %q has no words on the kiosk", s)
		}
	}
}
