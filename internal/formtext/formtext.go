// Package formtext is the wording of the printed forms (the 2025 set of
// Circular 03/2025/TT-VPCP, docs/FORMS.md): every fixed sentence, title
// and signature heading under a key, with the defaults written here. An
// office whose province prints a different wording sets its own under the
// same keys ("form_wording" in the office settings, changed through the
// writer like any setting); a sentence's {placeholders} are filled from the
// dossier. Standard library and problem only: queue checks the settings
// with it, forms prints with it.
package formtext

import (
	"maps"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"motcua/internal/problem"
)

// Defaults are the forms' wording in the 2025 set as this version prints it.
var Defaults = map[string]string{
	"basis": "Thông tư số 03/2025/TT-VPCP",

	"01.title":          "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
	"01.copy1":          "Liên 1: Lưu tại Bộ phận Một cửa",
	"01.copy2":          "Liên 2: Giao người nộp hồ sơ",
	"01.intro":          "{office} tiếp nhận hồ sơ của:",
	"01.lookup":         "Tra cứu hồ sơ: quét mã QR, hoặc nhập mã hồ sơ {code} và mã tra cứu {pin} tại máy lấy số (mục Nhận kết quả / Tra cứu hồ sơ).",
	"01.sign.applicant": "NGƯỜI NỘP HỒ SƠ",
	"01.sign.clerk":     "NGƯỜI TIẾP NHẬN HỒ SƠ",

	"02.title": "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
	"02.intro": "{office} tiếp nhận hồ sơ của:",
	"02.ask":   "Sau khi xem xét thành phần hồ sơ, đề nghị Ông/Bà bổ sung, hoàn thiện hồ sơ gồm những nội dung sau:",
	"02.help":  "Trong quá trình hoàn thiện hồ sơ, nếu có vướng mắc, Ông/Bà liên hệ Bộ phận Một cửa để được hướng dẫn.",
	"02.sign":  "NGƯỜI HƯỚNG DẪN",

	"03.title":   "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
	"03.intro":   "{office} tiếp nhận hồ sơ của:",
	"03.refuse":  "Qua xem xét, Bộ phận Một cửa từ chối tiếp nhận, giải quyết hồ sơ này với lý do cụ thể như sau:",
	"03.closing": "Xin thông báo để Ông/Bà được biết và thực hiện.",
	"03.sign":    "NGƯỜI TIẾP NHẬN HỒ SƠ",

	"04.title":    "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT",
	"04.received": "Ngày {date}, {office} tiếp nhận giải quyết hồ sơ đề nghị {procedure} của Ông/Bà (mã hồ sơ {code}).",
	"04.late":     "Hồ sơ của Ông/Bà chưa được giải quyết đúng hạn như đã hẹn. Lý do: {reason}.",
	"04.sorry":    "Sự chậm trễ này đã gây phiền hà cho Ông/Bà. Chúng tôi thành thật xin lỗi và trân trọng hẹn lại thời gian trả kết quả:",
	"04.sign":     "THỦ TRƯỞNG CƠ QUAN",

	"05.title":        "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ",
	"05.intro":        "{office} thông báo tới:",
	"05.by_applicant": "theo đề nghị của người nộp hồ sơ",
	"05.by_law":       "theo quy định của pháp luật",
	"05.stopped":      "Việc giải quyết hồ sơ nêu trên được dừng {basis}, kể từ {since}.",
	"05.closing":      "Xin thông báo để Ông/Bà được biết.",
	"05.sign":         "NGƯỜI TIẾP NHẬN HỒ SƠ",

	"06.title": "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
	"06.sign":  "NGƯỜI TIẾP NHẬN HỒ SƠ",

	"07.title":  "SỔ THEO DÕI HỒ SƠ",
	"07.period": "Từ ngày {from} đến ngày {to}",
}

// Keys are the wording's keys in order.
func Keys() []string {
	keys := make([]string, 0, len(Defaults))
	for k := range Defaults {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

var placeholder = regexp.MustCompile(`\{[a-z_]+\}`)

func placeholders(s string) []string {
	out := placeholder.FindAllString(s, -1)
	slices.Sort(out)
	return slices.Compact(out)
}

// Check tells whether an office's wording can be printed: known keys, not
// empty, at most 400 characters, and each placeholder one its default has
// (a sentence may drop one, not invent one).
func Check(over map[string]string) error {
	bad := func(vi, en string, args ...any) error {
		return problem.Errorf(problem.EInvalid, "Cấu hình mẫu in (form_wording): "+vi, "form wording: "+en, args...)
	}
	for _, k := range slices.Sorted(maps.Keys(over)) {
		v := strings.TrimSpace(over[k])
		def, ok := Defaults[k]
		switch {
		case !ok:
			return bad("không có mục %q (các mục: motcua-server form-wording)", "no entry %q (the entries: motcua-server form-wording)", k)
		case v == "":
			return bad("mục %q để trống", "entry %q is empty", k)
		case utf8.RuneCountInString(v) > 400:
			return bad("mục %q dài quá 400 ký tự", "entry %q is longer than 400 characters", k)
		}
		allowed := placeholders(def)
		for _, p := range placeholders(v) {
			if !slices.Contains(allowed, p) {
				return bad("mục %q dùng %s, không có trong mẫu (được dùng: %s)", "entry %q uses %s, which it does not have (it has: %s)", k, p, strings.Join(allowed, " "))
			}
		}
	}
	return nil
}

// Text is the wording of key (the office's, else the default) with its
// placeholders filled from vars, given as name, value pairs.
func Text(over map[string]string, key string, vars ...string) string {
	s, ok := over[key]
	if !ok || strings.TrimSpace(s) == "" {
		s = Defaults[key]
	}
	if len(vars) == 0 {
		return s
	}
	pairs := make([]string, 0, len(vars))
	for i := 0; i+1 < len(vars); i += 2 {
		pairs = append(pairs, "{"+vars[i]+"}", vars[i+1])
	}
	return strings.NewReplacer(pairs...).Replace(s)
}
