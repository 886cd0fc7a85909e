package queue

import "testing"

// The public view of a priority ticket says it goes ahead, not why.
func TestPublicPriorityHidesTheClass(t *testing.T) {
	tk := Ticket{ID: "x", Priority: "pregnant", Token: "secret", Note: "ghi chú"}.Public()
	if tk.Priority != PublicPriority || tk.Token != "" || tk.Note != "" {
		t.Errorf("public %+v", tk)
	}
	if plain := (Ticket{ID: "y"}).Public(); plain.Priority != "" {
		t.Errorf("an ordinary ticket's public priority: %q", plain.Priority)
	}
}
