package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"motcua/internal/api"
	"motcua/internal/bolt"
	"motcua/internal/client"
	"motcua/internal/intake"
	"motcua/internal/problem"
	"motcua/internal/scan/scantest"
	"motcua/internal/testserver"
)

// scannedPDF is n pages from SANE's test backend as the counter makes them.
func scannedPDF(t *testing.T, n int) []byte {
	cfg := intakeOffice().WithDefaults().Scan
	cfg.DPI = 100
	return scantest.PDF(t, n, cfg)
}

// A paper scanned at reception reaches the dossier through the API: stored
// under the data dir by its hash, named in the record, opened by staff only
// (in the access log), "đã số hóa" on the citizen's lookup without the file;
// an exemption recorded; the electronic result once ready; the report counts
// them; bad uploads refused in both languages.
func TestScanThroughTheAPI(t *testing.T) {
	dir := t.TempDir()
	proc := khaiSinh
	proc.Field = "Hộ tịch"
	url, stop := testserver.Start(t, "127.0.0.1:0", dir, intakeOffice(), proc)
	ctx := context.Background()
	clerk := client.New(url, "")
	if _, err := clerk.Login(ctx, testserver.Clerk, testserver.PIN); err != nil {
		t.Fatal(err)
	}
	got, err := clerk.Intake(ctx, intake.Request{Outcome: "receive", Procedure: khaiSinh.Code, Applicant: intake.Applicant{Name: "Nguyễn Thị Hoa"},
		Received: []string{"Tờ khai", "Giấy chứng sinh"}, Sets: 1, Delivery: "desk"})
	if err != nil {
		t.Fatal(err)
	}
	code, pin := got.Dossier.Code, got.Dossier.LookupPIN
	if got.Scan.DPI != 200 || got.Scan.Mode != "gray" || got.Scan.Quality != 60 {
		t.Errorf("the intake answer's scan settings: %+v", got.Scan)
	}

	pdf := scannedPDF(t, 2)
	v, err := clerk.ScanDocument(ctx, code, 1, pdf, "scanner")
	if err != nil {
		t.Fatal(err)
	}
	sc := v.Documents[0].Scan
	if sc == nil || sc.Pages != 2 || sc.Bytes != int64(len(pdf)) || sc.By != testserver.Clerk || sc.Source != "scanner" {
		t.Fatalf("scan recorded %+v", sc)
	}
	if stored, err := os.ReadFile(bolt.ScanPath(dir, sc.SHA256)); err != nil || !bytes.Equal(stored, pdf) {
		t.Fatalf("stored file: %v", err)
	}
	if v.Digitised() {
		t.Error("digitised with one of two papers")
	}
	if v, err = clerk.ExemptDocument(ctx, code, 2, intake.ExemptComparison); err != nil || !v.Digitised() {
		t.Fatalf("exempting the second: %v", err)
	}

	// Refused, in both languages.
	for name, try := range map[string]func() error{
		"not a PDF":            func() error { _, err := clerk.ScanDocument(ctx, code, 1, []byte("GIF89a"), "scanner"); return err },
		"a paper not received": func() error { _, err := clerk.ScanDocument(ctx, code, 3, pdf, "scanner"); return err },
		"no such paper":        func() error { _, err := clerk.ScanDocument(ctx, code, 9, pdf, "scanner"); return err },
		"a bad exemption":      func() error { _, err := clerk.ExemptDocument(ctx, code, 1, "tired"); return err },
		"a result too early":   func() error { _, err := clerk.AttachResult(ctx, code, pdf); return err },
	} {
		err := try()
		if p := problem.As(err); p == nil || p.Message == "" || p.MessageEN == "" || p.Message == p.MessageEN {
			t.Errorf("%s: %v", name, err)
		}
	}

	// Staff open the file (logged); no one else does.
	file := api.Path(api.DossierFile, code, sc.SHA256+".pdf")
	if back, err := clerk.Fetch(ctx, file); err != nil || !bytes.Equal(back, pdf) {
		t.Fatalf("staff fetching the scan: %v", err)
	}
	if resp, err := http.Get(url + file); err != nil || resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("anonymous fetch: %v %v", resp.StatusCode, err)
	}
	if _, err := clerk.Fetch(ctx, api.Path(api.DossierFile, code, strings.Repeat("0", 64))); err == nil {
		t.Error("a file the dossier does not name was served")
	}

	// The citizen's lookup: each paper digitised or not, no file, no hash.
	citizen := client.New(url, "")
	look, err := citizen.LookupDossier(ctx, code, pin)
	if err != nil {
		t.Fatal(err)
	}
	if len(look.Papers) != 2 || !look.Papers[0].Digitised || look.Papers[0].Exempt || !look.Papers[1].Exempt || look.EResult {
		t.Fatalf("lookup papers %+v", look)
	}
	raw, _ := json.Marshal(look)
	if strings.Contains(string(raw), sc.SHA256) {
		t.Error("the lookup shows the file's hash")
	}

	if _, err := clerk.SetDossierStatus(ctx, code, intake.Ready, ""); err != nil {
		t.Fatal(err)
	}
	if v, err = clerk.AttachResult(ctx, code, scannedPDF(t, 1)); err != nil || v.Result == nil {
		t.Fatalf("electronic result: %v", err)
	}
	if look, _ = citizen.LookupDossier(ctx, code, pin); !look.EResult {
		t.Error("the lookup does not say the result is electronic")
	}

	admin := client.New(url, "")
	admin.Login(ctx, testserver.AdminUser, testserver.PIN)
	loc, _ := intakeOffice().Location()
	day := got.Dossier.ReceivedAt.In(loc).Format("2006-01-02") // the office's day, whatever the machine's zone
	var rep struct {
		Dossiers struct {
			Received, Resolved, Digitised int
			EResults                      int     `json:"e_results"`
			DigitisedRate                 float64 `json:"digitised_rate"`
		} `json:"dossiers"`
		ByField map[string]struct{ Digitised int } `json:"dossiers_by_field"`
	}
	raw, err = admin.Fetch(ctx, "/api/v1/admin/report?from="+day+"&to="+day)
	if err != nil || json.Unmarshal(raw, &rep) != nil || rep.Dossiers.Digitised != 1 || rep.Dossiers.EResults != 1 || rep.Dossiers.DigitisedRate != 1 {
		t.Fatalf("report %s %v", raw, err)
	}
	if f, ok := rep.ByField["Hộ tịch"]; !ok || f.Digitised != 1 || len(rep.ByField) != 1 {
		t.Errorf("by field: %+v", rep.ByField)
	}
	log, _ := admin.Fetch(ctx, "/api/v1/admin/access-log?code="+code)
	if !strings.Contains(string(log), "view scan "+sc.SHA256[:12]) {
		t.Errorf("the access log does not show the scan opened: %s", log)
	}

	// Stopped, the data dir verifies with its scans; one byte changed fails it.
	stop()
	if _, err := bolt.VerifyFile(filepath.Join(dir, bolt.FileName)); err != nil {
		t.Fatal(err)
	}
	path := bolt.ScanPath(dir, sc.SHA256)
	b, _ := os.ReadFile(path)
	b[len(b)/2] ^= 0x40
	os.WriteFile(path, b, 0o600)
	if _, err := bolt.VerifyFile(filepath.Join(dir, bolt.FileName)); err == nil || !strings.Contains(err.Error(), sc.SHA256) {
		t.Fatalf("verify after a byte of the scan changed: %v", err)
	}
}
