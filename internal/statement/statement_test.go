package statement

import (
	"strings"
	"testing"
)

func TestAmount(t *testing.T) {
	for in, want := range map[string]int64{"1.250.000": 1250000, "1,250,000": 1250000, "1250000": 1250000, "1.250.000,00": 1250000,
		"+8.000 VND": 8000, "8.000đ": 8000, "-50.000": -50000, "8 000": 8000, "1.250.000.00": 1250000} {
		if got, err := Amount(in); err != nil || got != want {
			t.Errorf("Amount(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "abc", "12.5", "1.250.000,50", "99999999999999999"} {
		if got, err := Amount(bad); err == nil {
			t.Errorf("Amount(%q) = %d", bad, got)
		}
	}
}

const bank = "\ufeffNgày giao dịch,Mã giao dịch,Số tiền,Nội dung\n" +
	"07/12/2026,FT001,8.000,NGUYEN VAN A NOP PHI HO SO XA01-261207-0001\n" + // matched (the bank dropped a dot)
	"07/12/2026,FT002,\"12,000\",XA.01-261207-0002 le phi\n" + // the amount differs
	"07/12/2026,FT003,8.000,chuyen tien\n" + // no code
	"07/12/2026,FT001,8.000,NGUYEN VAN A NOP PHI HO SO XA01-261207-0001\n" + // the same line twice
	"07/12/2026,FT004,8.000,XA01261207 0001 lan 2\n" + // the dossier paid already above
	"07/12/2026,FT005,-30.000,phi ngan hang\n" + // a debit: left out
	"\n" +
	"08/12/2026,FT006,5.000,ho so XA.01-261207-0003\n" // matched

func TestReadAndMatch(t *testing.T) {
	lines, err := Read(strings.NewReader(bank), Columns{})
	if err != nil {
		t.Fatal(err)
	}
	if len(lines) != 6 || lines[0].Row != 2 || lines[5].Row != 9 || lines[1].Amount != 12000 {
		t.Fatalf("read %+v", lines)
	}
	r := Match(lines, []Due{{"XA.01-261207-0001", 8000}, {"XA.01-261207-0002", 10000}, {"XA.01-261207-0003", 5000}})
	if len(r.Matched) != 2 || r.Matched[0].Code != "XA.01-261207-0001" || r.Matched[1].Code != "XA.01-261207-0003" {
		t.Fatalf("matched %+v", r.Matched)
	}
	if len(r.Unmatched) != 2 || !strings.Contains(r.Unmatched[0].Why, "số tiền khác") || !strings.Contains(r.Unmatched[1].Why, "không có mã") {
		t.Fatalf("unmatched %+v", r.Unmatched)
	}
	if len(r.Duplicates) != 2 || r.Duplicates[0].Reference != "FT001" || r.Duplicates[1].Reference != "FT004" {
		t.Fatalf("duplicates %+v", r.Duplicates)
	}
}

func TestMalformedStatementsNameTheLine(t *testing.T) {
	for _, c := range []struct{ csv, want string }{
		{"Ngày giao dịch,Mã giao dịch,Số tiền\n", "không có cột \"Nội dung\""},
		{"Ngày giao dịch,Mã giao dịch,Số tiền,Nội dung\n07/12/2026,FT1,tám nghìn,x\n", "dòng 2: số tiền"},
		{"Ngày giao dịch,Mã giao dịch,Số tiền,Nội dung\n07/12/2026,FT1,8000,x\n2026-12-07,FT2,8000,y\n", "dòng 3: ngày"},
		{"", "tiêu đề"},
	} {
		if _, err := Read(strings.NewReader(c.csv), Columns{}); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: %v, want %q", c.csv, err, c.want)
		}
	}
	// The office's own bank's words, ; as a Vietnamese spreadsheet writes.
	lines, err := Read(strings.NewReader("Ngay;So tien;Ma GD;Dien giai\n07-12-2026;8.000;A1;XA.01-261207-0001\n"),
		Columns{Date: "Ngay", Amount: "So tien", Reference: "Ma GD", Memo: "Dien giai", DateLayout: "02-01-2006"})
	if err != nil || len(lines) != 1 || lines[0].Amount != 8000 {
		t.Fatalf("%+v %v", lines, err)
	}
}

func FuzzRead(f *testing.F) {
	f.Add(bank)
	f.Add("Ngày giao dịch;Mã giao dịch;Số tiền;Nội dung\n;;;\n")
	f.Fuzz(func(t *testing.T, s string) {
		lines, err := Read(strings.NewReader(s), Columns{})
		if err != nil {
			return
		}
		for _, l := range lines {
			if l.Amount <= 0 || l.Row < 2 {
				t.Fatalf("%+v", l)
			}
		}
		Match(lines, []Due{{"XA.01-261207-0001", 8000}})
	})
}
