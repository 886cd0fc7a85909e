package receipt

import (
	"testing"
	"time"

	"motcua/internal/escpos"
)

// BenchmarkTicketToPrinterBytes is what a kiosk spends between the server's
// answer and the printer's socket: drawing the ticket (with a checklist) and
// encoding it as ESC/POS raster.
func BenchmarkTicketToPrinterBytes(b *testing.B) {
	t := Ticket{Office: "Trung tâm Phục vụ hành chính công phường Hòa Bình", Number: "1023", Service: "Hộ tịch",
		Counters: []int{1, 2, 3}, Ahead: 4, ETA: 12, IssuedAt: time.Date(2026, 11, 23, 9, 5, 0, 0, time.UTC),
		URL: "http://192.168.1.10:8080/t/abcdefghijklmnopqrstuv", Procedure: "Đăng ký khai sinh",
		Checklist: []string{"Tờ khai đăng ký khai sinh (1 bản chính)", "Giấy chứng sinh (1 bản chính)"}}
	for b.Loop() {
		img, err := Render(t, Width80mm)
		if err != nil {
			b.Fatal(err)
		}
		escpos.Raster(img)
	}
}
