package intake

import (
	"strings"
	"testing"
	"time"
)

func scannable() Dossier {
	at := time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
	return Dossier{Code: "X-261202-0001", Status: Received, ReceivedAt: at, DueAt: at.AddDate(0, 0, 3),
		Documents: []Document{{Name: "Tờ khai", Received: true}, {Name: "Giấy chứng sinh", Received: true}, {Name: "Giấy kết hôn", Optional: true}}}
}

func aScan(b byte) Scan {
	return Scan{SHA256: strings.Repeat(string(rune('a'+b%6)), 64), Pages: 2, Bytes: 1000, At: time.Date(2026, 12, 2, 9, 5, 0, 0, time.UTC), By: "an"}
}

func TestScanRules(t *testing.T) {
	for _, c := range []struct {
		name    string
		do      func(*Dossier) error
		wantErr string
		digit   bool
	}{
		{"one of two scanned", func(d *Dossier) error { return d.AttachScan(0, aScan(0)) }, "", false},
		{"scanned and exempted", func(d *Dossier) error {
			if err := d.AttachScan(0, aScan(0)); err != nil {
				return err
			}
			return d.ExemptDocument(1, ExemptComparison, time.Now(), "an")
		}, "", true},
		{"a paper not handed in", func(d *Dossier) error { return d.AttachScan(2, aScan(0)) }, "chưa nộp", false},
		{"no such paper", func(d *Dossier) error { return d.AttachScan(7, aScan(0)) }, "không có giấy tờ số 8", false},
		{"a bad hash", func(d *Dossier) error { s := aScan(0); s.SHA256 = "../../etc/passwd"; return d.AttachScan(0, s) }, "không hợp lệ", false},
		{"an unknown exemption", func(d *Dossier) error { return d.ExemptDocument(0, "lazy", time.Now(), "an") }, "không có trong quy định", false},
		{"exempting a scanned paper", func(d *Dossier) error {
			d.AttachScan(0, aScan(0))
			return d.ExemptDocument(0, ExemptOnline, time.Now(), "an")
		}, "đã có bản quét", false},
		{"a scan replaces an exemption", func(d *Dossier) error {
			d.ExemptDocument(0, ExemptOnline, time.Now(), "an")
			d.ExemptDocument(1, ExemptOnline, time.Now(), "an")
			return d.AttachScan(0, aScan(1))
		}, "", true},
		{"an erased dossier", func(d *Dossier) error { d.Erase(); return d.AttachScan(0, aScan(0)) }, "đã xoá", false},
		{"a filing only", func(d *Dossier) error { d.DueAt = time.Time{}; d.Status = Incomplete; return d.AttachScan(0, aScan(0)) }, "chưa được tiếp nhận", false},
		{"a result before it is ready", func(d *Dossier) error { return d.AttachResult(aScan(0)) }, "chưa có kết quả", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			d := scannable()
			err := c.do(&d)
			if c.wantErr == "" && err != nil || c.wantErr != "" && (err == nil || !strings.Contains(err.Error(), c.wantErr)) {
				t.Fatalf("err = %v, want %q", err, c.wantErr)
			}
			if got := d.Digitised(); got != c.digit {
				t.Errorf("Digitised = %v, want %v", got, c.digit)
			}
		})
	}
}

func TestScanReplacedKeepsItsHashInTheHistory(t *testing.T) {
	d := scannable()
	d.AttachScan(0, aScan(0))
	d.AttachScan(0, aScan(1))
	if got := d.Documents[0].Scan.SHA256; got != aScan(1).SHA256 {
		t.Fatalf("scan = %s", got)
	}
	last := d.History[len(d.History)-1].Note
	if !strings.Contains(last, aScan(0).SHA256[:12]) {
		t.Errorf("history %q does not name the replaced scan", last)
	}
	if n := len(d.Scans()); n != 1 {
		t.Errorf("Scans = %d, want the current one", n)
	}
}

func TestEraseMarksScans(t *testing.T) {
	d := scannable()
	d.AttachScan(0, aScan(0))
	d.Move(Ready, time.Now(), "an", "")
	if err := d.AttachResult(aScan(2)); err != nil {
		t.Fatal(err)
	}
	if n := len(d.Scans()); n != 2 {
		t.Fatalf("Scans = %d before erasure", n)
	}
	d.Erase()
	if n := len(d.Scans()); n != 0 || !d.Documents[0].Scan.Erased || !d.Result.Erased {
		t.Errorf("after erasure %d scans left, %+v", n, d.Documents[0].Scan)
	}
}

// The figures count digitisation the same from the facts the province gets.
func TestDigitisationFlows(t *testing.T) {
	loc := time.UTC
	scanned, exempted, missing := scannable(), scannable(), scannable()
	scanned.AttachScan(0, aScan(0))
	scanned.AttachScan(1, aScan(1))
	exempted.AttachScan(0, aScan(0))
	exempted.ExemptDocument(1, ExemptVerified, time.Now(), "an")
	missing.AttachScan(0, aScan(0))
	ready := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	scanned.Move(Ready, ready, "an", "")
	scanned.AttachResult(aScan(2))
	missing.Move(Ready, ready, "an", "")
	ds := []Dossier{scanned, exempted, missing}
	from, to := time.Date(2026, 12, 1, 0, 0, 0, 0, loc), time.Date(2027, 1, 1, 0, 0, 0, 0, loc)
	p := Tally(ds, from, to, loc)
	if p.Digitised != 2 || p.Received != 3 || p.EResults != 1 || p.Resolved != 2 {
		t.Fatalf("digitised %d of %d, e-results %d of %d", p.Digitised, p.Received, p.EResults, p.Resolved)
	}
	if p.DigitisedRate < 0.66 || p.DigitisedRate > 0.67 || p.EResultRate != 0.5 {
		t.Errorf("rates %v %v", p.DigitisedRate, p.EResultRate)
	}
	var viaFacts []Dossier
	for _, d := range ds {
		f := *d.Facts()
		// The province stores the facts of the dossier it rebuilt: the same again.
		if again := *FromFacts(d.Code, f).Facts(); again.Digitised != f.Digitised || again.EResult != f.EResult {
			t.Errorf("%s: facts %v/%v, again %v/%v", d.Code, f.Digitised, f.EResult, again.Digitised, again.EResult)
		}
		viaFacts = append(viaFacts, FromFacts(d.Code, f))
	}
	if q := Tally(viaFacts, from, to, loc); q.Digitised != p.Digitised || q.EResults != p.EResults {
		t.Errorf("from the facts: digitised %d, e-results %d", q.Digitised, q.EResults)
	}
}
