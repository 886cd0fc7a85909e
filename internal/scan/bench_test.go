package scan_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"motcua/internal/forms"
	"motcua/internal/intake"
	"motcua/internal/queue"
	"motcua/internal/scan"
)

// densePage is an A4 page full of text and table rules (the Mẫu 07
// register, 25 rows) rendered at dpi by pdftoppm: what a scanned paper of
// text is like, without the paper's grain.
func densePage(b *testing.B, dpi int) []byte {
	loc, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	at := time.Date(2026, 4, 29, 10, 0, 0, 0, loc)
	var rows []intake.Dossier
	for i := range 25 {
		rows = append(rows, intake.Dossier{Code: fmt.Sprintf("H29.100-260429-%04d", i+1), ProcedureName: "Chứng thực bản sao từ bản chính giấy tờ, văn bản",
			Applicant: intake.Applicant{Name: "Nguyễn Thị Hoa Phượng"}, ReceivedAt: at, DueAt: at.AddDate(0, 0, 3), Status: intake.Received})
	}
	pdf, err := forms.Register(forms.Office{Name: "Bộ phận Một cửa phường Hòa Bình", Parent: "UBND phường Hòa Bình"}, at, at.AddDate(0, 0, 1), rows, at, loc)
	if err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	os.WriteFile(filepath.Join(dir, "p.pdf"), pdf, 0o600)
	if out, err := exec.Command("pdftoppm", "-r", fmt.Sprint(dpi), "-png", "-singlefile", filepath.Join(dir, "p.pdf"), filepath.Join(dir, "p")).CombinedOutput(); err != nil {
		b.Fatalf("pdftoppm: %v %s", err, out)
	}
	png, err := os.ReadFile(filepath.Join(dir, "p.png"))
	if err != nil {
		b.Fatal(err)
	}
	return png
}

// BenchmarkPage: a page from the scanner's PNG to its PDF at each setting;
// KB/page is the disk a page takes (docs/SCANNING.md's budget).
func BenchmarkPage(b *testing.B) {
	for _, c := range []queue.ScanConfig{{DPI: 150, Mode: "gray", Quality: 60}, {DPI: 200, Mode: "gray", Quality: 60},
		{DPI: 200, Mode: "color", Quality: 60}, {DPI: 200, Mode: "gray", Quality: 80}, {DPI: 300, Mode: "gray", Quality: 60}} {
		b.Run(fmt.Sprintf("%ddpi-%s-q%d", c.DPI, c.Mode, c.Quality), func(b *testing.B) {
			png := densePage(b, c.DPI)
			var size int
			for b.Loop() {
				img, err := scan.DecodePage(png)
				if err != nil {
					b.Fatal(err)
				}
				jpg, err := scan.JPEG(img, c)
				if err != nil {
					b.Fatal(err)
				}
				pdf, err := scan.PDF([][]byte{jpg}, c.DPI)
				if err != nil {
					b.Fatal(err)
				}
				size = len(pdf)
			}
			b.ReportMetric(float64(size)/1024, "KB/page")
		})
	}
}
