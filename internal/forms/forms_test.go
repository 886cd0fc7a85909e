package forms

import (
	"strings"
	"testing"
	"time"

	"motcua/internal/intake"
	"motcua/internal/pdftext"
)

var loc, _ = time.LoadLocation("Asia/Ho_Chi_Minh")

var office = Office{Name: "Bộ phận Một cửa phường Hòa Bình", Parent: "UBND phường Hòa Bình", Place: "Hòa Bình"}

func dossier() intake.Dossier {
	at := time.Date(2026, 4, 29, 10, 5, 0, 0, loc)
	return intake.Dossier{Code: "H29.100-260429-0007", Agency: "H29.100", ProcedureName: "Đăng ký khai sinh",
		ProcessingAmount: 3, ProcessingUnit: "working_days",
		Applicant: intake.Applicant{Name: "Nguyễn Thị Hoa", IDNumber: "001203004567", Address: "Số 5 ngõ 12 Hòa Bình", Phone: "0912345678"},
		Documents: []intake.Document{{Name: "Tờ khai đăng ký khai sinh", Quantity: 1, Kind: "original", Received: true},
			{Name: "Giấy chứng sinh", Quantity: 1, Kind: "original", Received: true},
			{Name: "Giấy chứng nhận kết hôn của cha mẹ", Quantity: 1, Kind: "copy", Optional: true}},
		Sets: 1, Delivery: "desk", Clerk: "lan", ClerkName: "Nguyễn Thị Lan", LookupPIN: "4821",
		Status: intake.Received, ReceivedAt: at, DueAt: time.Date(2026, 5, 6, 10, 5, 0, 0, loc)}
}

func has(t *testing.T, got string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Errorf("missing %q in:\n%s", w, got)
		}
	}
}

func TestReceipt(t *testing.T) {
	pdf, err := Receipt(office, dossier(), "http://192.168.1.10:8080/tra-cuu?ma=H29.100-260429-0007&pin=4821", loc)
	if err != nil {
		t.Fatal(err)
	}
	got := pdftext.Of(t, pdf, true)
	has(t, got, "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", "Liên 1: Lưu tại Bộ phận Một cửa", "Liên 2: Giao người nộp hồ sơ",
		"Mã hồ sơ: H29.100-260429-0007", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Nguyễn Thị Hoa", "Đăng ký khai sinh",
		"Tờ khai đăng ký khai sinh — 1 bản chính", "3 ngày làm việc", "10 giờ 05 phút, ngày 29/04/2026", "10 giờ 05 phút, ngày 06/05/2026",
		"mã tra cứu 4821", "Nguyễn Thị Lan", "001******567", "Mẫu số 01 — Thông tư số 03/2025/TT-VPCP")
	if strings.Contains(got, "001203004567") {
		t.Error("the ID number is printed unmasked")
	}
	if strings.Contains(got, "Giấy chứng nhận kết hôn") {
		t.Error("a document not handed in is listed as received")
	}
	if n := strings.Count(got, "GIẤY TIẾP NHẬN HỒ SƠ"); n != 2 {
		t.Errorf("%d copies, want 2", n)
	}
}

