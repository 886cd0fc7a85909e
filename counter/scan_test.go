package counter

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"motcua/internal/api"
	"motcua/internal/intake"
	"motcua/internal/scan"
	"motcua/internal/scan/scantest"
	"motcua/internal/uitest"
)

// receiveForScan receives a khai sinh dossier with both papers at the
// counter, with a scanner (SANE's test device, through the real
// scanimage) and a scanner folder, and opens the scan step from the
// result (F9).
func receiveForScan(t *testing.T, r *rig) (folder string) {
	t.Helper()
	sc := scantest.Scanner(t)
	folder = t.TempDir()
	r.a.cfg.Scanner, r.a.cfg.ScanFolder = &sc, scan.Folder(folder)
	r.a.cfg.Print = func(name string, _ []byte) (Printed, error) { return Printed{File: name}, nil }
	r.openKhaiSinh()
	r.receiveAll()
	r.tap("Số hóa giấy tờ")
	r.waitText("Đang quét: Tờ khai đăng ký khai sinh — 0 trang")
	return folder
}

// The scan step at the counter: two pages scanned (one re-taken), saved as
// one PDF of two pages on the dossier; the second paper from the network
// scanner's folder; the PDF read back with pdfinfo.
func TestScanStep(t *testing.T) {
	r := newRig(t, office())
	folder := receiveForScan(t, r)
	r.key(fyne.KeyF9)
	r.waitText("Đã quét trang 1")
	r.tap("Quét trang")
	r.waitText("Đang quét: Tờ khai đăng ký khai sinh — 2 trang")
	r.tap("Quét lại trang cuối")
	r.waitText("Đã quét trang 2")
	if !r.on(func() bool { return r.a.scanning.preview.Image != nil }) {
		t.Error("no preview of the last page")
	}
	r.tap("Bỏ trang cuối")
	r.waitText("Lưu bản quét (1 trang)")
	r.key(fyne.KeyF9)
	r.waitText("Lưu bản quét (2 trang)")
	r.tap("Lưu bản quét (2 trang)")
	r.waitText("Đã lưu bản quét: Tờ khai đăng ký khai sinh")
	r.waitText("✓ đã số hóa (2 trang)")
	r.waitText("Đang quét: Giấy chứng sinh — 0 trang") // on to the next paper

	// The second paper: a PDF the network scanner saved in the folder.
	src := filepath.Join(folder, "scan0001.pdf")
	os.WriteFile(src, scantest.PDF(t, 1, office().WithDefaults().Scan), 0o644)
	old := time.Now().Add(-time.Minute)
	os.Chtimes(src, old, old)
	r.tap("Lấy từ thư mục máy quét")
	r.waitText("tệp scan0001.pdf từ thư mục máy quét")
	r.tap("Lưu bản quét (1 trang)")
	r.waitText("Đã lưu bản quét: Giấy chứng sinh")
	if _, err := os.Stat(filepath.Join(folder, scan.Taken, "scan0001.pdf")); err != nil {
		t.Errorf("the folder's file was not moved to taken/: %v", err)
	}

	var d intake.Dossier
	uitest.OnUI(func() { d = r.a.scanning.d })
	c := clerkClient(t, r)
	v, err := c.Dossier(context.Background(), d.Code)
	if err != nil {
		t.Fatal(err)
	}
	first, second := v.Documents[0].Scan, v.Documents[1].Scan
	if first == nil || first.Pages != 2 || first.Source != "scanner" || second == nil || second.Source != "folder" || !v.Digitised() {
		t.Fatalf("documents %+v", v.Documents)
	}
	pdf, err := c.Fetch(context.Background(), api.Path(api.DossierFile, d.Code, first.SHA256+".pdf"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "to-khai.pdf")
	os.WriteFile(path, pdf, 0o600)
	out, err := exec.Command("pdfinfo", path).CombinedOutput()
	if err != nil || !regexp.MustCompile(`Pages:\s+2\n`).Match(out) {
		t.Fatalf("pdfinfo: %v\n%s", err, out)
	}
	r.tap("Xong")
	r.wait("the queue again", func() bool { return r.on(func() bool { return r.a.mode == "" }) })
}

// A paper the Circular exempts: picked from the list, recorded on the
// dossier; without a scanner the step says so instead of failing.
func TestScanExemptionAndNoScanner(t *testing.T) {
	r := newRig(t, office())
	receiveForScan(t, r)
	r.a.cfg.Scanner = nil
	r.key(fyne.KeyF9)
	r.waitText("Quầy này chưa cài máy quét")
	uitest.OnUI(func() {
		var sel *widget.Select
		uitest.Walk(r.w.Content(), func(o fyne.CanvasObject) {
			if s, ok := o.(*widget.Select); ok && sel == nil {
				sel = s
			}
		})
		if sel == nil {
			t.Fatal("no exemption list")
		}
		sel.SetSelected("Bản chính chỉ để đối chiếu")
	})
	r.waitText("Đã ghi lý do không số hóa: Tờ khai đăng ký khai sinh")
	r.waitText("không số hóa: Bản chính chỉ để đối chiếu")
	var code string
	uitest.OnUI(func() { code = r.a.scanning.d.Code })
	v, err := clerkClient(t, r).Dossier(context.Background(), code)
	if err != nil || v.Documents[0].Exempt != intake.ExemptComparison {
		t.Fatalf("exemption %+v %v", v.Documents, err)
	}
}
