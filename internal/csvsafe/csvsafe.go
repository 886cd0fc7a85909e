// Package csvsafe writes CSV that a spreadsheet opens as data, never as a
// formula: every cell that begins with =, +, -, @, a tab or a carriage
// return — what Excel, LibreOffice and Google Sheets take for a formula —
// is written after a single quote, as OWASP recommends ("CSV Injection"),
// so that a service, clerk, procedure or field name typed as
// =HYPERLINK(…) or =cmd|' /C calc'!A0 reaches the desk head's and the
// province's spreadsheets as the text it is. A cell that is a plain number
// (-1.5) is left as it is: it is no formula. Every CSV the office or the
// province writes goes through Writer; Unquote reads such a cell back
// (the catalogue's CSV goes out and comes back in).
package csvsafe

import (
	"encoding/csv"
	"io"
	"strconv"
)

// Cell is s as a cell no spreadsheet evaluates.
func Cell(s string) string {
	if s == "" || !trigger(s[0]) {
		return s
	}
	if _, err := strconv.ParseFloat(s, 64); err == nil && s[0] != '\t' && s[0] != '\r' && !hasLetter(s) {
		return s // a number: -2, +84, -1.5
	}
	return "'" + s
}

// Unquote is the text of a cell Cell wrote.
func Unquote(s string) string {
	if len(s) > 1 && s[0] == '\'' && trigger(s[1]) {
		return s[1:]
	}
	return s
}

func trigger(c byte) bool {
	return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r'
}

// hasLetter: ParseFloat also reads "+Inf", "-NaN" and hex floats, which a
// spreadsheet does not take for numbers.
func hasLetter(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i] | 0x20; c >= 'a' && c <= 'z' {
			return true
		}
	}
	return false
}

// Writer is a csv.Writer whose every cell goes through Cell.
type Writer struct {
	w   *csv.Writer
	buf []string
}

// NewWriter writes to w.
func NewWriter(w io.Writer) *Writer { return &Writer{w: csv.NewWriter(w)} }

// Write writes one record, each cell through Cell.
func (w *Writer) Write(record []string) error {
	w.buf = w.buf[:0]
	for _, c := range record {
		w.buf = append(w.buf, Cell(c))
	}
	return w.w.Write(w.buf)
}

// Flush writes what is buffered.
func (w *Writer) Flush() { w.w.Flush() }

// Error is the first error a write or flush met.
func (w *Writer) Error() error { return w.w.Error() }
