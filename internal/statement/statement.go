// Package statement reads a bank statement as the bank gives it (CSV: a
// header row, then one transfer a line) and matches its credits to the
// dossiers whose fee they pay: the dossier's code in the memo (banks drop
// its dots and dashes: letters and digits are compared), the amount equal
// to the fee. A line that cannot be read stops the whole file, named; the
// others are matched, or listed for the clerk to match by hand.
package statement

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"time"
	"unicode"

	"motcua/internal/csvsafe"
	"motcua/internal/problem"
)

// Columns names the statement's columns as its header says them (the
// office's bank's words); empty ones take the defaults.
type Columns struct {
	Date       string `json:"date,omitempty"`        // default "Ngày giao dịch"
	Amount     string `json:"amount,omitempty"`      // default "Số tiền"
	Reference  string `json:"reference,omitempty"`   // default "Mã giao dịch"
	Memo       string `json:"memo,omitempty"`        // default "Nội dung"
	DateLayout string `json:"date_layout,omitempty"` // Go layout, default "02/01/2006"
}

// WithDefaults is the columns as read: the defaults where none is named.
func (c Columns) WithDefaults() Columns {
	def := func(v, d string) string {
		if strings.TrimSpace(v) == "" {
			return d
		}
		return v
	}
	return Columns{Date: def(c.Date, "Ngày giao dịch"), Amount: def(c.Amount, "Số tiền"), Reference: def(c.Reference, "Mã giao dịch"),
		Memo: def(c.Memo, "Nội dung"), DateLayout: def(c.DateLayout, "02/01/2006")}
}

// Line is one credit of the statement.
type Line struct {
	Row       int       `json:"line"` // in the file, from 1 (the header is 1)
	Date      time.Time `json:"date"`
	Amount    int64     `json:"amount"`
	Reference string    `json:"reference"`
	Memo      string    `json:"memo"`
}

// MaxSize is the largest statement taken.
const MaxSize = 4 << 20

// Read reads a statement's credits (a debit, a zero or an empty line is
// left out); the first line it cannot read is the error, in both
// languages, naming the line.
func Read(r io.Reader, cols Columns) ([]Line, error) {
	cols = cols.WithDefaults()
	raw, err := io.ReadAll(io.LimitReader(r, MaxSize+1))
	if err != nil {
		return nil, err
	}
	if len(raw) > MaxSize {
		return nil, problem.Errorf(problem.EInvalid, "Sao kê quá lớn (tối đa 4 MB)", "the statement is too large (at most 4 MB)")
	}
	raw = bytes.TrimPrefix(raw, []byte("\xef\xbb\xbf"))
	cr := csv.NewReader(bytes.NewReader(raw))
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	if bytes.Count(raw[:min(len(raw), 2048)], []byte(";")) > bytes.Count(raw[:min(len(raw), 2048)], []byte(",")) {
		cr.Comma = ';' // a spreadsheet of the Vietnamese locale writes ;
	}
	header, err := cr.Read()
	if err != nil {
		return nil, problem.Errorf(problem.EInvalid, "Sao kê: không đọc được dòng tiêu đề", "statement: the header line cannot be read")
	}
	at := map[string]int{}
	for i, h := range header {
		at[strings.ToLower(strings.TrimSpace(csvsafe.Unquote(h)))] = i
	}
	col := map[string]int{}
	for name, want := range map[string]string{"date": cols.Date, "amount": cols.Amount, "reference": cols.Reference, "memo": cols.Memo} {
		i, ok := at[strings.ToLower(strings.TrimSpace(want))]
		if !ok {
			return nil, problem.Errorf(problem.EInvalid, "Sao kê: không có cột %q (đặt tên cột trong cấu hình office.payment.statement)", "statement: there is no column %q (name the columns in office.payment.statement)", want)
		}
		col[name] = i
	}
	var out []Line
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, problem.Errorf(problem.EInvalid, "Sao kê: không đọc được (%v)", "statement: cannot be read (%v)", err)
		}
		row, _ := cr.FieldPos(0) // the file's line, blank lines counted
		cell := func(name string) string {
			if i := col[name]; i < len(rec) {
				return strings.TrimSpace(csvsafe.Unquote(rec[i]))
			}
			return ""
		}
		if strings.Join(rec, "") == "" {
			continue
		}
		amount, err := Amount(cell("amount"))
		if err != nil {
			return nil, problem.Errorf(problem.EInvalid, "Sao kê, dòng %d: số tiền %q không đọc được", "statement, line %d: the amount %q cannot be read", row, cell("amount"))
		}
		if amount <= 0 {
			continue // a debit or nothing: not a fee paid in
		}
		date, err := time.Time{}, errors.New("no date")
		if f := strings.Fields(cell("date")); len(f) > 0 { // "07/12/2026 10:32:05": the day
			date, err = time.Parse(cols.DateLayout, f[0])
		}
		if err != nil {
			return nil, problem.Errorf(problem.EInvalid, "Sao kê, dòng %d: ngày %q không theo dạng %s", "statement, line %d: the date %q is not in the layout %s", row, cell("date"), cols.DateLayout)
		}
		out = append(out, Line{Row: row, Date: date, Amount: amount, Reference: cell("reference"), Memo: cell("memo")})
	}
	return out, nil
}

