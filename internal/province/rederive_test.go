package province

import (
	"encoding/json"
	"reflect"
	"testing"
	"unicode/utf8"
)

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
	for i, raw := range []string{`{"type":"ticket.issued","ticket":{"day":"20261203","id":"late-id"}}`, `{"type":"ticket.issued","ticket":{"id":"20261203-a-1","state":"waiting"}}`} {
		if err := d.add(int64(i+1), []byte(raw)); err != nil {
			t.Fatal(err)
		}
	}
	if _, ok := d.seen["late-id"]; !ok || len(d.seen) != 2 {
		t.Errorf("the tickets read: %v", d.seen)
	}
}

// head reads what encoding/json reads, the fast way where it can: the
// members of an event as the office writes them, and anything odd —
// escapes, another case, spaces, duplicates — the same.
func TestHeadReadsAsEncodingJSON(t *testing.T) {
	for _, raw := range []string{
		`{"seq":3,"type":"ticket.called","time":"2026-12-03T08:00:00+07:00","actor":{"kind":"clerk","id":"lan"},"ticket":{"id":"20261203-a-1001","note":"a \"}\" b"}}`,
		`{"type":"dossier.changed","dossier":{"code":"H29-1","action":"received","facts":{"procedure":"p"}}}`,
		`{"type":"settings.changed","settings":{"version":2,"after":"ab","changes":[],"office":{"name":"UBND [x] {y}"}}}`,
		` { "type" : "ticket.issued" , "ticket" : null } `,
		`{"Type":"ticket.issued","TICKET":{"id":"x"}}`,
		`{"type":"ticket.\u0069ssued","ticket":{"id":"y"}}`,
		`{"t\u0079pe":"ticket.issued"}`,
		`{"type":"a","type":"dossier.changed","dossier":{"code":"1"},"dossier":{"code":"2"}}`,
		`{"type":"ticket.issued","floors":{"a":[1,2,{"b":"]"}]},"ticket":{"id":"z"}}`,
		`{}`,
	} {
		got, err := head([]byte(raw))
		var want eventHead
		werr := json.Unmarshal([]byte(raw), &want)
		if (err == nil) != (werr == nil) || !reflect.DeepEqual(got, want) {
			t.Errorf("head(%s) = %+v %v, encoding/json %+v %v", raw, got, err, want, werr)
		}
	}
}

// Fuzz: for any UTF-8 text encoding/json reads as an event, head reads
// the same members.
func FuzzHead(f *testing.F) {
	f.Add([]byte(`{"type":"ticket.issued","ticket":{"id":"20261203-a-1001"}}`))
	f.Add([]byte(`{"type":"settings.changed","settings":{"office":{"name":"x"}},"x":[1,"\""]}`))
	f.Add([]byte(`{"TYPE":"x","dossier":null}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		if !utf8.Valid(raw) {
			return
		}
		var want eventHead
		if json.Unmarshal(raw, &want) != nil {
			return
		}
		got, err := head(raw)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("head(%q) = %+v %v, encoding/json %+v", raw, got, err, want)
		}
	})
}
