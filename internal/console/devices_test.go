package console

import "testing"

// A pairing code is its digits, however it was typed.
func TestPairingCodeAsTyped(t *testing.T) {
	for typed, want := range map[string]string{"211 022": "211022", " 211-022 ": "211022", "211.022": "211022", "２１１０２２": "211022", "abc": ""} {
		if got := pairingCode(typed); got != want {
			t.Errorf("pairingCode(%q) = %q, want %q", typed, got, want)
		}
	}
}