func TestIncompleteRefusalApologyRegister(t *testing.T) {
	x := dossier()
	x.Status, x.Missing = intake.Incomplete, []string{"Giấy chứng sinh", "Ảnh 4x6"}
	pdf, err := Incomplete(office, x, loc)
	if err != nil {
		t.Fatal(err)
	}
	got := pdftext.Of(t, pdf, true)
	has(t, got, "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ", "1. Giấy chứng sinh", "2. Ảnh 4x6", "Mẫu số 02 —")
	if strings.Count(got, "Giấy chứng sinh") != 1 {
		t.Error("a missing document listed twice")
	}

	x = dossier()
	x.Status, x.Reason = intake.Refused, "Thủ tục không thuộc thẩm quyền giải quyết của UBND phường"
	pdf, _ = Refusal(office, x, loc)
	has(t, pdftext.Of(t, pdf, true), "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ", "không thuộc thẩm quyền", "Mẫu số 03 —")

	x = dossier()
	if err := x.Apologise(time.Date(2026, 5, 5, 9, 0, 0, 0, loc), time.Date(2026, 5, 8, 10, 5, 0, 0, loc), "lan", "chờ cơ quan khác xác minh"); err != nil {
		t.Fatal(err)
	}
	pdf, _ = Apology(office, x, loc)
	has(t, pdftext.Of(t, pdf, true), "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT", "chờ cơ quan khác xác minh", "ngày 08/05/2026", "Mẫu số 04 —")

	x = dossier()
	if err := x.Move(intake.Stopped, time.Date(2026, 5, 4, 14, 20, 0, 0, loc), "lan", "Người nộp hồ sơ đã chết, theo khoản 2 Điều 20"); err != nil {
		t.Fatal(err)
	}
	pdf, err = Stop(office, x, loc)
	if err != nil {
		t.Fatal(err)
	}
	has(t, pdftext.Of(t, pdf, true), "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ", "Mẫu số 05 —", "theo quy định của pháp luật", "14 giờ 20 phút, ngày 04/05/2026",
		"Người nộp hồ sơ đã chết", "Người ghi nhận: lan", "Đăng ký khai sinh", "H29.100-260429-0007")
	x = dossier()
	x.Move(intake.Withdrawn, time.Date(2026, 5, 4, 9, 0, 0, 0, loc), "lan", "")
	pdf, _ = Stop(office, x, loc)
	has(t, pdftext.Of(t, pdf, true), "theo đề nghị của người nộp hồ sơ")
	if _, err := Stop(office, dossier(), loc); err == nil {
		t.Error("a notice of stop for a dossier in progress")
	}

	x = dossier()
	for _, h := range []intake.Handover{
		{At: time.Date(2026, 4, 29, 14, 0, 0, 0, loc), From: "Bộ phận Một cửa — Nguyễn Thị Lan", To: "Phòng Tư pháp — Trần Văn Minh", Result: "Đủ hồ sơ", By: "lan"},
		{At: time.Date(2026, 5, 4, 9, 30, 0, 0, loc), From: "Phòng Tư pháp — Trần Văn Minh", To: "Lãnh đạo UBND — ký duyệt", Result: "Trình ký", By: "lan"},
	} {
		if err := x.RecordHandover(h); err != nil {
			t.Fatal(err)
		}
	}
	pdf, err = Control(office, x, time.Date(2026, 5, 4, 10, 0, 0, 0, loc), loc)
	if err != nil {
		t.Fatal(err)
	}
	has(t, pdftext.Of(t, pdf, true), "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ", "Mẫu số 06 —", "H29.100-260429-0007", "Phòng Tư pháp — Trần Văn Minh",
		"14:00 29/04/2026", "09:30 04/05/2026", "Trình ký", "Đang giải quyết", "10 giờ 05 phút, ngày 06/05/2026")
	stopped := dossier()
	stopped.Move(intake.Withdrawn, time.Date(2026, 5, 4, 9, 0, 0, 0, loc), "lan", "")
	if err := stopped.RecordHandover(intake.Handover{From: "a", To: "b"}); err == nil {
		t.Error("a handover recorded for a withdrawn dossier")
	}
	if err := x.RecordHandover(intake.Handover{From: " ", To: "b"}); err == nil {
		t.Error("a handover without its giver")
	}

	a, b := dossier(), dossier()
	a.Status, a.ReadyAt = intake.Ready, time.Date(2026, 5, 5, 15, 0, 0, 0, loc)
	b.Code, b.Status, b.ReadyAt = "H29.100-260429-0008", intake.Ready, time.Date(2026, 5, 7, 8, 0, 0, 0, loc)
	pdf, _ = Register(office, time.Date(2026, 4, 29, 0, 0, 0, 0, loc), time.Date(2026, 4, 30, 0, 0, 0, 0, loc), []intake.Dossier{a, b}, time.Date(2026, 5, 8, 0, 0, 0, 0, loc), loc)
	has(t, pdftext.Of(t, pdf, true), "SỔ THEO DÕI HỒ SƠ", "Mẫu số 07 —", "Từ ngày 29/04/2026 đến ngày 29/04/2026", "H29.100-260429-0007", "Trước hạn", "Quá hạn")
}
