package province

import "testing"

// A ticket's id is read where the office writes it, else the ticket is
// decoded: an escaped or an odd form never yields a wrong id.
func TestLeadingID(t *testing.T) {
	for _, c := range []struct {
		raw, id string
		ok      bool
	}{
		{`{"id":"20261203-a-1001","day":"20261203"}`, "20261203-a-1001", true},
		{`{"day":"20261203","id":"x"}`, "", false},
		{`{"id":"a\"b","day":""}`, "", false},
		{`{"id":"unterminated`, "", false},
		{` {"id":"x"}`, "", false},
	} {
		if id, ok := leadingID([]byte(c.raw)); id != c.id || ok != c.ok {
			t.Errorf("leadingID(%s) = %q %v, want %q %v", c.raw, id, ok, c.id, c.ok)
		}
	}
	d := newDerived()
	for _, raw := range []string{`{"type":"ticket.issued","ticket":{"day":"20261203","id":"late-id"}}`, `{"type":"ticket.issued","ticket":{"id":"20261203-a-1","state":"waiting"}}`} {
		if err := d.add([]byte(raw)); err != nil {
			t.Fatal(err)
		}
	}
	if _, ok := d.raw["late-id"]; !ok || len(d.raw) != 2 {
		t.Errorf("the tickets read: %v", d.raw)
	}
}
