package csvsafe

import (
	"bytes"
	"encoding/csv"
	"testing"
)

// Every cell a spreadsheet would evaluate is written after a quote, and
// reads back as it was; numbers and plain text are untouched.
func TestCells(t *testing.T) {
	for _, c := range []struct{ in, out string }{
		{"Hộ tịch", "Hộ tịch"},
		{"", ""},
		{`=HYPERLINK("http://x","y")`, `'=HYPERLINK("http://x","y")`},
		{`=cmd|' /C calc'!A0`, `'=cmd|' /C calc'!A0`},
		{"+1+1", "'+1+1"},
		{"-2+3", "'-2+3"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\t=1", "'\t=1"},
		{"\r=1", "'\r=1"},
		{"-1.5", "-1.5"},
		{"+84", "+84"},
		{"-Inf", "'-Inf"},
		{"'=already", "'=already"},
		{"a=b", "a=b"},
	} {
		if got := Cell(c.in); got != c.out {
			t.Errorf("Cell(%q) = %q, want %q", c.in, got, c.out)
		}
		if back := Unquote(Cell(c.in)); back != c.in && c.in != "'=already" {
			t.Errorf("Unquote(Cell(%q)) = %q", c.in, back)
		}
	}
	var b bytes.Buffer
	w := NewWriter(&b)
	w.Write([]string{"=1+1", "Lan", "3"})
	w.Flush()
	rec, err := csv.NewReader(&b).Read()
	if err != nil || rec[0] != "'=1+1" || rec[1] != "Lan" || rec[2] != "3" {
		t.Errorf("the written record: %q %v", rec, err)
	}
}
