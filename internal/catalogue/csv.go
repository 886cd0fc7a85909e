package catalogue

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"motcua/internal/csvsafe"
	"motcua/internal/problem"
)

// CSVHeader is the first line a catalogue CSV must have (docs/CONFIG.md):
//
//	code,name,name_en,field,service,processing,fees,documents,agency,online
//
// (a file without the last column, as older ones, is read too)
// processing: "3 working_days", "15 calendar_days", "8 working_hours" or "same_day",
// with "after 15:00" where a dossier received from then counts from the next working day;
// fees: "Lệ phí=8000 (mỗi bản); Phí thẩm định=0" — name=amount in đồng, a note in brackets;
// documents: "Tờ khai|1|original; Giấy chứng sinh|1|original; Giấy chứng nhận kết hôn|1|copy|optional";
// online: "full" (fully online, no paper taken), "full_paper" (fully online, paper still taken) or empty.
var CSVHeader = []string{"code", "name", "name_en", "field", "service", "processing", "fees", "documents", "agency", "online"}

// Parse reads a catalogue file, CSV or JSON by its name's extension.
func Parse(name string, data []byte, services []string) (Catalogue, error) {
	if strings.EqualFold(filepath.Ext(name), ".csv") {
		return ParseCSV(data, services)
	}
	return ParseJSON(data, services)
}

var feePattern = regexp.MustCompile(`^(.+?)\s*=\s*(\d+)\s*(?:\((.*)\))?$`)

// ParseCSV reads a catalogue in CSV (UTF-8, with or without a byte-order mark)
// and checks it. Errors name the line.
func ParseCSV(data []byte, services []string) (Catalogue, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1 // the last column (online) may be left out
	header, err := r.Read()
	older := strings.Join(CSVHeader[:len(CSVHeader)-1], ",") // before the online column
	if err != nil || strings.Join(header, ",") != strings.Join(CSVHeader, ",") && strings.Join(header, ",") != older {
		return Catalogue{}, problem.Errorf(problem.EInvalid, "Dòng đầu của CSV phải là: %s", "the CSV's first line must be: %[1]s", strings.Join(CSVHeader, ","))
	}
	var c Catalogue
	for line := 2; ; line++ {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		bad := func(vi, en string, args ...any) error {
			return problem.Errorf(problem.EInvalid, fmt.Sprintf("Danh mục CSV, dòng %d: ", line)+vi, fmt.Sprintf("catalogue CSV, line %d: ", line)+en, args...)
		}
		if err != nil {
			return Catalogue{}, bad("%v", "%v", err)
		}
		if len(rec) != len(CSVHeader) && len(rec) != len(CSVHeader)-1 {
			return Catalogue{}, bad("có %d cột, cần %d", "has %d columns, %d are needed", len(rec), len(CSVHeader))
		}
		for i := range rec { // a cell CSV() wrote after a quote, so no spreadsheet evaluates it
			rec[i] = csvsafe.Unquote(rec[i])
		}
		p := Procedure{Code: strings.TrimSpace(rec[0]), Name: strings.TrimSpace(rec[1]), NameEN: strings.TrimSpace(rec[2]),
			Field: strings.TrimSpace(rec[3]), Service: strings.TrimSpace(rec[4]), Agency: strings.TrimSpace(rec[8])}
		if len(rec) > 9 {
			p.Online = strings.TrimSpace(rec[9])
		}
		proc := strings.Fields(rec[5])
		cutOff := ""
		if n := len(proc); n >= 2 && proc[n-2] == "after" {
			cutOff, proc = proc[n-1], proc[:n-2]
		}
		switch {
		case len(proc) == 1 && proc[0] == SameDay:
			p.Processing = Duration{Unit: SameDay}
		case len(proc) == 2:
			n, err := strconv.Atoi(proc[0])
			if err != nil {
				return Catalogue{}, bad("thời hạn %q không hợp lệ", "processing %q is invalid", rec[5])
			}
			p.Processing = Duration{Amount: n, Unit: proc[1]}
		default:
			return Catalogue{}, bad("thời hạn %q; viết như 3 working_days, same_day hoặc 3 working_days after 15:00", "processing %q; write like 3 working_days, same_day or 3 working_days after 15:00", rec[5])
		}
		p.Processing.CutOff = cutOff
		for _, f := range splitList(rec[6]) {
			m := feePattern.FindStringSubmatch(f)
			if m == nil {
				return Catalogue{}, bad("phí %q; viết như Lệ phí=8000 (mỗi bản)", "fee %q; write like Lệ phí=8000 (mỗi bản)", f)
			}
			amount, err := strconv.ParseInt(m[2], 10, 64)
			if err != nil {
				return Catalogue{}, bad("số tiền %q quá lớn", "amount %q is too large", m[2])
			}
			p.Fees = append(p.Fees, Fee{Name: m[1], Amount: amount, Note: strings.TrimSpace(m[3])})
		}
		for _, d := range splitList(rec[7]) {
			parts := strings.Split(d, "|")
			if len(parts) < 2 || len(parts) > 4 {
				return Catalogue{}, bad("giấy tờ %q; viết như Tờ khai|1|original", "document %q; write like Tờ khai|1|original", d)
			}
			n, err := strconv.Atoi(strings.TrimSpace(parts[1]))
			if err != nil {
				return Catalogue{}, bad("số lượng của %q không phải số", "quantity of %q is not a number", parts[0])
			}
			doc := Document{Name: strings.TrimSpace(parts[0]), Quantity: n}
			if len(parts) > 2 {
				doc.Kind = strings.TrimSpace(parts[2])
			}
			if len(parts) > 3 {
				if strings.TrimSpace(parts[3]) != "optional" {
					return Catalogue{}, bad("giấy tờ %q: trường thứ tư chỉ được là optional", "document %q: the fourth part may only be optional", parts[0])
				}
				doc.Optional = true
			}
			p.Documents = append(p.Documents, doc)
		}
		c.Procedures = append(c.Procedures, p)
	}
	if err := c.Validate(services); err != nil {
		return Catalogue{}, err
	}
	return c, nil
}

// splitList splits "a; b (x; y); c" at the semicolons outside brackets,
// dropping empty items.
func splitList(s string) []string {
	var out []string
	depth, start := 0, 0
	add := func(part string) {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	for i, r := range s {
		switch r {
		case '(':
			depth++
		case ')':
			depth = max(depth-1, 0)
		case ';':
			if depth == 0 {
				add(s[start:i])
				start = i + 1
			}
		}
	}
	add(s[start:])
	return out
}