// Amount reads an amount in đồng as banks write it: "1.250.000",
// "1,250,000", "1250000", "1.250.000,00", "+8.000 VND".
func Amount(s string) (int64, error) {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSuffix(strings.ToUpper(strings.TrimSpace(s)), "VND"), "Đ"))
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimLeft(s, "+-")
	// Decimals: a last separator followed by one or two digits.
	if i := strings.LastIndexAny(s, ".,"); i >= 0 && len(s)-i-1 <= 2 && len(s)-i-1 > 0 {
		if strings.Trim(s[i+1:], "0") != "" {
			return 0, errors.New("a fraction of a đồng")
		}
		s = s[:i]
	}
	var n int64
	digits := 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			n = n*10 + int64(r-'0')
			digits++
			if digits > 15 {
				return 0, errors.New("too large")
			}
		case r == '.' || r == ',' || r == ' ' || r == '\u00a0':
		default:
			return 0, errors.New("not an amount")
		}
	}
	if digits == 0 {
		return 0, errors.New("no digits")
	}
	if neg {
		n = -n
	}
	return n, nil
}

// Due is a dossier whose fee waits to be paid.
type Due struct {
	Code   string
	Amount int64
}

// Result is what matching a statement came to.
type Result struct {
	Matched    []Matched `json:"matched"`
	Unmatched  []Miss    `json:"unmatched"`
	Duplicates []Miss    `json:"duplicates"`
}

// Matched is a line paying a dossier's fee.
type Matched struct {
	Line
	Code string `json:"code"`
}

// Miss is a line the clerk matches by hand, and why.
type Miss struct {
	Line
	Why string `json:"why"`
}

// fold keeps letters and digits, upper-cased: what survives a bank's memo.
func fold(s string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		if r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Match pairs each line with the one dossier its memo names whose fee it
// pays; a reference seen before, or a dossier paid by an earlier line, is
// a duplicate; the rest are unmatched, with the reason.
func Match(lines []Line, due []Due) Result {
	var r Result
	refs, paid := map[string]bool{}, map[string]bool{}
	for _, l := range lines {
		if l.Reference != "" && refs[l.Reference] {
			r.Duplicates = append(r.Duplicates, Miss{l, "mã giao dịch đã có ở dòng trước / reference seen before"})
			continue
		}
		refs[l.Reference] = true
		memo := fold(l.Memo)
		var named []Due
		for _, d := range due {
			if c := fold(d.Code); c != "" && strings.Contains(memo, c) {
				named = append(named, d)
			}
		}
		switch {
		case len(named) == 0:
			r.Unmatched = append(r.Unmatched, Miss{l, "nội dung không có mã hồ sơ nào chờ nộp phí / the memo names no dossier awaiting its fee"})
		case len(named) > 1:
			r.Unmatched = append(r.Unmatched, Miss{l, "nội dung có nhiều mã hồ sơ / the memo names several dossiers"})
		case paid[named[0].Code]:
			r.Duplicates = append(r.Duplicates, Miss{l, "hồ sơ " + named[0].Code + " đã được dòng trước trả / paid by an earlier line"})
		case named[0].Amount != l.Amount:
			r.Unmatched = append(r.Unmatched, Miss{l, "số tiền khác phí của hồ sơ " + named[0].Code + " / the amount differs from the fee"})
		default:
			paid[named[0].Code] = true
			r.Matched = append(r.Matched, Matched{l, named[0].Code})
		}
	}
	return r
}
