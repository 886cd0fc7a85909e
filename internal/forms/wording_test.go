package forms

import (
	"strings"
	"testing"

	"motcua/internal/formtext"
	"motcua/internal/intake"
	"motcua/internal/pdftext"
)

// An office's own wording replaces the defaults it names, placeholders
// filled; what it leaves out prints as before.
func TestOfficeWording(t *testing.T) {
	o := office
	o.Wording = map[string]string{
		"basis":    "Quyết định số 12/2026/QĐ-UBND tỉnh Hòa Bình",
		"01.title": "GIẤY BIÊN NHẬN HỒ SƠ",
		"01.intro": "{office} đã nhận hồ sơ của:",
		"04.late":  "Hồ sơ chậm vì: {reason}.",
	}
	pdf, err := Receipt(o, dossier(), "http://x/tra-cuu", loc)
	if err != nil {
		t.Fatal(err)
	}
	got := pdftext.Of(t, pdf, true)
	has(t, got, "GIẤY BIÊN NHẬN HỒ SƠ", "Bộ phận Một cửa phường Hòa Bình đã nhận hồ sơ của:", "Mẫu số 01 — Quyết định số 12/2026/QĐ-UBND",
		"Liên 1: Lưu tại Bộ phận Một cửa", "mã tra cứu 4821")
	if strings.Contains(got, "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ") {
		t.Error("the default title is still printed")
	}
	x := dossier()
	x.Apology = &intake.Apology{At: x.ReceivedAt, NewDue: x.DueAt.AddDate(0, 0, 2), Reason: "chờ xác minh"}
	pdf, err = Apology(o, x, loc)
	if err != nil {
		t.Fatal(err)
	}
	has(t, pdftext.Of(t, pdf, true), "Hồ sơ chậm vì: chờ xác minh.", "Chúng tôi thành thật xin lỗi")
}

func TestCheckWording(t *testing.T) {
	for _, c := range []struct {
		name string
		over map[string]string
		want string
	}{
		{"fine", map[string]string{"02.title": "PHIẾU HƯỚNG DẪN BỔ SUNG HỒ SƠ", "04.received": "Ngày {date}, hồ sơ {code} ({procedure})."}, ""},
		{"an unknown key", map[string]string{"08.title": "X"}, "không có mục"},
		{"empty", map[string]string{"03.title": "  "}, "để trống"},
		{"an invented placeholder", map[string]string{"01.lookup": "Mã {code}, PIN {pin}, tên {name}"}, "{name}"},
		{"too long", map[string]string{"05.closing": strings.Repeat("à", 401)}, "400"},
	} {
		err := formtext.Check(c.over)
		if c.want == "" && err != nil || c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)) {
			t.Errorf("%s: %v", c.name, err)
		}
	}
	// Every default passes its own check, and every form's key is there.
	if err := formtext.Check(formtext.Defaults); err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{FormReceipt, FormSupplement, FormRefusal, FormApology, FormStop, FormControl, FormRegister} {
		if _, ok := formtext.Defaults[n+".title"]; !ok {
			t.Errorf("Mẫu %s has no title in the wording", n)
		}
	}
}
